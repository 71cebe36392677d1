"""How the pages feel in a browser: the back button, the search shortcut, errors from the
server, and the same work done without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_back_button_restores_the_previous_filters(page, site):
    log_in(page, site)
    sector = page.get_by_role("group", name="Sector").get_by_label("Iron and steel")
    stage = page.get_by_role("group", name="Stage").get_by_label("Construction")
    sector.check()
    expect(page).to_have_url(re.compile(r"sector=steel"))
    stage.check()
    expect(page).to_have_url(re.compile(r"stage=construction"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"sector=steel$"))
    expect(page.get_by_role("group", name="Stage").get_by_label("Construction")).not_to_be_checked()
    expect(page.get_by_role("group", name="Sector").get_by_label("Iron and steel")).to_be_checked()
    page.go_back()
    expect(page).to_have_url(f"{site}/pipeline/")
    expect(
        page.get_by_role("group", name="Sector").get_by_label("Iron and steel")
    ).not_to_be_checked()


def test_slash_focuses_the_search_box(page, site):
    log_in(page, site)
    page.locator("body").press("/")
    # The list's search, not the type-to-search boxes of the Sponsor and Partnership filters.
    expect(page.get_by_role("searchbox", name="Search", exact=True)).to_be_focused()


def test_a_server_error_during_filtering_is_told_and_can_be_dismissed(page, site):
    log_in(page, site)
    page.route(
        re.compile(r".*/pipeline/\?.*stage=fid.*"),
        lambda route: (
            route.fulfill(status=503, body="unavailable")
            if route.request.headers.get("hx-request")
            else route.continue_()
        ),
    )
    page.get_by_role("group", name="Stage").get_by_label("FID").check()
    alert = page.get_by_role("alert").filter(has_text="briefly unavailable")
    expect(alert).to_be_visible()
    alert.get_by_role("button", name="Dismiss message").click()
    expect(alert).to_have_count(0)


def test_filtering_and_editing_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{site}/pipeline/")
    page.get_by_role("group", name="Sector").get_by_label("Iron and steel").check()
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"sector=steel"))
    expect(page.locator("#results")).to_contain_text("Stegra Boden")
    expect(page.locator("#results")).not_to_contain_text("Brevik CCS")
    # Open a project's edit form, change a field, save: a plain form post and redirect.
    page.locator("#results").get_by_role("link", name=re.compile("Stegra Boden")).first.click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Description", exact=True).fill("Call the lenders (no JavaScript)")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_text("Call the lenders (no JavaScript)")).to_be_visible()
    context.close()


def test_record_pages_print_without_navigation_or_controls(page, site):
    log_in(page, site)
    page.goto(f"{site}/pipeline/")
    page.locator("#results tbody a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Edit")).to_be_hidden()
    expect(page.locator(".stage-form")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Record")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    pdf = page.pdf()  # Chromium lays it out on paper without error
    assert pdf.startswith(b"%PDF")
