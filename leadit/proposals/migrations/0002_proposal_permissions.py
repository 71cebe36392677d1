from django.db import migrations


def grant(apps, schema_editor):
    """Focal points make and see their own proposals; the Secretariat decides on all of them
    (change_proposal); viewers have none."""
    from leadit.proposals.roles import grant_proposal_permissions

    grant_proposal_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_proposals"), ("leadit", "0003_focal_point_role")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
