from django.db import migrations


def fill(apps, schema_editor):
    """A membership's stored search text no longer holds its notes (the Secretariat's own)."""
    from leadit.sections.search import fill_search_text

    fill_search_text(apps.get_model("members", "Member"), ("joined_at_event",))


class Migration(migrations.Migration):
    dependencies = [("members", "0006_focal_point")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
