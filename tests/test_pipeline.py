"""/pipeline/: filters, sorting, totals, htmx fragments, bad input, exports, query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pytest_django.asserts import assertContains

from partnerships.models import Project

from .factories import (
    CountryProfileFactory,
    FinancingFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SectorFactory,
    TechnologyFactory,
)

pytestmark = pytest.mark.django_db
URL = "/pipeline/"
HTMX = {"HX-Request": "true", "HX-Target": "results"}


def names(response) -> set[str]:
    return {p.name for p in response.context["page_obj"].object_list}


@pytest.fixture
def pipeline():
    """Two clearly different projects for each filter to tell apart."""
    CountryProfileFactory(country="NA", region="sub_saharan_africa", is_emde=True)
    CountryProfileFactory(country="SE", region="europe_central_asia", is_emde=False)
    steel = SectorFactory(slug="steel", name="Iron and steel")
    cement = SectorFactory(slug="cement", name="Cement")
    h2dri = TechnologyFactory(slug="h2-dri", name="H-DRI")
    ccus = TechnologyFactory(slug="ccus", name="CCUS")
    itp = PartnershipFactory(name="India–Sweden ITP")
    walvis = ProjectFactory(
        name="Walvis Bay green HBI",
        sponsor=OrganisationFactory(name="Namib Iron"),
        country="NA",
        sector=steel,
        technology=h2dri,
        scale="full_scale",
        stage="financing",
        capex_musd=Decimal("1500"),
        abatement_tco2e=Decimal("1600000"),
        planned_commissioning_year=2030,
        partnership=itp,
        site="Walvis Bay",
        gst_id="GST-901",
    )
    FinancingFactory(project=walvis, amount_musd=Decimal("2"))
    ProjectFactory(
        name="Boden kiln capture",
        sponsor=OrganisationFactory(name="Nordic Cement"),
        country="SE",
        sector=cement,
        technology=ccus,
        scale="pilot",
        stage="feasibility",
        capex_musd=Decimal("40"),
        abatement_tco2e=Decimal("5000"),
        planned_commissioning_year=2026,
        site="Boden",
    )
    return walvis


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "walvis"}, {"Walvis Bay green HBI"}),
        ({"q": "nordic"}, {"Boden kiln capture"}),  # sponsor
        ({"q": "GST-901"}, {"Walvis Bay green HBI"}),  # external id
        ({"q": "ccus"}, {"Boden kiln capture"}),  # technology
        ({"sector": "steel"}, {"Walvis Bay green HBI"}),
        ({"sector": ["steel", "cement"]}, {"Walvis Bay green HBI", "Boden kiln capture"}),
        ({"stage": "feasibility"}, {"Boden kiln capture"}),
        ({"stage": ["feasibility", "financing"]}, {"Walvis Bay green HBI", "Boden kiln capture"}),
        ({"country": "NA"}, {"Walvis Bay green HBI"}),
        ({"country": ["NA", "SE"]}, {"Walvis Bay green HBI", "Boden kiln capture"}),
        ({"region": "europe_central_asia"}, {"Boden kiln capture"}),
        ({"emde": "yes"}, {"Walvis Bay green HBI"}),
        ({"emde": "no"}, {"Boden kiln capture"}),
        ({"technology": "h2-dri"}, {"Walvis Bay green HBI"}),
        ({"scale": "pilot"}, {"Boden kiln capture"}),
        ({"capex_min": "100"}, {"Walvis Bay green HBI"}),
        ({"capex_max": "100"}, {"Boden kiln capture"}),
        ({"gap_min": "1000"}, {"Walvis Bay green HBI"}),
        ({"abatement_min": "10000"}, {"Walvis Bay green HBI"}),
        ({"year_min": "2028"}, {"Walvis Bay green HBI"}),
        ({"year_max": "2028"}, {"Boden kiln capture"}),
        ({"sector": "steel", "stage": "feasibility"}, set()),
        ({"country": "SE", "capex_min": "10", "capex_max": "50"}, {"Boden kiln capture"}),
    ],
)
def test_each_filter_and_combinations(staff_client, pipeline, params, expected):
    response = staff_client.get(URL, params)
    assert response.status_code == 200
    assert names(response) == expected


def test_sponsor_and_partnership_filters(staff_client, pipeline):
    assert names(staff_client.get(URL, {"sponsor": pipeline.sponsor_id})) == {pipeline.name}
    assert names(staff_client.get(URL, {"partnership": pipeline.partnership_id})) == {pipeline.name}


def test_undisclosed_capex_is_never_matched_by_a_range(staff_client, pipeline):
    ProjectFactory(name="Secretive", capex_musd=None)
    assert "Secretive" not in names(staff_client.get(URL, {"capex_max": "1000000"}))


@pytest.mark.parametrize(
    "sort, first",
    [
        ("capex_musd", "Boden kiln capture"),
        ("-capex_musd", "Walvis Bay green HBI"),
        ("name", "Boden kiln capture"),
        ("-name", "Walvis Bay green HBI"),
        ("stage", "Boden kiln capture"),  # ladder order: feasibility before financing
        ("-planned_commissioning_year", "Walvis Bay green HBI"),
        ("nonsense", "Boden kiln capture"),  # unknown: ignored, default order by name
    ],
)
def test_sorting(staff_client, pipeline, sort, first):
    response = staff_client.get(URL, {"sort": sort})
    assert response.status_code == 200
    assert response.context["page_obj"].object_list[0].name == first


def test_undisclosed_values_sort_last_both_ways(staff_client, pipeline):
    ProjectFactory(name="AAA undisclosed", capex_musd=None)
    for sort in ("capex_musd", "-capex_musd"):
        rows = list(staff_client.get(URL, {"sort": sort}).context["page_obj"].object_list)
        assert rows[-1].name == "AAA undisclosed"


def test_count_totals_and_not_disclosed(staff_client, pipeline):
    ProjectFactory(name="Quiet", capex_musd=None, abatement_tco2e=None)
    response = staff_client.get(URL)
    html = response.content.decode()
    assert "<strong>3</strong> projects" in html
    totals = response.context["totals"]
    assert totals["capex"] == Decimal("1540")
    assert totals["secured"] == Decimal("2")
    assert totals["gap"] == Decimal("1538")
    assert totals["capex_undisclosed"] == 1 and totals["abatement_undisclosed"] == 1
    assert "1,540" in html and "1 not disclosed" in html
    assert "not disclosed</span>" in html


def totals_queries(client, params=None) -> int:
    """How many of the request's queries sum the pipeline (its count and totals)."""
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, params or {}, headers=HTMX)
    return sum('SUM("partnerships_project"."capex_musd")' in q["sql"] for q in queries)


