"""In a real browser: log in, filter the pipeline in place, reload, export, move a stage."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def count(page) -> str:
    return page.locator(".results__count strong").inner_text()


def test_filter_in_place_reload_and_export(page, site):
    log_in(page, site)
    total = count(page)
    # Mark the document: a full page load would lose this.
    page.evaluate("window.__noReload = true")

    page.get_by_role("group", name="Sector").get_by_label("Iron and steel").check()
    expect(page).to_have_url(re.compile(r"sector=steel"))
    page.get_by_role("group", name="Stage").get_by_label("Construction").check()
    expect(page).to_have_url(re.compile(r"stage=construction"))
    expect(page.locator("#results")).to_contain_text("Stegra Boden")
    expect(page.locator("#results")).not_to_contain_text("Brevik CCS")
    filtered = count(page)
    assert filtered != total
    assert page.evaluate("window.__noReload") is True  # rows changed without a page load

    page.reload()
    expect(page.get_by_role("group", name="Sector").get_by_label("Iron and steel")).to_be_checked()
    assert count(page) == filtered
    expect(page.locator("#results")).to_contain_text("Stegra Boden")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    lines = Path(download.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(lines) - 1 == int(filtered)
    assert "Stegra Boden integrated green steel plant" in lines[1] or any(
        "Stegra Boden" in line for line in lines
    )


def test_bad_filter_shows_the_error_next_to_the_field(page, site):
    log_in(page, site)
    # A hand-edited URL: the full page answers with the error by the field.
    page.goto(f"{site}/pipeline/?year_min=twenty")
    expect(page.locator("#results")).to_contain_text("Some filters are not valid")
    expect(page.locator(".field--error")).to_contain_text("Enter a whole number")
    # And an htmx request for the results region gets the 422 swapped in, not dropped.
    page.goto(f"{site}/pipeline/")
    page.evaluate(
        "htmx.ajax('GET', '/pipeline/?capex_min=lots', {target: '#results', swap: 'outerHTML'})"
    )
    expect(page.locator("#results")).to_contain_text("Some filters are not valid")


def test_secretariat_moves_a_project_to_another_stage(page, site):
    log_in(page, site)
    page.get_by_role("link", name="Green iron hub, Pecém").click()
    expect(page.locator("#stage h2")).to_contain_text("Pre-feasibility")
    page.evaluate("window.__noReload = true")
    page.select_option("select[name=to_stage]", "feasibility")
    page.fill("textarea[name=note]", "Feasibility study contracted")
    page.get_by_role("button", name="Record stage change").click()
    expect(page.locator("#stage h2")).to_contain_text("Feasibility")
    expect(page.locator("#stage")).to_contain_text("Feasibility study contracted")
    expect(page.locator("#messages")).to_contain_text("Moved to Feasibility")
    assert page.evaluate("window.__noReload") is True


def test_a_sponsor_is_found_by_typing_part_of_its_name(page, site):
    """The Sponsor filter holds only the first few organisations: typing asks the server for
    the matches. The typed text only finds options; the list changes when one is picked."""
    log_in(page, site)
    total = count(page)
    page.evaluate("window.__noReload = true")
    lists = []
    page.on("request", lambda r: lists.append(r.url) if "/pipeline/" in r.url else None)

    page.get_by_role("searchbox", name="Search sponsors").press_sequentially("salzg")
    sponsor = page.get_by_role("combobox", name="Sponsor", exact=True)
    # Picking nothing reads as the filter's own "Any", as before the search.
    expect(sponsor.locator("option")).to_have_text(["Any", "Salzgitter AG"])
    page.wait_for_load_state("networkidle")  # the filters' own delay (400 ms) has passed
    assert not lists, lists  # typing asked for no rows, and put nothing in the URL
    expect(page).to_have_url(f"{site}/pipeline/")

    sponsor.select_option(label="Salzgitter AG")
    expect(page).to_have_url(re.compile(r"/pipeline/\?sponsor=\d+$"))
    expect(page.get_by_role("link", name="Remove filter Sponsor: Salzgitter AG")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("SALCOS phase 1, Salzgitter")
    expect(page.locator("#results")).not_to_contain_text("Stegra Boden")
    assert count(page) == "2" != total
    assert page.evaluate("window.__noReload") is True


def test_enter_in_a_sponsor_search_picks_the_match(page, site):
    """As in a combobox: Enter picks the first match of what was typed, and that applies the
    filter; Enter with no match does nothing, and asks for no rows."""
    log_in(page, site)
    page.evaluate("window.__noReload = true")
    lists = []
    page.on("request", lambda r: lists.append(r.url) if "/pipeline/" in r.url else None)
    search = page.get_by_role("searchbox", name="Search sponsors")
    sponsor = page.get_by_role("combobox", name="Sponsor", exact=True)

    search.press_sequentially("zzqx")
    expect(sponsor.locator("option")).to_have_text(["Any", "No match"])
    search.press("Enter")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # past the filters' own delays
    assert not lists, lists  # nothing picked, no rows asked for
    expect(page).to_have_url(f"{site}/pipeline/")
    expect(search).to_be_focused()

    search.fill("")
    search.press_sequentially("salz")
    expect(sponsor.locator("option")).to_have_text(["Any", "Salzgitter AG"])
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/pipeline/\?sponsor=\d+$"))
    expect(page.get_by_role("link", name="Remove filter Sponsor: Salzgitter AG")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("SALCOS phase 1, Salzgitter")
    expect(page.locator(".results__count strong")).to_have_text("2")
    expect(sponsor.locator("option:checked")).to_have_text("Salzgitter AG")
    expect(search).to_be_focused()

    # Another search, Enter at once (its options not yet come): the first match, not the
    # sponsor already chosen, once they have come.
    search.fill("")
    search.press_sequentially("thyssen")
    search.press("Enter")
    expect(page.get_by_role("link", name="Remove filter Sponsor: thyssenkrupp")).to_be_visible()
    expect(sponsor.locator("option:checked")).to_have_text("thyssenkrupp")
    assert page.evaluate("window.__noReload") is True
