"""Admin imports too large to check while the officer waits: the file becomes a job, the worker
checks every row with progress, the job page shows the errors per row and column or a
"Confirm import" button, and the confirmed import is a second job, all or nothing."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from leadit.jobs import imports as job_imports
from leadit.jobs.models import Job
from leadit.sections import imports
from members.models import Organisation

from .background import committed, queued, run_queued_tasks

pytestmark = pytest.mark.django_db
STATUS = {"HX-Request": "true", "HX-Target": "job-status"}


@pytest.fixture
def small_limit(settings, monkeypatch):
    call_command("loaddata", "leadit", verbosity=0)
    settings.IMPORT_MAX_ROWS = 10
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 4)


def upload(client, lines, name="orgs.csv"):
    content = "\n".join(lines).encode()
    return client.post(
        "/admin/members/organisation/import/",
        {
            "import_file": SimpleUploadedFile(name, content, content_type="text/csv"),
            "format": "0",
            "resource": "0",
        },
    )


def organisations(count, start=0):
    return ["name,country"] + [f"Bulk org {n},IN" for n in range(start, start + count)]


def test_a_small_file_is_still_previewed_in_the_request(staff_client, small_limit):
    response = upload(staff_client, organisations(10))
    assert response.status_code == 200 and response.context["confirm_form"]
    assert not Job.objects.exists()


def test_a_large_file_becomes_a_job_checked_with_progress_then_confirmed_and_imported(
    staff_client, small_limit, monkeypatch
):
    seen = []
    real = job_imports.Job.objects.filter

    def spy(*args, **kwargs):
        found = real(*args, **kwargs)
        update = found.update

        def recording(**values):
            if "progress" in values:
                seen.append(values["progress"])
            return update(**values)

        found.update = recording
        return found

    def inline(*args, **kwargs):
        raise AssertionError("the request read the rows as records")

    with monkeypatch.context() as patched:
        patched.setattr(imports.TrackerResource, "import_data", inline)
        response = upload(staff_client, organisations(11))
    job = Job.objects.get()
    # The request stored the file and queued the check: no row was read as a record.
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert job.kind == "import_check" and job.state == "queued" and job.total == 11
    assert queued(job_imports.run_import) == 1
    assertContains(staff_client.get(job.get_absolute_url()), "waiting for the background worker")

    monkeypatch.setattr(job_imports.Job.objects, "filter", spy)
    run_queued_tasks()
    monkeypatch.undo()
    assert seen == [4, 8]  # progress every PROGRESS_EVERY rows
    job.refresh_from_db()
    assert job.state == "done" and job.result["new"] == 11
    assert not Organisation.objects.filter(name__startswith="Bulk org").exists()  # a check only
    status = staff_client.get(job.get_absolute_url(), headers=STATUS)
    assertContains(status, "The file is valid")
    assertContains(status, "would add 11 new")
    assertContains(status, "Confirm import")
    assertNotContains(status, "hx-trigger")  # finished: stops polling

    with committed():
        confirmed = staff_client.post(f"/exports/{job.pk}/import/")
    second = Job.objects.get(kind="import")
    assert confirmed["Location"] == second.get_absolute_url()
    assert not Organisation.objects.filter(name__startswith="Bulk org").exists()  # not inline
    # Confirming twice imports once.
    with committed():
        staff_client.post(f"/exports/{job.pk}/import/")
    assert Job.objects.filter(kind="import").count() == 1
    run_queued_tasks()
    assert Organisation.objects.filter(name__startswith="Bulk org").count() == 11
    assertContains(staff_client.get(second.get_absolute_url()), "Imported:</strong> 11 new")
    page = staff_client.get(job.get_absolute_url())
    assertNotContains(page, "Confirm import")
    assertContains(page, second.get_absolute_url())


def test_errors_are_shown_per_row_and_column_and_offer_no_confirmation(staff_client, small_limit):
    lines = organisations(11)
    lines[3] = "Bad org,Atlantis"
    upload(staff_client, lines)
    run_queued_tasks()
    job = Job.objects.get()
    page = staff_client.get(job.get_absolute_url())
    html = page.content.decode()
    assertContains(page, "The file has 1 error")
    assert "<td>3</td><td>country</td>" in html and "Atlantis" in html
    assert "Traceback" not in html and "Confirm import" not in html
    assert staff_client.post(f"/exports/{job.pk}/import/").status_code == 302
    assert not Job.objects.filter(kind="import").exists()


def test_a_file_with_unknown_columns_says_so_without_a_traceback(staff_client, small_limit):
    upload(staff_client, ["name,country,colour"] + [f"X{n},IN,red" for n in range(11)])
    run_queued_tasks()
    page = staff_client.get(Job.objects.get().get_absolute_url())
    assertContains(page, "Unknown column(s) colour")
    assertNotContains(page, "Traceback")


def test_the_import_is_all_or_nothing(staff_client, small_limit):
    upload(staff_client, organisations(11))
    run_queued_tasks()
    check = Job.objects.get()
    # The file the import reads turns out wrong in its second row (as if the data it refers to
    # changed since the check): its valid first row is not written either.
    with committed():
        staff_client.post(f"/exports/{check.pk}/import/")
    job = Job.objects.get(kind="import")
    job.file.save("broken.csv", SimpleUploadedFile("b.csv", b"name,country\nA org,IN\nB,XX\n"))
    run_queued_tasks()
    job.refresh_from_db()
    assert job.state == "done" and not job.result["valid"]
    assert not Organisation.objects.filter(name="A org").exists()
    assertContains(staff_client.get(job.get_absolute_url()), "Nothing was imported")


def test_an_import_job_is_seen_by_whom_asked_and_the_secretariat_only(
    staff_client, viewer_client, small_limit, django_user_model
):
    upload(staff_client, organisations(11))
    run_queued_tasks()
    job = Job.objects.get()
    assert viewer_client.get(job.get_absolute_url()).status_code == 404
    assert viewer_client.post(f"/exports/{job.pk}/import/").status_code == 403  # adds nothing
    assertNotContains(viewer_client.get("/exports/"), "orgs.csv")
    other = django_user_model.objects.create_user("sara", is_staff=True)
    other.groups.add(Group.objects.get(name="Secretariat"))
    other_client = Client()
    other_client.force_login(other)
    assertContains(other_client.get(job.get_absolute_url()), "Confirm import")
    assert Client().post(f"/exports/{job.pk}/import/").status_code == 302  # the login
    assert not Job.objects.filter(kind="import").exists()


def test_confirming_needs_the_add_permission_and_csrf(staff_client, small_limit):
    upload(staff_client, organisations(11))
    run_queued_tasks()
    job = Job.objects.get()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(job.owner)
    assert csrf_client.post(f"/exports/{job.pk}/import/").status_code == 403
    job.owner.groups.clear()
    # Reading every record, but adding none: the job is still theirs, the import is not.
    job.owner.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    assert staff_client.post(f"/exports/{job.pk}/import/").status_code == 403
    assert not Job.objects.filter(kind="import").exists()


def test_deleting_the_check_keeps_the_file_the_import_reads(staff_client, small_limit):
    upload(staff_client, organisations(11))
    run_queued_tasks()
    check = Job.objects.get()
    with committed():
        staff_client.post(f"/exports/{check.pk}/import/")
    job = Job.objects.get(kind="import")
    storage, name = job.file.storage, job.file.name
    check.delete()
    assert storage.exists(name)
    run_queued_tasks()
    assert Organisation.objects.filter(name__startswith="Bulk org").count() == 11
    job.delete()
    assert not storage.exists(name)
