"""The dashboard: every figure against an independent computation, every link against its figure."""

import csv
import datetime
import io
import statistics
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from leadit.sections.dates import months_before
from members.countries import DATA_FILE
from members.models import CountryProfile, Member
from partnerships.dashboard import dashboard
from partnerships.models import Engagement, Financing, Project, StageChange

from .background import committed, run_queued_tasks
from .factories import FinancingFactory, OrganisationFactory, ProjectFactory, SectorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["fixture", "generated"])
def data(request):
    call_command("loaddata", "leadit", verbosity=0)
    if request.param == "generated":
        call_command("generate_demo_data", projects=300, seed=3, stdout=io.StringIO())
    return request.param


def python_sums(projects):
    """Sums the slow way, leaving NULL out."""
    return {
        "count": len(projects),
        "capex": sum((p.capex_musd for p in projects if p.capex_musd is not None), Decimal(0))
        if any(p.capex_musd is not None for p in projects)
        else None,
        "gap": sum(
            (p.financing_gap_musd for p in projects if p.financing_gap_musd is not None), Decimal(0)
        )
        if any(p.financing_gap_musd is not None for p in projects)
        else None,
        "abatement": sum(
            (p.abatement_tco2e for p in projects if p.abatement_tco2e is not None), Decimal(0)
        )
        if any(p.abatement_tco2e is not None for p in projects)
        else None,
        "capex_undisclosed": sum(1 for p in projects if p.capex_musd is None),
    }


def close(a, b):
    if a is None or b is None:
        return a == b or (a or 0) == (b or 0)
    return abs(Decimal(a) - Decimal(b)) < Decimal("0.01")


