"""Settings from the environment, the demo fixture, demo users, generated data."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from leadit.sections.ownership import owned
from members.models import Member
from partnerships.models import (
    Assistance,
    Engagement,
    ForumActivity,
    Partnership,
    Project,
    StageChange,
)

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "leadit.settings", **env},
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_secret_key():
    result = run_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="a.b")
    assert result.returncode == 0, result.stderr


def test_unset_debug_means_production_not_development():
    """DEBUG fails closed: with DJANGO_DEBUG unset the settings are production's (no published
    development key, so they refuse to start without a secret)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY")}
    env["DJANGO_SETTINGS_MODULE"] = "leadit.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert "DJANGO_DEBUG=1" in result.stderr  # says how to ask for development


def test_production_settings_are_secure_by_default():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(DJANGO_SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="leadit.settings")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.stdout.splitlines()[-1].split() == ["False", "True", "True", "True"], (
        result.stderr
    )


def test_development_is_asked_for_explicitly_and_needs_nothing_else():
    env = dict.fromkeys(("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"), "")
    assert run_check(DJANGO_DEBUG="1", **env).returncode == 0


@pytest.mark.django_db
def test_demo_fixture_loads_with_what_the_domain_promises():
    call_command("loaddata", "leadit", verbosity=0)
    assert Member.objects.filter(kind="country").count() == 17
    assert Member.objects.filter(kind="company").count() == 17
    assert Member.objects.filter(verified=False).count() >= 3  # Denmark, Tata Steel, SAIL...
    assert Project.objects.count() >= 25
    assert Engagement.objects.count() >= 8
    assert Assistance.objects.count() >= 6
    assert ForumActivity.objects.count() >= 4
    assert Partnership.objects.filter(name__contains="India–Sweden Industry Transition").exists()
    # every project has its stage history, ending at its current stage
    for project in Project.objects.prefetch_related("stage_changes"):
        assert project.stage_changes.all()[len(project.stage_changes.all()) - 1].to_stage == (
            project.stage
        )
    assert set(Project.objects.values_list("stage", flat=True)) == set(Project.Stage.values)


@pytest.mark.django_db
def test_fixture_amounts_match_financing():
    call_command("loaddata", "leadit", verbosity=0)
    stale = {p.pk: (p.financing_secured_musd, p.financing_gap_musd) for p in Project.objects.all()}
    Project.objects.all().refresh_financing()
    fresh = {p.pk: (p.financing_secured_musd, p.financing_gap_musd) for p in Project.objects.all()}
    assert stale == fresh


# Fresh sequences, so the primary keys are the fixture's on PostgreSQL too.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_demo_builder_makes_the_committed_fixture(tmp_path):
    """fixtures/leadit.json is what leadit.demo.builder builds: run `make fixture` after changing
    the builder or the demo models."""
    output = tmp_path / "leadit.json"
    call_command("build_fixture", output=str(output), stdout=io.StringIO())
    assert output.read_bytes() == (ROOT / "fixtures" / "leadit.json").read_bytes()


