"""The members app's records that belong to a focal point's organisations (see
leadit.sections.ownership)."""

from django.db.models import Q

from leadit.sections.ownership import register_organisations_of, register_ownership

from .models import Contact, FocalPoint, Member, Organisation


def organisations_of(user) -> list[int]:
    # The session's user arrives with them (leadit.auth.RoleBackend.get_user).
    known = getattr(user, "focal_organisations", None)
    if known is not None:
        return [int(pk) for pk in known.split(",") if pk]
    return list(
        FocalPoint.organisations.through.objects.filter(focalpoint__user=user).values_list(
            "organisation_id", flat=True
        )
    )


def register() -> None:
    register_organisations_of(organisations_of)
    register_ownership(Organisation, lambda orgs: Q(pk__in=orgs))
    register_ownership(Member, lambda orgs: Q(organisation__in=orgs))
    register_ownership(Contact, lambda orgs: Q(organisation__in=orgs))
