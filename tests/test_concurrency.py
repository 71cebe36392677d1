"""Officers working on the same project at the same moment, each on their own database
connection (threads), against PostgreSQL's row locks: nothing they were told was saved is lost."""

import datetime
import itertools
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from leadit.roles import SECRETARIAT
from leadit.sections.editing import form_data
from partnerships.models import Project, StageChange

from .conftest import ensure_roles
from .factories import ProjectFactory

pytestmark = [
    pytest.mark.serial,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite runs one writer at a time by design "
        "(CI runs this module on PostgreSQL)",
    ),
]
OFFICERS = 6


def officers(django_user_model) -> list[Client]:
    ensure_roles()
    secretariat = Group.objects.get(name=SECRETARIAT)
    clients = []
    for n in range(OFFICERS):
        user = django_user_model.objects.create_user(f"officer{n}", is_staff=True)
        user.groups.add(secretariat)
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def at_once(clients, request) -> list:
    """Each client makes its request in its own thread, released together."""
    barrier, results = threading.Barrier(len(clients)), [None] * len(clients)

    def run(n, client):
        try:
            barrier.wait()
            results[n] = request(n, client)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_stage_changes_are_all_recorded_in_order(django_user_model):
    project = ProjectFactory(stage=Project.Stage.IDENTIFIED)
    before = StageChange.objects.filter(project=project).count()
    targets = ["pre_feasibility", "feasibility", "financing", "fid", "construction", "paused"]
    today = datetime.date.today().isoformat()

    def move(n, client):
        return client.post(
            f"/pipeline/{project.pk}/stage/",
            {"to_stage": targets[n], "changed_on": today, "note": f"by officer {n}"},
        ).status_code

    statuses = at_once(officers(django_user_model), move)
    assert set(statuses) <= {302, 422}, statuses  # saved, or refused with a reason; never a 500
    moved = statuses.count(302)
    assert moved >= 1
    project.refresh_from_db()
    changes = list(StageChange.objects.filter(project=project).order_by("pk"))[before:]
    # One stage change per accepted move, each starting where the previous one ended.
    assert len(changes) == moved
    assert project.stage == changes[-1].to_stage
    for earlier, later in itertools.pairwise(changes):
        assert later.from_stage == earlier.to_stage
    assert project.version == 1 + moved


def test_concurrent_edits_of_the_same_version_let_exactly_one_through(django_user_model):
    project = ProjectFactory(name="Shared plant", capex_musd=100)
    clients = officers(django_user_model)
    url = f"/pipeline/{project.pk}/edit/"
    forms = [form_data(client.get(url).context["form"]) for client in clients]

    def save(n, client):
        return client.post(url, {**forms[n], "capex_musd": str(200 + n)}).status_code

    statuses = at_once(clients, save)
    assert sorted(statuses) == [302] + [409] * (OFFICERS - 1), statuses
    project.refresh_from_db()
    assert project.version == 2
    # The one saved is the one the audit trail shows; the others were told and lost nothing.
    assert project.history.first().capex_musd == project.capex_musd


def test_the_same_proposal_sent_twice_at_once_is_stored_once(django_user_model):
    """A double click, or two colleagues at the same moment: the check for a proposal already
    waiting runs under a lock on the record, so exactly one is stored."""
    from leadit.proposals.models import Proposal
    from leadit.proposals.views import proposal_form
    from leadit.roles import FOCAL_POINT
    from members.models import FocalPoint
    from partnerships.forms import ProjectForm

    project = ProjectFactory(name="Shared plant", capex_musd=100)
    clients = []
    for n in range(OFFICERS):
        user = django_user_model.objects.create_user(f"focal{n}")
        user.groups.add(Group.objects.get_or_create(name=FOCAL_POINT)[0])
        FocalPoint.objects.create(user=user).organisations.set([project.sponsor])
        client = Client()
        client.force_login(user)
        clients.append((client, user))
    ensure_roles()
    url = f"/pipeline/{project.pk}/propose/"

    def send(n, pair):
        client, user = pair
        data = form_data(proposal_form(ProjectForm)(instance=project, user=user))
        data = {name: data.getlist(name) for name in data}
        return client.post(url, {**data, "capex_musd": "250"}).status_code

    statuses = at_once(clients, send)
    assert sorted(statuses) == [302] + [422] * (OFFICERS - 1), statuses
    assert Proposal.objects.count() == 1
