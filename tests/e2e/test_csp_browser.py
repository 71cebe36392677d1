"""In a real browser: no page type breaks the Content-Security-Policy."""

import pytest

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PAGES = [
    "/",
    "/pipeline/?sector=steel",
    "/pipeline/1/",
    "/pipeline/1/edit/",
    "/members/",
    "/partnerships/1/",
    "/history/",
    "/admin/",
    "/admin/partnerships/project/1/change/",
]


def test_no_page_violates_the_content_security_policy(page, site):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, site)
    for path in PAGES:
        response = page.goto(f"{site}{path}", wait_until="networkidle")
        assert response.status == 200, path
    # htmx itself runs under the policy: a filter change swaps the results in place.
    page.goto(f"{site}/pipeline/")
    page.get_by_role("group", name="Stage").get_by_label("Construction").check()
    page.wait_for_url("**stage=construction**")
    assert violations == []
