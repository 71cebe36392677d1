import os
import re
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from leadit.roles import SECRETARIAT
from tests.conftest import ensure_roles

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Browser tests need Chromium at {CHROMIUM}; .ci/run installs it.")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # `playwright install` cannot download here: drive Debian's Chromium instead.
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


PASSWORD = "a-browser-test-password"


@pytest.fixture
def site(live_server, django_user_model):
    call_command("loaddata", "leadit", verbosity=0)
    user = django_user_model.objects.create_user("officer", password=PASSWORD, is_staff=True)
    ensure_roles()
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    # One focal point, so that the Secretariat's list of them has a row to lay out.
    from members.models import FocalPoint, Organisation

    frida = django_user_model.objects.create_user(
        "frida.focal@salzgitter-ag.example", email="frida.focal@salzgitter-ag.example"
    )
    FocalPoint.objects.create(user=frida).organisations.set(
        Organisation.objects.filter(name="Salzgitter AG")
    )
    return live_server.url


def log_in(page, site):
    page.goto(f"{site}/pipeline/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{site}/pipeline/")


@pytest.fixture
def fresh_page(browser):
    """fresh_page() -> a page in a browser context of its own (one person's session). Every
    context is closed after the test: an open one keeps the live server's threads, and their
    database sessions, alive, and PostgreSQL then refuses to drop the test database."""
    contexts = []

    def make():
        context = browser.new_context()
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
