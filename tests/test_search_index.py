"""Issue 18, goal 2: text search is served by an index (FTS5 trigram tables on SQLite, GIN
trigram indexes on PostgreSQL), finds the same records as the scan it replaces, and puts the best
matches first when no sort is chosen. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import logging
import re

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from leadit.sections import search
from members.models import Organisation
from partnerships.models import Project, Technology

from .factories import OrganisationFactory, ProjectFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

SQLITE = connection.vendor == "sqlite"


def listed(client, q, **params) -> list[str]:
    """The names the pipeline lists for a search, in the order shown."""
    response = client.get("/pipeline/", {"q": q, "per_page": 200, **params})
    assert response.status_code == 200
    return [str(obj) for obj in response.context["page_obj"]]


def sql_of_search(client, q) -> str:
    with CaptureQueriesContext(connection) as queries:
        listed(client, q)
    return "\n".join(query["sql"] for query in queries)


def trigram_available() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def test_migrations_index_every_searchable_model():
    tables = [model._meta.db_table for model in search.searchable_models()]
    assert "partnerships_project" in tables and "members_organisation" in tables
    with connection.cursor() as cursor:
        if SQLITE:
            cursor.execute("SELECT type, name FROM sqlite_master")
            present = {name for _, name in cursor.fetchall()}
            for table in tables:
                fts = f"{table}_fts"
                assert {fts, f"{fts}_insert", f"{fts}_update", f"{fts}_delete"} <= present
        else:
            assert trigram_available(), "this server offers pg_trgm: the indexes must exist"
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes")
            indexes = dict(cursor.fetchall())
            for table in tables:
                definition = indexes[f"{table}_search_trgm"]
                assert "gin" in definition and "gin_trgm_ops" in definition, definition


def test_search_goes_through_the_index(staff_client):
    ProjectFactory(name="Green steel plant")
    sql = sql_of_search(staff_client, "steel")
    if SQLITE:
        assert 'FROM "partnerships_project_fts" WHERE "partnerships_project_fts" MATCH' in sql
    else:
        # The LIKE the trigram index serves (the planner picks it once the table is large), or
        # the sponsors' matching ids, written into the query as values.
        assert '"partnerships_project"."search_text"::text LIKE \'%steel%\'' in sql
        assert '"members_organisation"."search_text"::text LIKE \'%steel%\'' in sql
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM partnerships_project WHERE search_text::text LIKE %s",
                ["%steel%"],
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "partnerships_project_search_trgm" in plan, plan


def test_accents_and_case_are_still_ignored(staff_client):
    ProjectFactory(name="Blended cement conversion, Bajío", site="Pecém")
    ProjectFactory(name="ACERÍA eléctrica")
    ProjectFactory(name="Unrelated kiln")
    for q in ("BAJIO", "bajío", "pecem", "PECÉM"):
        assert listed(staff_client, q) == ["Blended cement conversion, Bajío"], q
    for q in ("aceria", "Acería Eléctrica", "ELECTRICA"):
        assert listed(staff_client, q) == ["ACERÍA eléctrica"], q


def test_terms_shorter_than_a_trigram_are_still_found(staff_client):
    ProjectFactory(name="Xi'an DRI")
    ProjectFactory(name="Ulsan H2 hub")
    ProjectFactory(name="Unrelated kiln")
    assert listed(staff_client, "xi") == ["Xi'an DRI"]
    assert listed(staff_client, "H2") == ["Ulsan H2 hub"]
    assert set(listed(staff_client, "n")) == {"Xi'an DRI", "Ulsan H2 hub", "Unrelated kiln"}


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '""',
        'steel"',
        '"steel',
        "steel OR kiln",
        "NEAR(steel kiln)",
        "steel*",
        "^steel",
        "search_text:steel",
        "(steel",
        "steel AND NOT kiln",
        "'; DROP TABLE partnerships_project; --",
        "%",
        "_",
        "\\",
        "-steel",
        "+",
        "{search_text}: steel",
    ],
)
def test_search_syntax_in_the_input_is_plain_text(staff_client, q):
    ProjectFactory(name="Green steel plant")
    ProjectFactory(name="Unrelated kiln")
    # Nothing here is in a name: no error, and no match by operator or wildcard.
    assert listed(staff_client, q) == []
    assert Project.objects.count() == 2


def test_quotes_and_wildcards_match_literally(staff_client):
    ProjectFactory(name='Plant "Alpha" retrofit')
    ProjectFactory(name="Alpha kiln")
    ProjectFactory(name="100% hydrogen DRI")
    ProjectFactory(name="1000 t pilot")
    ProjectFactory(name="H2_ready furnace")
    ProjectFactory(name="H2 ready furnace")
    assert listed(staff_client, '"alpha"') == ['Plant "Alpha" retrofit']
    assert listed(staff_client, "100%") == ["100% hydrogen DRI"]
    assert listed(staff_client, "h2_ready") == ["H2_ready furnace"]
    assert listed(staff_client, "alpha") == ["Alpha kiln", 'Plant "Alpha" retrofit']


def test_best_matches_first_when_no_sort_is_chosen(staff_client):
    sponsor = OrganisationFactory(name="Steel Partners Ltd")
    ProjectFactory(name="Anvil works", sponsor=sponsor)  # only its sponsor matches
    ProjectFactory(name="Nonsteel kiln")  # inside a word
    ProjectFactory(name="Blue kiln", site="Steelton")  # a word of another field
    ProjectFactory(name="Green steel plant")  # a word of the name
    ProjectFactory(name="Steelworks Luleå")  # the name starts with it
    ProjectFactory(name="Steel")  # the name is the term
    ProjectFactory(name="Another green steel plant")
    expected = [
        "Steel",
        "Steelworks Luleå",
        # a word starts with the term: then in the list's own order (by name)
        "Another green steel plant",
        "Blue kiln",
        "Green steel plant",
        # any other match, by name
        "Anvil works",
        "Nonsteel kiln",
    ]
    assert listed(staff_client, "STEEL") == expected
    # A chosen sort is kept.
    assert listed(staff_client, "steel", sort="name") == sorted(expected)
    assert listed(staff_client, "steel", sort="-name") == sorted(expected, reverse=True)


def test_equal_matches_come_in_a_stable_order(staff_client):
    first = ProjectFactory(name="Kiln retrofit")
    second = ProjectFactory(name="Kiln retrofit")
    shown = staff_client.get("/pipeline/", {"q": "kiln"}).context["page_obj"]
    assert [p.pk for p in shown] == [first.pk, second.pk]


def test_searchable_selects_put_the_best_matches_first(staff_client):
    OrganisationFactory(name="Nippon Steel")
    OrganisationFactory(name="Steel Authority of India")
    OrganisationFactory(name="Steel")
    response = staff_client.get(
        "/lookup/organisation/", {"field": "sponsor", "sponsor__search": "steel"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index(">Steel<") < text.index("Steel Authority") < text.index("Nippon Steel")


def test_edits_deletions_and_bulk_writes_keep_the_index_current(staff_client):
    project = ProjectFactory(name="Alpha kiln")
    assert listed(staff_client, "alpha") == ["Alpha kiln"]

    project.name = "Beta furnace"
    project.save()
    assert listed(staff_client, "alpha") == []
    assert listed(staff_client, "beta furnace") == ["Beta furnace"]

    project.name = "Gamma furnace"
    project.save(update_fields=["name"])
    assert listed(staff_client, "beta") == []
    assert listed(staff_client, "gamma") == ["Gamma furnace"]

    project.delete()
    assert listed(staff_client, "gamma") == []

    template = ProjectFactory(name="Template")
    Project.objects.bulk_create(
        [
            Project(
                name=f"Delta {n}",
                sponsor=template.sponsor,
                sector=template.sector,
                country="IN",
                stage=template.stage,
            )
            for n in range(3)
        ]
    )
    assert listed(staff_client, "delta") == ["Delta 0", "Delta 1", "Delta 2"]

    # Raw writes of the stored text (data migrations' fill_search_text, QuerySet.update).
    Project.objects.filter(name="Delta 0").update(search_text="epsilon")
    assert listed(staff_client, "delta") == ["Delta 1", "Delta 2"]
    assert listed(staff_client, "epsilon") == ["Delta 0"]
    search.fill_search_text(Project, ("name",))
    assert listed(staff_client, "epsilon") == []
    assert listed(staff_client, "delta") == ["Delta 0", "Delta 1", "Delta 2"]

    Project.objects.filter(name__startswith="Delta").delete()
    assert listed(staff_client, "delta") == []


def test_renamed_related_record_is_found_through_its_index(staff_client):
    ProjectFactory(name="EAF line", technology=TechnologyFactory(name="Hydrogen DRI"))
    technology = Technology.objects.get(name="Hydrogen DRI")
    technology.name = "Electric arc furnace"
    technology.save()
    assert listed(staff_client, "electric arc") == ["EAF line"]
    assert listed(staff_client, "hydrogen") == []


@pytest.mark.skipif(not SQLITE, reason="SQLite rebuilds a table to alter it; PostgreSQL does not")
def test_migrate_restores_triggers_a_table_rebuild_dropped(staff_client):
    # What SQLite's ALTER in a later migration does: the table is copied, its triggers are gone.
    with connection.cursor() as cursor:
        for event in ("insert", "update", "delete"):
            cursor.execute(f'DROP TRIGGER "partnerships_project_fts_{event}"')
    ProjectFactory(name="Omega kiln")  # not indexed while the triggers are missing
    search.ensure_search_indexes(using=connection.alias, plan=[])  # what migrate ends with
    assert listed(staff_client, "omega") == ["Omega kiln"]
    ProjectFactory(name="Omega furnace")
    assert listed(staff_client, "omega") == ["Omega furnace", "Omega kiln"]


def test_migrate_ends_by_checking_the_indexes(monkeypatch):
    checked = []
    real = search.create_search_index
    monkeypatch.setattr(search, "create_search_index", lambda c, m: checked.append(m) or real(c, m))
    call_command("migrate", verbosity=0)
    assert set(checked) == set(search.searchable_models())


@pytest.mark.skipif(SQLITE, reason="PostgreSQL extensions")
def test_a_server_refusing_pg_trgm_keeps_the_scan(staff_client, monkeypatch, caplog):
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("DROP EXTENSION pg_trgm CASCADE")
    real = search._execute

    def refuse(connection, *statements):
        if any("CREATE EXTENSION" in s for s in statements):
            raise DatabaseError("permission denied to create extension pg_trgm")
        return real(connection, *statements)

    monkeypatch.setattr(search, "_execute", refuse)
    with caplog.at_level(logging.WARNING, logger="leadit.sections.search"):
        assert search.create_search_index(connection, Organisation) is False
    assert "refused the pg_trgm extension" in caplog.text
    ProjectFactory(name="Green steel plant")
    ProjectFactory(name="Unrelated kiln")
    assert listed(staff_client, "steel") == ["Green steel plant"]


def test_related_matches_are_written_into_the_search_as_ids(staff_client):
    """The sponsors' and technologies' matches are read first, in one query, and the search
    lists their ids: the planner sees how many rows they hold (a sub-query or an array computed
    in the query made PostgreSQL read or look up every matching row one at a time)."""
    sponsor = OrganisationFactory(name="Kiln Partners")
    ProjectFactory(name="Anvil works", sponsor=sponsor)
    ProjectFactory(name="Kiln retrofit")
    ProjectFactory(name="Blue furnace", technology=TechnologyFactory(name="Rotary kiln"))
    with CaptureQueriesContext(connection) as queries:
        found = listed(staff_client, "kiln")
    assert found == ["Kiln retrofit", "Anvil works", "Blue furnace"]
    sql = "\n".join(query["sql"] for query in queries)
    assert f'"partnerships_project"."sponsor_id" IN ({sponsor.pk})' in sql
    # Matched by LIKE (a scan, or PostgreSQL's trigram index) or by SQLite's FTS table; the
    # organisations' name order reads their search text too (the Sponsor filter's options).
    matches = re.findall(r'"members_organisation"\."search_text"(?:::text)? LIKE', sql)
    assert len(matches) + sql.count('"members_organisation_fts" MATCH') == 1, (
        "the related matches are read once, not again by the count and the page"
    )


def test_many_related_matches_are_looked_up_in_the_search_itself(staff_client, monkeypatch):
    for number in range(3):
        ProjectFactory(
            name=f"Works {number}", sponsor=OrganisationFactory(name=f"Kiln Co {number}")
        )
    ProjectFactory(name="Kiln retrofit")
    listed_ids = listed(staff_client, "kiln")
    monkeypatch.setattr(search, "MAX_IDS", 2)
    assert (
        listed(staff_client, "kiln")
        == listed_ids
        == [
            "Kiln retrofit",
            "Works 0",
            "Works 1",
            "Works 2",
        ]
    )


def test_a_search_of_related_fields_only_that_matches_nothing_finds_nothing():
    ProjectFactory(name="Kiln retrofit", sponsor=OrganisationFactory(name="Anvil Ltd"))
    assert not Project.objects.filter(search.text_search(Project, ("sponsor__name",), "kiln"))
    assert Project.objects.filter(search.text_search(Project, ("sponsor__name",), "anvil"))


@pytest.mark.parametrize("sort", ["", "name", "-capex_musd"])
def test_a_page_of_a_common_term_comes_in_the_order_of_the_whole_list(staff_client, sort):
    """A page is read in two passes (its ids on the ordering's columns, then its rows): every
    page holds what the whole ordered list holds at its place, ranked or sorted."""
    sponsor = OrganisationFactory(name="Kiln Holdings")
    names = ["Kiln", "Kiln retrofit", "Kilns of Ore", "Rotary kiln", "Blue kiln", "Nonkiln"]
    for number, name in enumerate(names * 3):
        ProjectFactory(name=name, capex_musd=number % 4 or None)
    ProjectFactory(name="Anvil works", sponsor=sponsor)
    ProjectFactory(name="Grey furnace")  # no match
    whole = listed(staff_client, "kiln", sort=sort)
    assert len(whole) == 19
    pages = []
    for page in range(1, 5):
        with CaptureQueriesContext(connection) as queries:
            pages += listed(staff_client, "kiln", sort=sort, per_page=5, page=page)
        assert any('SELECT "partnerships_project"."id" AS "pk"' in q["sql"] for q in queries)
    assert pages == whole
    if not sort:
        ranked = ["Kiln", "Kiln retrofit", "Kilns of Ore", "Blue kiln", "Rotary kiln"]
        assert (
            whole == [name for name in ranked for _ in range(3)] + ["Anvil works"] + ["Nonkiln"] * 3
        )


def test_a_search_read_whole_takes_one_pass():
    ProjectFactory(name="Kiln retrofit")
    ProjectFactory(name="Blue kiln")

    def ranked():
        found = Project.objects.filter(search.text_search(Project, ("name",), "kiln"))
        return search.by_relevance(found, ("name",), "kiln")

    with CaptureQueriesContext(connection) as queries:
        assert [p.name for p in ranked()] == ["Kiln retrofit", "Blue kiln"]
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert [p.name for p in ranked()[1:]] == ["Blue kiln"]
        assert [p.name for p in ranked()[5:]] == []
    assert len(queries) == 3  # two passes, then an empty first pass


def test_a_page_s_second_pass_keeps_what_the_filters_made_of_its_rows():
    """The second pass reads the page's rows by id. A filter on a relation with several rows per
    record (financing) gives each record once, and an aggregate the filters narrow (the
    committed financing only) keeps its narrowed value."""
    from django.db.models import Count

    from partnerships.models import Financing

    from .factories import FinancingFactory

    kiln = ProjectFactory(name="Kiln retrofit")
    ProjectFactory(name="Blue kiln")  # no committed financing
    for status in (Financing.Status.COMMITTED, Financing.Status.COMMITTED, "sought"):
        FinancingFactory(project=kiln, status=status)

    def found():
        rows = Project.objects.filter(search.text_search(Project, ("name",), "kiln"))
        return search.by_relevance(rows, ("name",), "kiln")

    committed = found().filter(financing__status=Financing.Status.COMMITTED)
    assert [p.name for p in committed[:5]] == ["Kiln retrofit", "Kiln retrofit"]
    assert [p.name for p in committed.distinct()[:5]] == ["Kiln retrofit"]
    counted = committed.annotate(tranches=Count("financing"))
    assert [(p.name, p.tranches) for p in counted[:5]] == [("Kiln retrofit", 2)]
    assert [(p.name, p.tranches) for p in counted] == [("Kiln retrofit", 2)]
