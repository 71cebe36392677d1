"""Every page type in Chromium, on a laptop and on a phone: no serious or critical
accessibility violation (axe-core, the npm package `make test` installs), and nothing wider than
the screen. With LEADIT_SCREENSHOTS=<folder> (make screenshots) it also saves a full-page
screenshot of each, as docs/screenshots/ holds them."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.pages import page_types

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
if not AXE.exists() and os.environ.get("CI_REQUIRE_BROWSER"):
    raise RuntimeError("The accessibility tests need axe-core: make test runs npm ci.")
WIDTHS = {"desktop": 1280, "phone": 375}
SHOTS = os.environ.get("LEADIT_SCREENSHOTS")


def axe_violations(page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # as DevTools would: not subject to the page's CSP
    result = page.evaluate(
        """async () => (await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                            "wcag22aa", "best-practice"]},
            resultTypes: ["violations"],
        })).violations"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def check(page, name: str, width_name: str) -> list[str]:
    problems = [f"{name} [{width_name}] {v}" for v in axe_violations(page)]
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        wide = page.evaluate(
            """() => [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(-3).map(e => e.tagName + "." + [...e.classList].join("."))"""
        )
        problems.append(f"{name} [{width_name}] is {overflow}px wider than the screen: {wide}")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width_name}.png", full_page=True)
    return problems


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make test runs npm ci)")
@pytest.mark.parametrize("width_name", WIDTHS)
def test_every_page_type_is_accessible_and_fits_the_screen(page, site, width_name):
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    page.goto(f"{site}/accounts/login/")
    problems = check(page, "login", width_name)
    log_in(page, site)
    for name, path in page_types().items():
        response = page.goto(f"{site}{path}", wait_until="networkidle")
        assert response.status in (200, 404), (path, response.status)
        problems += check(page, name, width_name)
    assert not problems, "\n".join(problems)


def test_not_disclosed_carries_no_unit(page, site):
    """'not disclosed USD m' read as an amount: the unit shows only beside a number."""
    from tests.factories import ProjectFactory

    project = ProjectFactory(name="Undisclosed kiln", capex_musd=None)
    log_in(page, site)
    page.goto(f"{site}{project.get_absolute_url()}")
    capex = page.locator("#key-figures dt:text-is('Capex') + dd")
    expect(capex).to_contain_text("not disclosed")
    assert capex.inner_text().strip() == "not disclosed"  # what shows, not the markup
    gap = page.locator("#key-figures dt:text-is('Financing gap') + dd")
    assert "USD m" not in gap.inner_text()
