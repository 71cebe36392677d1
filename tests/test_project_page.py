"""The project page and its htmx stage control."""

import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from partnerships.models import Project

from .factories import (
    AssistanceFactory,
    EngagementFactory,
    FinancingFactory,
    PartnershipFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db
STAGE_HTMX = {"HX-Request": "true", "HX-Target": "stage"}


def url(project):
    return f"/pipeline/{project.pk}/"


def stage_url(project):
    return f"/pipeline/{project.pk}/stage/"


@pytest.fixture
def project():
    project = ProjectFactory(
        name="Walvis Bay green HBI",
        partnership=PartnershipFactory(name="CIF IDP"),
        planned_commissioning_year=2030,
        gst_id="GST-901",
        source_url="https://example.org/source",
        last_verified_on=datetime.date(2026, 11, 1),
    )
    FinancingFactory(project=project, provider__name="Climate Investment Funds")
    EngagementFactory(title="Electrolyser training", project=project)
    AssistanceFactory(title="Concessional loan").supported_projects.add(project)
    return project


def test_project_page_shows_everything_a_officer_needs(staff_client, project):
    response = staff_client.get(url(project))
    for text in [
        "Walvis Bay green HBI",
        "CIF IDP",
        "Climate Investment Funds",
        "Secured (committed",
        "Gap to capex",
        "Entered at Identified",
        "Electrolyser training",
        "Concessional loan",
        "GST-901",
        "https://example.org/source",
        "1 Nov 2026",
    ]:
        assertContains(response, text)


def test_timeline_shows_slippage_of_commissioning(staff_client, project):
    project = Project.objects.get(pk=project.pk)
    project.revised_commissioning_year = 2032
    project.save()
    project.move_to_stage("feasibility", on=datetime.date.today(), note="Study started")
    response = staff_client.get(url(project))
    assertContains(response, "slipped +2 yr")
    assertContains(response, "Study started")


def test_secretariat_sees_the_stage_control_viewer_does_not(staff_client, viewer_client, project):
    assertContains(staff_client.get(url(project)), "Record stage change")
    assertNotContains(viewer_client.get(url(project)), "Record stage change")


def test_viewer_post_is_forbidden_and_changes_nothing(viewer_client, project):
    data = {"to_stage": "feasibility", "changed_on": datetime.date.today().isoformat()}
    assert viewer_client.post(stage_url(project), data, headers=STAGE_HTMX).status_code == 403
    assert viewer_client.post(stage_url(project), data).status_code == 403
    assert Project.objects.get(pk=project.pk).stage == "identified"


def test_htmx_stage_change_writes_a_stage_change_and_swaps_the_section(staff_client, project):
    today = datetime.date.today()
    response = staff_client.post(
        stage_url(project),
        {"to_stage": "feasibility", "changed_on": today.isoformat(), "note": "Study contracted"},
        headers=STAGE_HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="stage"') and "<html" not in html
    assert "Identified → Feasibility" in html and "Study contracted" in html
    assert "Moved to Feasibility" in html  # message, swapped out of band
    change = Project.objects.get(pk=project.pk).stage_changes.latest()
    assert (change.to_stage, change.note, change.recorded_by.username) == (
        "feasibility",
        "Study contracted",
        "sam",
    )


def test_stage_change_without_javascript_redirects_to_the_project(staff_client, project):
    response = staff_client.post(
        stage_url(project), {"to_stage": "financing", "changed_on": datetime.date.today()}
    )
    assert response.status_code == 302 and response["Location"] == url(project)
    assert Project.objects.get(pk=project.pk).stage == "financing"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"to_stage": "identified", "changed_on": "2026-01-01"}, "Select a valid choice"),
        ({"to_stage": "bogus", "changed_on": "2026-01-01"}, "Select a valid choice"),
        ({"to_stage": "fid", "changed_on": "not a date"}, "Enter a valid date"),
        ({"to_stage": "fid", "changed_on": "2999-01-01"}, "cannot be in the future"),
        ({"to_stage": "fid", "changed_on": "1995-01-01"}, "before the last stage change"),
        ({"to_stage": "fid"}, "This field is required"),
    ],
)
def test_bad_stage_input_is_a_422_shown_in_place(staff_client, project, data, message):
    response = staff_client.post(stage_url(project), data, headers=STAGE_HTMX)
    assert response.status_code == 422
    assertContains(response, message, status_code=422)
    assert Project.objects.get(pk=project.pk).stage_changes.count() == 1


def test_cancelled_project_offers_no_stage_control(staff_client):
    project = ProjectFactory(stage="cancelled")
    response = staff_client.get(url(project))
    assertNotContains(response, "Record stage change")
    assertContains(response, "stays cancelled")
    post = staff_client.post(
        stage_url(project),
        {"to_stage": "fid", "changed_on": datetime.date.today()},
        headers=STAGE_HTMX,
    )
    assert post.status_code == 422


def test_stage_control_enforces_csrf(csrf_staff_client, project):
    data = {"to_stage": "feasibility", "changed_on": datetime.date.today().isoformat()}
    assert csrf_staff_client.post(stage_url(project), data, headers=STAGE_HTMX).status_code == 403
    assert Project.objects.get(pk=project.pk).stage == "identified"


def test_stage_control_accepts_the_htmx_csrf_header(csrf_staff_client, project):
    csrf_staff_client.get(url(project))
    token = csrf_staff_client.cookies["csrftoken"].value
    data = {"to_stage": "feasibility", "changed_on": datetime.date.today().isoformat()}
    response = csrf_staff_client.post(
        stage_url(project), data, headers={**STAGE_HTMX, "X-CSRFToken": token}
    )
    assert response.status_code == 200


def test_date_field_is_filled_in_the_format_browsers_read(staff_client, project):
    today = datetime.date.today().isoformat()
    assertContains(staff_client.get(url(project)), f'type="date" name="changed_on" value="{today}"')


def test_stage_url_refuses_get(staff_client, project):
    assert staff_client.get(stage_url(project)).status_code == 405


def test_unknown_project_is_a_404(staff_client):
    assert staff_client.get("/pipeline/999999/").status_code == 404
    assert staff_client.post("/pipeline/999999/stage/").status_code == 404


def test_project_page_query_count_is_fixed(staff_client, django_assert_num_queries):
    small = ProjectFactory()
    FinancingFactory(project=small)
    big = ProjectFactory()
    FinancingFactory.create_batch(8, project=big)
    for stage in ("feasibility", "financing", "fid", "construction"):
        big.move_to_stage(stage, on=datetime.date.today())
    EngagementFactory.create_batch(3, project=big)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for project in (small, big):
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(url(project))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_stage_control_offers_the_next_rung(staff_client):
    project = ProjectFactory(stage="feasibility")
    assertContains(staff_client.get(url(project)), '<option value="financing" selected>')


def test_stage_control_offers_to_resume_a_paused_project(staff_client):
    project = ProjectFactory(stage="construction")
    project.move_to_stage("paused", on=datetime.date.today())
    assertContains(staff_client.get(url(project)), '<option value="construction" selected>')
