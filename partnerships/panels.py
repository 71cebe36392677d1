"""What partnerships contributes to a member's and an organisation's pages (see
leadit.sections.panels)."""

from django.db.models import Q

from leadit.sections.panels import Panel, register_panel
from members.models import Member, Organisation

from .models import Assistance, Engagement, Financing, ForumActivity, Participant, Project


def organisation_id(record) -> int:
    """A member stands for its organisation; an organisation for itself."""
    return record.organisation_id if isinstance(record, Member) else record.pk


def sponsored_projects(record):
    return Project.objects.filter(sponsor=organisation_id(record)).select_related("sector")


def engagements(record):
    """Engagements the organisation provides or receives, each with its side, in one query."""
    organisation = organisation_id(record)
    rows = Engagement.objects.filter(Q(provider=organisation) | Q(recipient=organisation))
    return [(e, "provider" if e.provider_id == organisation else "recipient") for e in rows]


def participations(record):
    return Participant.objects.filter(organisation=organisation_id(record)).select_related(
        "partnership"
    )


def forum_activities(member):
    return ForumActivity.objects.filter(members=member)


def financing_provided(record):
    return Financing.objects.filter(provider=organisation_id(record)).select_related("project")


def assistance_provided(record):
    return Assistance.objects.filter(provider=organisation_id(record)).select_related("partnership")


PROJECTS = Panel(
    "Projects it sponsors",
    "partnerships/panels/projects.html",
    sponsored_projects,
    "partnerships.view_project",
    "No pipeline projects.",
)
ENGAGEMENTS = Panel(
    "Technology-transfer engagements",
    "partnerships/panels/engagements.html",
    engagements,
    "partnerships.view_engagement",
    "No engagements.",
)


def register() -> None:
    for model, panels in (
        (
            Member,
            [
                PROJECTS,
                ENGAGEMENTS,
                Panel(
                    "Partnerships",
                    "partnerships/panels/participations.html",
                    participations,
                    "partnerships.view_partnership",
                    "Takes part in no partnership yet.",
                ),
                Panel(
                    "Global Forum activities",
                    "partnerships/panels/forum_activities.html",
                    forum_activities,
                    "partnerships.view_forumactivity",
                ),
            ],
        ),
        (
            Organisation,
            [
                PROJECTS,
                Panel(
                    "Financing it provides",
                    "partnerships/panels/financing.html",
                    financing_provided,
                    "partnerships.view_financing",
                    "No financing recorded.",
                ),
                Panel(
                    "Assistance it provides",
                    "partnerships/panels/assistance.html",
                    assistance_provided,
                    "partnerships.view_assistance",
                    "No assistance recorded.",
                ),
                ENGAGEMENTS,
            ],
        ),
    ):
        for order, panel in enumerate(panels):
            register_panel(model, Panel(**{**panel.__dict__, "order": order}))
