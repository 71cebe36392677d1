"""Mail the tracker sends (proposals, decisions, invitations), always from the background
worker after the write has committed: a mail server that is down never makes a page fail."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def send_later(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Queue a plain-text mail rendered from `template` with `context` (JSON-able values only),
    to be sent by the worker once the current transaction commits."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    transaction.on_commit(
        lambda: deliver.enqueue(to=recipients, subject=subject, template=template, context=context)
    )


@task()
def deliver(*, to: list[str], subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:
        logger.exception("Could not send the mail %r to %s", subject, ", ".join(to))
        raise
