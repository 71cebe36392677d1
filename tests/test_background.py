"""Background work (django.tasks on django-tasks-db): the dashboard's figures kept current after
writes without a write waiting for them, large exports made as jobs with progress and a
download for whom asked, and the admin's limits on what it does in a request."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains, assertNotContains

from leadit.jobs import tasks
from leadit.jobs.models import Job, StoredFigures
from leadit.sections.editing import form_data
from partnerships import dashboard
from partnerships.models import Project

from .background import committed, queued, run_queued_tasks
from .factories import ProjectFactory

pytestmark = pytest.mark.django_db
STATUS = {"HX-Request": "true", "HX-Target": "job-status"}


# --- The dashboard's figures ----------------------------------------------------------------


@pytest.fixture
def computations(monkeypatch):
    """Every computation of the dashboard's figures, where it happened."""
    calls = []
    real = dashboard.compute_dashboard

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(dashboard, "compute_dashboard", spy)
    return calls


def test_a_fresh_database_computes_the_figures_once_and_says_so(staff_client, computations):
    ProjectFactory(capex_musd=40)
    response = staff_client.get("/")
    assertContains(response, "Figures computed just now, for the first visit")
    assert response.context["totals"]["count"] == 1
    response = staff_client.get("/")
    assert len(computations) == 1
    assertContains(response, "Figures computed <time datetime=")
    assertNotContains(response, "being added")


def test_a_write_does_not_wait_for_the_figures_and_the_worker_brings_them_up_to_date(
    staff_client, computations
):
    with committed():
        project = ProjectFactory(name="Kiln", stage="feasibility", capex_musd=100)
    run_queued_tasks()  # figures stored by the worker
    assert len(computations) == 1
    url = f"/pipeline/{project.pk}/edit/"
    data = form_data(staff_client.get(url).context["form"])
    data.update(capex_musd="250", stage="financing")  # a project and a stage change written
    with committed():
        assert staff_client.post(url, data).status_code == 302
    # Saved and answered without computing the figures: one recomputation is queued.
    assert len(computations) == 1
    assert queued(dashboard.refresh_dashboard) == 1
    # Until the worker has run, visits show the stored figures, say so, and compute nothing.
    with CaptureQueriesContext(connection) as visit:
        response = staff_client.get("/")
    assert len(visit) <= 10 and len(computations) == 1
    assert response.context["totals"]["capex"] == 100
    assertContains(response, "the latest changes are being added")
    run_queued_tasks()
    assert len(computations) == 2
    with CaptureQueriesContext(connection) as visit:
        response = staff_client.get("/")
    assert len(visit) <= 10
    assert response.context["totals"]["capex"] == 250
    assertNotContains(response, "being added")


def test_the_worker_skips_figures_that_are_already_current(staff_client, computations):
    ProjectFactory()
    staff_client.get("/")
    dashboard.refresh_dashboard.enqueue()
    run_queued_tasks()
    assert len(computations) == 1
    assert DBTaskResult.objects.get().return_value == "current"


def test_a_visit_that_notices_unsignalled_changes_queues_one_recomputation(staff_client):
    ProjectFactory()
    staff_client.get("/")
    Project.objects.bulk_create([Project(**_like(Project.objects.get())) for _ in range(2)])
    for _ in range(3):
        assertContains(staff_client.get("/"), "being added")
    assert queued(dashboard.refresh_dashboard) == 1
    run_queued_tasks()
    assert staff_client.get("/").context["totals"]["count"] == 3


def test_figures_from_another_day_are_recomputed_in_the_background(staff_client):
    ProjectFactory()
    staff_client.get("/")
    StoredFigures.objects.update(computed_on="2020-01-01")
    assertContains(staff_client.get("/"), "being added")
    assert queued(dashboard.refresh_dashboard) == 1


def test_figures_that_cannot_be_read_any_more_are_computed_again(staff_client):
    ProjectFactory()
    staff_client.get("/")
    StoredFigures.objects.update(payload=b"not a pickle")
    response = staff_client.get("/")
    assert response.status_code == 200 and response.context["totals"]["count"] == 1


def _like(project):
    fields = ("sponsor", "sector", "country", "stage")
    return {field: getattr(project, field) for field in fields} | {"name": "Bulk"}


# --- Exports as jobs ----------------------------------------------------------------------


@pytest.fixture
def small_threshold(settings, monkeypatch):
    settings.EXPORT_INLINE_MAX_ROWS = 5
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 4)
    ProjectFactory.create_batch(12)


