"""In a real browser: the dashboard's funnel bar opens the pipeline with the same count."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_funnel_bar_leads_to_the_same_count(page, site):
    log_in(page, site)
    page.goto(f"{site}/")
    funnel = page.locator("figure", has_text="Projects by stage")
    bar = funnel.locator("a.bars__row", has_text="Construction")
    figure = bar.locator(".bars__value").inner_text().strip()
    bar.click()
    expect(page).to_have_url(re.compile(r"/pipeline/\?stage=construction"))
    expect(page.locator(".results__count strong")).to_have_text(figure)
    expect(page.locator(".chip")).to_contain_text("Construction")