def test_figures_match_an_independent_computation(data):
    figures = dashboard()
    projects = list(Project.objects.select_related("sector"))
    profiles = {p.country.code: p for p in CountryProfile.objects.all()}

    # totals
    expected = python_sums(projects)
    assert figures["totals"]["count"] == expected["count"]
    assert close(figures["totals"]["capex"], expected["capex"])
    assert close(figures["totals"]["gap"], expected["gap"])
    assert figures["totals"]["capex_undisclosed"] == expected["capex_undisclosed"]

    # funnel
    for row in figures["funnel"]:
        group = [p for p in projects if p.stage == row["key"]]
        assert row["count"] == len(group)
        assert close(row["capex"], python_sums(group)["capex"] if group else None)

    # sectors
    for row in figures["sectors"]:
        group = [p for p in projects if p.sector.slug == row["key"]]
        sums = python_sums(group)
        assert row["count"] == sums["count"]
        for key in ("capex", "gap", "abatement"):
            assert close(row[key], sums[key]), (row["label"], key)

    # regions and EMDE: the profile's, else the data file's (read here the slow way)
    with open(DATA_FILE, encoding="utf-8") as data:
        published = {row["code"]: row for row in csv.DictReader(data)}

    def region(code):
        if code in profiles:
            return profiles[code].region
        return published[code]["region"] or "unclassified"

    def is_emde(code):
        return profiles[code].is_emde if code in profiles else published[code]["emde"] == "yes"

    assert {row["key"] for row in figures["regions"]} == {region(p.country.code) for p in projects}
    for row in figures["regions"]:
        group = [p for p in projects if region(p.country.code) == row["key"]]
        assert row["count"] == len(group) and close(row["capex"], python_sums(group)["capex"])
    emde = [p for p in projects if is_emde(p.country.code)]
    yes, no = figures["emde"]
    assert yes["count"] == len(emde) and no["count"] == len(projects) - len(emde)
    assert close(yes["gap"], python_sums(emde)["gap"])

    # FID and operation per year: distinct projects
    reached = defaultdict(set)
    for change in StageChange.objects.filter(to_stage__in=["fid", "operational"]):
        reached[(change.changed_on.year, change.to_stage)].add(change.project_id)
    for row in figures["milestones"]:
        assert row["fid"] == len(reached[(row["year"], "fid")])
        assert row["operational"] == len(reached[(row["year"], "operational")])
    assert sum(r["fid"] for r in figures["milestones"]) == sum(
        len(v) for (_, stage), v in reached.items() if stage == "fid"
    )

    # slippage
    slips = Counter(
        p.revised_commissioning_year - p.planned_commissioning_year
        for p in projects
        if p.revised_commissioning_year and p.planned_commissioning_year
    )
    by_label = {row["label"]: row["count"] for row in figures["slippage"]}
    assert by_label["On time"] == slips[0]
    assert by_label["+1 year"] == slips[1]
    assert by_label["+3 years or more"] == sum(n for s, n in slips.items() if s >= 3)

    # pace: median days of completed stays in each stage
    stays = defaultdict(list)
    changes = defaultdict(list)
    for change in StageChange.objects.order_by("project", "changed_on", "pk"):
        changes[change.project_id].append(change)
    for rows in changes.values():
        for this, following in zip(rows, rows[1:], strict=False):
            stays[this.to_stage].append((following.changed_on - this.changed_on).days)
    for row in figures["pace"]:
        if stays[row["key"]]:
            assert row["median_days"] == pytest.approx(statistics.median(stays[row["key"]]))
            assert row["spells"] == len(stays[row["key"]])
        else:
            assert row["median_days"] is None

    # stuck and review queue
    cutoff = months_before(datetime.date.today(), 12)
    stuck = [
        p
        for p in projects
        if p.stage not in ("operational", "cancelled")
        and all(c.changed_on <= cutoff for c in changes[p.pk])
    ]
    assert figures["stuck"]["count"] == len(stuck)
    review = [p for p in projects if p.last_verified_on is None or p.last_verified_on < cutoff]
    assert figures["review"]["kinds"][0]["count"] == len(review)
    stale_engagements = [
        e
        for e in Engagement.objects.all()
        if e.last_verified_on is None or e.last_verified_on < cutoff
    ]
    assert figures["review"]["kinds"][1]["count"] == len(stale_engagements)

    # key figures
    members = list(Member.objects.current())
    assert figures["figures"]["members"]["countries"] == sum(m.kind == "country" for m in members)
    active = [e for e in Engagement.objects.all() if e.stage in Engagement.ACTIVE_STAGES]
    assert figures["figures"]["engagements"]["active"] == len(active)
    assert figures["figures"]["engagements"]["overdue"] == sum(e.is_overdue for e in active)


def pipeline_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count


def test_every_chart_link_lists_exactly_its_figure(staff_client, data):
    figures = dashboard()
    checked = 0
    for chart in ("funnel", "sectors", "regions", "emde", "slippage"):
        for row in figures[chart]:
            assert pipeline_count(staff_client, row["url"]) == row["count"], (chart, row["label"])
            checked += 1
    for row in figures["milestones"]:
        assert pipeline_count(staff_client, row["fid_url"]) == row["fid"]
        assert pipeline_count(staff_client, row["operational_url"]) == row["operational"]
        checked += 2
    assert pipeline_count(staff_client, figures["stuck"]["url"]) == figures["stuck"]["count"]
    for kind in figures["review"]["kinds"]:
        response = staff_client.get(kind["url"])
        assert response.context["page_obj"].paginator.count == kind["count"], kind["label"]
    assert checked > 20


def test_dashboard_page_shows_figures_with_links(staff_client):
    call_command("loaddata", "leadit", verbosity=0)
    response = staff_client.get("/")
    assert response.status_code == 200
    for text in [
        "Projects by stage",
        "Capex by sector",
        "Financing gap by region",
        "EMDE",
        'reaching <abbr title="final investment decision">FID</abbr>',
        "slippage",
        "Median time in each stage",
        "Stuck longest",
        "Overdue next steps",
        "Not verified for 12 months",
        'href="/pipeline/?stage=construction"',
        "<svg",
        "not disclosed",
    ]:
        assertContains(response, text)


