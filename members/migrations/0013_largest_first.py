from django.db import migrations

from leadit.sections.ordering import largest_first_indexes


class Migration(migrations.Migration):
    dependencies = [("members", "0012_sort_indexes")]

    operations = [largest_first_indexes(("members", "member", "joined_on"))]