def test_a_small_export_is_still_made_in_the_request(staff_client):
    ProjectFactory.create_batch(3)
    response = staff_client.get("/pipeline/export.csv")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert not Job.objects.exists()


def test_a_large_export_is_queued_runs_with_progress_and_is_downloaded(
    staff_client, small_threshold, monkeypatch, settings
):
    settings.EXPORT_INLINE_MAX_ROWS = 100
    inline = b"".join(staff_client.get("/pipeline/export.csv").streaming_content)
    settings.EXPORT_INLINE_MAX_ROWS = 5
    response = staff_client.get("/pipeline/export.csv")
    job = Job.objects.get()
    assert response.status_code == 303 and response["Location"] == f"/exports/{job.pk}/"
    page = staff_client.get(response["Location"])
    assertContains(page, "Queued")
    assertContains(page, 'hx-trigger="every 2s"')  # the page polls while the job runs
    assert queued(tasks.run_export) == 1

    # What the page's polling shows while the worker writes the file.
    seen = []
    import leadit.sections.views as section_views

    real = section_views.counting

    def watched(queryset, report):
        def report_and_look(rows):
            report(rows)
            seen.append(staff_client.get(job.get_absolute_url(), headers=STATUS))

        return real(queryset, report_and_look)

    monkeypatch.setattr(section_views, "counting", watched)
    run_queued_tasks()
    assert [r.status_code for r in seen] == [200, 200, 200]
    assertContains(seen[0], "Running")
    assertContains(seen[0], "4 of 12 rows written")
    assertContains(seen[1], 'value="66"')
    assert seen[0].content.decode().lstrip().startswith('<section id="job-status"')

    done = staff_client.get(job.get_absolute_url(), headers=STATUS)
    assertContains(done, "Ready")
    assertNotContains(done, "hx-trigger")  # polling stops
    assertContains(done, f"/exports/{job.pk}/download/")
    download = staff_client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"] and "private" in download["Cache-Control"]
    assert download["Content-Disposition"].startswith('attachment; filename="leadit-pipeline-')
    made = b"".join(download.streaming_content)
    assert made == inline  # the same file as the export made in the request
    assert len(list(csv.reader(io.StringIO(made.decode())))) == 13  # the header, every project
    assert Job.objects.get().state == Job.State.DONE


def test_a_large_excel_export_is_a_job_too(staff_client, small_threshold):
    response = staff_client.get("/pipeline/export.xlsx?q=")
    assert response.status_code == 303
    run_queued_tasks()
    job = Job.objects.get()
    assert job.filename.endswith(".xlsx") and job.query == "q="
    download = staff_client.get(f"/exports/{job.pk}/download/")
    assert b"".join(download.streaming_content).startswith(b"PK")  # a workbook (zip)


