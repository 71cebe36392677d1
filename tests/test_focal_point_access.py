"""Object-level access, walked from the URL resolver: a focal point of organisation A over the
records of organisation B (pk 9001 in every table) and of nobody (pk 9002). Every write and
proposal answers 403 or 404 and changes nothing; what they may read (what a viewer reads)
carries none of the Secretariat's internal fields: B's notes and the owner of B's next step are
marked "zqint", and no page, fragment, export, lookup or History tab may show that mark.

The walk asks the resolver, so URLs added later are covered by themselves: a URL whose name ends
in a write suffix (test_access.WRITE_SUFFIXES), or has "propos" in it (propose, a proposal's
accept or reject), is a write.
"""

import io
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection
from django.test import Client

from leadit.roles import SECRETARIAT
from leadit.sections.widgets import LOOKUPS

from .factories import (
    AssistanceFactory,
    ContactFactory,
    EngagementFactory,
    FinancingFactory,
    ForumActivityFactory,
    MemberFactory,
    OrganisationFactory,
    ParticipantFactory,
    PartnershipFactory,
    ProjectFactory,
    WorkingGroupFactory,
)
from .test_access import (
    OWN_SETTINGS,
    POST_ONLY_SUFFIXES,
    PUBLIC,
    SAMPLE_ARGS,
    WRITE_SUFFIXES,
    site_urls,
)

pytestmark = pytest.mark.django_db

MARK = "zqint"
B, NOBODY = 9001, 9002
# What the Secretariat sees and nobody else: one mark per internal field (see the control test).
INTERNAL_MARKS = [
    "zqint organisation note",
    "zqint member note",
    "zqint contact note",
    "zqint partnership note",
    "zqint engagement note",
    "zqint officer",  # the owner of the engagement's next step
]
# Bookkeeping a visit may write (sessions, login attempts, the dashboard's stored figures and
# the task that recomputes them): not records.
NOT_RECORDS = {"sessions", "axes", "admin", "contenttypes", "django_tasks_database"}
# What a write might be sent: ids of B's records wherever a form takes one.
HOSTILE_POST = {
    "name": "x",
    "title": "x",
    "sponsor": B,
    "provider": B,
    "recipient": B,
    "organisation": B,
    "partnership": B,
    "project": B,
    "owner": B,
    "note": "x",
    "to_stage": "feasibility",
    "changed_on": "2026-01-01",
    "action": "verify",
    "step": "confirm",
    "ids": [B, NOBODY],
    "all": "1",
}
HTMX_TARGETS = ("results", "review", "stuck", "financing", "stage", "form")


def is_write(name: str) -> bool:
    """Writes, and everything of proposals (propose, accept, reject...): over another's record
    403 or 404; without a record (a new one, a queue), nothing of another's stored or shown."""
    return name.endswith(WRITE_SUFFIXES) or "propos" in name


def records_of(pk: int, name: str, officer) -> None:
    """An organisation and its records, each with id `pk`, internal fields marked."""
    org = OrganisationFactory(pk=pk, name=name, notes="zqint organisation note")
    MemberFactory(pk=pk, organisation=org, notes="zqint member note")
    ContactFactory(pk=pk, organisation=org, name=f"Contact at {name}", notes="zqint contact note")
    partnership = PartnershipFactory(
        pk=pk, name=f"{name} partnership", notes="zqint partnership note"
    )
    ParticipantFactory(pk=pk, partnership=partnership, organisation=org)
    WorkingGroupFactory(pk=pk, partnership=partnership)
    project = ProjectFactory(pk=pk, name=f"{name} project", sponsor=org, partnership=partnership)
    FinancingFactory(pk=pk, project=project, provider=org)
    EngagementFactory(
        pk=pk,
        title=f"{name} engagement",
        provider=org,
        recipient=org,
        project=project,
        owner=officer,
        next_step="Send the term sheet",
        notes="zqint engagement note",
    )
    AssistanceFactory(pk=pk, provider=org, partnership=partnership)
    ForumActivityFactory(pk=pk, partnership=partnership).hosts.add(org)


def export_job(pk: int, owner) -> None:
    from django.core.files.base import ContentFile

    from leadit.jobs.models import Job

    job = Job(pk=pk, owner=owner, title="Export", path="/pipeline/export.csv", state="done")
    job.filename = "export.csv"
    job.file.save("export.csv", ContentFile(b"ID\n"))


def reset_sequences() -> None:
    """PostgreSQL's sequences do not see explicit ids: set them past them."""
    models = [m for m in apps.get_models() if m._meta.app_label not in NOT_RECORDS]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture
def world(make_focal_point, django_user_model):
    """Organisation A with its focal point; B's records and nobody's, followed up by an officer
    whose name is marked; an export job of the officer's."""
    officer = django_user_model.objects.create_user(
        "zqint-officer", first_name="Zqint", last_name="Officer"
    )
    officer.groups.add(Group.objects.get(name=SECRETARIAT))
    records_of(B, "Bravo Steel", officer)
    records_of(NOBODY, "Nobody Cement", officer)
    export_job(B, officer)
    ours = OrganisationFactory(name="Alpha Steel")
    MemberFactory(organisation=ours)
    ProjectFactory(name="Alpha project", sponsor=ours)
    reset_sequences()
    return {"focal_point": make_focal_point(ours), "officer": officer}


def database_state() -> dict:
    """Every row of every table that holds records, users, roles, jobs or proposals."""
    state = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in NOT_RECORDS or meta.label == "jobs.StoredFigures":
            continue
        state[meta.label] = list(model._default_manager.order_by("pk").values_list())
    return state


