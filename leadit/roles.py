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


def grant(apps, app_label: str, group_name: str, codenames=None) -> None:
    """Give the group `group_name` the permissions of `app_label` (only `codenames` if given).
    In a migration (`apps` its historical registry) the permissions are created first: Django
    normally creates them only after migrate."""
    from django.apps import apps as installed_apps
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config(app_label)
    if apps is not installed_apps:  # a migration's historical app registry
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label=app_label)
    if codenames is not None:
        permissions = permissions.filter(codename__in=codenames)
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(*permissions)


def grant_see_internal(apps, schema_editor=None) -> None:
    """Secretariat staff see their internal fields and lists (notes, owners of next steps,
    Needs attention, the review queue); viewers and focal points do not
    (leadit.sections.internal)."""
    grant(apps, "sections", SECRETARIAT, ["see_internal"])


def grant_unlock(apps, schema_editor=None) -> None:
    """Secretariat staff may see and clear login lockouts (django-axes) in the admin."""
    grant(
        apps,
        "axes",
        SECRETARIAT,
        ["view_accessattempt", "delete_accessattempt", "view_accesslog"],
    )
