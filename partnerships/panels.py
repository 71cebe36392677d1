"""What partnerships contributes to a member's page (see leadit.sections.panels)."""

from django.db.models import Q

from leadit.sections.panels import Panel, register_panel
from members.models import Member

from .models import Engagement, ForumActivity, Participant, Project


def sponsored_projects(member):
    return Project.objects.filter(sponsor=member.organisation_id).select_related("sector")


def engagements(member):
    """Engagements the member provides or receives, each with its side, in one query."""
    organisation = member.organisation_id
    rows = Engagement.objects.filter(Q(provider=organisation) | Q(recipient=organisation))
    return [(e, "provider" if e.provider_id == organisation else "recipient") for e in rows]


def participations(member):
    return Participant.objects.filter(organisation=member.organisation_id).select_related(
        "partnership"
    )


def forum_activities(member):
    return ForumActivity.objects.filter(members=member)


def register() -> None:
    for order, panel in enumerate(
        [
            Panel(
                "Projects it sponsors",
                "partnerships/panels/projects.html",
                sponsored_projects,
                "partnerships.view_project",
                "No pipeline projects.",
            ),
            Panel(
                "Technology-transfer engagements",
                "partnerships/panels/engagements.html",
                engagements,
                "partnerships.view_engagement",
                "No engagements.",
            ),
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
        ]
    ):
        register_panel(Member, Panel(**{**panel.__dict__, "order": order}))
