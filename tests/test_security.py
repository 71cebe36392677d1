"""Production settings, the Content-Security-Policy, the health check and login throttling."""

import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from .factories import ProjectFactory

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "s" * 30 + "-Zx9!q" * 5,
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
    "IATI_REPORTING_ORG_REF": "SE-ON-0000000000",  # or check --deploy warns (partnerships.W001)
    # A mail server and an address of its own, or check --deploy warns (leadit.W001, W002).
    "DJANGO_EMAIL_URL": "submission://tracker:secret@smtp.example.org",
    "DJANGO_DEFAULT_FROM_EMAIL": "LeadIT Tracker <tracker@example.org>",
}


def manage(*args, **env):
    # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE: production never sets it.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**base, **env},
    )


def test_check_deploy_reports_no_issues_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_strict():
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_PROXY_SSL_HEADER, s.X_FRAME_OPTIONS, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = manage("shell", "-c", code, **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == (
        "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') DENY True"
    )


def test_admin_path_is_configurable():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    assert (
        manage("shell", "-c", code, DJANGO_ADMIN_PATH="backoffice")
        .stdout.strip()
        .endswith("/backoffice/")
    )


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_every_script_has_its_nonce(staff_client):
    ProjectFactory()
    for url in ("/", "/pipeline/", "/pipeline/new/", "/history/", "/admin/"):
        response = staff_client.get(url)
        policy = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        html = response.content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or f'nonce="{nonce}"' in tag, (url, tag)
        assert not re.search(
            r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html.split("</head>")[-1]
        ) or url.startswith("/admin"), url  # no inline script bodies in our pages


def test_templates_have_no_inline_styles_or_handlers():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert " style=" not in text, template
        assert not re.search(r"\son[a-z]+=\"", text), template


@pytest.mark.django_db
def test_healthz_answers_without_login_and_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("down"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures_and_can_be_unlocked(django_user_model):
    from axes.models import AccessAttempt

    django_user_model.objects.create_user("officer", password="the-right-password-42")
    client = Client()
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    fifth = client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert fifth.status_code == 429  # the fifth failure locks the account
    locked = client.post(
        "/accounts/login/", {"username": "officer", "password": "the-right-password-42"}
    )
    assert locked.status_code == 429 and b"Too many failed log-ins" in locked.content
    # Another username from the same address is not locked out.
    other = client.post("/accounts/login/", {"username": "someone", "password": "x"})
    assert other.status_code == 200
    # An administrator's unlock (deleting the attempts) lets the officer in again.
    AccessAttempt.objects.filter(username="officer").delete()
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": "the-right-password-42"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_weak_passwords_are_refused(django_user_model):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = django_user_model(username="officer")
    for weak in ("password", "12345678", "officer1", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)


@pytest.mark.django_db
def test_a_database_outage_is_a_clean_503_and_pages_return_when_it_is_back(staff_client):
    ProjectFactory(name="Green steel plant")
    staff_client.raise_request_exception = False  # as in production: the handler answers
    # As when PostgreSQL restarts: every new query fails until it is back.
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        for path in ("/", "/pipeline/", "/accounts/login/"):
            response = staff_client.get(path)
            assert response.status_code == 503, path
            assert response["Retry-After"] == "15"
            assert b"briefly unavailable" in response.content
            assert b"Traceback" not in response.content
    response = staff_client.get("/pipeline/")
    assert response.status_code == 200 and b"Green steel plant" in response.content


@pytest.mark.django_db
def test_the_driver_s_own_connection_errors_are_503s_too(staff_client):
    from django.db import connection

    staff_client.raise_request_exception = False
    # Raised outside Django's wrapper, e.g. closing a server-side cursor during a restart.
    lost = connection.Database.OperationalError("terminating connection due to administrator")
    with mock.patch("leadit.views.DashboardForm", side_effect=lost):
        response = staff_client.get("/")
    assert response.status_code == 503


@pytest.mark.django_db
def test_a_session_that_cannot_be_saved_during_an_outage_is_a_503(staff_client):
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.backends.db import SessionStore

    from leadit.sessions import SEEN_KEY

    staff_client.raise_request_exception = False
    session = staff_client.session
    session[SEEN_KEY] = 0  # the next page records activity: the session is saved
    session.save()

    def save_during_restart(self, must_create=False):
        # What Django's database sessions do when the UPDATE fails.
        try:
            raise OperationalError("the database system is shutting down")
        except OperationalError:
            raise UpdateError  # noqa: B904 (chained implicitly, as in Django)

    with mock.patch.object(SessionStore, "save", save_during_restart):
        response = staff_client.get("/pipeline/")
    assert response.status_code == 503 and response["Retry-After"] == "15"


@pytest.mark.django_db
def test_other_errors_get_the_tracker_s_500_page(staff_client):
    with mock.patch("leadit.views.DashboardForm", side_effect=ValueError("bug")):
        staff_client.raise_request_exception = False
        response = staff_client.get("/")
    assert response.status_code == 500 and b"Something went wrong" in response.content


@pytest.mark.django_db
def test_not_found_and_forbidden_pages_explain_themselves(staff_client, viewer_client):
    response = staff_client.get("/pipeline/999999/")
    assert response.status_code == 404 and b"There is no page at this address" in response.content
    response = viewer_client.get("/pipeline/new/")
    assert response.status_code == 403 and b"You may not add projects" in response.content


@pytest.mark.django_db
def test_a_session_ends_after_inactivity_and_is_kept_alive_by_use(staff_client, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from leadit.sessions import SEEN_KEY

    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    key = staff_client.session.session_key
    # Activity a while after the last recorded one pushes the expiry out again.
    session = staff_client.session
    session[SEEN_KEY] -= 600
    session.save()
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() + timezone.timedelta(minutes=5)
    )
    assert staff_client.get("/pipeline/").status_code == 200
    expiry = Session.objects.get(pk=key).expire_date
    assert expiry > timezone.now() + timezone.timedelta(minutes=119)
    # Two idle hours later the session is gone: the next page asks for a login.
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    response = staff_client.get("/pipeline/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_pages_right_after_login_do_not_write_the_session(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff_client.get("/pipeline/")
    with CaptureQueriesContext(connection) as queries:
        staff_client.get("/pipeline/")
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


@pytest.mark.django_db
def test_logout_is_post_only(staff_client):
    assert staff_client.get("/accounts/logout/").status_code == 405
    assert staff_client.get("/pipeline/").status_code == 200  # still logged in
    assert staff_client.post("/accounts/logout/").status_code == 302
    assert staff_client.get("/pipeline/").status_code == 302  # to the login page


def test_a_shared_cache_is_used_for_cache_sessions_and_import_files_when_configured():
    show = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, "
        "getattr(s, 'IMPORT_EXPORT_TMP_STORAGE_CLASS', 'temp folder'))"
    )
    shared = manage("shell", "-c", show, DJANGO_CACHE_URL="redis://cache.internal:6379/0")
    assert shared.stdout.splitlines()[-1].split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "import_export.tmp_storages.CacheStorage",
    ], shared.stderr
    alone = manage("shell", "-c", show, DJANGO_CACHE_URL="")
    assert alone.stdout.splitlines()[-1].split()[:2] == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ], alone.stderr
