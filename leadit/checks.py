"""`manage.py check --deploy` says so when production has not said where mail goes."""

from django.conf import settings
from django.core import checks


@checks.register("mail", deploy=True)
def mail_configured(app_configs, **kwargs):
    found = []
    if not getattr(settings, "EMAIL_CONFIGURED", True):
        found.append(
            checks.Warning(
                "No mail server is configured (DJANGO_EMAIL_URL or DJANGO_EMAIL_HOST): mail goes "
                "to SMTP on localhost:25.",
                hint="Without a mail server, invitations and password resets are not delivered; "
                "they are retried, then listed under Undelivered mail in the admin. "
                "See docs/deployment.md.",
                id="leadit.W001",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost>") or settings.DEFAULT_FROM_EMAIL.endswith(
        "@localhost"
    ):
        found.append(
            checks.Warning(
                f"Mail is sent from {settings.DEFAULT_FROM_EMAIL!r}.",
                hint="Set DJANGO_DEFAULT_FROM_EMAIL to an address of your domain, e.g. "
                "'LeadIT Tracker <tracker@example.org>'.",
                id="leadit.W002",
            )
        )
    return found
