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
