"""Mail: settings from the environment, delivery by the worker, retries and the report of a
mail that could not be sent."""

import datetime
import logging
import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadit.email_settings import CONSOLE, SMTP, mail_settings
from leadit.jobs.models import UndeliveredMail
from leadit.mail import deliver, send_later

from .background import committed, queued, run_queued_tasks

ROOT = Path(__file__).resolve().parent.parent


# --- Settings ---------------------------------------------------------------------------------


def test_development_without_configuration_prints_mail_on_the_console():
    conf = mail_settings({}, debug=True)
    assert conf["EMAIL_BACKEND"] == CONSOLE
    assert conf["EMAIL_CONFIGURED"] is False


def test_production_without_configuration_uses_a_local_relay_and_says_it_is_unconfigured():
    conf = mail_settings({}, debug=False)
    assert conf["EMAIL_BACKEND"] == SMTP
    assert conf["EMAIL_CONFIGURED"] is False


def test_the_url_gives_server_credentials_and_starttls():
    conf = mail_settings(
        {"DJANGO_EMAIL_URL": "submission://tracker%40leadit.org:p%2Fss@smtp.example.org"},
        debug=False,
    )
    assert conf["EMAIL_BACKEND"] == SMTP
    assert conf["EMAIL_HOST"] == "smtp.example.org"
    assert conf["EMAIL_PORT"] == 587
    assert conf["EMAIL_HOST_USER"] == "tracker@leadit.org"
    assert conf["EMAIL_HOST_PASSWORD"] == "p/ss"
    assert conf["EMAIL_USE_TLS"] is True and conf["EMAIL_USE_SSL"] is False
    assert conf["EMAIL_CONFIGURED"] is True


def test_the_url_with_ssl_and_senders():
    conf = mail_settings(
        {
            "DJANGO_EMAIL_URL": "smtp://u:p@mail.example.org:465?ssl=1&timeout=10"
            "&_default_from_email=tracker%40example.org"
        },
        debug=False,
    )
    assert (conf["EMAIL_PORT"], conf["EMAIL_USE_SSL"], conf["EMAIL_TIMEOUT"]) == (465, True, 10)
    assert conf["DEFAULT_FROM_EMAIL"] == "tracker@example.org"
    assert conf["SERVER_EMAIL"] == "tracker@example.org"


def test_the_url_can_ask_for_the_console_even_in_production():
    assert mail_settings({"DJANGO_EMAIL_URL": "console://"}, debug=False)["EMAIL_BACKEND"] == (
        CONSOLE
    )


def test_the_variables_configure_smtp():
    conf = mail_settings(
        {
            "DJANGO_EMAIL_HOST": "smtp.example.org",
            "DJANGO_EMAIL_PORT": "2525",
            "DJANGO_EMAIL_HOST_USER": "tracker",
            "DJANGO_EMAIL_HOST_PASSWORD": " secret with spaces ",
            "DJANGO_EMAIL_USE_TLS": "yes",
            "DJANGO_DEFAULT_FROM_EMAIL": "LeadIT Tracker <tracker@example.org>",
            "DJANGO_SERVER_EMAIL": "errors@example.org",
        },
        debug=True,
    )
    assert conf["EMAIL_BACKEND"] == SMTP  # configured: not the console, even in development
    assert (conf["EMAIL_HOST"], conf["EMAIL_PORT"]) == ("smtp.example.org", 2525)
    assert conf["EMAIL_HOST_USER"] == "tracker"
    assert conf["EMAIL_HOST_PASSWORD"] == " secret with spaces "  # a password is kept as is
    assert conf["EMAIL_USE_TLS"] is True and conf["EMAIL_USE_SSL"] is False
    assert conf["DEFAULT_FROM_EMAIL"] == "LeadIT Tracker <tracker@example.org>"
    assert conf["SERVER_EMAIL"] == "errors@example.org"


def test_the_url_wins_over_the_variables():
    conf = mail_settings(
        {"DJANGO_EMAIL_URL": "smtp://url.example.org:25", "DJANGO_EMAIL_HOST": "var.example.org"},
        debug=False,
    )
    assert conf["EMAIL_HOST"] == "url.example.org"


