"""Issue 15 in a real browser: a financing tranche added in place on a project page, and an
organisation created from another form in a dialog, without losing what was typed there."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from leadit.sections.formatting import money_text
from members.models import Organisation
from partnerships.models import Project

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_add_a_tranche_in_place_and_see_the_totals_change(page, site):
    project = Project.objects.filter(capex_musd__gt=500).order_by("pk").first()
    secured_before = project.financing_secured_musd
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m))
    log_in(page, site)
    page.goto(f"{site}{project.get_absolute_url()}")
    page.evaluate("window.__noReload = true")

    page.get_by_role("link", name="Add a tranche").click()
    form = page.locator("#tranche-form")
    expect(form).to_be_visible()
    page.fill("#tranche-form input[name=provider__search]", "reconstruction")
    bank = "European Bank for Reconstruction and Development"
    expect(page.locator("#tranche-form select[name=provider] option", has_text=bank)).to_have_count(
        1
    )
    page.select_option("#tranche-form select[name=provider]", label=bank)
    page.select_option("#tranche-form select[name=instrument]", "concessional_loan")
    page.fill("#tranche-form input[name=amount_note]", "EUR 92 million")
    page.fill("#tranche-form input[name=amount_musd]", "100")
    page.select_option("#tranche-form select[name=status]", "committed")
    page.get_by_role("button", name="Add tranche").click()

    expect(page.locator("#tranche-form")).to_have_count(0)
    expect(page.locator("#financing")).to_contain_text("EUR 92 million")
    project.refresh_from_db()
    assert project.financing_secured_musd == secured_before + Decimal("100")
    expected = money_text(project.financing_secured_musd)  # as every page writes it
    expect(page.locator("#financing-secured")).to_have_text(expected)
    expect(page.locator("#key-figures")).to_contain_text(expected)
    expect(page.locator("#messages")).to_contain_text("created")
    assert page.evaluate("window.__noReload") is True
    assert not violations


def test_create_a_sponsor_in_place_from_the_project_form(page, site):
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m))
    log_in(page, site)
    page.goto(f"{site}/pipeline/new/")
    page.evaluate("window.__noReload = true")
    page.fill("#form input[name=name]", "Lüderitz green iron")
    page.fill("#form input[name=site]", "Lüderitz")
    page.fill("#form input[name=capex_musd]", "1200")

    page.locator("#form").get_by_role("link", name="New organisation").first.click()
    dialog = page.locator("#dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("New organisation")
    dialog.locator("input[name=name]").fill("Hylron Namibia")
    # An error first: it stays in the dialog.
    dialog.locator("input[name=website]").fill("not a url")
    dialog.get_by_role("button", name="Create organisation").click()
    expect(dialog).to_contain_text("Enter a valid URL")
    dialog.locator("input[name=website]").fill("https://example.org/hylron")
    dialog.get_by_role("button", name="Create organisation").click()

    expect(dialog).to_be_hidden()
    created = Organisation.objects.get(name="Hylron Namibia")
    sponsor = page.locator("#form select[name=sponsor]")
    expect(sponsor).to_have_value(str(created.pk))
    # What was typed in the project form is still there.
    expect(page.locator("#form input[name=name]")).to_have_value("Lüderitz green iron")
    expect(page.locator("#form input[name=capex_musd]")).to_have_value("1200")
    assert page.evaluate("window.__noReload") is True

    page.select_option("#form select[name=country]", "NA")
    page.select_option("#form select[name=sector]", index=1)
    page.get_by_role("button", name="Create project").click()
    expect(page.locator("h1")).to_have_text("Lüderitz green iron")
    assert Project.objects.get(name="Lüderitz green iron").sponsor == created
    assert not violations


@pytest.mark.parametrize("width_name", ["desktop", "phone"])
def test_in_place_forms_are_accessible_and_fit_the_screen(page, site, width_name):
    """The financing panel with its form open, and the organisation dialog, at 1280 and 375 px
    (saved as docs/screenshots/ with LEADIT_SCREENSHOTS, like every page type)."""
    from .test_pages_browser import AXE, WIDTHS, check

    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test runs npm ci)")
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    log_in(page, site)
    project = Project.objects.filter(financing__isnull=False).order_by("pk").first()
    page.goto(f"{site}{project.get_absolute_url()}")
    page.locator("#financing").get_by_role("link", name="Edit").first.click()
    expect(page.locator("#tranche-form")).to_be_visible()
    page.locator("#financing").scroll_into_view_if_needed()
    problems = check(page, "project-financing-edit", width_name)

    page.goto(f"{site}/members/new/")
    page.locator("#form").get_by_role("link", name="New organisation").click()
    expect(page.locator("#dialog")).to_be_visible()
    problems += check(page, "organisation-dialog", width_name)
    assert not problems, "\n".join(problems)


def test_admin_project_list_and_financing_inline_fit_1280(page, site):
    """Issue 15, item 4: no sideways scrolling for the columns officers scan, and every column
    of the financing inline (down to "Delete?") inside the window."""
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, site)
    page.goto(f"{site}/admin/partnerships/project/")
    for header in ("Stage", "Capex $m", "Gap $m", "Comm.", "Verified"):
        box = page.locator("#result_list thead th", has_text=header).first.bounding_box()
        assert box and box["x"] + box["width"] <= 1280, header
    overflow = page.evaluate(
        "() => { const t = document.querySelector('#result_list');"
        " return t.scrollWidth - t.parentElement.clientWidth; }"
    )
    assert overflow <= 1, overflow
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280

    project = Project.objects.filter(financing__isnull=False).order_by("pk").first()
    page.goto(f"{site}/admin/partnerships/project/{project.pk}/change/")
    inline = page.locator(".financing-inline table")
    for header in ("Provider", "Amount as reported", "Decided on", "Delete?"):
        box = inline.locator("thead th", has_text=header).first.bounding_box()
        assert box and box["x"] + box["width"] <= 1280, header
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
