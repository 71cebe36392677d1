"""In a real browser, two officers at once: a stale edit is merged in the page and nothing is
lost; a delete that other records prevent explains itself in the page. With
LEADIT_SCREENSHOTS=<folder> (make screenshots) the merge view is saved, desktop and phone."""

import io
import os
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from leadit.roles import SECRETARIAT
from partnerships.models import Partnership, Project
from tests.factories import FinancingFactory, PartnershipFactory, ProjectFactory

from .conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LEADIT_SCREENSHOTS")
PROJECT = "Green iron hub, Pecém"


def second_officer(django_user_model):
    user = django_user_model.objects.create_user(
        "olga", password=PASSWORD, first_name="Olga", last_name="Okafor", is_staff=True
    )
    user.groups.add(Group.objects.get(name=SECRETARIAT))


def log_in_as(page, site, username):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".user-menu__name")).to_be_visible()


def open_edit_form(page, site, project):
    page.goto(f"{site}/pipeline/{project.pk}/edit/")
    expect(page.locator("h1")).to_have_text(f"Edit {project.name}")


def test_stale_edit_is_merged_in_place_and_both_changes_are_kept(browser, site, django_user_model):
    # As `setup_demo` does: the demo records get their first audit-trail entry.
    call_command("populate_history", auto=True, stdout=io.StringIO())
    second_officer(django_user_model)
    project = Project.objects.get(name=PROJECT)
    old_site = project.site
    a_context, b_context = browser.new_context(), browser.new_context()
    a, b = a_context.new_page(), b_context.new_page()
    log_in_as(a, site, "olga")
    log_in_as(b, site, "officer")
    open_edit_form(a, site, project)
    open_edit_form(b, site, project)

    # A changes the site and saves.
    a.fill("input[name=site]", "Pecém industrial port, Ceará")
    a.get_by_role("button", name="Save changes").click()
    expect(a.locator("#messages")).to_contain_text("Saved changes")

    # B, still on the old version, changes the description and saves: the merge view answers
    # in place of the form, without a page load.
    b.evaluate("window.__noReload = true")
    b.fill("textarea[name=description]", "Hydrogen-based direct reduction, export to Europe.")
    b.get_by_role("button", name="Save changes").click()
    conflict = b.locator("#form .conflict")
    expect(conflict).to_contain_text("Someone else saved this project")
    expect(conflict).to_contain_text("Olga Okafor")  # who, named as everywhere else
    expect(conflict.locator("caption time")).to_have_count(1)  # when
    row = conflict.get_by_role("row", name=re.compile("^Site"))
    expect(row).to_contain_text(old_site)  # old …
    expect(row).to_contain_text("Pecém industrial port, Ceará")  # … → new
    expect(conflict).to_contain_text("your changes to Description")
    expect(b.locator("textarea[name=description]")).to_have_value(
        "Hydrogen-based direct reduction, export to Europe."
    )
    expect(b.locator("input[name=site]")).to_have_value("Pecém industrial port, Ceará")
    expect(b.locator("#messages .message--error")).to_have_count(0)
    expect(b.locator(".conflict")).to_have_count(1)
    assert b.evaluate("window.__noReload") is True

    if SHOTS:
        for name, size in (("desktop", (1280, 900)), ("phone", (375, 800))):
            b.set_viewport_size({"width": size[0], "height": size[1]})
            b.locator("#form").scroll_into_view_if_needed()
            b.screenshot(path=f"{SHOTS}/edit-conflict-{name}.png", full_page=True)
        b.set_viewport_size({"width": 1280, "height": 900})

    # One Save stores both.
    b.get_by_role("button", name="Save changes").click()
    expect(b.locator("h1")).to_have_text(PROJECT)
    expect(b.locator("#messages")).to_contain_text("Saved changes")
    project.refresh_from_db()
    assert project.site == "Pecém industrial port, Ceará"
    assert project.description == "Hydrogen-based direct reduction, export to Europe."
    a_context.close()
    b_context.close()


def test_refused_delete_explains_itself_in_the_page(page, site):
    partnership = PartnershipFactory(name="Short-lived ITP")
    log_in(page, site)
    page.goto(f"{site}{partnership.get_absolute_url()}")
    page.evaluate("window.__noReload = true")
    page.get_by_role("link", name="Delete", exact=True).click()
    confirm = page.locator("#delete-confirm")
    expect(confirm).to_contain_text("Delete Short-lived ITP?")
    # Meanwhile another officer links a project to it: the delete is refused (409), and the
    # reason shows where the question was, not a generic error.
    ProjectFactory(name="Late joiner", partnership=partnership)
    confirm.get_by_role("button", name="Delete partnership").click()
    expect(confirm).to_contain_text("cannot be deleted")
    expect(confirm.get_by_role("link", name="Late joiner")).to_be_visible()
    expect(page.locator("#messages .message--error")).to_have_count(0)
    assert page.evaluate("window.__noReload") is True
    assert Partnership.objects.filter(pk=partnership.pk).exists()


