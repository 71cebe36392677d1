"""Smaller things a first day shows (issue 13, item 5): new records count as verified the day
they are entered, people are named alike everywhere, breadcrumbs use the menu's words, one
wording for an empty choice, a way past the filters, a favicon."""

import datetime
import re

import pytest
import tablib
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from members.models import Member
from members.resources import MemberResource
from partnerships.models import Project

from .factories import EngagementFactory, OrganisationFactory, ProjectFactory, SectorFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


# (a) verified on the day it is entered -------------------------------------------------------


def test_a_project_entered_in_the_site_is_verified_today_and_not_in_the_review_queue(
    staff_client,
):
    assertContains(staff_client.get("/pipeline/new/"), f'value="{TODAY.isoformat()}"')
    sector = SectorFactory(slug="steel", name="Iron and steel")
    data = {
        "name": "Brand new kiln",
        "sponsor": OrganisationFactory().pk,
        "country": "IN",
        "sector": sector.pk,
        "stage": "identified",
        "status_basis": "reported_by_owner",
        "confidence": "medium",
    }
    assert staff_client.post("/pipeline/new/", data).status_code == 302
    project = Project.objects.get(name="Brand new kiln")
    assert project.last_verified_on == TODAY
    staff_client.get(project.get_absolute_url())  # shows (and uses up) the "created" message
    queue = staff_client.get("/pipeline/?unverified_months=12")
    assertNotContains(queue, "Brand new kiln")


def test_a_given_date_is_kept():
    project = ProjectFactory(last_verified_on=datetime.date(2024, 5, 1))
    assert project.last_verified_on == datetime.date(2024, 5, 1)


def test_a_record_entered_in_the_admin_starts_verified_today(staff_client):
    response = staff_client.get("/admin/partnerships/engagement/add/")
    assert response.context["adminform"].form["last_verified_on"].value() == TODAY


def test_an_imported_record_without_a_date_is_verified_today():
    OrganisationFactory(name="Kenya Cement Works")
    rows = "organisation,kind,role,joined_on\nkenya cement works,Company,Member,2026-03-01\n"
    result = MemberResource().import_data(tablib.Dataset().load(rows, format="csv"))
    assert not result.has_validation_errors()
    member = Member.objects.get(organisation__name="Kenya Cement Works")
    assert member.last_verified_on == TODAY
    assert member.verified is False  # not confirmed until someone cites the source


def test_a_new_membership_is_not_confirmed_until_ticked_with_a_source(staff_client):
    form = staff_client.get("/members/new/").content.decode()
    assert 'name="verified"' in form and 'name="verified" checked' not in form
    data = {"organisation": OrganisationFactory().pk, "kind": "company", "role": "member"}
    response = staff_client.post("/members/new/", {**data, "verified": "on"})
    assertContains(response, "Give the source that confirms the membership", status_code=422)
    source = {"source_url": "https://www.industrytransition.org/members/"}
    assert (
        staff_client.post("/members/new/", {**data, "verified": "on", **source}).status_code == 302
    )
    assert Member.objects.get().verified is True


# (b) people named the same everywhere ---------------------------------------------------------


def test_people_are_named_by_full_name_everywhere(staff_client, secretariat_user):
    secretariat_user.first_name, secretariat_user.last_name = "Sam", "Secretariat"
    secretariat_user.save()
    engagement = EngagementFactory(title="Kiln deal", owner=secretariat_user)
    project = ProjectFactory(name="Named plant", stage="feasibility")
    url = f"/pipeline/{project.pk}/edit/"
    from .test_editing import edit_data

    staff_client.post(url, edit_data(staff_client.get(url), stage="financing"))
    pages = {
        "header": staff_client.get("/"),
        "/history/": staff_client.get("/history/"),
        "History tab": staff_client.get(f"/pipeline/{project.pk}/history/"),
        "stage history": staff_client.get(project.get_absolute_url()),
        "owner column": staff_client.get("/engagements/"),
        "owner filter": staff_client.get("/engagements/"),
        "owner select": staff_client.get(f"/engagements/{engagement.pk}/edit/"),
        "engagement page": staff_client.get(engagement.get_absolute_url()),
    }
    for where, response in pages.items():
        html = response.content.decode()
        assert "Sam Secretariat" in html, where
    assert ">sam<" not in pages["/history/"].content.decode()
    owner_select = pages["owner select"].content.decode()
    assert (
        f'<option value="{secretariat_user.pk}" selected>Sam Secretariat</option>' in owner_select
    )
    export = staff_client.get("/engagements/export.csv")
    assert "Sam Secretariat" in b"".join(export.streaming_content).decode()


def test_someone_without_a_full_name_is_named_by_username(django_user_model, secretariat_user):
    client = Client()
    client.force_login(secretariat_user)
    assertContains(client.get("/"), '<span class="user-menu__name">sam</span>')


# (c) breadcrumbs and empty choices ------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "edit/", "history/", "delete/"])
def test_breadcrumbs_use_the_menus_words(staff_client, suffix):
    project = ProjectFactory()
    html = staff_client.get(f"/pipeline/{project.pk}/{suffix}").content.decode()
    assert '<li><a href="/pipeline/">Project pipeline</a></li>' in html
    engagement = EngagementFactory()
    html = staff_client.get(f"/engagements/{engagement.pk}/{suffix}").content.decode()
    assert '<li><a href="/engagements/">Engagements</a></li>' in html


@pytest.mark.parametrize(
    "path",
    ["/pipeline/", "/members/", "/engagements/", "/partnerships/", "/assistance/", "/forum/"],
)
def test_one_wording_for_an_empty_choice(staff_client, path):
    project = ProjectFactory()
    EngagementFactory()
    lists = staff_client.get(path).content.decode()
    filters = lists[lists.index('<form id="filters"') : lists.index("</form>")]
    empties = set(re.findall(r'<option value=""(?: selected)?>([^<]*)</option>', filters))
    assert empties <= {"Any", "25"}, empties  # 25: the default page size
    new = staff_client.get(f"{path}new/").content.decode()
    edit = staff_client.get(f"/pipeline/{project.pk}/edit/").content.decode()
    seen = set()
    for html in (new, edit):
        form = html[html.index('<form id="form"') :]
        seen |= set(re.findall(r'<option value=""(?: selected)?>([^<]*)</option>', form))
    assert seen == {"Not set"}, seen


# (e) skip to results, (f) favicon -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/pipeline/", "/members/", "/history/"])
def test_list_pages_offer_a_skip_to_results_link(staff_client, path):
    html = staff_client.get(path).content.decode()
    assert '<a class="skip-link" href="#results">Skip to results</a>' in html
    assert 'id="results"' in html


def test_favicon_without_login(client, staff_client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assertContains(staff_client.get("/"), 'rel="icon" href="/static/img/favicon.svg"')
