"""Mail settings from the environment (read by leadit.settings; kept apart so tests can parse any
environment without reloading the settings).

    DJANGO_EMAIL_URL=submission://user:password@smtp.example.org:587   (dj-email-url)

or the usual variables DJANGO_EMAIL_HOST, _PORT, _HOST_USER, _HOST_PASSWORD, _USE_TLS, _USE_SSL.
The URL wins when both are set. Without either, development prints mail on the console and
production sends through SMTP on localhost:25 (Django's default, a local relay), which
`check --deploy` warns about (leadit.checks).
"""

from collections.abc import Mapping

import dj_email_url
from django.core.exceptions import ImproperlyConfigured

CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
TRUE = {"1", "true", "yes", "on"}
VARIABLES = ("HOST", "PORT", "HOST_USER", "HOST_PASSWORD", "USE_TLS", "USE_SSL")


def mail_settings(environ: Mapping[str, str], *, debug: bool) -> dict:
    """The EMAIL_* (and sender) settings the environment asks for."""
    url = environ.get("DJANGO_EMAIL_URL", "").strip()
    if url:
        conf = from_url(url)
    elif any(environ.get(f"DJANGO_EMAIL_{name}", "").strip() for name in VARIABLES):
        conf = from_variables(environ)
    else:
        conf = {"EMAIL_BACKEND": CONSOLE if debug else SMTP}
    if conf.get("EMAIL_USE_TLS") and conf.get("EMAIL_USE_SSL"):
        raise ImproperlyConfigured("Mail: choose TLS (STARTTLS) or SSL, not both.")
    # Whether anyone said where mail goes (`check --deploy` warns when production did not).
    conf["EMAIL_CONFIGURED"] = "EMAIL_HOST" in conf or bool(url)
    # The senders: DJANGO_DEFAULT_FROM_EMAIL (the address mail comes from) and SERVER_EMAIL
    # (error mail); the variables win over the URL's _default_from_email / _server_email.
    sender = environ.get("DJANGO_DEFAULT_FROM_EMAIL", "").strip()
    if sender:
        conf["DEFAULT_FROM_EMAIL"] = sender
    server = environ.get("DJANGO_SERVER_EMAIL", "").strip()
    if server:
        conf["SERVER_EMAIL"] = server
    if "DEFAULT_FROM_EMAIL" not in conf:
        conf["DEFAULT_FROM_EMAIL"] = "LeadIT Tracker <tracker@localhost>"
    conf.setdefault("SERVER_EMAIL", conf["DEFAULT_FROM_EMAIL"])
    return conf


def from_url(url: str) -> dict:
    try:
        conf = dj_email_url.parse(url)
    except ValueError as error:  # a port that is not a number
        raise ImproperlyConfigured(f"DJANGO_EMAIL_URL cannot be read: {error}") from None
    if "EMAIL_BACKEND" not in conf:
        scheme = url.split(":", 1)[0]
        raise ImproperlyConfigured(
            f"DJANGO_EMAIL_URL: unknown scheme {scheme!r}; use smtp://, submission:// (STARTTLS, "
            "port 587), smtp://...?ssl=1 (port 465) or console://."
        )
    # dj-email-url leaves a port of None for schemes without a default; Django wants a number.
    if conf.get("EMAIL_PORT") is None:
        conf.pop("EMAIL_PORT", None)
    for key in ("EMAIL_HOST", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_TIMEOUT"):
        if conf.get(key) is None:
            conf.pop(key, None)
    if not conf.get("EMAIL_FILE_PATH"):
        conf.pop("EMAIL_FILE_PATH", None)
    return conf


def from_variables(environ: Mapping[str, str]) -> dict:
    def get(name: str) -> str:
        return environ.get(f"DJANGO_EMAIL_{name}", "").strip()

    port = get("PORT") or "25"
    if not port.isdigit():
        raise ImproperlyConfigured(f"DJANGO_EMAIL_PORT must be a number, not {port!r}.")
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": get("HOST") or "localhost",
        "EMAIL_PORT": int(port),
        "EMAIL_HOST_USER": get("HOST_USER"),
        "EMAIL_HOST_PASSWORD": environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": get("USE_TLS").lower() in TRUE,
        "EMAIL_USE_SSL": get("USE_SSL").lower() in TRUE,
    }
