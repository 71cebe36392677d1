"""In a real browser: the Secretariat invites a focal point, the invitation's link (read from
the outbox: the live server runs in this process) sets a password, and the focal point logs in
to the dashboard."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from members.models import FocalPoint, Organisation
from tests.background import run_queued_tasks

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fiona's-own-password-2026"


def test_the_secretariat_invites_a_focal_point_who_sets_a_password_and_logs_in(page, browser, site):
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m))
    company = Organisation.objects.filter(membership__isnull=False).order_by("name").first()
    log_in(page, site)
    page.get_by_role("link", name="Focal points").click()
    expect(page).to_have_url(f"{site}/focal-points/")
    page.get_by_role("link", name="Invite a focal point").click()
    page.fill("#form input[name=name]", "Fiona <b>Ferreira</b>")
    page.fill("#form input[name=email]", "fiona@acme.example")
    page.fill("#form input[name=organisations__search]", company.name[:12])
    option = page.locator("#form select[name=organisations] option", has_text=company.name)
    expect(option).to_have_count(1)
    page.select_option("#form select[name=organisations]", label=company.name)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page).to_have_url(f"{site}/focal-points/")
    expect(page.locator(".messages")).to_contain_text("Invitation sent to Fiona <b>Ferreira</b>")
    expect(page.locator("table")).to_contain_text("Invited, no password yet")

    run_queued_tasks()  # the worker sends the mail
    [message] = mail.outbox
    assert message.to == ["fiona@acme.example"]
    link = re.search(r"http://\S+/accounts/welcome/\S+", message.body).group()
    assert link.startswith(site)

    # The invitee, in a browser of their own (closed at the end: its open connections would
    # keep the live server's threads, and their database sessions, alive).
    context = browser.new_context()
    try:
        invitee_steps(context.new_page(), link, site)
    finally:
        context.close()
    page.reload()
    expect(page.locator("table")).to_contain_text("Password set")
    assert violations == []


def invitee_steps(invitee, link, site):
    """The invitee follows the link, sets a password (the validators refuse a short one),
    logs in, and finds that the link worked once."""
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name="Welcome to LeadIT Tracker")).to_be_visible()
    invitee.fill("input[name=new_password1]", "short")
    invitee.fill("input[name=new_password2]", "short")
    invitee.get_by_role("button", name="Set my password").click()
    expect(invitee.locator(".field--error")).to_contain_text("too short")
    invitee.fill("input[name=new_password1]", PASSWORD)
    invitee.fill("input[name=new_password2]", PASSWORD)
    invitee.get_by_role("button", name="Set my password").click()
    expect(invitee).to_have_url(f"{site}/accounts/login/")
    expect(invitee.locator(".messages")).to_contain_text("Your password is set")
    invitee.fill("input[name=username]", "fiona@acme.example")
    invitee.fill("input[name=password]", PASSWORD)
    invitee.click("button[type=submit]")
    expect(invitee).to_have_url(f"{site}/")
    expect(invitee.locator(".user-menu__name")).to_have_text("Fiona <b>Ferreira</b>")
    assert FocalPoint.objects.get(user__email="fiona@acme.example").user.last_login is not None

    # The link worked once.
    invitee.goto(link)
    expect(invitee.get_by_role("alert")).to_contain_text("This link no longer works")