@pytest.mark.django_db
def test_setup_demo_is_idempotent_and_makes_the_demo_users(django_user_model, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    call_command("setup_demo", stdout=out)
    assert "already has data" in out.getvalue()
    assert "password 'leadit-demo'" in out.getvalue()
    secretariat = django_user_model.objects.get(username="secretariat")
    viewer = django_user_model.objects.get(username="viewer")
    assert secretariat.is_staff and secretariat.has_perm("partnerships.change_project")
    assert not viewer.is_staff and not viewer.has_perm("partnerships.change_project")
    assert viewer.has_perm("partnerships.view_project")
    # The focal point reads like a viewer and speaks for a member company with projects.
    focal = django_user_model.objects.get(username="focalpoint")
    assert focal.check_password("leadit-demo") and not focal.is_staff
    assert focal.has_perm("partnerships.view_project")
    assert not focal.has_perm("partnerships.change_project")
    assert not focal.has_perm("sections.see_internal")
    assert [o.name for o in focal.focal_point.organisations.all()] == ["Salzgitter AG"]
    assert owned(Project, focal).count() >= 2
    assert secretariat.has_perm("sections.see_internal")
    assert not viewer.has_perm("sections.see_internal")
    # every demo record has a first version, so later edits show what they changed
    assert Project.history.filter(history_type="+").count() == Project.objects.count()
    assert Member.history.count() == Member.objects.count()
    assert Project.objects.count() >= 25


@pytest.mark.django_db
def test_setup_demo_refuses_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("setup_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_generate_demo_data_adds_projects_with_history_and_financing():
    out = io.StringIO()
    call_command("generate_demo_data", projects=120, batch_size=50, seed=7, stdout=out)
    assert Project.objects.count() == 120
    assert "120 / 120 projects" in out.getvalue() and "Added 120 projects" in out.getvalue()
    for project in Project.objects.prefetch_related("stage_changes"):
        changes = list(project.stage_changes.all())
        assert changes and changes[-1].to_stage == project.stage
    assert StageChange.objects.count() >= 120
    stale = list(Project.objects.values_list("pk", "financing_secured_musd", "financing_gap_musd"))
    Project.objects.all().refresh_financing()
    assert stale == list(
        Project.objects.values_list("pk", "financing_secured_musd", "financing_gap_musd")
    )


def generated_lists() -> dict[str, list]:
    """What generate_demo_data --rows-per-list made, list by list, told apart from the demo's by
    their text and named through their relations (ids differ between databases)."""
    from leadit.demo.synthetic import SYNTHETIC
    from members.models import Contact, Organisation

    return {
        "organisations": list(
            Organisation.objects.filter(notes=SYNTHETIC).values_list("name", "org_type", "country")
        ),
        "members": list(
            Member.objects.filter(notes=SYNTHETIC).values_list(
                "organisation__name", "kind", "joined_on", "left_on"
            )
        ),
        "contacts": list(
            Contact.objects.filter(notes=SYNTHETIC).values_list("organisation__name", "email")
        ),
        "partnerships": list(
            Partnership.objects.filter(notes=SYNTHETIC).values_list("name", "status")
        ),
        "engagements": list(
            Engagement.objects.filter(notes=SYNTHETIC).values_list(
                "title", "provider__name", "stage", "working_group__name"
            )
        ),
        "assistance": list(
            Assistance.objects.filter(description=SYNTHETIC).values_list(
                "title", "partnership__name", "activity_status", "actual_start"
            )
        ),
        "forum": list(
            ForumActivity.objects.filter(summary=SYNTHETIC).values_list("title", "starts_on")
        ),
    }


@pytest.mark.django_db
def test_generate_demo_data_fills_every_list_with_valid_rows(staff_client):
    """--rows-per-list adds that many valid records to every list but the pipeline (whose
    rows --projects adds): each passes full_clean, is found by an accent-blind search, the lists
    show them with the same number of queries as before, and a seed repeats the data."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils.html import escape

    from leadit.sections.search import fold

    from . import sections

    call_command("loaddata", "leadit", verbosity=0)
    headers = {"HX-Request": "true", "HX-Target": "results"}
    lists = [s for s in sections.all_sections() if s.name != "pipeline"]

    def queries() -> dict[str, int]:
        counts = {}
        for section in lists:
            for query, extra in (("", {}), ("?sort=-pk", headers)):
                url = sections.list_url(section) + query
                assert staff_client.get(url, headers=extra).status_code == 200, url
                with CaptureQueriesContext(connection) as captured:
                    response = staff_client.get(url, headers=extra)
                assert response.status_code == 200, url
                counts[url + str(bool(extra))] = len(captured)
        return counts

    before = queries()
    counts = {s.name: s.model.objects.count() for s in lists}
    with transaction.atomic():
        call_command(
            "generate_demo_data", rows_per_list=50, batch_size=20, seed=5, stdout=io.StringIO()
        )
        first = generated_lists()
        transaction.set_rollback(True)
    out = io.StringIO()
    call_command("generate_demo_data", rows_per_list=50, batch_size=20, seed=5, stdout=out)
    assert generated_lists() == first  # the same seed, the same records
    assert "50 / 50 forum activities" in out.getvalue()
    assert {s.name: s.model.objects.count() - counts[s.name] for s in lists} == {
        s.name: 50 for s in lists
    }
    assert all(len(rows) == 50 for rows in first.values()), {k: len(v) for k, v in first.items()}

    for section in lists:
        newest = list(section.model.objects.order_by("-pk")[:10])
        for record in newest:
            record.full_clean()  # choices, dates in order, relations, clean()
        # An accented name (the list's first search field) is found accent-blind, in capitals.
        field = section.list_view.filterset_class.search_fields[0]
        names = section.model.objects.order_by("-pk").values_list(field, flat=True)
        accented = next(name for name in names if fold(name) != name.lower())
        found = staff_client.get(
            sections.list_url(section), {"q": fold(accented).upper()}, headers=headers
        )
        assert escape(accented) in found.content.decode(), (section.name, accented)

    assert queries() == before
