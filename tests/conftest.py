"""Personas (healthchecks style): anonymous, viewer and Secretariat staff, as logged-in clients."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client

from leadit.roles import FOCAL_POINT, SECRETARIAT, TRACKER_APPS, VIEWER


def ensure_roles() -> None:
    """The two groups as the roles migration makes them. Transactional tests (browser tests,
    backup and restore) flush every table, groups included, so they call this first."""
    tracker = Permission.objects.filter(content_type__app_label__in=TRACKER_APPS)
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    secretariat.permissions.set(tracker)
    secretariat.permissions.add(Permission.objects.get(codename="see_all_exports"))
    secretariat.permissions.add(Permission.objects.get(codename="see_internal"))
    secretariat.permissions.add(
        *Permission.objects.filter(codename__in=["view_undeliveredmail", "delete_undeliveredmail"])
    )
    viewer, _ = Group.objects.get_or_create(name=VIEWER)
    viewer.permissions.set(tracker.filter(codename__startswith="view_"))
    focal_point, _ = Group.objects.get_or_create(name=FOCAL_POINT)
    focal_point.permissions.set(tracker.filter(codename__startswith="view_"))
    # Proposals (leadit.proposals): focal points make them, the Secretariat decides.
    from leadit.proposals.roles import grant_proposal_permissions

    grant_proposal_permissions()


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached figures (the dashboard's pace) must not leak from one test into another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def secretariat_user(db, django_user_model):
    user = django_user_model.objects.create_user("sam", password="unused-in-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


@pytest.fixture
def viewer_user(db, django_user_model):
    user = django_user_model.objects.create_user("vera", password="unused-in-tests")
    user.groups.add(Group.objects.get(name=VIEWER))
    return user


@pytest.fixture
def make_focal_point(db, django_user_model):
    """make_focal_point(*organisations, username=...) -> a user in the Focal point role who
    speaks for those organisations."""
    from members.models import FocalPoint

    def make(*organisations, username="fiona"):
        user = django_user_model.objects.create_user(username, password="unused-in-tests")
        user.groups.add(Group.objects.get(name=FOCAL_POINT))
        FocalPoint.objects.create(user=user).organisations.set(organisations)
        return user

    return make


@pytest.fixture
def staff_client(secretariat_user):
    client = Client()
    client.force_login(secretariat_user)
    return client


@pytest.fixture
def viewer_client(viewer_user):
    client = Client()
    client.force_login(viewer_user)
    return client


@pytest.fixture
def csrf_staff_client(secretariat_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_user)
    return client


@pytest.fixture(autouse=True)
def roles(request):
    """Every test that uses the database finds the two roles, whatever ran before it on the
    same worker: transactional tests end by flushing every table, groups included."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not {"db", "transactional_db", "live_server"} & names:
        return
    transactional = (marker and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & names
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    if Group.objects.filter(name__in=(SECRETARIAT, VIEWER, FOCAL_POINT)).count() != 3:
        ensure_roles()
