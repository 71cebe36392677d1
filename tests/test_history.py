"""The audit trail in the site: a History tab on every record, and /history/ across the tracker."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from partnerships.models import Project

from .factories import (
    AssistanceFactory,
    EngagementFactory,
    ForumActivityFactory,
    MemberFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
)
from .test_editing import edit_data

pytestmark = pytest.mark.django_db


def test_history_tab_shows_who_changed_what_with_old_and_new_values(staff_client):
    old_sponsor = OrganisationFactory(name="Old Sponsor Ltd")
    new_sponsor = OrganisationFactory(name="New Sponsor Ltd")
    project = ProjectFactory(name="Walvis Bay", sponsor=old_sponsor, capex_musd=100)
    url = f"/pipeline/{project.pk}/edit/"
    data = edit_data(
        staff_client.get(url), capex_musd="150", sponsor=str(new_sponsor.pk), stage="financing"
    )
    assert staff_client.post(url, data).status_code == 302

    response = staff_client.get(f"/pipeline/{project.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Changed</strong>" in html and "by sam" in html and "Created</strong>" in html
    # Amounts read as on every page (100, not the stored 100.00).
    assert (
        'Capex (USD million)</th><td class="history__old">100</td><td class="history__new">150</td>'
    ) in html
    for text in (
        "Old Sponsor Ltd",
        "New Sponsor Ltd",
        "Identified",
        "Financing",
    ):
        assert text in html, text
    assert "Version" not in html  # bookkeeping fields are left out


def test_history_says_yes_or_no_for_a_yes_no_unknown_answer(staff_client):
    project = ProjectFactory(name="Walvis Bay", qualified=None)
    url = f"/pipeline/{project.pk}/edit/"
    assert staff_client.post(url, edit_data(staff_client.get(url), qualified="true")).status_code
    response = staff_client.get(f"/pipeline/{project.pk}/history/")
    html = response.content.decode()
    row = html[html.index("Qualified") :][:300]
    assert "Yes" in row and "True" not in row, row


@pytest.mark.parametrize(
    "factory, url",
    [
        (MemberFactory, "/members/{}/history/"),
        (EngagementFactory, "/engagements/{}/history/"),
        (PartnershipFactory, "/partnerships/{}/history/"),
        (AssistanceFactory, "/assistance/{}/history/"),
        (ForumActivityFactory, "/forum/{}/history/"),
        (ProjectFactory, "/pipeline/{}/history/"),
    ],
)
def test_every_section_has_a_history_tab(staff_client, viewer_client, factory, url):
    record = factory()
    for client in (staff_client, viewer_client):
        assertContains(client.get(url.format(record.pk)), "Created</strong>")
    assertContains(staff_client.get(record.get_absolute_url()), 'href="' + url.format(record.pk))


def test_history_tab_query_count_does_not_grow_with_versions(staff_client):
    def count(project):
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(f"/pipeline/{project.pk}/history/")
        return len(queries)

    few = ProjectFactory()
    many = ProjectFactory()
    for i in range(8):
        many = Project.objects.get(pk=many.pk)
        many.capex_musd = 100 + i
        many.sponsor = OrganisationFactory()
        many.save()
    assert count(few) == count(many) - 1  # one more: the names of the changed sponsors


def test_stage_control_writes_history(staff_client):
    project = ProjectFactory()
    staff_client.post(
        f"/pipeline/{project.pk}/stage/",
        {"to_stage": "feasibility", "changed_on": datetime.date.today()},
    )
    latest = project.history.first()
    assert latest.stage == "feasibility" and latest.history_user.username == "sam"


def test_tracker_history_lists_latest_changes_and_filters(staff_client, secretariat_user):
    ProjectFactory(name="Made by nobody")
    data = {
        "title": "Made by sam",
        "provider": OrganisationFactory().pk,
        "mode": "licensing",
        "stage": "scoping",
    }
    staff_client.post("/engagements/new/", data)
    response = staff_client.get("/history/")
    assertContains(response, "Made by sam")
    assertContains(response, "Made by nobody")
    by_sam = staff_client.get("/history/", {"user": "sam"})
    assertContains(by_sam, "Made by sam")
    assertNotContains(by_sam, "Made by nobody")
    projects_only = staff_client.get("/history/", {"model": "project"})
    assertContains(projects_only, "Made by nobody")
    assertNotContains(projects_only, "Made by sam")
    future = staff_client.get("/history/", {"since": "2999-01-01"})
    assertContains(future, "No changes match")


@pytest.mark.parametrize(
    "params",
    [
        {"model": "password"},
        {"since": "yesterday"},
        {"since": "2026-05-01", "until": "2026-01-01"},
    ],
)
def test_tracker_history_bad_filters_are_422(staff_client, params):
    response = staff_client.get("/history/", params)
    assert response.status_code == 422
    assertContains(response, "Some filters are not valid", status_code=422)


def test_tracker_history_htmx_fragment_and_fixed_queries(staff_client):
    ProjectFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        staff_client.get("/history/")
    ProjectFactory.create_batch(20)
    MemberFactory.create_batch(5)
    with CaptureQueriesContext(connection) as many:
        staff_client.get("/history/")
    assert len(few) == len(many)
    fragment = staff_client.get(
        "/history/", {"model": "project"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert fragment.content.decode().lstrip().startswith('<section id="results"')


def test_deleted_records_stay_in_the_trail(staff_client):
    project = ProjectFactory(name="Gone project")
    staff_client.post(f"/pipeline/{project.pk}/delete/")
    response = staff_client.get("/history/", {"model": "project"})
    assertContains(response, "Deleted project")
    assertContains(response, "Gone project")


def test_history_of_a_record_without_a_first_version_says_so(staff_client):
    project = ProjectFactory()
    project.history.all().delete()  # as if loaded in bulk, without history
    project = Project.objects.get(pk=project.pk)
    project.capex_musd = 5
    project.save()
    assertContains(staff_client.get(f"/pipeline/{project.pk}/history/"), "nothing to compare")


def test_history_tab_of_a_record_with_no_history_at_all(staff_client):
    project = ProjectFactory()
    project.history.all().delete()  # loaded from a fixture and never edited
    response = staff_client.get(f"/pipeline/{project.pk}/history/")
    assertContains(response, "No recorded changes")
