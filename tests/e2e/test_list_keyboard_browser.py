"""In a real browser, by keyboard: sorting or paging a list keeps the focus where the reader is,
on the same control in the new rows, as a good data table does, not back at the top of the page."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_sort_header_keeps_the_focus_through_the_new_rows(page, site):
    log_in(page, site)
    page.goto(f"{site}/organisations/")
    country = page.locator("th", has_text="Country")
    country.get_by_role("link").focus()
    page.keyboard.press("Enter")
    expect(country).to_have_attribute("aria-sort", "ascending")
    expect(page).to_have_url(re.compile(r"sort=country"))
    expect(country.get_by_role("link")).to_be_focused()  # the new rows' own header link
    page.keyboard.press("Enter")  # and again, to flip the order
    expect(country).to_have_attribute("aria-sort", "descending")
    expect(country.get_by_role("link")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # the keyboard goes on from there, not from the top
    assert page.evaluate("!!document.activeElement.closest('thead')")


def test_paging_keeps_the_focus_on_the_link_of_the_same_role(page, site):
    log_in(page, site)
    page.goto(f"{site}/organisations/?per_page=10")
    where = page.locator(".pagination__where")
    last = int(re.search(r"of (\d+)", where.inner_text()).group(1))
    assert last >= 3
    page.get_by_role("link", name="Next →").focus()
    page.keyboard.press("Enter")
    expect(where).to_have_text(f"Page 2 of {last}")
    expect(page.get_by_role("link", name="Next →")).to_be_focused()
    page.get_by_role("link", name="← Previous").focus()
    page.keyboard.press("Enter")
    expect(where).to_have_text(f"Page 1 of {last}")
    # Page 1 has no "Previous": the results themselves take the focus.
    expect(page.locator("#results")).to_be_focused()
    page.get_by_role("link", name="Next →").focus()
    for number in range(2, last + 1):
        page.keyboard.press("Enter")
        expect(where).to_have_text(f"Page {number} of {last}")
        if number < last:
            expect(page.get_by_role("link", name="Next →")).to_be_focused()
    # The last page has no "Next" either.
    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")  # one Tab back into the rows
    assert page.evaluate("!!document.activeElement.closest('#results')")


def test_the_sort_by_select_keeps_the_focus(page, site):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: "Sort by" replaces headers
    log_in(page, site)
    page.goto(f"{site}/organisations/")
    sort_by = page.get_by_label("Sort by")
    sort_by.focus()
    before = sort_by.input_value()
    page.keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"sort="))
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
    assert sort_by.input_value() != before
    expect(sort_by).to_be_focused()
