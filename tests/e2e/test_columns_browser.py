"""The list's column choices in a browser: choosing a column shows it at once, and filtering
keeps short URLs until a reader chooses."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_choosing_a_column_shows_it_and_keeps_it_while_filtering(page, site):
    log_in(page, site)
    page.get_by_role("group", name="Sector").get_by_label("Iron and steel").check()
    expect(page).to_have_url(re.compile(r"sector=steel$"))  # no columns in the URL yet
    page.get_by_text("Add columns", exact=True).click()
    page.get_by_role("group", name="Columns shown in the table").get_by_label("Region").check()
    expect(page.get_by_role("columnheader", name="Region")).to_be_visible()
    expect(page).to_have_url(re.compile(r"columns=country_region"))
    page.get_by_role("group", name="Stage").get_by_label("Construction").check()
    expect(page).to_have_url(re.compile(r"stage=construction"))
    expect(page.get_by_role("columnheader", name="Region")).to_be_visible()
