from django.db import migrations


def grant(apps, schema_editor):
    """Secretariat staff see and download everyone's exports (viewers only their own)."""
    from leadit.roles import SECRETARIAT
    from leadit.roles import grant as grant_to

    grant_to(apps, "jobs", SECRETARIAT, ["see_all_exports"])


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_jobs_and_stored_figures"), ("leadit", "0001_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
