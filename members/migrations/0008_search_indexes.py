# Text search from an index (issue 18): FTS5 on SQLite, GIN trigram on PostgreSQL.

from django.db import migrations

from leadit.sections.search import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_member_search_text_without_notes"),
    ]

    operations = [
        CreateSearchIndex("Organisation"),
        CreateSearchIndex("Member"),
        CreateSearchIndex("Contact"),
    ]