def test_the_whole_pipeline_is_summed_once_a_change_not_once_a_visit(
    staff_client, viewer_client, pipeline
):
    """The pipeline as it opens sums every project: kept until a project or a tranche
    changes (a sort or a page size changes nothing); a filtered view sums its own rows."""
    assert totals_queries(staff_client) == 1
    assert totals_queries(staff_client) == 0
    assert totals_queries(viewer_client, {"sort": "-capex_musd", "per_page": 50}) == 0
    assert totals_queries(staff_client, {"sector": "steel"}) == 1
    assert totals_queries(staff_client, {"sector": "steel"}) == 1

    walvis = Project.objects.get(name="Walvis Bay green HBI")
    walvis.capex_musd = Decimal("2500")
    walvis.save()
    response = staff_client.get(URL, headers=HTMX)
    assert response.context["totals"]["capex"] == Decimal("2540")
    FinancingFactory(project=walvis, amount_musd=Decimal("8"), status="committed")
    Project.objects.filter(pk=walvis.pk).refresh_financing()
    assert staff_client.get(URL, headers=HTMX).context["totals"]["secured"] == Decimal("10")
    ProjectFactory(name="Newcomer", capex_musd=Decimal("1"))
    response = staff_client.get(URL, headers=HTMX)
    assert response.context["totals"]["count"] == 3 and "<strong>3</strong>" in (
        response.content.decode()
    )


def test_count_in_words_uses_thousands_separators(staff_client):
    ProjectFactory.create_batch(3)
    assertContains(staff_client.get(URL), "<strong>3</strong> projects")


def test_active_filters_show_as_removable_chips(staff_client, pipeline):
    response = staff_client.get(URL, {"sector": "steel", "stage": "financing", "q": "bay"})
    chips = response.context["chips"]
    assert {(c["label"], c["value"]) for c in chips} == {
        ("Sector", "Iron and steel"),
        ("Stage", "Financing"),
        ("Search", "bay"),
    }
    sector_chip = next(c for c in chips if c["label"] == "Sector")
    assert (
        "sector=" not in sector_chip["remove_url"]
        and "stage=financing" in sector_chip["remove_url"]
    )


