"""Mail the tracker sends (proposals, decisions, invitations, password resets), always from the
background worker after the write has committed: a mail server that is down never makes a page
fail. A mail that cannot be sent is tried again later (settings.MAIL_RETRY_DELAYS); after the
last attempt it is logged as an error and recorded (leadit.jobs.models.UndeliveredMail, in the
admin) for the Secretariat to follow up."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)


def send_later(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    password_link_for: int | None = None,
) -> None:
    """Queue a plain-text mail rendered from `template` with `context` (JSON-able values only),
    to be sent by the worker once the current transaction commits.

    `password_link_for` (a user id) adds `uid` and `token` to the context, made by the worker
    when it sends: a link that sets that user's password is never stored in the queue."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    kwargs = {"to": recipients, "subject": subject, "template": template, "context": context}
    if password_link_for is not None:
        kwargs["password_link_for"] = password_link_for
    transaction.on_commit(lambda: deliver.enqueue(**kwargs))


def password_link_context(user_id: int) -> dict | None:
    """uid and token of Django's password reset machinery for that user, or None when the
    account is gone or deactivated (nothing to send then)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    return {
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


@task()
def deliver(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    password_link_for: int | None = None,
    attempt: int = 1,
) -> None:
    if password_link_for is not None:
        link = password_link_context(password_link_for)
        if link is None:
            logger.info("Not sent: %r, the account it was for is inactive or gone", subject)
            return
        context = {**context, **link}
    body = render_to_string(template, context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception as error:
        retry(error, to, subject, template, context, password_link_for, attempt)


def retry(error, to, subject, template, context, password_link_for, attempt) -> None:
    """Try again later, or, after the last attempt, report the mail as undelivered."""
    from leadit.jobs.models import UndeliveredMail

    recipients = ", ".join(to)
    if attempt < settings.MAIL_ATTEMPTS:
        delays = settings.MAIL_RETRY_DELAYS
        delay = delays[min(attempt, len(delays)) - 1]
        logger.warning(
            "Could not send the mail %r to %s (attempt %d of %d, next in %d s): %s",
            subject,
            recipients,
            attempt,
            settings.MAIL_ATTEMPTS,
            delay,
            error,
        )
        # The link is made again at the next attempt: keep it out of the queue.
        if password_link_for is not None:
            context = {k: v for k, v in context.items() if k not in ("uid", "token")}
        deliver.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
            to=to,
            subject=subject,
            template=template,
            context=context,
            password_link_for=password_link_for,
            attempt=attempt + 1,
        )
        return
    logger.error(
        "Gave up sending the mail %r to %s after %d attempts: %s",
        subject,
        recipients,
        attempt,
        error,
    )
    # The body is not kept: it may hold a link that sets a password.
    UndeliveredMail.objects.create(
        to=recipients,
        subject=subject[:200],
        template=template,
        attempts=attempt,
        error=f"{type(error).__name__}: {error}"[:2000],
    )