def body(response) -> str:
    """The response as text, lower case; an Excel workbook's XML parts unzipped."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            content = b"".join(book.read(name) for name in book.namelist())
    return content.decode("utf-8", "replace").lower()


def urls_over(pk: int) -> list[tuple[str, str]]:
    """Every URL of the site (not the admin) with `pk` in it, each lookup by name."""
    urls = []
    for path, name in site_urls(args={**SAMPLE_ARGS, "<int:pk>": str(pk)}):
        if path in PUBLIC or name == "logout" or name in OWN_SETTINGS:
            continue
        if "<slug:name>" in path:
            urls += [(path.replace("<slug:name>", lookup), name) for lookup in LOOKUPS]
        else:
            urls.append((path, name))
    return sorted(set(urls))


def walk(client, pk: int) -> list[str]:
    """Every URL over record `pk`, read and written as the client's user: the problems found."""
    problems = []

    def leaks(response, what: str) -> None:
        if response.status_code >= 500:
            problems.append(f"{what}: {response.status_code}")
        elif MARK in body(response):
            problems.append(f"{what}: shows an internal field")

    for path, name in urls_over(pk):
        # A proposal of a new record of their own for B's (a tranche they provide to B's
        # project) is theirs to make: like any new record, it must store and show nothing of B's.
        has_record = str(pk) in path and not name.endswith("_propose_new")
        if is_write(name):
            before = None if has_record else database_state()
            get = client.get(path)
            post_only = (*POST_ONLY_SUFFIXES, "_accept", "_reject", "_withdraw")
            allowed = (403, 404, 405) if name.endswith(post_only) else (403, 404)
            post = client.post(path, HOSTILE_POST)
            # The same as htmx sends it from a page (a panel's form, a dialog).
            htmx = {"HX-Request": "true", "HX-Target": "form"}
            htmx_post = client.post(path, HOSTILE_POST, headers=htmx)
            if has_record:
                if get.status_code not in allowed:
                    problems.append(f"GET {path}: {get.status_code}, not 403/404")
                # 405: a proposal's page, read-only, refuses a POST before reading anything.
                for response in (post, htmx_post):
                    if response.status_code not in (403, 404, 405):
                        problems.append(f"POST {path}: {response.status_code}, not 403/404/405")
            else:  # a new record (or a proposal of one): never one of B's, never stored
                leaks(get, f"GET {path}")
                if database_state() != before:
                    problems.append(f"POST {path} stored something ({post.status_code})")
            continue
        leaks(client.get(path), f"GET {path}")
        for target in HTMX_TARGETS:
            headers = {"HX-Request": "true", "HX-Target": target}
            leaks(client.get(path, headers=headers), f"GET {path} for #{target}")
        if name.startswith("lookup"):
            query = {"field": "f", "f": [B, NOBODY], "f__search": MARK}
            leaks(client.get(path, query), f"GET {path} searching the mark")
        if name.endswith("_list") or "_export_" in name:
            # Internal columns asked for by name are not given; internal text is not searched.
            leaks(client.get(path, {"columns": ["notes", "owner"]}), f"GET {path} with columns")
            found = client.get(path, {"q": MARK})  # the page repeats the query: no leak check
            context = found.context if found.status_code == 200 else None
            if found.status_code >= 500:
                problems.append(f"GET {path}?q={MARK}: {found.status_code}")
            elif context and "paginator" in context and context["paginator"].count:
                problems.append(f"GET {path}?q={MARK}: finds records by internal text")
            elif name.endswith("_export_csv") and len(body(found).strip().splitlines()) > 1:
                problems.append(f"GET {path}?q={MARK}: exports records by internal text")
        post = client.post(path, HOSTILE_POST)
        if post.status_code not in (403, 404, 405):
            problems.append(f"POST {path}: {post.status_code}, not 403/404/405")
    return problems


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("pk", [B, NOBODY], ids=["records of B", "records of nobody"])
def test_a_focal_point_can_change_nothing_of_others_and_read_nothing_internal(world, pk):
    client = logged_in(world["focal_point"])
    before = database_state()
    problems = walk(client, pk)
    assert problems == []
    assert database_state() == before


def test_a_viewer_reads_nothing_internal_either(world, viewer_user):
    client = logged_in(viewer_user)
    before = database_state()
    assert walk(client, B) == []
    assert database_state() == before


def test_the_walk_covers_every_kind_of_url(world):
    """Reads and writes of every section, exports, lookups, History and the dashboard."""
    urls = dict(urls_over(B))
    names = set(urls.values())
    for expected in (
        "dashboard",
        "history",
        "lookup",
        "partnerships:project_detail",
        "partnerships:project_update",
        "partnerships:project_history",
        "partnerships:project_export_csv",
        "partnerships:project_export_xlsx",
        "partnerships:assistance_export_iati",
        "partnerships:project_financing_update",
        "partnerships:project_move_stage",
        "members:member_verify",
        "members:contact_bulk",
        "jobs:job_download",
    ):
        assert expected in names, expected
    assert "/pipeline/9001/edit/" in urls and "/lookup/organisation/" in urls


def test_the_secretariat_sees_every_internal_mark(world, secretariat_user):
    """The control: the walk's reads would show each internal field to someone who may see
    it, so their absence above is the hiding, not an empty page."""
    client = logged_in(secretariat_user)
    seen = ""
    for path, name in urls_over(B):
        if not is_write(name):
            response = client.get(path)
            assert response.status_code < 500, path
            seen += body(response)
    for mark in INTERNAL_MARKS:
        assert mark in seen, mark
