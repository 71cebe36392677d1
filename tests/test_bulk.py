"""Bulk changes from a list (leadit.sections.bulk): preview, confirm, versions, permissions."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leadit.sections import bulk
from partnerships.models import Partnership, Project

from .factories import PartnershipFactory, ProjectFactory, WorkingGroupFactory

BULK = "/pipeline/bulk/"


def picks(*records):
    return [f"{r.pk}:{r.version}" for r in records]


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_list_offers_checkboxes_to_staff_not_viewers(staff_client, viewer_client):
    project = ProjectFactory()
    page = staff_client.get(reverse("partnerships:project_list")).content.decode()
    assert f'name="pick" value="{project.pk}:{project.version}"' in page
    assert 'id="bulk"' in page and "All 1 matching the filters" in page
    page = viewer_client.get(reverse("partnerships:project_list")).content.decode()
    assert 'name="pick"' not in page and 'id="bulk"' not in page


@pytest.mark.django_db
def test_viewer_gets_403(viewer_client):
    project = ProjectFactory()
    response = viewer_client.post(BULK, {"action": "verify", "pick": picks(project)})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.version == 1


@pytest.mark.django_db
def test_bulk_requires_csrf(csrf_staff_client):
    project = ProjectFactory()
    response = csrf_staff_client.post(BULK, {"action": "verify", "pick": picks(project)})
    assert response.status_code == 403


@pytest.mark.django_db
def test_verify_preview_then_confirm_with_audit_trail(staff_client, secretariat_user):
    old = datetime.date(2020, 1, 1)
    a, b, untouched = (ProjectFactory(last_verified_on=old) for _ in range(3))
    response = staff_client.post(BULK, {"action": "verify", "step": "preview", "pick": picks(a, b)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mark verified today" in page and "<strong data-bulk-count>2</strong>" in page
    a.refresh_from_db()
    assert a.last_verified_on == old  # a preview changes nothing
    response = staff_client.post(BULK, {"action": "verify", "step": "confirm", "pick": picks(a, b)})
    assert response.status_code == 303
    assert "Mark verified today: 2 projects changed." in messages_of(response)
    for record in (a, b):
        record.refresh_from_db()
        assert record.last_verified_on == datetime.date.today()
        latest = record.history.latest("history_id")
        assert latest.history_user == secretariat_user
        assert record.history.count() == 2  # created, then one entry for the bulk change
    untouched.refresh_from_db()
    assert untouched.last_verified_on == old


@pytest.mark.django_db
def test_all_matching_the_filters(staff_client):
    kept = ProjectFactory(name="Steel one", last_verified_on=datetime.date(2020, 1, 1))
    other = ProjectFactory(name="Cement two", last_verified_on=datetime.date(2020, 1, 1))
    url = f"{BULK}?q=Steel"
    preview = staff_client.post(url, {"action": "verify", "step": "preview", "all": "1"})
    assert preview.status_code == 200
    assert "<strong data-bulk-count>1</strong>" in preview.content.decode()
    done = staff_client.post(url, {"action": "verify", "step": "confirm", "pick": picks(kept)})
    assert done.status_code == 303 and done["Location"] == "/pipeline/?q=Steel"
    kept.refresh_from_db()
    other.refresh_from_db()
    assert kept.last_verified_on == datetime.date.today()
    assert other.last_verified_on == datetime.date(2020, 1, 1)


@pytest.mark.django_db
def test_version_conflict_is_reported_not_overwritten(staff_client):
    fresh, edited = ProjectFactory(), ProjectFactory()
    shown = picks(fresh, edited)
    edited.name = "Renamed meanwhile"
    edited.save()
    preview = staff_client.post(BULK, {"action": "confidence", "step": "preview", "pick": shown})
    assert "1 edited by someone else" in preview.content.decode()
    response = staff_client.post(
        BULK,
        {"action": "confidence", "step": "confirm", "pick": shown, "bulk-confidence": "low"},
    )
    assert response.status_code == 303
    fresh.refresh_from_db()
    edited.refresh_from_db()
    assert fresh.confidence == "low"
    assert edited.confidence != "low" and edited.version == 2
    assert any("edited by someone else" in m for m in messages_of(response))


@pytest.mark.django_db
def test_set_confidence_needs_a_valid_value(staff_client):
    project = ProjectFactory()
    response = staff_client.post(
        BULK,
        {"action": "confidence", "step": "confirm", "pick": picks(project), "bulk-confidence": "x"},
    )
    assert response.status_code == 422
    project.refresh_from_db()
    assert project.version == 1


@pytest.mark.django_db
def test_move_to_partnership_and_working_group(staff_client):
    group = WorkingGroupFactory()
    other = PartnershipFactory()
    project = ProjectFactory()
    data = {"action": "move", "step": "confirm", "pick": picks(project)}
    # A working group of another partnership is refused.
    wrong = {**data, "bulk-partnership": other.pk, "bulk-working_group": group.pk}
    assert staff_client.post(BULK, wrong).status_code == 422
    right = {**data, "bulk-partnership": group.partnership.pk, "bulk-working_group": group.pk}
    assert staff_client.post(BULK, right).status_code == 303
    project.refresh_from_db()
    assert project.partnership == group.partnership and project.working_group == group


@pytest.mark.django_db
def test_delete_reports_protected_records(staff_client):
    used, free = PartnershipFactory(), PartnershipFactory()
    ProjectFactory(partnership=used)
    url = "/partnerships/bulk/"
    data = {"action": "delete", "pick": picks(used, free)}
    preview = staff_client.post(url, {**data, "step": "preview"}).content.decode()
    assert "Some cannot be deleted" in preview
    response = staff_client.post(url, {**data, "step": "confirm"})
    assert response.status_code == 303
    assert Partnership.objects.filter(pk=used.pk).exists()
    assert not Partnership.objects.filter(pk=free.pk).exists()
    assert any("1 not deleted: other records depend on them" in m for m in messages_of(response))


@pytest.mark.django_db
def test_limit(staff_client, monkeypatch):
    monkeypatch.setattr(bulk, "BULK_MAX_RECORDS", 2)
    records = [ProjectFactory() for _ in range(3)]
    response = staff_client.post(BULK, {"action": "verify", "pick": picks(*records)})
    assert response.status_code == 422
    assert "3 records selected: at most 2 can be changed at once" in response.content.decode()
    response = staff_client.post(BULK, {"action": "verify", "all": "1"})
    assert response.status_code == 422


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_batch(staff_client):
    def run(n):
        records = [ProjectFactory() for _ in range(n)]
        data = {"action": "verify", "step": "confirm", "pick": picks(*records)}

        with CaptureQueriesContext(connection) as ctx:
            staff_client.post(BULK, data)
        # Each record is saved (its UPDATE and its history INSERT, in a savepoint); the
        # batch is read in one query, whatever its size.
        return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]

    small, large = run(2), run(6)
    assert len(small) == len(large)
    assert sum("partnerships_project" in sql for sql in large) == 1


@pytest.mark.django_db
def test_unknown_action_and_empty_selection(staff_client):
    assert staff_client.post(BULK, {"action": "nope"}).status_code == 422
    response = staff_client.post(BULK, {"action": "verify", "pick": ["x:1", "2"]})
    assert response.status_code == 422
    assert "No records selected" in response.content.decode()
    assert Project.objects.count() == 0
