"""Bulk changes from a list (leadit.sections.bulk): preview, confirm, versions, permissions."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

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
def test_the_report_names_who_edited_a_record_meanwhile(staff_client, django_user_model):
    olga = django_user_model.objects.create_user("olga", first_name="Olga", last_name="Berg")
    fresh, edited = ProjectFactory(), ProjectFactory()
    shown = picks(fresh, edited)
    edited.name, edited._history_user = "Renamed by Olga", olga
    edited.save()
    response = staff_client.post(BULK, {"action": "verify", "step": "confirm", "pick": shown})
    assert (
        "1 not changed: edited by someone else since the list was shown "
        "(“Renamed by Olga” by Olga Berg). Reload the list and try again."
    ) in messages_of(response)


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
def test_limit(staff_client, settings):
    settings.BULK_MAX_RECORDS = 2
    records = [ProjectFactory() for _ in range(3)]
    response = staff_client.post(BULK, {"action": "verify", "pick": picks(*records)})
    assert response.status_code == 422
    assert "3 records selected: at most 2 can be changed at once" in response.content.decode()
    response = staff_client.post(BULK, {"action": "verify", "all": "1"})
    assert response.status_code == 422


def _confirm_queries(client, n, action="verify", **extra):
    """The queries of confirming `action` on n new projects (all fresh)."""
    records = ProjectFactory.create_batch(n)
    data = {"action": action, "step": "confirm", "pick": picks(*records), **extra}
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(BULK, data).status_code == 303
    # Savepoints (each batch is a transaction of its own; here inside the test's) aside.
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_batch(staff_client):
    # One read of the batch, one UPDATE of its changed fields and version, one INSERT of its
    # audit-trail entries: the same for 4 records as for 12.
    small, large = _confirm_queries(staff_client, 4), _confirm_queries(staff_client, 12)
    assert len(small) == len(large)
    assert sum(sql.startswith("SELECT") and "partnerships_project" in sql for sql in large) == 1
    assert sum(sql.startswith("UPDATE") and "partnerships_project" in sql for sql in large) == 1
    history = [sql for sql in large if sql.startswith("INSERT") and "historicalproject" in sql]
    assert len(history) == 1


@pytest.mark.django_db
def test_queries_grow_only_per_batch(staff_client, settings):
    settings.BULK_BATCH_SIZE = 4
    one, two, three = (_confirm_queries(staff_client, n) for n in (4, 8, 12))
    # Each batch: its read (locked), its UPDATE, its audit-trail INSERT.
    assert len(three) - len(two) == len(two) - len(one) == 3
    partnership = PartnershipFactory()
    move = {"bulk-partnership": partnership.pk, "bulk-working_group": ""}
    one, three = (_confirm_queries(staff_client, n, "move", **move) for n in (4, 12))
    assert len(three) - len(one) == 2 * 3


@pytest.mark.django_db
def test_a_bulk_change_bumps_versions_and_keeps_the_audit_trail_whole(
    staff_client, secretariat_user
):
    before = ProjectFactory(confidence="high")
    stamp = before.updated_at
    data = {"action": "confidence", "step": "confirm", "pick": picks(before)}
    staff_client.post(BULK, {**data, "bulk-confidence": "low"})
    after = Project.objects.get(pk=before.pk)
    assert after.confidence == "low" and after.version == 2 and after.updated_at > stamp
    entry = after.history.latest("history_id")
    assert (entry.history_type, entry.confidence, entry.version) == ("~", "low", 2)
    assert entry.history_user == secretariat_user
    assert entry.history_change_reason == "Bulk change: Set the confidence"
    # The stale-edit merge reads the trail: the entry is the record as it now is.
    assert entry.updated_at == after.updated_at and entry.name == after.name


@pytest.mark.django_db
def test_search_text_follows_a_bulk_change_of_searched_fields(secretariat_user):
    """No list offers renaming in bulk; an action that changed a searched field would keep
    search_text right although bulk_update sends no pre_save."""

    def rename(record, data):
        record.name = "Ñew Kíln"
        return ["name"]

    project = ProjectFactory(name="Old kiln")
    action = bulk.BulkAction("rename", "Rename", apply=rename)
    outcome = bulk.apply_change(Project, action, {}, {project.pk: 1}, secretariat_user)
    assert outcome.changed == 1
    assert Project.objects.filter(search_text__contains="new kiln").get() == project
    assert not Project.objects.filter(search_text__contains="old").exists()
    # The fields the list's actions change are not searched: their search text stays right.
    searched = set(Project.search_text_fields)
    assert not searched & {"last_verified_on", "confidence", "partnership", "working_group"}


@pytest.mark.django_db
def test_values_that_differ_per_record_are_written_by_one_bulk_update(secretariat_user):
    """The list's actions give every record the same value (one UPDATE); an action whose value
    depends on the record is written with bulk_update, still one statement per batch."""

    def lower(record, data):
        record.confidence = {"high": "medium", "medium": "low"}[record.confidence]
        return ["confidence"]

    high, medium = ProjectFactory(confidence="high"), ProjectFactory(confidence="medium")
    action = bulk.BulkAction("lower", "Lower the confidence", apply=lower)
    with CaptureQueriesContext(connection) as ctx:
        bulk.apply_change(Project, action, {}, {high.pk: 1, medium.pk: 1}, secretariat_user)
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1 and "CASE WHEN" in updates[0]
    high.refresh_from_db()
    medium.refresh_from_db()
    assert (high.confidence, high.version, medium.confidence, medium.version) == (
        "medium",
        2,
        "low",
        2,
    )
    assert high.history.latest("history_id").confidence == "medium"


@pytest.mark.django_db
def test_a_bulk_change_queues_the_dashboard_refresh(staff_client):
    from partnerships import dashboard

    from .background import committed, queued

    with committed():
        project = ProjectFactory()
    DBTaskResult.objects.all().delete()  # the refresh its creation queued
    with committed():
        data = {"action": "verify", "step": "confirm", "pick": picks(project)}
        staff_client.post(BULK, data)
    # bulk_update sends no post_save: the bulk change's own signal queued it.
    assert queued(dashboard.refresh_dashboard) == 1


@pytest.mark.django_db
def test_the_preview_carries_a_signed_selection(staff_client):
    a, b = ProjectFactory(), ProjectFactory()
    page = staff_client.post(BULK, {"action": "verify", "step": "preview", "pick": picks(a, b)})
    token = page.context["selection"]
    assert f'name="selection" value="{token}"' in page.content.decode()
    assert 'name="pick"' not in page.content.decode()
    assert bulk.decode_selection(Project, token) == {a.pk: 1, b.pk: 1}
    altered = staff_client.post(
        BULK, {"action": "verify", "step": "confirm", "selection": token[:-2] + "xx"}
    )
    assert altered.status_code == 422 and "altered" in altered.content.decode()
    other = staff_client.post(
        "/engagements/bulk/", {"action": "verify", "step": "confirm", "selection": token}
    )
    assert other.status_code == 422 and a.history.count() == 1
    done = staff_client.post(BULK, {"action": "verify", "step": "confirm", "selection": token})
    assert "Mark verified today: 2 projects changed." in messages_of(done)


@pytest.mark.django_db
def test_the_preview_says_whether_the_change_runs_now_or_in_the_background(staff_client, settings):
    settings.BULK_INLINE_MAX = 2
    records = ProjectFactory.create_batch(3)
    data = {"action": "verify", "step": "preview"}
    now = staff_client.post(BULK, {**data, "pick": picks(*records[:2])}).content.decode()
    assert "<strong>Now:</strong>" in now and "At most 50,000 records" in now
    later = staff_client.post(BULK, {**data, "all": "1"}).content.decode()
    assert "<strong>In the background:</strong>" in later and "more than 2 records" in later
    assert "<strong data-bulk-count>3</strong>" in later


@pytest.mark.django_db
def test_unknown_action_and_empty_selection(staff_client):
    assert staff_client.post(BULK, {"action": "nope"}).status_code == 422
    response = staff_client.post(BULK, {"action": "verify", "pick": ["x:1", "2"]})
    assert response.status_code == 422
    assert "No records selected" in response.content.decode()
    assert Project.objects.count() == 0
