from django.db import migrations

from leadit.roles import grant_unlock


class Migration(migrations.Migration):
    dependencies = [
        ("leadit", "0001_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant_unlock, migrations.RunPython.noop)]
