"""Inviting a focal point: an account in the Focal point role, without a password, and a mail
with a link that sets one (Django's password reset token: it works once, for
PASSWORD_RESET_TIMEOUT, and not after the password has been set)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from leadit.mail import send_later
from leadit.people import person_name
from leadit.roles import FOCAL_POINT
from leadit.sections.search import folded_name
from members.models import FocalPoint

SUBJECT = "Your account on LeadIT Tracker"
TEMPLATE = "accounts/mail/invitation.txt"


def accounts_with_email(email: str):
    return get_user_model()._default_manager.filter(email__iexact=email)


def reusable(user) -> bool:
    """An existing account may become a focal point only if it has no role yet: never a
    Secretariat officer's, a viewer's, an admin's, or another focal point's (that would change
    what its owner may see and do behind their back)."""
    return not (
        user.is_staff
        or user.is_superuser
        or user.groups.exists()
        or FocalPoint.objects.filter(user=user).exists()
    )


@transaction.atomic
def invite(*, name: str, email: str, organisations, by, site: dict) -> FocalPoint:
    """Create (or take over a role-less account with this address) a focal point of
    `organisations`, and mail them the invitation once the transaction commits.
    `site`: {"domain": ..., "protocol": ...} of the request, for the link."""
    User = get_user_model()
    user = accounts_with_email(email).first()
    if user is None:
        user = User(username=email, email=email, first_name=name)
        user.set_unusable_password()  # no way in until they follow the link
        user.save()
    else:
        user.first_name = user.first_name or name
        user.save(update_fields=["first_name"])
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    focal_point = FocalPoint.objects.create(user=user, invited_by=by, invited_at=timezone.now())
    focal_point.organisations.set(organisations)
    mail_invitation(focal_point, site)
    return focal_point


def pending_invitations(email: str) -> list[FocalPoint]:
    """The active focal points with this address who have not set their password yet."""
    focal_points = FocalPoint.objects.filter(
        user__email__iexact=email, user__is_active=True
    ).select_related("user", "invited_by")
    return [fp for fp in focal_points if not fp.user.has_usable_password()]


@transaction.atomic
def invite_again(focal_point: FocalPoint, *, by, site: dict) -> None:
    """Mail a new link. Before a password is set, it ends the links of earlier invitations;
    after, it sets a new password like a reset (the current one works until then)."""
    user = focal_point.user
    if not user.has_usable_password():
        user.set_unusable_password()  # a new hash: earlier links stop working
        user.save(update_fields=["password"])
    focal_point.invited_by = by
    focal_point.invited_at = timezone.now()
    focal_point.save()
    mail_invitation(focal_point, site)


def mail_invitation(focal_point: FocalPoint, site: dict) -> None:
    user, by = focal_point.user, focal_point.invited_by
    send_later(
        to=[user.email],
        subject=SUBJECT,
        template=TEMPLATE,
        context={
            "name": person_name(user),
            "username": user.get_username(),
            "inviter": person_name(by),
            "organisations": [o.name for o in focal_point.organisations.order_by(folded_name())],
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            **site,
        },
        password_link_for=user.pk,
    )


def site_of(request) -> dict:
    """Where links in mail point: the address the officer is using (a host ALLOWED_HOSTS
    accepted)."""
    return {"domain": request.get_host(), "protocol": "https" if request.is_secure() else "http"}