def test_htmx_request_gets_only_the_results_section(staff_client, pipeline):
    response = staff_client.get(URL, {"sector": "steel"}, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and 'id="filters"' not in html
    assert "Walvis Bay green HBI" in html and "Boden kiln capture" not in html
    assert "HX-Request" in response["Vary"] and "HX-Target" in response["Vary"]


def test_same_url_without_htmx_renders_the_full_page_with_the_form_filled(staff_client, pipeline):
    html = staff_client.get(URL, {"sector": "steel", "q": "bay"}).content.decode()
    assert "<html" in html and 'id="filters"' in html
    assert (
        'value="steel" checked' in html
        or 'checked value="steel"' in html
        or ('value="steel"' in html and "checked" in html)
    )
    assert 'value="bay"' in html


def test_history_restore_gets_the_full_page(staff_client, pipeline):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in staff_client.get(URL, headers=headers).content.decode()


def test_pagination_keeps_the_filters(staff_client):
    ProjectFactory.create_batch(30, stage="fid")
    ProjectFactory.create_batch(3, stage="identified")
    response = staff_client.get(URL, {"stage": "fid", "per_page": 10})
    page = response.context["page_obj"]
    assert page.paginator.count == 30 and len(page.object_list) == 10
    html = response.content.decode()
    assert "stage=fid" in html and "page=2" in html and "per_page=10" in html


def test_per_page_default_and_maximum(staff_client):
    ProjectFactory.create_batch(30)
    assert len(staff_client.get(URL).context["page_obj"].object_list) == 25
    assert staff_client.get(URL, {"per_page": "201"}).status_code == 422
    assert staff_client.get(URL, {"per_page": "200"}).status_code == 200


def test_empty_state(staff_client, pipeline):
    response = staff_client.get(URL, {"q": "no such project anywhere"})
    assertContains(response, "No projects match these filters")


@pytest.mark.parametrize(
    "params, field",
    [
        ({"capex_min": "abc"}, "capex_min"),
        ({"stage": "imaginary"}, "stage"),
        ({"sector": "unknown-sector"}, "sector"),
        ({"country": "XX"}, "country"),
        ({"per_page": "-5"}, "per_page"),
        ({"year_min": "20x0"}, "year_min"),
        ({"q": "x" * 5000}, "q"),
        ({"q": "bad\x00byte"}, "q"),
        ({"capex_max": "1e999"}, "capex_max"),
        ({"sponsor": "not-a-number"}, "sponsor"),
    ],
)
def test_bad_input_is_a_422_with_the_error_by_the_field(staff_client, pipeline, params, field):
    response = staff_client.get(URL, params)
    assert response.status_code == 422
    assert field in response.context["filter"].form.errors
    assertContains(response, "Some filters are not valid", status_code=422)
    assert not response.context["page_obj"].object_list  # strict: no unfiltered rows
    htmx = staff_client.get(URL, params, headers=HTMX)
    assert htmx.status_code == 422 and b"Some filters are not valid" in htmx.content


@pytest.mark.parametrize("page", ["99999", "0", "-3", "abc", "1" * 40])
def test_any_page_number_answers_without_error(staff_client, pipeline, page):
    response = staff_client.get(URL, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].object_list


def test_user_text_is_escaped(staff_client):
    ProjectFactory(name="<img src=x onerror=alert(1)>")
    html = staff_client.get(URL).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("rows", [10, 100])
def test_query_count_is_fixed_whatever_the_rows(staff_client, rows, django_assert_num_queries):
    """Same number of queries for 10 and 100 rows shown (per_page=200)."""
    sponsors = [OrganisationFactory() for _ in range(3)]
    for i in range(rows):
        ProjectFactory(
            sponsor=sponsors[i % 3],
            technology=TechnologyFactory(),
            partnership=PartnershipFactory(),
        )
    staff_client.get(URL)  # a repeat visit: the filters' options are cached
    with CaptureQueriesContext(connection) as page_queries:
        response = staff_client.get(URL, {"per_page": 200, "sort": "-capex_musd"})
    assert len(response.context["page_obj"].object_list) == rows
    with CaptureQueriesContext(connection) as fragment_queries:
        staff_client.get(URL, {"per_page": 200, "sector": "steel"}, headers=HTMX)
    # Fixed budgets. Page: session, user, permissions (for "Add project"), the state of the
    # tables behind the filters' options (cached), the first sponsors and the first
    # partnerships offered by their searchable selects (one query each: those tables may hold
    # thousands, so they are never listed whole), totals with the count, rows. Fragment:
    # session, user, permissions (reading needs the view permission), validating the sector,
    # totals with the count, rows.
    assert len(page_queries) == 8, [q["sql"] for q in page_queries]
    assert len(fragment_queries) == 6, [q["sql"] for q in fragment_queries]


@pytest.mark.parametrize("added", ["fields", "every column"])
def test_columns_a_reader_adds_show_their_values_in_fixed_queries(staff_client, pipeline, added):
    """The page's rows load only what the table reads (ProjectListView.row_fields); a column
    the reader adds, a field or a derived one, brings what it reads: never a query per row."""
    from leadit.sections.columns import declaration_for

    every = [column.name for column in declaration_for(Project).columns if column.name != "id"]
    fields = ["name", "site", "technology", "partnership", "gst_id", "sponsor", "description"]
    query = {"columns": fields if added == "fields" else every, "sort": "name"}
    staff_client.get(URL, headers=HTMX)  # the whole pipeline's totals, kept from a first visit
    counts = []
    for per_page in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(URL, {**query, "per_page": per_page}, headers=HTMX)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    for shown in ("Walvis Bay", "H-DRI", "India–Sweden ITP", "GST-901", "Namib Iron"):
        assertContains(response, shown)


def test_the_default_table_reads_only_its_own_fields(staff_client, pipeline):
    """Wide rows at 100,000 projects: the default table leaves out what it does not show."""
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(URL, headers=HTMX)
    assertContains(response, "Walvis Bay green HBI")
    rows_query = next(q["sql"] for q in queries if "LIMIT" in q["sql"] and "ORDER BY" in q["sql"])
    # The columns it reads (its order is the name's folded key, from an index on it).
    columns = rows_query.partition(" FROM ")[0]
    assert '"description"' not in columns and '"search_text"' not in columns
    assert "partnerships_technology" not in rows_query


# Exports -------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_has_every_filtered_row_with_labels(staff_client, pipeline):
    ProjectFactory.create_batch(30, sector=pipeline.sector, stage="financing")
    response = staff_client.get("/pipeline/export.csv", {"sector": "steel", "stage": "financing"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert len(body) == 31  # every row, not one page
    walvis = next(r for r in body if r[1] == "Walvis Bay green HBI")
    record = dict(zip(header, walvis, strict=True))
    assert record["Country"] == "Namibia" and record["Stage"] == "Financing"
    assert record["Sector"] == "Iron and steel" and record["Scale"] == "Full scale"
    assert record["Capex (USD million)"] == "1500.00"
    assert record["Financing gap (USD million)"] == "1498.00"


def test_csv_export_says_not_disclosed_and_neutralises_formulas(staff_client):
    ProjectFactory(name='=HYPERLINK("http://evil")', capex_musd=None)
    rows = read_csv(staff_client.get("/pipeline/export.csv"))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Project"].startswith("'=")
    assert record["Capex (USD million)"] == "not disclosed"


def test_xlsx_export_has_the_same_rows(staff_client, pipeline):
    response = staff_client.get("/pipeline/export.xlsx", {"country": "NA"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "Walvis Bay green HBI" and rows[1][3] == "Namibia"


def test_export_with_bad_filters_is_a_422(staff_client):
    response = staff_client.get("/pipeline/export.csv", {"capex_min": "lots"})
    assert response.status_code == 422 and b"capex_min" in response.content


def test_csv_export_streams_in_fixed_queries(staff_client, django_assert_max_num_queries):
    ProjectFactory.create_batch(50)
    with django_assert_max_num_queries(6):
        rows = read_csv(staff_client.get("/pipeline/export.csv"))
    assert len(rows) == 51


def test_viewers_can_read_and_export(viewer_client, pipeline):
    assert viewer_client.get(URL).status_code == 200
    assert viewer_client.get("/pipeline/export.csv").status_code == 200
    assert Project.objects.count() == 2


def test_small_amounts_keep_their_decimals():
    from leadit.sections.templatetags.sections import money

    assert money(Decimal("0.05")) == "0.05"
    assert money(Decimal("1234.56")) == "1,234.56"
    assert "not disclosed" in money(None)


def test_comm_sorts_and_filters_by_the_year_it_shows(staff_client):
    """The column shows the expected commissioning year (the revised one if any, else the
    planned one); its sort and the year filters used the planned year only."""
    ProjectFactory(name="Slipped", planned_commissioning_year=2026, revised_commissioning_year=2031)
    ProjectFactory(name="On time", planned_commissioning_year=2028, revised_commissioning_year=None)
    ProjectFactory(name="Early", planned_commissioning_year=2030, revised_commissioning_year=2027)
    response = staff_client.get(URL, {"sort": "commissioning_year"}, headers=HTMX)
    assert [p.name for p in response.context["page_obj"]] == ["Early", "On time", "Slipped"]
    response = staff_client.get(URL, {"sort": "-commissioning_year"}, headers=HTMX)
    assert [p.name for p in response.context["page_obj"]] == ["Slipped", "On time", "Early"]
    assert names(staff_client.get(URL, {"year_min": 2029})) == {"Slipped"}
    assert names(staff_client.get(URL, {"year_max": 2027})) == {"Early"}
    page = staff_client.get(URL).content.decode()
    assert "Commissioning year, earliest first" in page and "Comm., earliest first" not in page