def test_delete_in_place_then_the_list(page, site):
    partnership = PartnershipFactory(name="Unneeded ITP")
    log_in(page, site)
    page.goto(f"{site}{partnership.get_absolute_url()}")
    page.get_by_role("link", name="Delete", exact=True).click()
    page.locator("#delete-confirm").get_by_role("button", name="Delete partnership").click()
    expect(page).to_have_url(re.compile(r"/partnerships/$"))
    expect(page.locator("#messages")).to_contain_text("deleted")
    assert not Partnership.objects.filter(pk=partnership.pk).exists()


def test_a_failing_request_tried_again_shows_one_banner_not_a_stack(page, site):
    log_in(page, site)
    for _ in range(3):
        with page.expect_response(re.compile("/no-such-page/")):
            page.evaluate("htmx.ajax('GET', '/no-such-page/', {target: '#results'})")
        page.wait_for_timeout(100)  # the error handler has run
        expect(page.locator("#messages .message--error")).to_have_count(1)
    expect(page.locator("#messages")).to_contain_text("error 404")


def test_stale_tranche_edit_in_place_says_so_and_keeps_the_typing(browser, site, django_user_model):
    """The financing panel's own edit form: the 409 is swapped in with the other officer's
    change named, and the second officer's note is still in the form."""
    second_officer(django_user_model)
    project = ProjectFactory(name="Walvis Bay green HBI", capex_musd=500)
    tranche = FinancingFactory(project=project, amount_musd=100, status="sought")
    a_context, b_context = browser.new_context(), browser.new_context()
    a, b = a_context.new_page(), b_context.new_page()
    log_in_as(a, site, "olga")
    log_in_as(b, site, "officer")
    for page in (a, b):
        page.goto(f"{site}{project.get_absolute_url()}")
        page.locator("#financing").get_by_role("link", name=re.compile("^Edit")).click()
        expect(page.locator("#tranche-form")).to_be_visible()

    a.locator("#tranche-form input[name=amount_musd]").fill("500")
    a.get_by_role("button", name="Save tranche").click()
    expect(a.locator("#tranche-form")).to_have_count(0)

    b.evaluate("window.__noReload = true")
    b.locator("#tranche-form textarea[name=note], #tranche-form input[name=note]").fill(
        "Board approval expected in March"
    )
    b.get_by_role("button", name="Save tranche").click()
    conflict = b.locator("#tranche-form .conflict")
    expect(conflict).to_contain_text("Someone else saved this tranche")
    expect(conflict).to_contain_text("Olga Okafor")
    expect(b.locator("#tranche-form input[name=amount_musd]")).to_have_value(
        re.compile(r"^500(\.00)?$")
    )
    # Its fields keep the panel's own ids (the page's stage form has a "note" too).
    expect(b.locator("#tranche-form #tranche_note")).to_have_count(1)
    assert b.evaluate("window.__noReload") is True

    # One more Save keeps both officers' changes.
    b.get_by_role("button", name="Save tranche").click()
    expect(b.locator("#tranche-form")).to_have_count(0)
    tranche.refresh_from_db()
    assert tranche.amount_musd == 500 and tranche.note == "Board approval expected in March"
    a_context.close()
    b_context.close()


def test_saving_a_tranche_another_officer_removed_says_so(page, site):
    project = ProjectFactory(name="Walvis Bay green HBI", capex_musd=500)
    tranche = FinancingFactory(project=project, amount_musd=100, status="sought")
    log_in(page, site)
    page.goto(f"{site}{project.get_absolute_url()}")
    page.locator("#financing").get_by_role("link", name=re.compile("^Edit")).click()
    page.locator("#tranche-form input[name=amount_musd]").fill("150")
    tranche.delete()  # meanwhile, another officer removes it
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="Save tranche").click()
    expect(page.locator("#messages .message--error")).to_contain_text(
        "someone may have removed it meanwhile"
    )
    # The form and what was typed stay on the page.
    expect(page.locator("#tranche-form input[name=amount_musd]")).to_have_value("150")
    assert page.evaluate("window.__noReload") is True
