"""Lists in name order as a reader expects it: case and accents aside. A column sorts by its
bytes (SQLite; PostgreSQL with the C collation), which put LeadIT's own member "thyssenkrupp"
and any name starting with an accented letter after "Z"."""

import pytest
from django.db import connection

from members.models import Contact, Member, Organisation
from partnerships.models import Assistance, Engagement, ForumActivity, Project

from .factories import (
    ContactFactory,
    EngagementFactory,
    ForumActivityFactory,
    MemberFactory,
    OrganisationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

NAMES = ["Zeta Cement", "thyssenkrupp", "Écija Aceros", "acme Steel", "Ecuador Steel", "Tata Steel"]
# Case and accents aside; "acme" before "Acme" and "ecija" before "Écija" would be fine too.
READER_ORDER = [
    "acme Steel",
    "Écija Aceros",
    "Ecuador Steel",
    "Tata Steel",
    "thyssenkrupp",
    "Zeta Cement",
]


def order_in(page: str, names) -> list[str]:
    return sorted(names, key=page.index)


@pytest.fixture
def organisations():
    return [OrganisationFactory(name=name) for name in NAMES]


HTMX = {"HX-Request": "true", "HX-Target": "results"}


@pytest.mark.parametrize("query", ["", "?sort=name"])
def test_organisations_are_listed_in_a_readers_name_order(staff_client, organisations, query):
    page = staff_client.get(f"/organisations/{query}", headers=HTMX).content.decode()
    assert order_in(page, NAMES) == READER_ORDER
    page = staff_client.get("/organisations/?sort=-name", headers=HTMX).content.decode()
    assert order_in(page, NAMES) == READER_ORDER[::-1]


def test_every_list_sorts_names_case_and_accents_aside(staff_client, organisations):
    for organisation in organisations:
        MemberFactory(organisation=organisation, kind="company")
        ContactFactory(organisation=organisation, name=f"Contact of {organisation.name}")
        ProjectFactory(name=organisation.name)
        EngagementFactory(title=organisation.name)
        ForumActivityFactory(title=organisation.name)
    for path in (
        "/members/?sort=name",
        "/members/",
        "/contacts/?sort=organisation",
        "/contacts/",
        "/pipeline/?sort=name",
        "/engagements/?sort=title",
        "/engagements/",
        "/forum/?sort=title",
    ):
        page = staff_client.get(path, headers=HTMX).content.decode()
        assert order_in(page, NAMES) == READER_ORDER, path


def test_choices_and_default_orders_follow_the_same_order(organisations):
    assert [o.name for o in Organisation.objects.all()] == READER_ORDER
    for organisation in organisations:
        MemberFactory(organisation=organisation, kind="company")
        ContactFactory(organisation=organisation, name="Same Name")
    assert [m.organisation.name for m in Member.objects.select_related("organisation")] == (
        READER_ORDER
    )
    assert [c.organisation.name for c in Contact.objects.select_related("organisation")] == (
        READER_ORDER
    )


def sorts(plan: str, ties: bool = False) -> bool:
    """Whether a query plan sorts rows itself rather than reading them in an index's order;
    with `ties`, sorting only the rows that tie on the index's order does not count."""
    if connection.vendor == "sqlite":
        return "USE TEMP B-TREE FOR ORDER BY" in plan
    steps = [line.strip().removeprefix("->").strip() for line in plan.splitlines()]
    return any(step.startswith("Sort") for step in steps) or (
        not ties and any(step.startswith("Incremental Sort") for step in steps)
    )


@pytest.mark.parametrize(
    "model, sort",
    [(Organisation, "name"), (Project, "name"), (Engagement, "title"), (ForumActivity, "title")],
)
def test_a_first_page_in_name_order_is_read_from_an_index(organisations, model, sort):
    """At 100,000 rows an order no index gives reads the whole table for 25 rows."""
    from leadit.sections.search import name_key

    querysets = [model.objects.order_by(name_key(model, sort), "pk")]
    if model is not ForumActivity:  # its default order is by date
        querysets.append(model.objects.all())
    for queryset in querysets:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # tiny tables: make the planner show its hand
                cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset[:25].explain()
        assert not sorts(plan), (model, plan)


# Countries by name, not by ISO code ------------------------------------------------------------
# By code: Switzerland (CH), Germany (DE), the United Kingdom (GB), Ghana (GH), then no country.
COUNTRIES = {"GB": "United Kingdom", "DE": "Germany", "GH": "Ghana", "CH": "Switzerland"}
BY_NAME = ["Germany", "Ghana", "Switzerland", "United Kingdom"]


def rows_in(page: str, labels) -> list[str]:
    return sorted(labels, key=page.index)


@pytest.mark.parametrize("path", ["/organisations/", "/pipeline/"])
def test_a_list_sorted_by_country_follows_the_countries_names(staff_client, path):
    for code, country in COUNTRIES.items():
        if path == "/organisations/":
            OrganisationFactory(name=f"Org in {country}", country=code)
        else:
            ProjectFactory(name=f"Org in {country}", country=code)
    if path == "/organisations/":
        OrganisationFactory(name="Org in no country", country="")
    labels = [f"Org in {country}" for country in BY_NAME]
    if path == "/organisations/":
        labels.append("Org in no country")  # a blank country last, either way
    page = staff_client.get(f"{path}?sort=country", headers=HTMX).content.decode()
    assert rows_in(page, labels) == labels
    page = staff_client.get(f"{path}?sort=-country", headers=HTMX).content.decode()
    descending = [*labels[:4][::-1], *labels[4:]]
    assert rows_in(page, labels) == descending


@pytest.mark.parametrize("descending", [False, True], ids=["A to Z", "Z to A"])
@pytest.mark.parametrize("model", [Organisation, Project])
def test_a_first_page_by_country_is_read_from_an_index(model, descending):
    from leadit.sections.ordering import sort_order

    queryset = model.objects.order_by(*sort_order(model, "country", descending))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = queryset[:25].explain()
    assert not sorts(plan), plan


# Largest first: a first page at 100,000 rows read from an index -----------------------------------
@pytest.mark.parametrize(
    "model, path",
    [
        (Project, "capex_musd"),
        (Project, "financing_gap_musd"),
        (Project, "abatement_tco2e"),
        (Project, "planned_commissioning_year"),
        (Engagement, "next_step_due"),
        (Assistance, "amount_musd"),
        (Member, "joined_on"),
    ],
)
def test_a_first_page_largest_first_is_read_from_an_index(model, path):
    """NULLs ("not disclosed") go last either way: PostgreSQL reads no ascending index
    backwards for that (`largest_first_indexes`); SQLite's NULLs sort first anyway. (Ties may
    be put in order by id afterwards: a few rows, not the table.)"""
    from leadit.sections.ordering import sort_order

    queryset = model.objects.order_by(*sort_order(model, path, descending=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = queryset[:25].explain()
    assert not sorts(plan, ties=True), plan


# Choices in their declared order ----------------------------------------------------------------
def test_a_stage_sorts_first_to_last_as_its_sort_label_says(staff_client):
    """'Earliest stage first' was the stored codes A to Z (agreement signed, completed,
    discontinued...); a partnership's status likewise."""
    from partnerships.models import Engagement, Partnership

    from .factories import PartnershipFactory

    for stage in ("completed", "identified", "agreement_signed", "scoping"):
        EngagementFactory(title=f"At {stage}", stage=stage)
    page = staff_client.get("/engagements/?sort=stage", headers=HTMX).content.decode()
    shown = ["At identified", "At scoping", "At agreement_signed", "At completed"]
    assert order_in(page, shown) == shown
    page = staff_client.get("/engagements/?sort=-stage", headers=HTMX).content.decode()
    assert order_in(page, shown) == shown[::-1]
    assert "Stage, earliest stage first" in staff_client.get("/engagements/").content.decode()

    for status in ("dormant", "active", "proposed"):
        PartnershipFactory(name=f"P {status}", status=status)
    page = staff_client.get("/partnerships/?sort=status", headers=HTMX).content.decode()
    assert order_in(page, ["P proposed", "P active", "P dormant"]) == [
        "P proposed",
        "P active",
        "P dormant",
    ]
    for model, path in ((Engagement, "stage"), (Partnership, "status")):
        from leadit.sections.ordering import sort_order

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        plan = model.objects.order_by(*sort_order(model, path, False))[:25].explain()
        assert not sorts(plan), plan


def test_a_type_sorts_by_its_labels_as_the_sort_label_says(staff_client):
    """'Type, A to Z' was the stored IATI codes' order (Government 10 ... Academic 80)."""
    for org_type, name in (("10", "Gov org"), ("80", "Academic org"), ("70", "Private org")):
        OrganisationFactory(name=name, org_type=org_type)
    page = staff_client.get("/organisations/?sort=org_type", headers=HTMX).content.decode()
    # Academic, training and research; Government; Private sector.
    assert order_in(page, ["Gov org", "Academic org", "Private org"]) == [
        "Academic org",
        "Gov org",
        "Private org",
    ]
    assert "Type, A to Z" in staff_client.get("/organisations/").content.decode()


@pytest.mark.parametrize("path", ["/members/", "/engagements/"])
def test_members_and_engagements_sort_by_country_too(staff_client, path):
    """Their Country column sorted nothing; now by the countries' names, as elsewhere."""
    for code, country in COUNTRIES.items():
        organisation = OrganisationFactory(name=f"Org in {country}", country=code)
        if path == "/members/":
            MemberFactory(organisation=organisation, kind="company")
        else:
            EngagementFactory(title=f"Org in {country}", recipient_country=code)
    labels = [f"Org in {country}" for country in BY_NAME]
    page = staff_client.get(f"{path}?sort=country", headers=HTMX).content.decode()
    assert rows_in(page, labels) == labels
    page = staff_client.get(f"{path}?sort=-country", headers=HTMX).content.decode()
    assert rows_in(page, labels) == labels[::-1]
    assert "Country, A to Z" in staff_client.get(path).content.decode()
