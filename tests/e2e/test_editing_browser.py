"""In a real browser: create a record through the htmx form, fix an error in place, edit it."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Engagement

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_create_then_edit_an_engagement(page, site):
    log_in(page, site)
    page.goto(f"{site}/engagements/")
    page.get_by_role("link", name="Add engagement").click()
    expect(page.locator("h1")).to_have_text("New engagement")

    # Submitting with a required field missing shows the error in place, without a reload.
    page.evaluate("window.__noReload = true")
    page.fill("input[name=title]", "Electric kiln know-how for Kenya")
    page.get_by_role("button", name="Create engagement").click()
    expect(page.locator("#form")).to_contain_text("This field is required")
    assert page.evaluate("window.__noReload") is True

    # The searchable select: type, pick from the server's matches.
    page.fill("input[name=provider__search]", "heidelberg")
    expect(
        page.locator("select[name=provider] option", has_text="Heidelberg Materials")
    ).to_have_count(1)
    page.select_option("select[name=provider]", label="Heidelberg Materials")
    page.select_option("select[name=mode]", "knowledge_exchange")
    page.fill("input[name=next_step]", "Send kiln specifications")
    page.get_by_role("button", name="Create engagement").click()

    expect(page.locator("h1")).to_have_text("Electric kiln know-how for Kenya")
    expect(page.locator("#messages")).to_contain_text("created")
    expect(page.locator(".next-step")).to_contain_text("Send kiln specifications")
    record = Engagement.objects.get(title="Electric kiln know-how for Kenya")
    assert record.provider.name == "Heidelberg Materials"

    page.get_by_role("link", name="Edit", exact=True).click()
    page.fill("input[name=next_step]", "Visit the plant")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".next-step")).to_contain_text("Visit the plant")
    expect(page.locator("#messages")).to_contain_text("Saved changes")
    record.refresh_from_db()
    assert (record.next_step, record.version) == ("Visit the plant", 2)
