"""The list's one Columns control in a browser: a tick shows the column at once (the list's own
htmx request, no reload) and puts it in the link, filtering keeps it, "Save as my default"
opens the list that way on another computer, "Reset to default" goes back to the list's own."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def columns_control(page):
    return page.locator("[data-column-control]")


def open_columns(page):
    """Open the control from the keyboard, as a keyboard user would."""
    summary = columns_control(page).locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    choices = page.get_by_role("group", name="Columns shown in the table")
    expect(choices).to_be_visible()
    return choices


def header(page, name):
    """A column's header, by its label (its unit aside)."""
    heading = re.compile(rf"^{re.escape(name)}\b")
    return page.locator("#results thead").get_by_role("columnheader", name=heading)


def test_choosing_a_column_shows_it_and_keeps_it_while_filtering(page, site):
    log_in(page, site)
    page.get_by_role("group", name="Sector").get_by_label("Iron and steel").check()
    expect(page).to_have_url(re.compile(r"sector=steel$"))  # no columns in the URL yet
    page.evaluate("window.notReloaded = true")
    choices = open_columns(page)
    choices.get_by_label("Region", exact=True).check()
    expect(header(page, "Region")).to_be_visible()
    expect(page).to_have_url(re.compile(r"columns=country_region"))
    expect(page).to_have_url(re.compile(r"sector=steel"))
    # The control stays open on the box just ticked; the page was not reloaded.
    expect(choices.get_by_label("Region", exact=True)).to_be_focused()
    expect(choices.get_by_label("Region", exact=True)).to_be_checked()
    assert page.evaluate("window.notReloaded") is True
    # Space on a box drops its column; the project's name cannot be dropped.
    choices.get_by_label("Sector", exact=True).focus()
    page.keyboard.press("Space")
    expect(header(page, "Sector")).to_have_count(0)
    expect(choices.get_by_label("Project")).to_be_disabled()
    expect(page.get_by_text("Not saved: the page's link keeps these columns.")).to_be_visible()
    # Escape closes it, back on its button.
    page.keyboard.press("Escape")
    expect(choices).to_be_hidden()
    expect(columns_control(page).locator("summary")).to_be_focused()
    # Filtering keeps the view's columns.
    page.get_by_role("group", name="Stage").get_by_label("Construction").check()
    expect(page).to_have_url(re.compile(r"stage=construction"))
    expect(page).to_have_url(re.compile(r"columns=country_region"))
    expect(header(page, "Region")).to_be_visible()
    expect(header(page, "Sector")).to_have_count(0)
    # The link opens the same view (to share or bookmark).
    page.goto(page.url)
    expect(header(page, "Region")).to_be_visible()
    expect(header(page, "Sector")).to_have_count(0)


def test_save_as_my_default_then_reset(page, site, fresh_page):
    log_in(page, site)
    expect(header(page, "Sector")).to_be_visible()
    page.get_by_role("group", name="Stage").get_by_label("Construction").check()
    expect(page).to_have_url(re.compile(r"stage=construction$"))
    choices = open_columns(page)
    choices.get_by_label("Region", exact=True).check()
    expect(header(page, "Region")).to_be_visible()
    choices.get_by_label("Abatement (t CO2e/yr)", exact=True).uncheck()
    expect(header(page, "Abatement")).to_have_count(0)
    page.get_by_role("button", name="Save as my default").click()
    # Back on the list, its filter kept, the link without columns: the list now opens so.
    expect(page).to_have_url(f"{site}/pipeline/?stage=construction")
    expect(header(page, "Region")).to_be_visible()
    expect(header(page, "Abatement")).to_have_count(0)

    # Another computer: a fresh browser, a fresh log-in, the list as saved.
    other = fresh_page()
    log_in(other, site)
    expect(header(other, "Region")).to_be_visible()
    expect(header(other, "Abatement")).to_have_count(0)
    expect(header(other, "Sector")).to_be_visible()
    open_columns(other)
    expect(other.get_by_text("Your saved columns.")).to_be_visible()

    # Reset to default: the list's own columns again, and on the next log-in anywhere (a
    # session opened before keeps its copy of the saved columns until then).
    other.get_by_role("button", name="Reset to default").click()
    expect(other).to_have_url(f"{site}/pipeline/")
    expect(header(other, "Abatement")).to_be_visible()
    expect(header(other, "Region")).to_have_count(0)
    open_columns(other)
    expect(other.get_by_text("The list's standard columns.")).to_be_visible()
    expect(other.get_by_role("button", name="Reset to default")).to_have_count(0)
    third = fresh_page()
    log_in(third, site)
    expect(header(third, "Abatement")).to_be_visible()
    expect(header(third, "Region")).to_have_count(0)
