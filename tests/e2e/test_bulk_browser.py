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
