"""Pages that read well at any size (issue 19), at 1280 px and 375 px, on the demo data and on
20,000 generated projects: nothing runs out of its card or the screen, every column header of
the pipeline shows at 1280 px, and on a phone the pipeline reads as cards that each show the
stage and the gap. With LEADIT_SCREENSHOTS=<folder> it saves the dashboard, pipeline and project
page at both widths (<name>-<width>.png; <name>-20k-<width>.png on the large data)."""

import io
import os
import re
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from partnerships.models import Project

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTHS = {"desktop": 1280, "phone": 375}
SHOTS = os.environ.get("LEADIT_SCREENSHOTS")

# The boxes a reader sees as cards; nothing inside one may reach past its edges.
CARDS = (
    ".pillar, .key-figures > div, .panel, .chart, .results, .filters, .totals > div, "
    ".record, .card, .data-table tbody tr, .filters__toggle"
)

OVERFLOWS = """(cards) => {
    const found = [];
    const inside = (box, outer) => box.left >= outer.left - 1 && box.right <= outer.right + 1;
    const visible = (el) => {
        const box = el.getBoundingClientRect();
        return box.width > 1 && box.height > 1
            && el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true});
    };
    const name = (el) => el.tagName.toLowerCase() + [...el.classList].map(c => "." + c).join("")
        + (el.textContent ? ` "${el.textContent.trim().slice(0, 40)}"` : "");
    for (const el of document.querySelectorAll("body *")) {
        if (!visible(el)) continue;
        // A table in a region that scrolls (a record page's) may scroll; the region must fit.
        const region = el.parentElement && el.parentElement.closest(".table-scroll");
        if (region && getComputedStyle(region).overflowX !== "visible") continue;
        const box = el.getBoundingClientRect();
        // (A skip link waits wholly off-screen on the left until focused: not an overflow.)
        if (box.right > window.innerWidth + 1 || (box.left < -1 && box.right > 0)) {
            found.push(`${name(el)} runs out of the screen (${Math.round(box.right)}px)`);
            continue;
        }
        const card = el.parentElement && el.parentElement.closest(cards);
        if (card && !inside(box, card.getBoundingClientRect())) {
            found.push(`${name(el)} runs out of its card ${name(card).split(" ")[0]}`);
        }
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
        found.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px)`);
    }
    return found.slice(0, 8);
}"""


def look_at(page, site, path: str, name: str, width_name: str, suffix: str) -> list[str]:
    page.goto(f"{site}{path}", wait_until="networkidle")
    problems = [f"{name} [{width_name}{suffix}]: {p}" for p in page.evaluate(OVERFLOWS, CARDS)]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}{suffix}-{width_name}.png", full_page=True)
    return problems


def pipeline_reads_at(page, width_name: str) -> list[str]:
    if width_name == "desktop":
        # Every column header in view without scrolling the table.
        hidden = page.evaluate(
            """() => {
                const scroller = document.querySelector("#results .table-scroll");
                const edge = Math.min(scroller.getBoundingClientRect().right, window.innerWidth);
                const cut = [...scroller.querySelectorAll("thead th")]
                    .filter(th => th.getBoundingClientRect().right > edge + 1)
                    .map(th => th.textContent.trim());
                if (scroller.scrollWidth > scroller.clientWidth + 1) cut.push("(table scrolls)");
                return cut;
            }"""
        )
        return [f"pipeline [desktop]: column header cut off: {h}" for h in hidden]
    # A phone: every row a card with its stage and its gap in view.
    rows = page.locator("#results .data-table tbody tr")
    count = rows.count()
    problems = [] if count else ["pipeline [phone]: no rows"]
    for i in range(count):
        row = rows.nth(i)
        if not row.locator(".badge").is_visible():
            problems.append(f"pipeline [phone]: row {i + 1} shows no stage")
        gap = row.locator('td[data-label^="Gap"]')
        if not gap.is_visible() or not gap.inner_text().strip():
            problems.append(f"pipeline [phone]: row {i + 1} shows no gap")
    if page.evaluate(
        "() => { const s = document.querySelector('#results .table-scroll');"
        " return s.scrollWidth > s.clientWidth + 1; }"
    ):
        problems.append("pipeline [phone]: the list scrolls sideways")
    if page.locator("#results thead").is_visible():
        problems.append("pipeline [phone]: the table head shows (sort from 'Sort by' instead)")
    if not page.get_by_label("Sort by").is_visible():
        problems.append("pipeline [phone]: no 'Sort by' control")
    # Each sort reads whole in the select once chosen (the longest is the commissioning year).
    clipped = page.evaluate(
        """() => {
            const select = document.querySelector("#sort-by");
            const style = getComputedStyle(select);
            const pen = document.createElement("canvas").getContext("2d");
            pen.font = style.font;
            const room = select.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight) - 16;  // the drop-down arrow
            return [...select.options].map(o => o.text)
                .filter(text => pen.measureText(text).width > room);
        }"""
    )
    problems += [f"pipeline [phone]: the sort '{text}' is cut off" for text in clipped]
    return problems


