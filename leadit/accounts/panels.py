"""A "Focal points" panel on organisation and member pages, for the Secretariat (who may
invite them): who speaks for the organisation, and where their account stands."""

from leadit.sections.panels import Panel, register_panel
from members.models import FocalPoint, Member, Organisation


def focal_points(record):
    organisation = record.organisation_id if isinstance(record, Member) else record.pk
    return FocalPoint.objects.filter(organisations=organisation).select_related("user")


PANEL = Panel(
    "Focal points with an account",
    "accounts/panels/focal_points.html",
    focal_points,
    "members.add_focalpoint",
    "No focal point yet.",
    order=5,
)


def register() -> None:
    register_panel(Organisation, PANEL)
    register_panel(Member, PANEL)
