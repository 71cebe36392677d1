"""make backup / make restore: a dump that loads into an empty database and gives the same data."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from members.models import Member
from partnerships.models import Financing, Project, StageChange

from .conftest import ensure_roles
from .factories import ProjectFactory


def snapshot() -> dict:
    return {
        "projects": sorted(
            Project.objects.values_list("pk", "name", "stage", "capex_musd", "financing_gap_musd")
        ),
        "members": sorted(Member.objects.values_list("pk", "organisation__name", "joined_on")),
        "stages": StageChange.objects.count(),
        "financing": sorted(Financing.objects.values_list("pk", "amount_musd")),
        "history": Project.history.count(),
        "groups": sorted((g.name, g.permissions.count()) for g in Group.objects.all()),
        "users": sorted(
            (u.username, u.password, [g.name for g in u.groups.all()])
            for u in get_user_model().objects.all()
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_the_same_records(
    tmp_path, django_user_model
):
    ensure_roles()
    call_command("loaddata", "leadit", verbosity=0)
    officer = django_user_model.objects.create_user("officer", password="x-unused-x")
    officer.groups.add(Group.objects.get(name="Secretariat"))
    project = Project.objects.get(pk=ProjectFactory(name="Edited after load").pk)
    project.capex_musd = 77
    project.save()
    before = snapshot()
    out = io.StringIO()
    call_command("backup", directory=str(tmp_path), stdout=out)
    (dump,) = tmp_path.glob("leadit-*.json.gz")
    assert "make restore FILE=" in out.getvalue()

    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(dump), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)  # an empty database, schema in place
    call_command("restore", str(dump), stdout=io.StringIO())
    assert snapshot() == before


@pytest.mark.django_db
def test_restore_refuses_a_missing_file():
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", "/nonexistent/backup.json.gz")
