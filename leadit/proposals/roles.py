"""What each role may do with proposals (used by the data migration and the tests' roles)."""

from leadit.roles import FOCAL_POINT, SECRETARIAT, grant

FOCAL_POINT_CODENAMES = ("add_proposal", "view_proposal")


def grant_proposal_permissions(apps=None) -> None:
    if apps is None:
        from django.apps import apps
    grant(apps, "proposals", SECRETARIAT)
    grant(apps, "proposals", FOCAL_POINT, FOCAL_POINT_CODENAMES)