def test_dashboard_uses_a_fixed_number_of_queries(staff_client):
    call_command("loaddata", "leadit", verbosity=0)
    staff_client.get("/")  # a fresh database: the figures are computed once, for this visit
    with CaptureQueriesContext(connection) as small:
        staff_client.get("/")
    call_command("generate_demo_data", projects=200, seed=5, stdout=io.StringIO())
    # Rows inserted in bulk change the data's state: the visit that notices it queues the
    # recomputation and shows the figures it has, within the budget.
    with CaptureQueriesContext(connection) as noticed:
        assertContains(staff_client.get("/"), "the latest changes are being added")
    with CaptureQueriesContext(connection) as large:
        staff_client.get("/")
    run_queued_tasks()
    with CaptureQueriesContext(connection) as current:
        staff_client.get("/")
    # Session, user, permissions, the stored figures and the data's state.
    assert len(small) == len(large) == len(current) == 5
    assert len(noticed) <= 10


def test_dashboard_shows_every_change_once_the_worker_has_run(staff_client):
    def shown():
        totals = staff_client.get("/").context["totals"]
        return totals["count"], totals["capex"]

    with committed():
        project = ProjectFactory(name="Kiln", stage="feasibility", capex_musd=100)
    assert shown() == (1, 100)
    assert shown() == (1, 100)  # stored
    # An edit, as the site, the admin and imports make them.
    project.capex_musd = 250
    with committed():
        project.save()
    run_queued_tasks()
    assert shown() == (1, 250)
    # A deletion.
    with committed():
        project.delete()
    run_queued_tasks()
    assert shown()[0] == 0
    # Rows inserted in bulk, which write no audit trail and send no signal: the next visit
    # notices and queues the recomputation.
    call_command("generate_demo_data", projects=3, seed=1, stdout=io.StringIO())
    assert shown()[0] == 0
    run_queued_tasks()
    response = staff_client.get("/")
    assert response.context["totals"]["count"] == 3


def test_pace_cache_follows_new_stage_changes(staff_client):
    project = ProjectFactory(stage="feasibility")
    StageChange.objects.filter(project=project).update(changed_on=datetime.date(2024, 1, 1))
    assert dashboard()["pace"][2]["spells"] == 0
    project.move_to_stage("financing", on=datetime.date(2024, 7, 1))
    feasibility = dashboard()["pace"][2]
    assert (feasibility["label"], feasibility["spells"], feasibility["median_days"]) == (
        "Feasibility",
        1,
        182,
    )


def test_stuck_months_is_chosen_by_the_user(staff_client):
    old = ProjectFactory(name="Old and stuck")
    StageChange.objects.filter(project=old).update(changed_on=datetime.date(2020, 1, 1))
    ProjectFactory(name="Fresh")
    response = staff_client.get("/", {"stuck_months": 6})
    assertContains(response, "Old and stuck")
    fragment = staff_client.get(
        "/", {"stuck_months": 24}, headers={"HX-Request": "true", "HX-Target": "stuck"}
    )
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="stuck"') and "Old and stuck" in html
    assert "Fresh" not in html
    assert staff_client.get("/", {"stuck_months": "-4"}).status_code == 422


