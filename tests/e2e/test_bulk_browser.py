"""In a real browser: bulk verification of pipeline rows, preview then confirm."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from partnerships.models import Project

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bulk_verify_selected_rows(page, site):
    old = datetime.date(2020, 1, 1)
    Project.objects.update(last_verified_on=old)  # in bulk: versions unchanged
    log_in(page, site)
    page.get_by_role("group", name="Sector").get_by_label("Iron and steel").check()
    expect(page).to_have_url(re.compile(r"sector=steel"))
    expect(page.locator("#results")).to_contain_text("Stegra Boden")
    steel = set(Project.objects.filter(sector__slug="steel").values_list("pk", flat=True))

    # One row by its own checkbox, then the whole page.
    page.get_by_label("Select Stegra Boden").check()
    page.get_by_label("Select this page").check()
    expect(page.locator('input[name="pick"]:not(:checked)')).to_have_count(0)
    shown = page.locator('input[name="pick"]').count()
    page.get_by_label("Action").select_option(label="Mark verified today")
    page.get_by_role("button", name="Preview…").click()

    expect(page.get_by_role("heading", name="Change projects")).to_be_visible()
    expect(page.locator("[data-bulk-count]")).to_have_text(str(shown))
    assert not Project.objects.exclude(last_verified_on=old).exists()  # nothing yet
    page.get_by_role("button", name=re.compile(r"^Change \d+ projects?$")).click()

    expect(page).to_have_url(re.compile(r"/pipeline/\?.*sector=steel"))
    expect(page.get_by_text(f"Mark verified today: {shown} project")).to_be_visible()
    verified = set(
        Project.objects.filter(last_verified_on=datetime.date.today()).values_list("pk", flat=True)
    )
    assert len(verified) == shown and verified <= steel
    stegra = Project.objects.get(name__startswith="Stegra Boden")
    assert stegra.history.latest("history_id").history_user.username == "officer"


def test_a_large_bulk_change_runs_in_the_background_with_progress_then_a_summary(
    page, site, settings, monkeypatch, django_user_model
):
    from leadit.jobs.models import Job
    from leadit.sections import bulk
    from tests.background import run_queued_tasks

    settings.BULK_INLINE_MAX = 5  # the demo's pipeline is larger
    settings.BULK_BATCH_SIZE = 10
    old = datetime.date(2020, 1, 1)
    Project.objects.update(last_verified_on=old)
    total = Project.objects.count()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, site)
    page.get_by_label(re.compile(r"All \d+ matching the filters")).check()
    page.get_by_label("Action").select_option(label="Mark verified today")
    page.get_by_role("button", name="Preview…").click()
    expect(page.locator("[data-bulk-count]")).to_have_text(str(total))
    expect(page.locator("[data-bulk-when]")).to_contain_text("In the background")
    # Someone else edits a project between the preview and the change.
    olga = django_user_model.objects.create_user("olga", first_name="Olga", last_name="Berg")
    edited = Project.objects.get(name__startswith="Stegra Boden")
    edited.name, edited._history_user = "Stegra Boden (renamed)", olga
    edited.save()
    page.get_by_role("button", name=re.compile(r"^Change [\d,]+ projects$")).click()

    expect(page).to_have_url(re.compile(r"/exports/\d+/$"))
    status = page.locator("#job-status")
    expect(status).to_contain_text("Queued")
    page.evaluate("window.__noReload = true")

    # The worker, watched between its batches: the page shows how far it is by itself.
    real = bulk.chunks

    def watched(items, size):
        for number, chunk in enumerate(real(items, size)):
            if number == 1:
                expect(status).to_contain_text(f"Running: 10 of {total} records done")
                expect(status.locator("progress")).to_be_visible()
            yield chunk

    monkeypatch.setattr(bulk, "chunks", watched)
    run_queued_tasks()
    expect(status).to_contain_text(f"Done: {total - 1} of {total} projects changed", timeout=10_000)
    expect(status).to_contain_text("1 left out: edited by someone else")
    expect(status.get_by_role("link", name="Stegra Boden (renamed)")).to_be_visible()
    expect(status).to_contain_text("by Olga Berg")
    assert page.evaluate("window.__noReload") is True
    assert Job.objects.get().state == Job.State.DONE
    assert Project.objects.filter(last_verified_on=datetime.date.today()).count() == total - 1
    page.get_by_role("link", name="Back to the list").click()
    expect(page).to_have_url(f"{site}/pipeline/")
    assert violations == []
