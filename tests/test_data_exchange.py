"""Issue 14 (items 1-3) and issue 17 item 2: one declaration of each model's columns serves the
table, the record page, the exports and the imports; one formatter writes every value; Excel
files a spreadsheet user likes; financing and engagements import as a Secretariat needs."""

import datetime
import io
from decimal import Decimal

import pytest
import tablib
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps
from openpyxl import load_workbook

from leadit.sections.columns import SYSTEM_FIELDS, Declaration, declaration_for
from leadit.sections.formatting import format_value
from leadit.sections.imports import tracker_resource
from members.models import Member, Organisation
from members.resources import MemberResource, OrganisationResource
from partnerships.models import (
    Assistance,
    Engagement,
    Financing,
    ForumActivity,
    Partnership,
    Project,
)
from partnerships.resources import (
    AssistanceResource,
    EngagementResource,
    FinancingResource,
    ProjectResource,
)

from .factories import (
    CountryProfileFactory,
    EngagementFactory,
    FinancingFactory,
    OrganisationFactory,
    ProjectFactory,
    SectorFactory,
    StageChangeFactory,
    TechnologyFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

TRACKER_MODELS = [Organisation, Member, Project, Financing, Engagement, Assistance, Partnership]
TRACKER_MODELS.append(ForumActivity)
RESOURCES = {
    Organisation: OrganisationResource,
    Member: MemberResource,
    Project: ProjectResource,
    Financing: FinancingResource,
    Engagement: EngagementResource,
    Assistance: AssistanceResource,
}
LIST_EXPORTS = {  # the lists whose section has an import
    "/members/export.csv": MemberResource,
    "/pipeline/export.csv": ProjectResource,
    "/engagements/export.csv": EngagementResource,
    "/assistance/export.csv": AssistanceResource,
}


def editable_fields(model) -> list:
    return [
        f
        for f in model._meta.get_fields()
        if (f.concrete or f.many_to_many)
        and not f.auto_created
        and f.editable
        and f.name not in SYSTEM_FIELDS
    ]


@pytest.fixture
def demo():
    call_command("loaddata", "leadit", verbosity=0)


def csv_dataset(response) -> tablib.Dataset:
    body = b"".join(response.streaming_content).decode()
    return tablib.Dataset().load(body, format="csv")


def xlsx(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


# One declaration, everywhere --------------------------------------------------------------------


@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda m: m.__name__)
def test_every_editable_field_is_exported_and_imported_or_left_out_with_a_reason(model):
    declaration = declaration_for(model)
    resource = RESOURCES.get(model)
    imported = {f.column_name for f in resource().get_import_fields()} if resource else set()
    exported = set(resource().get_export_headers()) if resource else set()
    for field in editable_fields(model):
        if field.name in declaration.exclude:
            assert len(declaration.exclude[field.name]) > 10, f"{field.name}: give the reason"
            continue
        column = declaration[field.name]  # KeyError: the field is neither declared nor left out
        if resource is None:
            continue
        assert column.header in exported, field.name
        if field.name in declaration.export_only:
            assert declaration.export_only[field.name], field.name
        else:
            assert field.name in imported, field.name


def test_the_project_export_carries_every_field_the_form_edits(demo):
    from partnerships.forms import ProjectForm

    headers = set(ProjectResource().get_export_headers())
    for name in ProjectForm.base_fields:
        if name in declaration_for(Project).by_name:
            assert declaration_for(Project)[name].header in headers, name
    for wanted in (
        "Specific equipment",
        "Product",
        "Status basis",
        "Capex as reported",
        "Abatement basis",
        "Planned FID year",
        "Planned commissioning year",
        "Region",
        "Income group",
        "EMDE",
        "Financing secured (USD million)",
        "Financing gap (USD million)",
        "Reached FID",
        "Reached Operational",
        "Last verified",
    ):
        assert wanted in headers, wanted


@isolate_apps("partnerships")
def test_a_field_added_to_a_model_appears_in_export_import_record_page_and_columns():
    """What adding a field to Project does, on a throwaway model: nothing else to edit."""

    class Kiln(models.Model):
        name = models.CharField(max_length=50)
        furnace_capex = models.DecimalField(
            "furnace capex (USD million)", max_digits=8, decimal_places=2, null=True
        )
        fuel = models.CharField(max_length=8, choices=[("gas", "Natural gas")], blank=True)
        commissioned_on = models.DateField(null=True)

        class Meta:
            app_label = "partnerships"

        def __str__(self) -> str:
            return self.name

    declaration = Declaration(Kiln)
    capex = declaration["furnace_capex"]
    assert (capex.label, capex.unit, capex.kind) == ("Furnace capex", "USD million", "money")
    resource = tracker_resource(Kiln, natural_key=("name",))
    assert "Furnace capex (USD million)" in resource().get_export_headers()
    assert {"name", "furnace_capex", "fuel", "commissioned_on"} <= {
        f.column_name for f in resource().get_import_fields()
    }
    kiln = Kiln(name="K1", furnace_capex=Decimal("1234.5"), fuel="gas")
    facts = dict(declaration.facts(kiln))
    assert facts["Furnace capex (USD million)"] == "1,234.5"
    assert facts["Fuel"] == "Natural gas"
    table = declaration.table("name", ("furnace_capex", {"label": "Capex", "unit": "USD m"}))
    assert [c.label for c in table] == ["Name", "Capex"]


def test_one_formatter_writes_each_kind_for_pages_files_and_excel():
    day = datetime.date(2026, 3, 1)
    assert format_value(Decimal("1500.00"), "money", "html") == "1,500"
    assert format_value(Decimal("1500.00"), "money", "text") == "1500.00"
    assert format_value(Decimal("1500.00"), "money", "excel") == 1500.0
    assert "not disclosed" in format_value(None, "money", "html")
    assert format_value(None, "money", "text") == "not disclosed"
    assert format_value(None, "year", "text") == ""
    assert format_value(day, "date", "html") == "1 Mar 2026"
    assert format_value(day, "date", "text") == "2026-03-01"
    assert format_value(day, "date", "excel") == day
    assert format_value("fid", "choice", "text", choices={"fid": "FID"}) == "FID"
    assert format_value(True, "bool", "text") == "Yes"
    assert format_value(Decimal("1.500"), "number", "html") == "1.5"


def test_table_record_page_and_export_write_a_value_the_same_way(staff_client):
    project = ProjectFactory(name="Kiln 7", capex_musd=Decimal("2500.00"), country="KE")
    CountryProfileFactory(country="KE", region="sub_saharan_africa", is_emde=True)
    table = staff_client.get("/pipeline/").content.decode()
    page = staff_client.get(project.get_absolute_url()).content.decode()
    assert ">2,500<" in table and ">2,500<" in page
    assert "Sub-Saharan Africa" in page  # a derived fact, from the same declaration
    rows = csv_dataset(staff_client.get("/pipeline/export.csv")).dict
    assert rows[0]["Capex (USD million)"] == "2500.00" and rows[0]["Region"] == "Sub-Saharan Africa"


def test_the_export_has_the_date_each_stage_was_reached(staff_client):
    project = ProjectFactory(name="Stepper")
    StageChangeFactory(
        project=project, from_stage="identified", to_stage="fid", changed_on="2025-05-04"
    )
    row = csv_dataset(staff_client.get("/pipeline/export.csv")).dict[0]
    assert row["Reached FID"] == "2025-05-04"


# Round trips -------------------------------------------------------------------------------------


def field_values(model) -> dict:
    """Every stored value of every importable field, by record."""
    names = [c.name for c in declaration_for(model).importable]
    return {
        obj.pk: {name: getattr(obj, f"{name}_id", getattr(obj, name)) for name in names}
        for obj in model.objects.all()
    }


@pytest.fixture
def full_records(demo):
    """Records with every importable field filled, besides the demo's."""
    project = ProjectFactory(
        name="Full project",
        gst_id="GST-999",
        working_group=WorkingGroupFactory(name="Full group"),
        technology=TechnologyFactory(name="Full technology"),
        site="Mombasa",
        specific_equipment="Shaft furnace",
        product="dri_hbi",
        scale="pilot",
        capacity=Decimal("1.250"),
        capacity_unit="mtpa",
        capex_musd=Decimal("0.05"),
        capex_note="EUR 46,000",
        abatement_tco2e=Decimal("12345"),
        abatement_basis="Owner's estimate",
        planned_fid_year=2027,
        planned_commissioning_year=2029,
        revised_commissioning_year=2030,
        actual_start_year=2031,
        offtake_status="mou",
        gem_plant_id="P100",
        mpp_ref="MPP-1",
        qualified=True,
        qualification_reason="Green hydrogen",
        description='Line one\n"quoted", with commas',
        source_url="https://example.org/full",
        last_verified_on=datetime.date(2026, 1, 2),
    )
    FinancingFactory(project=project, status="committed", amount_musd=Decimal("0.02"))
    EngagementFactory(project=project, title="Full engagement", ip_arrangement="Shared", notes="n")
    return project


@pytest.mark.parametrize("model", list(RESOURCES), ids=lambda m: m.__name__)
def test_an_export_reimported_into_a_copy_changes_nothing(full_records, model):
    resource = RESOURCES[model]
    before = field_values(model)
    history = model.history.count()
    result = resource().import_data(resource().export(), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert {row.import_type for row in result.rows} == {"skip"}
    assert field_values(model) == before
    assert model.history.count() == history


@pytest.mark.parametrize("url", list(LIST_EXPORTS))
def test_what_a_user_gets_from_export_imports_without_renaming_anything(
    staff_client, full_records, url
):
    resource = LIST_EXPORTS[url]
    model = resource._meta.model
    before = field_values(model)
    for dataset in (
        csv_dataset(staff_client.get(url)),
        tablib.Dataset().load(
            b"".join(staff_client.get(url.replace(".csv", ".xlsx")).streaming_content), "xlsx"
        ),
    ):
        assert "ID" in dataset.headers  # the export's headings, labels with units
        result = resource().import_data(dataset, dry_run=False)
        assert not result.has_errors(), [e.traceback for e in result.base_errors]
        assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
        assert {row.import_type for row in result.rows} == {"skip"}
    assert field_values(model) == before


# Financing and engagements --------------------------------------------------------------------


def test_the_financing_sample_in_docs_imports_cleanly_with_the_exports_headings(demo):
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "docs" / "import-samples" / "financing.csv"
    dataset = tablib.Dataset().load(sample.read_text(), format="csv")
    result = FinancingResource().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors(), [
        r.error_dict for r in result.invalid_rows
    ]
    assert [row.import_type for row in result.rows] == ["update", "update", "new"]


def csv(text: str) -> tablib.Dataset:
    return tablib.Dataset().load(text.strip() + "\n", format="csv")


def test_financing_rows_import_by_external_id_or_name_and_country(demo):
    first = ProjectFactory(name="Twin plant", country="IN", gst_id="GST-901", capex_musd=100)
    second = ProjectFactory(name="Twin plant", country="BR", capex_musd=100)
    OrganisationFactory(name="Green Bank")
    dataset = csv("""
Project,Project's Green Steel Tracker ID,Project country,Provider,Instrument,Status,Amount (USD million)
Twin plant,GST-901,,Green Bank,Concessional loan,Committed,40
Twin plant,,Brazil,Green Bank,Equity,Disbursed,15
""")  # noqa: E501 (the export's headings, as a user gets them)
    result = FinancingResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.financing_secured_musd == 40 and first.financing_gap_musd == 60
    assert second.financing.get().instrument == "equity"
    again = FinancingResource().import_data(dataset, dry_run=False)
    assert {row.import_type for row in again.rows} == {"skip"}
    ambiguous = csv("project,provider,instrument\nTwin plant,Green Bank,Grant\n")
    result = FinancingResource().import_data(ambiguous, dry_run=True)
    errors = result.invalid_rows[0].error_dict
    assert "More than one project is called" in errors["project"][0]


def test_engagements_find_their_project_by_external_id(demo):
    ProjectFactory(name="Same name", gst_id="GST-902")
    wanted = ProjectFactory(name="Same name", gst_id="GST-903")
    provider = OrganisationFactory(name="Kiln Tech")
    dataset = csv("""
title,provider,mode,project,project_gst_id
Kiln licence,Kiln Tech,Licensing,Same name,GST-903
""")
    result = EngagementResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert Engagement.objects.get(title="Kiln licence", provider=provider).project == wanted
    by_name = csv("title,provider,mode,project\nOther,Kiln Tech,Licensing,Same name\n")
    result = EngagementResource().import_data(by_name, dry_run=True)
    assert "Green Steel Tracker ID" in result.invalid_rows[0].error_dict["project"][0]


def test_admin_lists_imports_and_exports_financing(staff_client, demo):
    assert staff_client.get("/admin/partnerships/financing/import/").status_code == 200
    response = staff_client.post(
        "/admin/partnerships/financing/export/",
        {"format": "0", "resource": "0", "financingresource_project": "on"},
    )
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


# Excel -----------------------------------------------------------------------------------------


def test_the_excel_export_is_styled_and_says_where_it_came_from(staff_client, secretariat_user):
    CountryProfileFactory(country="NA", region="sub_saharan_africa", is_emde=True)
    steel = SectorFactory(slug="steel", name="Iron and steel")
    ProjectFactory(
        name="=cmd|calc",
        country="NA",
        sector=steel,
        capex_musd=Decimal("1234.56"),
        last_verified_on=datetime.date(2026, 2, 3),
        description="long " * 40,
        source_url="https://example.org/a",
    )
    ProjectFactory(name="Other", sector=SectorFactory(slug="cement", name="Cement"))
    response = staff_client.get("/pipeline/export.xlsx", {"sector": "steel"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="leadit-pipeline-')
    book = xlsx(response)
    sheet, about = book.worksheets
    header = [cell.value for cell in sheet[1]]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}2"
    assert sheet.max_row == 2  # the filter holds: one project
    cell = dict(zip(header, sheet[2], strict=True))
    assert cell["Project"].value == "=cmd|calc" and cell["Project"].data_type == "s"
    assert cell["Capex (USD million)"].value == 1234.56
    assert cell["Capex (USD million)"].number_format == "#,##0.0"
    assert cell["Last verified"].is_date and cell["Last verified"].number_format == "yyyy-mm-dd"
    assert cell["Description"].alignment.wrap_text
    assert sheet.column_dimensions[cell["Description"].column_letter].width >= 60
    assert about.title == "About this export"
    notes = {row[0].value: row[1].value for row in about.iter_rows()}
    assert notes["Filters"] == "Sector: Iron and steel"
    assert notes["Page"] == "http://testserver/pipeline/?sector=steel"
    assert notes["Exported by"] in (secretariat_user.get_full_name(), secretariat_user.username)
    assert notes["Rows"] == 1
    assert "1 of 1 rows cite a source" in notes["Sources"]


@pytest.mark.parametrize(
    "url", ["/members/", "/engagements/", "/partnerships/", "/assistance/", "/forum/", "/pipeline/"]
)
def test_every_list_offers_an_excel_export_next_to_csv(staff_client, url):
    page = staff_client.get(url).content.decode()
    assert f'href="{url}export.csv?' in page or "export.csv" in page
    assert "export.xlsx" in page
    response = staff_client.get(f"{url}export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx(response).sheetnames[1] == "About this export"
    assert staff_client.get(f"{url}export.xlsx", {"q": "x" * 500}).status_code == 422


def test_the_lists_column_choices_are_the_declared_columns(
    staff_client, django_assert_max_num_queries
):
    CountryProfileFactory(country="KE", region="sub_saharan_africa", is_emde=True)
    ProjectFactory.create_batch(
        3, country="KE", specific_equipment="Shaft furnace", working_group=WorkingGroupFactory()
    )
    page = staff_client.get("/pipeline/").content.decode()
    for name in ("specific_equipment", "country_region", "reached_fid", "working_group"):
        assert f'value="{name}"' in page  # every declared column can be chosen
    chosen = {"columns": ["specific_equipment", "country_region", "working_group"]}
    with django_assert_max_num_queries(8):
        response = staff_client.get(
            "/pipeline/", chosen, headers={"HX-Request": "true", "HX-Target": "results"}
        )
    html = response.content.decode()
    assert "Specific equipment" in html and "Shaft furnace" in html
    assert "Sub-Saharan Africa" in html
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert "Capex" not in head and "Specific equipment" in head  # the chosen, and the name
    assert staff_client.get("/pipeline/", {"columns": "nonsense"}).status_code == 200


def test_excel_writes_text_as_it_is_stored(staff_client):
    """Text that looks like a link, a number or a formula stays the text the record holds (a
    writer that guesses types would make links, numbers and formulas); blanks stay empty."""
    ProjectFactory(
        name="00123", description="+1 555", source_url="https://example.org/a", capex_musd=None
    )
    book = xlsx(staff_client.get("/pipeline/export.xlsx"))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    cell = dict(zip(header, sheet[2], strict=True))
    assert cell["Project"].value == "00123" and cell["Project"].data_type == "s"
    assert cell["Description"].value == "+1 555"
    assert cell["Source"].value == "https://example.org/a" and cell["Source"].hyperlink is None
    assert cell["Capex (USD million)"].value in (None, "not disclosed")
