"""In a real browser: a list's screen, URL, inputs and export always agree, however fast the user
types and clicks; selects do not ask the server once per highlighted option."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def settle(page):
    """Wait until no list request is pending or in flight (delayed triggers included)."""
    page.wait_for_timeout(700)
    page.wait_for_function("!document.querySelector('.htmx-request')")


def shown_count(page) -> str:
    return page.locator(".results__count strong").inner_text()


def server_count(page, url) -> str:
    """The count the server gives for `url`, asked in a page of its own (same session)."""
    html = page.request.get(url).text()
    return re.search(r'class="results__count"><strong>([\d,]+)</strong>', html).group(1)


def query(page) -> dict:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_filter_typed_then_sort_clicked_at_once_agree(page, site):
    log_in(page, site)
    gap = page.locator("#filters input[name=gap_min]")
    header = page.locator("th", has_text="Gap").get_by_role("link")
    for value in ["1", "50", "5", "300", "20", "0", "1000", "75", "2", "150"]:
        gap.fill(value)
        header.click()  # within a few ms of the typing: the filter is still pending
        settle(page)
        params = query(page)
        assert params.get("gap_min") == value, page.url  # the filter is in the URL …
        assert params.get("sort", "").lstrip("-") == "financing_gap_musd", page.url  # … the sort
        assert gap.input_value() == value  # the input says what the URL says
        aria = page.locator("th", has_text="Gap").get_attribute("aria-sort")
        assert aria in ("ascending", "descending")  # the table is sorted by it
        assert shown_count(page) == server_count(page, page.url)  # and shows the URL's rows
        export = page.get_by_role("link", name="CSV").get_attribute("href")
        assert f"gap_min={value}" in export and "sort=" in export  # export follows the state


def test_paging_carries_the_pending_filter_and_a_filter_change_resets_the_page(page, site):
    log_in(page, site)
    page.goto(f"{site}/pipeline/?per_page=5")
    page.get_by_role("link", name="Next →").click()
    settle(page)
    assert query(page).get("page") == "2"
    page.locator("#filters input[name=capex_min]").fill("1")
    page.get_by_role("link", name="Next →").click()  # pending filter, then page 3 of it?
    settle(page)
    params = query(page)
    assert params.get("capex_min") == "1" and params.get("per_page") == "5"
    assert shown_count(page) == server_count(page, page.url)
    page.locator("#filters input[name=capex_min]").fill("2")
    settle(page)
    assert "page" not in query(page)  # a new filter starts from the first page
    assert page.locator(".pagination__where").inner_text().startswith("Page 1 ")


@pytest.mark.parametrize(
    "path", ["/members/", "/engagements/", "/partnerships/", "/assistance/", "/forum/"]
)
def test_every_list_keeps_search_and_sort_together(page, site, path):
    log_in(page, site)
    page.goto(f"{site}{path}")
    search = page.locator("#filters input[name=q]")
    header = page.locator("thead th a").first
    search.fill("a")
    header.click()
    settle(page)
    params = query(page)
    assert params.get("q") == "a" and params.get("sort"), page.url
    assert search.input_value() == "a"
    assert shown_count(page) == server_count(page, page.url)


def test_arrow_keys_through_a_select_ask_once(page, site):
    log_in(page, site)
    requests = []
    page.on(
        "request",
        lambda r: requests.append(r.url) if r.headers.get("hx-request") == "true" else None,
    )
    region = page.locator("#filters select[name=region]")
    region.focus()
    for _ in range(4):
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(60)
    settle(page)
    chosen = region.input_value()
    assert chosen  # the keys moved the selection …
    assert len(requests) == 1, requests  # … and only the option stopped on was asked for
    assert query(page).get("region") == chosen
    assert shown_count(page) == server_count(page, page.url)


def test_skip_to_results_takes_the_keyboard_past_the_filters(page, site):
    log_in(page, site)
    page.locator(".filters__toggle > summary").focus()
    page.keyboard.press("Shift+Tab")  # the link sits just before the filters
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to results"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate("!!document.activeElement.closest('#results')")
    assert inside  # one Tab from the rows, not 36


def test_back_and_forward_through_filters_raise_no_error(page, site):
    log_in(page, site)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    total = shown_count(page)
    page.get_by_role("group", name="Sector").get_by_label("Iron and steel").check()
    expect(page).to_have_url(re.compile(r"sector=steel"))
    settle(page)
    filtered = shown_count(page)
    assert filtered != total
    page.go_back()
    expect(page).to_have_url(f"{site}/pipeline/")
    expect(page.locator(".results__count strong")).to_have_text(total)
    page.go_forward()
    expect(page).to_have_url(re.compile(r"sector=steel"))
    expect(page.locator(".results__count strong")).to_have_text(filtered)
    settle(page)
    assert not errors, errors
