"""In a real browser, as a focal point of Salzgitter AG (the demo's `focalpoint`): the dashboard
without "Needs attention", their company's project and another organisation's without Edit or
the Secretariat's controls, an engagement without its owner, a member without the Secretariat's
notes. Then the Secretariat, for whom all of it is there."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from leadit.roles import FOCAL_POINT
from members.models import FocalPoint, Member, Organisation
from partnerships.models import Engagement, Project

from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in_as(page, site, username):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{site}/")


@pytest.fixture
def focal_site(site, django_user_model):
    salzgitter = Organisation.objects.get(name="Salzgitter AG")
    user = django_user_model.objects.create_user(
        "frida", password=PASSWORD, first_name="Frida", last_name="Focal"
    )
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    FocalPoint.objects.create(user=user).organisations.set([salzgitter])
    officer = django_user_model.objects.get(username="officer")
    officer.first_name, officer.last_name = "Olga", "Officer"
    officer.save()
    engagement = Engagement.objects.order_by("pk").first()
    engagement.owner, engagement.notes = officer, "Call back after COP"
    engagement.save()
    return {
        "site": site,
        "ours": Project.objects.get(name="SALCOS phase 1, Salzgitter"),
        "other": Project.objects.get(name="HYBRIT demonstration plant, Gällivare"),
        "engagement": engagement,
        "member": Member.objects.get(organisation__name="SSAB"),
    }


def test_a_focal_point_reads_without_edit_or_internal_fields(page, focal_site):
    site = focal_site["site"]
    log_in_as(page, site, "frida")
    expect(page.locator("h1")).to_have_text("Where the transition stands")
    expect(page.get_by_role("heading", name="Needs attention")).to_have_count(0)
    expect(page.get_by_text("Not verified for 12 months")).to_have_count(0)
    expect(page.get_by_role("link", name="Project pipeline")).to_be_visible()

    for project in (focal_site["ours"], focal_site["other"]):
        page.goto(f"{site}{project.get_absolute_url()}")
        expect(page.locator("h1")).to_have_text(project.name)
        expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
        expect(page.get_by_role("link", name="Delete", exact=True)).to_have_count(0)
        expect(page.get_by_role("button", name="Record stage change")).to_have_count(0)
        expect(page.get_by_role("link", name="Add a tranche")).to_have_count(0)

    page.goto(f"{site}{focal_site['engagement'].get_absolute_url()}")
    expect(page.locator(".next-step")).to_be_visible()
    expect(page.get_by_text("Olga Officer")).to_have_count(0)
    expect(page.get_by_text("Call back after COP")).to_have_count(0)
    expect(page.get_by_text(re.compile("^Owner"))).to_have_count(0)

    page.goto(f"{site}{focal_site['member'].get_absolute_url()}")
    expect(page.locator("h1")).to_have_text("SSAB")
    expect(page.get_by_text("HYBRIT partner.")).to_have_count(0)

    page.goto(f"{site}/engagements/")
    expect(page.locator("#results thead")).not_to_contain_text("Owner")
    expect(page.locator("#filters")).not_to_contain_text("Owner")

    # The Secretariat sees all of it.
    page.get_by_role("button", name="Log out").click()
    log_in_as(page, site, "officer")
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible()
    page.goto(f"{site}{focal_site['engagement'].get_absolute_url()}")
    expect(page.get_by_text("Owner: Olga Officer")).to_be_visible()
    page.goto(f"{site}{focal_site['ours'].get_absolute_url()}")
    expect(page.get_by_role("link", name="Edit", exact=True)).to_be_visible()
