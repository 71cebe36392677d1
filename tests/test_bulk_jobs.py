"""Bulk changes of more records than a request should wait for (BULK_INLINE_MAX): a job of the
background worker (leadit.jobs.bulk) with progress, the owner's permission checked again when it
runs, and a summary of what changed, what was edited meanwhile (by whom) and what could not be
deleted (why)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains, assertNotContains

from leadit.jobs import bulk as bulk_jobs
from leadit.jobs.models import Job
from leadit.sections import bulk
from partnerships import dashboard
from partnerships.models import Partnership, Project

from .background import committed, queued, run_queued_tasks
from .factories import PartnershipFactory, ProjectFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db
BULK = "/pipeline/bulk/"
STATUS = {"HX-Request": "true", "HX-Target": "job-status"}
OLD = datetime.date(2020, 1, 1)


@pytest.fixture
def small_limits(settings):
    settings.BULK_INLINE_MAX = 2
    settings.BULK_BATCH_SIZE = 2


def preview_all(client, url=BULK, action="verify", **data):
    response = client.post(url, {"action": action, "step": "preview", "all": "1", **data})
    assert response.status_code == 200
    return response


def confirm(client, preview, url=BULK, **data):
    action = preview.context["action"].name
    selection = preview.context["selection"]
    return client.post(url, {"action": action, "step": "confirm", "selection": selection, **data})


def test_a_large_change_runs_as_a_job_with_progress_and_a_summary(
    staff_client, secretariat_user, django_user_model, small_limits, monkeypatch
):
    projects = ProjectFactory.create_batch(5, last_verified_on=OLD)
    preview = preview_all(staff_client)
    assertContains(preview, "<strong>In the background:</strong>")
    # Edited by someone else between the preview and the job's run.
    olga = django_user_model.objects.create_user("olga", first_name="Olga", last_name="Berg")
    edited = projects[2]
    edited.name, edited._history_user = "Renamed meanwhile", olga
    edited.save()

    response = confirm(staff_client, preview)
    job = Job.objects.get()
    assert response.status_code == 303 and response["Location"] == f"/exports/{job.pk}/"
    assert (job.kind, job.state, job.total, job.owner) == ("bulk", "queued", 5, secretariat_user)
    assert queued(bulk_jobs.run_bulk_change) == 1
    assert not Project.objects.exclude(last_verified_on=OLD).exists()  # nothing yet
    page = staff_client.get(response["Location"])
    assertContains(page, "Queued")
    assertContains(page, 'hx-trigger="every 2s"')

    # What the page's polling shows between two batches.
    seen = []
    real = bulk.chunks

    def watched(items, size):
        for number, chunk in enumerate(real(items, size)):
            if number:
                seen.append(staff_client.get(job.get_absolute_url(), headers=STATUS))
            yield chunk

    monkeypatch.setattr(bulk, "chunks", watched)
    run_queued_tasks()
    assertContains(seen[0], "Running")
    assertContains(seen[0], "2 of 5 records done")
    assertContains(seen[1], "4 of 5 records done")
    assertContains(seen[1], 'value="80"')
    assert seen[0].content.decode().lstrip().startswith('<section id="job-status"')

    with CaptureQueriesContext(connection) as visit:
        done = staff_client.get(job.get_absolute_url(), headers=STATUS)
    assert len(visit) <= 10  # the summary is stored: the page only reads the job
    assertNotContains(done, "hx-trigger")  # polling stops
    assertContains(done, "<strong>Done:</strong> 4 of 5 projects changed")
    assertContains(done, "1 left out: edited by someone else")
    assertContains(done, f'<a href="/pipeline/{edited.pk}/">Renamed meanwhile</a>, by Olga Berg')
    assertContains(done, 'href="/pipeline/">Back to the list')
    job.refresh_from_db()
    assert job.state == "done" and job.progress == 5
    assert job.result["changed"] == 4 and job.result["stale_count"] == 1

    # Each record changed has one audit-trail entry crediting the job's owner.
    for project in Project.objects.exclude(pk=edited.pk):
        assert project.last_verified_on == datetime.date.today() and project.version == 2
        entry = project.history.latest("history_id")
        assert entry.history_user == secretariat_user and entry.history_type == "~"
        assert project.history.count() == 2
    edited.refresh_from_db()
    assert edited.last_verified_on == OLD and edited.version == 2


def test_the_owners_permission_is_checked_again_when_the_job_runs(
    staff_client, secretariat_user, small_limits
):
    ProjectFactory.create_batch(3, last_verified_on=OLD)
    confirm(staff_client, preview_all(staff_client))
    # No longer Secretariat staff by the time the worker runs the change.
    secretariat_user.groups.set([Group.objects.get(name="Viewer")])
    run_queued_tasks()
    job = Job.objects.get()
    assert job.state == "failed" and "may no longer change projects" in job.error
    assert not Project.objects.exclude(last_verified_on=OLD).exists()
    assert all(p.history.count() == 1 for p in Project.objects.all())


def test_a_move_confirmed_with_a_group_that_changed_partnership_meanwhile_is_refused(
    staff_client, small_limits
):
    group = WorkingGroupFactory()
    ProjectFactory.create_batch(3)
    move = {"bulk-partnership": group.partnership.pk, "bulk-working_group": group.pk}
    confirm(staff_client, preview_all(staff_client, action="move"), **move)
    group.partnership = PartnershipFactory()  # the model's rule would refuse the move now
    group.save()
    run_queued_tasks()
    job = Job.objects.get()
    assert job.state == "failed" and "no longer valid" in job.error
    assert not Project.objects.filter(working_group=group).exists()
    assertContains(staff_client.get(job.get_absolute_url()), "The bulk change failed")


def test_a_move_as_a_job(staff_client, small_limits):
    group = WorkingGroupFactory()
    projects = ProjectFactory.create_batch(3)
    move = {"bulk-partnership": group.partnership.pk, "bulk-working_group": group.pk}
    confirm(staff_client, preview_all(staff_client, action="move"), **move)
    run_queued_tasks()
    assert Job.objects.get().result["changed"] == 3
    for project in projects:
        project.refresh_from_db()
        assert (project.partnership, project.working_group) == (group.partnership, group)


def test_a_large_delete_reports_what_could_not_be_deleted_and_why(staff_client, small_limits):
    used = PartnershipFactory(name="Used partnership")
    ProjectFactory(partnership=used, name="Kiln of Used")
    free = PartnershipFactory.create_batch(3)
    url = "/partnerships/bulk/"
    preview = preview_all(staff_client, url, action="delete")
    assertContains(preview, "reported there, not deleted")
    assert confirm(staff_client, preview, url).status_code == 303
    run_queued_tasks()
    job = Job.objects.get()
    assert job.result["changed"] == 3 and job.result["blocked_count"] == 1
    page = staff_client.get(job.get_absolute_url())
    assertContains(page, "3 of 4 partnerships deleted")
    assertContains(page, "1 not deleted: other records depend on them")
    assertContains(page, "Used partnership</a>: 1 project depends on it (“Kiln of Used”)")
    assert list(Partnership.objects.all()) == [used]
    gone = Partnership.history.filter(history_type="-")
    assert sorted(e.id for e in gone) == sorted(p.pk for p in free)
    assert {e.history_user.username for e in gone} == {"sam"}


def test_the_limit_of_a_job_is_stated_and_kept(staff_client, settings, small_limits):
    settings.BULK_MAX_RECORDS = 3
    ProjectFactory.create_batch(3)
    assertContains(preview_all(staff_client), "At most 3 records can be changed at once")
    ProjectFactory()
    response = staff_client.post(BULK, {"action": "verify", "step": "preview", "all": "1"})
    assert response.status_code == 422
    assertContains(
        response, "4 records selected: at most 3 can be changed at once", status_code=422
    )
    assert not Job.objects.exists()


def test_the_dashboard_is_refreshed_after_a_job(staff_client, small_limits):
    with committed():
        ProjectFactory.create_batch(3)
    confirm(staff_client, preview_all(staff_client))
    DBTaskResult.objects.filter(task_path=dashboard.refresh_dashboard.module_path).delete()
    with committed():
        run_queued_tasks()
    assert queued(dashboard.refresh_dashboard) == 1


def test_a_bulk_job_is_seen_by_its_owner_and_the_secretariat_only(
    staff_client, small_limits, django_user_model
):
    from django.test import Client

    ProjectFactory.create_batch(3)
    confirm(staff_client, preview_all(staff_client))
    job = Job.objects.get()
    viewer = django_user_model.objects.create_user("olga")
    viewer.groups.add(Group.objects.get(name="Viewer"))
    other = Client()
    other.force_login(viewer)
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.get(f"/exports/{job.pk}/download/").status_code == 404
    listed = staff_client.get("/exports/")
    assertContains(listed, "Projects: mark verified today (3)")