def test_verified_today_for_secretariat_only(staff_client, viewer_client):
    project = ProjectFactory(name="Stale", last_verified_on=datetime.date(2020, 1, 1))
    assertNotContains(viewer_client.get("/"), "Verified today")
    assert viewer_client.post(f"/pipeline/{project.pk}/verify/").status_code == 403
    assertContains(staff_client.get("/"), "Verified today")
    response = staff_client.post(f"/pipeline/{project.pk}/verify/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and "record-verified" in response["HX-Trigger"]
    # The review list reloads itself on that event, with the message and without the project.
    html = staff_client.get("/", headers={"HX-Request": "true", "HX-Target": "review"})
    html = html.content.decode()
    assert html.lstrip().startswith('<div id="review"') and ">Stale</a>" not in html
    assert "marked as verified today" in html
    project.refresh_from_db()
    assert project.last_verified_on == datetime.date.today()
    assert project.history.first().last_verified_on == datetime.date.today()


def test_verify_enforces_csrf(csrf_staff_client):
    project = ProjectFactory(last_verified_on=None)
    assert csrf_staff_client.post(f"/pipeline/{project.pk}/verify/").status_code == 403
    project.refresh_from_db()
    assert project.last_verified_on is None


def test_gap_matching_lists_providers_of_comparable_projects(staff_client):
    CountryProfileFactory = __import__("tests.factories", fromlist=["x"]).CountryProfileFactory
    CountryProfileFactory(country="NA", region="sub_saharan_africa")
    CountryProfileFactory(country="ZA", region="sub_saharan_africa")
    CountryProfileFactory(country="BR", region="latin_america_caribbean")
    steel = SectorFactory(slug="steel", name="Iron and steel")
    cement = SectorFactory(slug="cement", name="Cement")
    target = ProjectFactory(name="Namibia green iron", country="NA", sector=steel)
    neighbour = ProjectFactory(country="ZA", sector=steel)
    FinancingFactory(
        project=neighbour,
        provider=OrganisationFactory(name="Africa Climate Bank"),
        instrument="concessional_loan",
        amount_musd=Decimal("120"),
    )
    FinancingFactory(
        project=neighbour,
        provider=OrganisationFactory(name="Only sought"),
        status=Financing.Status.SOUGHT,
    )
    other_sector = ProjectFactory(country="ZA", sector=cement)
    FinancingFactory(project=other_sector, provider=OrganisationFactory(name="Cement Fund"))
    far = ProjectFactory(country="BR", sector=steel)
    FinancingFactory(project=far, provider=OrganisationFactory(name="Faraway Bank"))
    response = staff_client.get(f"/pipeline/{target.pk}/")
    assertContains(response, "Africa Climate Bank")
    assertContains(response, "Concessional loan")
    assertContains(response, '<td class="num">120</td>')
    for absent in ("Only sought", "Cement Fund", "Faraway Bank"):
        assertNotContains(response, absent)


@pytest.mark.parametrize(
    "section, factory_name",
    [
        ("engagements", "EngagementFactory"),
        ("partnerships", "PartnershipFactory"),
        ("assistance", "AssistanceFactory"),
        ("members", "MemberFactory"),
        ("forum", "ForumActivityFactory"),
    ],
)
def test_every_sourced_record_can_be_verified(staff_client, section, factory_name):
    from . import factories

    record = getattr(factories, factory_name)(last_verified_on=None)
    response = staff_client.post(f"/{section}/{record.pk}/verify/", {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    record.refresh_from_db()
    assert record.last_verified_on == datetime.date.today()


def test_verify_refuses_an_outside_redirect(staff_client):
    project = ProjectFactory()
    response = staff_client.post(
        f"/pipeline/{project.pk}/verify/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == project.get_absolute_url()


def test_gap_matching_includes_assistance_to_comparable_projects(staff_client):
    from .factories import AssistanceFactory, CountryProfileFactory

    CountryProfileFactory(country="NA", region="sub_saharan_africa")
    CountryProfileFactory(country="ZA", region="sub_saharan_africa")
    steel = SectorFactory(slug="steel", name="Iron and steel")
    target = ProjectFactory(country="NA", sector=steel)
    neighbour = ProjectFactory(country="ZA", sector=steel)
    help_ = AssistanceFactory(
        provider=OrganisationFactory(name="Nordic Preparation Facility"),
        amount_musd=Decimal("2"),
        finance_type=110,
    )
    help_.supported_projects.add(neighbour)
    response = staff_client.get(f"/pipeline/{target.pk}/")
    assertContains(response, "Nordic Preparation Facility")
    assertContains(response, "Standard grant")
