"""The partnerships app's records that belong to a focal point's organisations (see
leadit.sections.ownership): projects they sponsor, financing they provide, engagements where
they provide or receive, assistance they provide, and their own participation in partnerships
(not the partnership record itself)."""

from django.db.models import Q

from leadit.sections.ownership import register_ownership

from .models import Assistance, Engagement, Financing, Participant, Project


def register() -> None:
    register_ownership(Project, lambda orgs: Q(sponsor__in=orgs))
    register_ownership(Financing, lambda orgs: Q(provider__in=orgs))
    register_ownership(Engagement, lambda orgs: Q(provider__in=orgs) | Q(recipient__in=orgs))
    register_ownership(Assistance, lambda orgs: Q(provider__in=orgs))
    register_ownership(Participant, lambda orgs: Q(organisation__in=orgs))
