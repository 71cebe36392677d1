"""What each role may do with proposals (used by the data migration and the tests' roles)."""

from leadit.roles import FOCAL_POINT, SECRETARIAT

FOCAL_POINT_CODENAMES = ("add_proposal", "view_proposal")


def grant_proposal_permissions(apps=None) -> None:
    if apps is None:
        from django.apps import apps
    else:
        from django.contrib.auth.management import create_permissions

        config = apps.get_app_config("proposals")
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    proposals = Permission.objects.filter(content_type__app_label="proposals")
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    secretariat.permissions.add(*proposals)
    focal_point, _ = Group.objects.get_or_create(name=FOCAL_POINT)
    focal_point.permissions.add(*proposals.filter(codename__in=FOCAL_POINT_CODENAMES))