def check_every_size(page, site, suffix: str) -> list[str]:
    project = Project.objects.filter(financing__isnull=False).order_by("pk").first()
    pages = {"dashboard": "/", "pipeline": "/pipeline/", "project": project.get_absolute_url()}
    problems = []
    log_in(page, site)
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            problems += look_at(page, site, path, name, width_name, suffix)
            if name == "pipeline":
                problems += pipeline_reads_at(page, width_name)
    return problems


def test_pages_fit_every_size_on_the_demo_data(page, site):
    problems = check_every_size(page, site, "")
    assert not problems, "\n".join(problems)


def test_pages_fit_every_size_on_20000_projects(page, site):
    started = time.monotonic()
    call_command("generate_demo_data", projects=20000, seed=19, stdout=io.StringIO())
    assert time.monotonic() - started < 240, "generating the data got much slower"
    problems = check_every_size(page, site, "-20k")
    assert not problems, "\n".join(problems)


def test_phone_filters_open_as_a_panel_with_show_results(page, site):
    page.set_viewport_size({"width": 375, "height": 700})
    log_in(page, site)
    total = page.locator(".results__count strong").inner_text()
    filters = page.locator(".filters__toggle")
    expect(filters).not_to_have_attribute("open", "")
    page.get_by_text("Filters", exact=True).click()
    # The panel covers the screen; its button stays in reach however far one scrolls.
    show = page.get_by_role("button", name=f"Show {total} results")
    expect(show).to_be_in_viewport()
    page.locator("#id_country").scroll_into_view_if_needed()
    expect(page.get_by_text("Ctrl/⌘-click to pick several")).to_be_hidden()
    page.get_by_label("Feasibility", exact=True).check()
    expect(page.locator(".chip")).to_contain_text("Feasibility")
    narrowed = page.locator(".results__count strong").inner_text()
    assert narrowed != total
    show = page.get_by_role("button", name=f"Show {narrowed} results")
    expect(show).to_be_in_viewport()
    show.click()
    expect(filters).not_to_have_attribute("open", "")
    expect(page.locator("#results")).to_be_in_viewport()
    # "Sort by" re-sorts the cards at once.
    page.get_by_label("Sort by").select_option(label="Capex, largest first")
    expect(page).to_have_url(re.compile(r"sort=-capex_musd"))


def test_desktop_shows_the_ctrl_click_hint(page, site):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, site)
    expect(page.get_by_text("Ctrl/⌘-click to pick several")).to_be_visible()
    expect(page.get_by_role("button", name="Apply")).to_be_visible()
    expect(page.locator(".filters__show")).to_be_hidden()


def panel_in_view(page) -> list[str]:
    """What of the open Columns panel is out of the window (nothing, at any width)."""
    box = page.locator(".column-control__panel").bounding_box()
    size = page.viewport_size
    problems = []
    if box["x"] < 0 or box["x"] + box["width"] > size["width"] + 1:
        problems.append(f"panel runs out sideways at {size['width']} px: {box}")
    if box["y"] < 0 or box["y"] + box["height"] > size["height"] + 1:
        problems.append(f"panel runs out of the window at {size['width']} px: {box}")
    return problems


def test_the_columns_control_at_both_widths(page, site):
    """One Columns control in the results' head at 1280 px and at 375 px; a saved choice
    drops the columns at every width, and a phone's card keeps the list's own card fields and
    shows a column the reader adds."""
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, site)
    control = page.locator("#results .results__head [data-column-control]")
    control.locator("summary").click()
    choices = page.get_by_role("group", name="Columns shown in the table")
    head = page.locator("#results thead")
    choices.get_by_label("Sector", exact=True).uncheck()
    expect(head.get_by_role("columnheader", name="Sector")).to_have_count(0)
    choices.get_by_label("Abatement (t CO2e/yr)", exact=True).uncheck()
    expect(head.get_by_role("columnheader", name="Abatement")).to_have_count(0)
    assert panel_in_view(page) == []
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/pipeline-columns-1280.png")
    # The save posts and comes back to the list: wait for that page (a reload while it was
    # on its way raced it: "Not attached to an active page").
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Save as my default").click()
    page.reload()
    expect(head.get_by_role("columnheader", name="Capex")).to_be_visible()
    expect(head.get_by_role("columnheader", name="Sector")).to_have_count(0)
    expect(head.get_by_role("columnheader", name="Abatement")).to_have_count(0)
    # A phone (the page opened there, its filters folded): the same control, usable; the
    # cards keep their stage and gap.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    row = page.locator("#results tbody tr").first
    expect(row.locator('td[data-label^="Gap"]')).to_be_visible()
    expect(row.locator(".badge")).to_be_visible()
    expect(control.locator("summary")).to_be_visible()
    control.locator("summary").click()
    expect(choices).to_be_visible()
    assert panel_in_view(page) == []
    choices.get_by_label("Region", exact=True).check()
    expect(row.locator('td[data-label="Region"]')).to_be_visible()
    expect(choices.get_by_label("Region", exact=True)).to_be_checked()
    assert panel_in_view(page) == []
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/pipeline-columns-375.png")