BOTH = ("DJANGO_EMAIL_USE_TLS", "DJANGO_EMAIL_USE_SSL")


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"DJANGO_EMAIL_URL": "smpt://mail.example.org"}, "unknown scheme 'smpt'"),
        ({"DJANGO_EMAIL_URL": "smtp://mail.example.org:port"}, "cannot be read"),
        ({"DJANGO_EMAIL_HOST": "mail.example.org", "DJANGO_EMAIL_PORT": "x"}, "must be a number"),
        ({"DJANGO_EMAIL_HOST": "m", **dict.fromkeys(BOTH, "1")}, "not both"),
    ],
)
def test_a_mistaken_configuration_refuses_to_start(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        mail_settings(environ, debug=False)


def run_django(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_EMAIL")}
    clean.update(DJANGO_SETTINGS_MODULE="leadit.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=clean,
    )


def test_development_settings_print_mail_on_the_console():
    result = run_django(
        "from django.conf import settings; print(settings.EMAIL_BACKEND)", DJANGO_DEBUG="1"
    )
    assert result.stdout.splitlines()[-1] == CONSOLE, result.stderr


def test_the_settings_read_the_url_from_the_environment():
    result = run_django(
        "from django.conf import settings as s; print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)",
        DJANGO_DEBUG="1",
        DJANGO_EMAIL_URL="submission://u:p@smtp.example.org",
    )
    assert result.stdout.splitlines()[-1] == "smtp.example.org 587 True", result.stderr


def test_deploy_check_warns_when_production_has_no_mail_server():
    env = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "a.b"}
    unconfigured = run_django(
        "from django.core.management import call_command; call_command('check', deploy=True)",
        **env,
    )
    assert "leadit.W001" in unconfigured.stderr and "leadit.W002" in unconfigured.stderr
    configured = run_django(
        "from django.core.management import call_command; call_command('check', deploy=True)",
        DJANGO_EMAIL_URL="submission://u:p@smtp.example.org",
        DJANGO_DEFAULT_FROM_EMAIL="tracker@example.org",
        **env,
    )
    assert "leadit.W00" not in configured.stderr, configured.stderr


def test_tests_keep_mail_in_the_outbox(settings):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


# --- Delivery ---------------------------------------------------------------------------------


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "mail.example.org is not answering")


class FlakyBackend(LocmemBackend):
    """Down for the first attempt only."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures < 1:
            FlakyBackend.failures += 1
            raise smtplib.SMTPServerDisconnected("connection dropped")
        return super().send_messages(messages)


def queue_a_mail():
    with committed():
        send_later(
            to=["focal@example.org", ""],
            subject="A proposal was accepted",
            template="accounts/mail/test_notice.txt",
            context={"name": "<b>Ana</b>"},
        )


@pytest.fixture
def notice_template(tmp_path, settings):
    folder = tmp_path / "accounts" / "mail"
    folder.mkdir(parents=True)
    (folder / "test_notice.txt").write_text("Dear {{ name }}, it is done.\n")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


def time_passes():
    """The delay before the next attempt is over."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


@pytest.mark.django_db
def test_mail_is_sent_by_the_worker_after_the_commit(notice_template):
    queue_a_mail()
    assert mail.outbox == []  # nothing in the request
    assert queued(deliver) == 1
    run_queued_tasks()
    [message] = mail.outbox
    assert message.to == ["focal@example.org"]
    assert message.subject == "A proposal was accepted"
    assert "Dear &lt;b&gt;Ana&lt;/b&gt;, it is done." in message.body  # escaped as on pages


@pytest.mark.django_db
def test_no_recipient_no_mail(notice_template):
    with committed():
        send_later(to=[""], subject="x", template="accounts/mail/test_notice.txt", context={})
    assert queued(deliver) == 0


@pytest.mark.django_db
def test_a_failed_mail_is_tried_again_later(notice_template, settings, caplog):
    settings.EMAIL_BACKEND = "tests.test_mail.FlakyBackend"
    FlakyBackend.failures = 0
    queue_a_mail()
    with caplog.at_level(logging.WARNING, logger="leadit.mail"):
        run_queued_tasks()
    assert mail.outbox == []
    assert "attempt 1 of 4, next in 60 s" in caplog.text
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=50)
    assert run_queued_tasks() == 0  # not before its time
    time_passes()
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["focal@example.org"]]
    assert not UndeliveredMail.objects.exists()


@pytest.mark.django_db
def test_a_mail_that_cannot_be_sent_is_reported_after_the_last_attempt(
    notice_template, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.test_mail.FailingBackend"
    queue_a_mail()
    with caplog.at_level(logging.WARNING, logger="leadit.mail"):
        for _ in range(settings.MAIL_ATTEMPTS):
            run_queued_tasks()
            time_passes()
    assert queued(deliver) == 0  # no fifth attempt
    [report] = UndeliveredMail.objects.all()
    assert report.to == "focal@example.org"
    assert report.subject == "A proposal was accepted"
    assert report.attempts == 4
    assert "SMTPConnectError" in report.error and "not answering" in report.error
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "after 4 attempts" in errors[0].getMessage()
    # Every attempt's task ended without an error of its own: the worker is not the report.
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


@pytest.mark.django_db
def test_the_secretariat_sees_undelivered_mail_in_the_admin(staff_client, secretariat_user):
    secretariat_user.is_staff = True
    secretariat_user.save()
    UndeliveredMail.objects.create(
        to="focal@example.org", subject="Your account", template="t", attempts=4, error="Down"
    )
    response = staff_client.get("/admin/jobs/undeliveredmail/")
    assert response.status_code == 200
    assert "focal@example.org" in response.content.decode()
    assert staff_client.get("/admin/jobs/undeliveredmail/add/").status_code == 403


@pytest.mark.django_db
def test_a_viewer_does_not_see_undelivered_mail(viewer_user):
    assert not viewer_user.has_perm("jobs.view_undeliveredmail")
