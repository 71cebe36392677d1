# Text search from an index (issue 18): FTS5 on SQLite, GIN trigram on PostgreSQL.

from django.db import migrations

from leadit.sections.search import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0008_stage_change_date_validated"),
    ]

    operations = [
        CreateSearchIndex("Technology"),
        CreateSearchIndex("Partnership"),
        CreateSearchIndex("Project"),
        CreateSearchIndex("Engagement"),
        CreateSearchIndex("Assistance"),
        CreateSearchIndex("ForumActivity"),
    ]
