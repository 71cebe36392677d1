"""In a real browser: an export too large for a request becomes a job whose page follows it
(htmx polling, under the Content-Security-Policy) and offers the file when it is ready."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from leadit.jobs.models import Job
from tests.background import run_queued_tasks

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_large_export_is_followed_on_its_page_and_downloaded(page, site, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 5  # the demo's pipeline is larger
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, site)
    page.get_by_role("link", name="Excel").click()
    expect(page).to_have_url(re.compile(r"/exports/\d+/$"))
    status = page.locator("#job-status")
    expect(status).to_contain_text("Queued")
    expect(status).to_contain_text("too many to export while you wait")

    page.evaluate("window.__noReload = true")
    run_queued_tasks()  # the worker; the page is not reloaded, it asks again by itself
    expect(status).to_contain_text("Ready", timeout=10_000)
    assert page.evaluate("window.__noReload") is True
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Download leadit-pipeline-.*\.xlsx")).click()
    download = download_info.value
    assert Path(download.path()).read_bytes().startswith(b"PK")
    assert Job.objects.get().state == Job.State.DONE
    assert violations == []
