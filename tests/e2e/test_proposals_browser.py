"""In a real browser (issue 16): a focal point proposes a change to their company's project,
the Secretariat accepts it, the project shows the new value and its History names both; a
focal point of another organisation has no propose button and cannot post to it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from leadit.proposals.models import Proposal
from leadit.roles import FOCAL_POINT
from members.models import FocalPoint, Organisation
from partnerships.models import Project

from .conftest import PASSWORD
from .test_pages_browser import AXE, WIDTHS, check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def focal_point(django_user_model, username, first, last, organisation):
    user = django_user_model.objects.create_user(
        username, password=PASSWORD, first_name=first, last_name=last
    )
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    FocalPoint.objects.create(user=user).organisations.set([organisation])
    return user


def log_in_as(page, site, username):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".user-menu__name")).to_be_visible()


def test_a_proposal_is_made_accepted_and_credited_to_both(fresh_page, site, django_user_model):
    project = Project.objects.exclude(capex_musd=777).order_by("pk").first()
    company = project.sponsor
    stranger = (
        Organisation.objects.exclude(pk=company.pk).exclude(sponsored_projects=project).first()
    )
    focal_point(django_user_model, "fiona", "Fiona", "Focal", company)
    focal_point(django_user_model, "otto", "Otto", "Other", stranger)
    officer = django_user_model.objects.get(username="officer")
    officer.first_name, officer.last_name = "Sam", "Secretary"
    officer.save()

    # The focal point proposes a new capex, with a note and a source.
    fiona = fresh_page()
    log_in_as(fiona, site, "fiona")
    fiona.goto(f"{site}{project.get_absolute_url()}")
    expect(fiona.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    fiona.get_by_role("link", name="Propose a change").click()
    expect(fiona.locator("h1")).to_have_text(f"Propose a change to {project.name}")
    fiona.fill("input[name=capex_musd]", "777")
    fiona.fill("textarea[name=proposal-note]", "Board approved the revised budget.")
    fiona.fill("input[name=proposal-source_url]", "https://example.org/press-release")
    fiona.get_by_role("button", name="Send the proposal").click()
    expect(fiona.locator("#messages")).to_contain_text("Your proposal was sent")
    expect(fiona.locator(".notice")).to_contain_text("waiting for the Secretariat")
    expect(fiona.locator("#key-figures")).not_to_contain_text("777")

    # The Secretariat reviews it in the queue and accepts it.
    officer_page = fresh_page()
    log_in_as(officer_page, site, "officer")
    officer_page.goto(f"{site}/proposals/")
    card = officer_page.locator("article.proposal", has_text=project.name)
    expect(card).to_contain_text("Fiona Focal")
    expect(card).to_contain_text("Board approved the revised budget.")
    expect(card.get_by_role("row", name=re.compile("^Capex"))).to_contain_text("777")
    card.get_by_role("link", name=re.compile("^Review")).click()
    officer_page.get_by_role("button", name="Accept the ticked fields").click()
    expect(officer_page.locator("#messages")).to_contain_text("Accepted")
    expect(officer_page.locator("#proposal .badge")).to_have_text("Accepted")

    # The project shows the new value, and its History names both people.
    officer_page.goto(f"{site}{project.get_absolute_url()}")
    expect(officer_page.locator("#key-figures")).to_contain_text("777")
    officer_page.get_by_role("navigation", name="Record").get_by_role(
        "link", name="History"
    ).click()
    expect(officer_page.locator(".history__entry").first).to_contain_text(
        "Proposed by Fiona Focal, accepted by Sam Secretary"
    )

    # The proposer sees the decision among their proposals.
    fiona.goto(f"{site}/proposals/")
    expect(fiona.locator("h1")).to_have_text("My proposals")
    expect(fiona.locator("article.proposal", has_text=project.name)).to_contain_text("Accepted")

    # Another organisation's focal point: no button, and the URL refuses them.
    otto = fresh_page()
    log_in_as(otto, site, "otto")
    otto.goto(f"{site}{project.get_absolute_url()}")
    expect(otto.locator("h1")).to_have_text(project.name)
    expect(otto.get_by_role("link", name="Propose a change")).to_have_count(0)
    token = next(c["value"] for c in otto.context.cookies() if c["name"] == "csrftoken")
    response = otto.request.post(
        f"{site}/pipeline/{project.pk}/propose/",
        form={"capex_musd": "1", "loaded_version": str(project.version + 1)},
        headers={"X-CSRFToken": token, "Referer": f"{site}/"},
    )
    assert response.status == 404
    assert otto.request.get(f"{site}/pipeline/{project.pk}/propose/").status == 404
    project.refresh_from_db()
    assert project.capex_musd == 777


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make test runs npm ci)")
def test_the_proposals_pages_are_accessible_and_fit_the_screen(fresh_page, site, django_user_model):
    project = Project.objects.order_by("pk").first()
    fiona = focal_point(django_user_model, "fiona", "Fiona", "Focal", project.sponsor)
    proposal = Proposal.objects.create(
        content_type=ContentType.objects.get_for_model(Project),
        object_id=project.pk,
        changes={
            "site": {
                "label": "Site",
                "old": "elsewhere",  # changed since: a conflict
                "new": "Luleå",
                "old_display": "elsewhere",
                "new_display": "Luleå",
            }
        },
        version=project.version,
        title=project.name,
        note="Announced at the AGM.",
        proposed_by=fiona,
    )
    pages = {
        "fiona": {
            "propose-form": f"/pipeline/{project.pk}/propose/",
            "my-proposals": "/proposals/",
        },
        "officer": {"queue": "/proposals/", "proposal": proposal.get_absolute_url()},
    }
    problems = []
    for username, paths in pages.items():
        page = fresh_page()
        log_in_as(page, site, username)
        for width_name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in paths.items():
                response = page.goto(f"{site}{path}", wait_until="networkidle")
                assert response.status == 200, path
                problems += check(page, name, width_name)
    assert not problems, "\n".join(problems)


def test_a_tranche_is_proposed_in_place(fresh_page, site, django_user_model):
    project = Project.objects.order_by("pk").first()
    bank = Organisation.objects.exclude(pk=project.sponsor_id).order_by("pk").first()
    focal_point(django_user_model, "bianca", "Bianca", "Bank", bank)
    page = fresh_page()
    log_in_as(page, site, "bianca")
    page.goto(f"{site}{project.get_absolute_url()}")
    page.evaluate("window.__noReload = true")
    panel = page.locator("#financing")
    panel.get_by_role("link", name="Propose a tranche").click()
    expect(panel.locator("h3")).to_have_text("Propose a tranche")
    panel.locator("select[name=instrument]").select_option("grant")
    panel.locator("input[name=amount_musd]").fill("12.5")
    panel.locator("textarea[name=proposal-note]").fill("Approved by our board in May.")
    panel.get_by_role("button", name="Send the proposal").click()
    expect(page.locator("#messages")).to_contain_text("Your proposal was sent")
    expect(panel.locator("form")).to_have_count(0)
    assert page.evaluate("window.__noReload") is True  # all in place, no page load
    proposal = Proposal.objects.get()
    assert proposal.fixed == {"project": project.pk}
    assert proposal.changes["provider"]["new"] == bank.pk


def test_accepting_a_move_to_fid_asks_what_became_of_a_sought_tranche(
    fresh_page, site, django_user_model
):
    """The proposer cannot say what became of the project's sought tranches at FID; the
    Secretariat is asked in the accept form, answers, and accepts."""
    from partnerships.models import Financing

    project = Project.objects.filter(stage="financing").order_by("pk").first()
    tranche = Financing.objects.filter(
        project=project, status="sought"
    ).first() or Financing.objects.create(
        project=project,
        provider=project.sponsor,
        instrument="loan",
        status="sought",
        amount_musd=60,
    )
    focal_point(django_user_model, "fiona", "Fiona", "Focal", project.sponsor)

    fiona = fresh_page()
    log_in_as(fiona, site, "fiona")
    fiona.goto(f"{site}/pipeline/{project.pk}/propose/")
    fiona.select_option("select[name=stage]", "fid")
    fiona.get_by_role("button", name="Send the proposal").click()
    expect(fiona.locator("#messages")).to_contain_text("Your proposal was sent")

    officer = fresh_page()
    log_in_as(officer, site, "officer")
    officer.goto(f"{site}{Proposal.objects.latest('pk').get_absolute_url()}")
    question = officer.locator(f"#accept-form select[name=tranche_{tranche.pk}]")
    expect(question).to_be_visible()  # asked before the first click
    # Accepting without an answer is refused in place (the 422 is swapped in), saying why.
    officer.get_by_role("button", name="Accept the ticked fields").click()
    expect(officer.locator("#accept-form")).to_contain_text(
        "Say what became of this tranche at FID."
    )
    question.select_option("committed")
    officer.get_by_role("button", name="Accept the ticked fields").click()
    expect(officer.locator("#messages")).to_contain_text("Accepted")
    expect(officer.locator("#proposal .badge")).to_have_text("Accepted")
    project.refresh_from_db()
    tranche.refresh_from_db()
    assert project.stage == "fid" and tranche.status == "committed"


def test_a_proposal_s_changes_read_on_a_phone_without_scrolling_sideways(
    fresh_page, site, django_user_model
):
    """At 375 px each proposed field stacks into a card: its name, then what it was when
    proposed, what is proposed and what it is now, each named, none out of the screen; long
    values (a description, a link) wrap. At 1280 px it stays a table with its header."""
    project = Project.objects.order_by("pk").first()
    fiona = focal_point(django_user_model, "fiona", "Fiona", "Focal", project.sponsor)
    link = "https://example.org/newsroom/press-releases/" + "final-investment-decision-" * 4
    text = "Hydrogen-based direct reduction with two electric arc furnaces, " * 3

    def change(label, old, new):
        return {"label": label, "old": old, "new": new, "old_display": old, "new_display": new}

    proposal = Proposal.objects.create(
        content_type=ContentType.objects.get_for_model(Project),
        object_id=project.pk,
        changes={
            "name": change("Name", project.name, f"{project.name} (revised scope)"),
            "description": change("Description", project.description, text),
            "source_url": change("Source link", project.source_url, link),
            "site": change("Site", "elsewhere", "Luleå"),  # changed since: a conflict
        },
        version=project.version,
        title=project.name,
        proposed_by=fiona,
    )
    page = fresh_page()
    log_in_as(page, site, "officer")
    for width, path in ((375, proposal.get_absolute_url()), (375, "/proposals/")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{site}{path}")
        diff = page.locator(".proposal-diff").first
        found = diff.evaluate(
            """(table) => {
                const problems = [];
                const scroller = table.closest(".table-scroll");
                if (scroller.scrollWidth > scroller.clientWidth + 1) problems.push("scrolls");
                for (const cell of table.querySelectorAll("tbody td, tbody th")) {
                    const box = cell.getBoundingClientRect();
                    if (box.right > window.innerWidth + 1) problems.push(cell.textContent.trim());
                }
                const named = [...table.querySelectorAll("tbody tr:first-child td[data-label]")]
                    .map((td) => getComputedStyle(td, "::before").content);
                return {problems, named};
            }"""
        )
        assert not found["problems"], (path, found["problems"])
        assert found["named"] == ['"When proposed"', '"Proposed"', '"Now"'], path
        proposed_link = diff.get_by_text(link)
        proposed_link.scroll_into_view_if_needed()  # scrolled down to, it shows whole
        expect(proposed_link).to_be_in_viewport(ratio=1)
        expect(diff.locator("thead")).to_be_hidden()  # each value is named in its card
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site}{proposal.get_absolute_url()}")
    expect(page.locator(".proposal-diff thead")).to_be_visible()
    expect(page.locator(".proposal-diff thead th")).to_have_text(
        ["Accept", "Field", "When proposed", "Proposed", "Now"]
    )
