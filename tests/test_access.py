"""The login wall over every URL (walked from the resolver), and the two roles."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver

from leadit.roles import SECRETARIAT, TRACKER_APPS, VIEWER

from .factories import (
    AssistanceFactory,
    EngagementFactory,
    ForumActivityFactory,
    MemberFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db
PUBLIC = {"/accounts/login/"}


def site_paths(resolver=None, prefix=""):
    """Every URL pattern of the site (not the admin), with 1 for each <int:pk>."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue
            yield from site_paths(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + (prefix + route).replace("<int:pk>", "1")


@pytest.fixture
def records():
    project = ProjectFactory(pk=1)
    EngagementFactory(pk=1)
    AssistanceFactory(pk=1, partnership__pk=1)
    ForumActivityFactory(pk=1)
    MemberFactory(pk=1)
    return project


def test_walk_finds_the_sections():
    paths = set(site_paths())
    assert {"/", "/pipeline/", "/members/", "/engagements/", "/partnerships/", "/forum/"} <= paths


@pytest.mark.parametrize("path", sorted(set(site_paths()) - PUBLIC))
def test_every_page_needs_login(client, records, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", sorted(set(site_paths()) - PUBLIC))
def test_every_post_needs_login(client, records, path):
    assert client.post(path).status_code == 302


def test_admin_needs_login(client):
    response = client.get("/admin/partnerships/project/")
    assert response.status_code == 302
    assert "login/?next=/admin/partnerships/project/" in response["Location"]


def test_login_page_is_a_real_page(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="password"' in response.content and b"LeadIT Tracker" in response.content


def test_logout_is_post_only(staff_client):
    assert staff_client.get("/accounts/logout/").status_code == 405
    assert staff_client.post("/accounts/logout/").status_code == 302
    assert staff_client.get("/pipeline/").status_code == 302


@pytest.mark.parametrize(
    "path", ["/", "/pipeline/", "/members/", "/engagements/", "/partnerships/", "/forum/"]
)
def test_viewer_and_secretariat_can_read_every_section(viewer_client, staff_client, path):
    assert viewer_client.get(path).status_code == 200
    assert staff_client.get(path).status_code == 200


def test_secretariat_group_can_do_everything_on_every_tracker_model():
    perms = set(Group.objects.get(name=SECRETARIAT).permissions.all())
    assert perms == set(Permission.objects.filter(content_type__app_label__in=TRACKER_APPS))


def test_viewer_group_can_only_view():
    perms = Group.objects.get(name=VIEWER).permissions.all()
    assert perms.exists()
    assert all(p.codename.startswith("view_") for p in perms)
    assert set(perms) == set(
        Permission.objects.filter(
            content_type__app_label__in=TRACKER_APPS, codename__startswith="view_"
        )
    )


def test_viewer_has_no_admin_access(viewer_client):
    response = viewer_client.get("/admin/")
    assert response.status_code == 302


def test_base_layout_has_navigation_htmx_and_csrf_header(staff_client):
    html = staff_client.get("/").content.decode()
    for pillar in ("Global Forum", "Technology transfer", "Partnerships"):
        assert pillar in html
    assert "htmx" in html and 'hx-headers=\'{"x-csrftoken": "' in html
    assert "cdn" not in html.lower()
    assert "Log out" in html
