"""The roles: Secretariat staff edit everything in the tracker, viewers only read, focal points
read what viewers read and propose changes to their own organisations' records (the Secretariat
reviews them; which records are theirs: `leadit.sections.ownership`).

Used by data migrations, so it works on the historical app registry it is given. A migration that
adds a tracker model calls `sync_roles` again so both groups cover it (a test checks that).
"""

SECRETARIAT = "Secretariat"
VIEWER = "Viewer"
FOCAL_POINT = "Focal point"
TRACKER_APPS = ("members", "partnerships")


def secretariat_users():
    """Secretariat officers: who can own a next step."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=SECRETARIAT).order_by("username")


def sync_roles(apps, schema_editor=None) -> None:
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    tracker = Permission.objects.filter(content_type__app_label__in=TRACKER_APPS)
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    secretariat.permissions.add(*tracker)
    viewer, _ = Group.objects.get_or_create(name=VIEWER)
    viewer.permissions.add(*tracker.filter(codename__startswith="view_"))
    # A focal point reads what a viewer reads; what they may propose is checked per record.
    focal_point, _ = Group.objects.get_or_create(name=FOCAL_POINT)
    focal_point.permissions.add(*tracker.filter(codename__startswith="view_"))


def grant_see_internal(apps, schema_editor=None) -> None:
    """Secretariat staff see their internal fields and lists (notes, owners of next steps,
    Needs attention, the review queue); viewers and focal points do not
    (leadit.sections.internal)."""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("sections")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    secretariat.permissions.add(
        Permission.objects.get(content_type__app_label="sections", codename="see_internal")
    )


def grant_unlock(apps, schema_editor=None) -> None:
    """Secretariat staff may see and clear login lockouts (django-axes) in the admin."""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("axes")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    secretariat.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="axes",
            codename__in=["view_accessattempt", "delete_accessattempt", "view_accesslog"],
        )
    )
