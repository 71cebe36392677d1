from django.db import migrations


def grant(apps, schema_editor):
    """Secretariat staff see and download everyone's exports (viewers only their own)."""
    from django.contrib.auth.management import create_permissions

    from leadit.roles import SECRETARIAT

    config = apps.get_app_config("jobs")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    secretariat.permissions.add(
        Permission.objects.get(content_type__app_label="jobs", codename="see_all_exports")
    )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_jobs_and_stored_figures"), ("leadit", "0001_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