def test_every_list_hands_large_exports_over(staff_client, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    ProjectFactory()  # a member, an organisation... for the other lists
    for url in ("/members/export.csv", "/engagements/export.csv"):
        staff_client.get(url)
    for url in ("/pipeline/export.csv",):
        assert staff_client.get(url).status_code == 303


def test_a_failed_export_says_so_without_a_traceback(staff_client, small_threshold, monkeypatch):
    from partnerships.views import ProjectListView

    def broken(self, queryset):
        raise RuntimeError("/srv/leadit/secret/path exploded")

    staff_client.get("/pipeline/export.csv")
    monkeypatch.setattr(ProjectListView, "export_response", broken)
    run_queued_tasks()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert DBTaskResult.objects.get(task_path=tasks.run_export.module_path).status == "FAILED"
    page = staff_client.get(job.get_absolute_url())
    assertContains(page, "The export failed")
    assertNotContains(page, "/srv/leadit")
    assertNotContains(page, "hx-trigger")
    assert staff_client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_an_export_is_seen_by_whom_asked_and_the_secretariat_only(
    viewer_client, staff_client, django_user_model, small_threshold
):
    from django.contrib.auth.models import Group
    from django.test import Client

    assert viewer_client.get("/pipeline/export.csv").status_code == 303
    run_queued_tasks()
    job = Job.objects.get()
    other = django_user_model.objects.create_user("olga")
    other.groups.add(Group.objects.get(name="Viewer"))
    other_client = Client()
    other_client.force_login(other)

    def status(client, url):
        response = client.get(url)
        if response.streaming:  # read to the end, so that the test client closes it (a file)
            b"".join(response.streaming_content)
        return response.status_code

    for url in (job.get_absolute_url(), f"/exports/{job.pk}/download/"):
        assert status(viewer_client, url) == 200
        assert status(staff_client, url) == 200  # the Secretariat sees every export
        assert status(other_client, url) == 404
        assert status(Client(), url) == 302  # the login
    assertContains(viewer_client.get("/exports/"), job.filename)
    assertNotContains(other_client.get("/exports/"), job.filename)
    assertContains(staff_client.get("/exports/"), "vera")


def test_invalid_filters_are_refused_before_any_job(staff_client, small_threshold):
    response = staff_client.get("/pipeline/export.csv?capex_min=lots")
    assert response.status_code == 422 and not Job.objects.exists()


# --- The admin's limits ------------------------------------------------------------------


def test_admin_export_above_the_row_limit_is_refused_with_the_limit(staff_client, settings):
    ProjectFactory.create_batch(3)
    settings.EXPORT_INLINE_MAX_ROWS = 2
    response = staff_client.post(
        "/admin/partnerships/project/export/",
        {"format": "1", "resource": "0", "projectresource_name": "on"},
    )
    assert response.status_code == 200 and "Content-Disposition" not in response
    assertContains(response, "the admin exports at most 2 at a time")


def test_deleting_a_job_deletes_its_file(staff_client, small_threshold):
    staff_client.get("/pipeline/export.csv")
    run_queued_tasks()
    job = Job.objects.get()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    job.delete()
    assert not storage.exists(name)


def test_the_user_menu_links_to_the_exports(viewer_client):
    assertContains(viewer_client.get("/pipeline/"), 'href="/exports/"')


def test_a_job_whose_file_is_gone_answers_404(staff_client, small_threshold):
    staff_client.get("/pipeline/export.csv")
    run_queued_tasks()
    job = Job.objects.get()
    job.file.storage.delete(job.file.name)
    assert staff_client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_the_jobs_pages_are_titled_for_every_kind_of_job_they_hold(viewer_client, viewer_user):
    """Exports, imports and bulk changes are listed together, each with its kind."""
    for kind, title in (
        (Job.Kind.EXPORT, "Projects (CSV)"),
        (Job.Kind.IMPORT_CHECK, "Check of orgs.csv"),
        (Job.Kind.BULK, "Projects: mark verified today (3)"),
    ):
        job = Job.objects.create(kind=kind, owner=viewer_user, title=title, path="/pipeline/")
    menu = viewer_client.get("/pipeline/")
    assertContains(menu, '<a href="/exports/">Background jobs</a>', html=True)
    listed = viewer_client.get("/exports/")
    assertContains(listed, "<title>Background jobs · LeadIT Tracker</title>", html=True)
    assertContains(listed, "<h1>Background jobs</h1>", html=True)
    for kind in ("Export", "Import check", "Bulk change"):
        assertContains(listed, f"<td>{kind}</td>", html=True)
    page = viewer_client.get(job.get_absolute_url())
    breadcrumb = page.content.decode().split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert '<a href="/exports/">Background jobs</a>' in breadcrumb
    assertContains(page, "<h1>Projects: mark verified today (3)</h1>", html=True)
    assertNotContains(page, ">Exports<")


def test_the_jobs_list_names_who_asked_by_name_in_fixed_queries(
    staff_client, viewer_user, django_user_model
):
    """The Secretariat's list says who asked as every page names a person (full name, else
    username), without a query per job."""
    viewer_user.first_name, viewer_user.last_name = "Vera", "Viewer"
    viewer_user.save()
    olga = django_user_model.objects.create_user("olga")

    def listed():
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get("/exports/")
        return response, len(queries)

    Job.objects.create(owner=viewer_user, title="Projects (CSV)", path="/pipeline/")
    Job.objects.create(owner=olga, title="Contacts (CSV)", path="/contacts/")
    response, few = listed()
    assertContains(response, "<td>Vera Viewer</td>", html=True)
    assertContains(response, "<td>olga</td>", html=True)
    assertNotContains(response, "<td>vera</td>", html=True)
    for i in range(5):
        owner = django_user_model.objects.create_user(f"user{i}", first_name=f"Person {i}")
        Job.objects.create(owner=owner, title="Members (CSV)", path="/members/")
    response, many = listed()
    assertContains(response, "<td>Person 4</td>", html=True)
    assert many == few == 4  # session, user, permissions, the jobs with their owners
