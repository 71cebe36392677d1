"""Admin import and export: previews, errors per row and column, all-or-nothing, round trips."""

from decimal import Decimal
from pathlib import Path

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from members.models import Contact, Member, Organisation
from members.resources import MemberResource, OrganisationResource
from partnerships.models import (
    Assistance,
    Engagement,
    ForumActivity,
    Participant,
    Project,
    StageChange,
)
from partnerships.resources import AssistanceResource, EngagementResource, ProjectResource

from .factories import OrganisationFactory, SectorFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "import-samples"
ORDER = [  # import order: what a row refers to comes first
    ("organisations", OrganisationResource, Organisation),
    ("members", MemberResource, Member),
    ("projects", ProjectResource, Project),
    ("engagements", EngagementResource, Engagement),
    ("assistance", AssistanceResource, Assistance),
]


def csv(text: str) -> tablib.Dataset:
    return tablib.Dataset().load(text.strip() + "\n", format="csv")


def rows_of(dataset) -> list:
    return sorted(tuple(str(v) for v in row) for row in dataset)


def imported_columns(dataset, resource) -> list:
    headers = [resource.declaration[f.column_name].header for f in resource().get_import_fields()]
    index = [dataset.headers.index(header) for header in headers]
    return sorted(tuple(str(row[i]) for i in index) for row in dataset)


@pytest.fixture
def demo():
    call_command("loaddata", "leadit", verbosity=0)


def test_export_then_import_into_an_empty_database_gives_the_same_records(demo):
    exported = {name: resource().export() for name, resource, _ in ORDER}
    # Empty the importable records (and what hangs on them); lookups stay.
    Assistance.objects.all().delete()
    Engagement.objects.all().delete()
    Project.objects.all().delete()
    ForumActivity.objects.all().delete()
    Member.objects.all().delete()
    Participant.objects.all().delete()
    Contact.objects.all().delete()
    Organisation.objects.filter(parent__isnull=False).delete()
    Organisation.objects.all().delete()
    for name, resource, model in ORDER:
        result = resource().import_data(exported[name], dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors(), name
        assert model.objects.count() == len(exported[name]), name
    for name, resource, _ in ORDER:
        # The records' own fields; derived columns (stage dates, secured financing) come from
        # records of other tables that this test does not re-import.
        assert imported_columns(resource().export(), resource) == imported_columns(
            exported[name], resource
        ), name


def test_reimporting_the_same_file_changes_nothing(demo):
    dataset = ProjectResource().export()
    before = (Project.objects.count(), StageChange.objects.count(), Project.history.count())
    result = ProjectResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}
    assert (Project.objects.count(), StageChange.objects.count(), Project.history.count()) == before


@pytest.mark.parametrize("name, resource, model", ORDER)
def test_sample_files_in_docs_import_cleanly(demo, name, resource, model):
    dataset = csv((SAMPLES / f"{name}.csv").read_text())
    result = resource().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert len(result.rows) == 3


def test_new_rows_are_created_with_history_and_stage_changes(demo):
    dataset = csv("""
name,country,sponsor,sector,stage,capex_musd,abatement_tco2e,planned_commissioning_year
New kiln,Kenya,Stegra,Cement and concrete,Feasibility,not disclosed,,2029
Green mill,IN,HBIS Group,steel,financing,"1,250.5",40000,2030
""")
    result = ProjectResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors(), result.invalid_rows
    assert [row.import_type for row in result.rows] == ["new", "new"]
    kiln = Project.objects.get(name="New kiln")
    assert (kiln.country.code, kiln.stage, kiln.capex_musd, kiln.abatement_tco2e) == (
        "KE",
        "feasibility",
        None,
        None,
    )  # "not disclosed" and blank are NULL, never 0
    mill = Project.objects.get(name="Green mill")
    assert mill.capex_musd == Decimal("1250.5") and mill.sector.slug == "steel"
    assert kiln.history.filter(history_type="+").exists()
    assert kiln.stage_changes.get().to_stage == "feasibility"


def test_rows_match_on_gst_id_before_name(demo):
    dataset = csv("""
gst_id,name,country,sponsor,sector,stage
GST-016,Renamed GEiSt pilot,DE,HyIron,Iron and steel,Operational
""")
    result = ProjectResource().import_data(dataset, dry_run=False)
    assert [row.import_type for row in result.rows] == ["update"]
    project = Project.objects.get(gst_id="GST-016")
    assert (project.name, project.stage) == ("Renamed GEiSt pilot", "operational")


def errors_by_row(result) -> dict:
    return {row.number: row.error_dict for row in result.invalid_rows}


def test_every_bad_value_is_reported_with_its_row_and_column_and_nothing_is_stored(demo):
    before = Project.objects.count()
    dataset = csv("""
name,country,sponsor,sector,stage,capex_musd,planned_commissioning_year
Good one,IN,Stegra,steel,identified,10,2030
Bad number,IN,Stegra,steel,identified,ten million,2030
Unknown sector,IN,Stegra,Basket weaving,identified,10,2030
Unknown stage,IN,Stegra,steel,dreaming,10,2030
Negative,IN,Stegra,steel,identified,-5,2030
Old,IN,Stegra,steel,identified,5,1850
No sponsor,XX,Nobody Ltd,steel,identified,5,2030
Good one,IN,Stegra,steel,fid,10,2030
""")
    result = ProjectResource().import_data(dataset, dry_run=False)
    errors = errors_by_row(result)
    assert set(errors) == {2, 3, 4, 5, 6, 7, 8}
    assert "not a number" in errors[2]["capex_musd"][0]
    assert "No sector called “Basket weaving”" in errors[3]["sector"][0]
    assert "“dreaming” is not one of" in errors[4]["stage"][0]
    assert "negative" in errors[5]["capex_musd"][0]
    assert "1990" in errors[6]["planned_commissioning_year"][0]
    assert "No organisation called “Nobody Ltd”" in errors[7]["sponsor"][0]
    assert "country" in errors[7]
    assert "Repeats the key" in errors[8]["name"][0]
    assert Project.objects.count() == before  # the good row was not written either


def test_wrong_columns_are_refused_before_any_row(demo):
    dataset = csv("""
project title,land,capex
A,IN,1
""")
    result = ProjectResource().import_data(dataset, dry_run=True)
    assert result.has_errors()
    message = str(result.base_errors[0].error)
    assert "no column name, country" in message and "the columns must be" in message


def test_unknown_extra_column_is_refused(demo):
    dataset = csv("""
name,country,sponsor,sector,stage,colour
A,IN,Stegra,steel,identified,green
""")
    result = ProjectResource().import_data(dataset, dry_run=True)
    assert result.has_errors() and "Unknown column(s) colour" in str(result.base_errors[0].error)


def test_organisations_and_members_import_by_name(demo):
    dataset = csv("""
name,short_name,org_type,country
Kenya Cement Works,KCW,Private sector in aid recipient country,KE
""")
    assert not OrganisationResource().import_data(dataset, dry_run=False).has_validation_errors()
    assert Organisation.objects.get(name="Kenya Cement Works").org_type == 72
    members = csv("""
organisation,kind,role,joined_on,verified
kenya cement works,Company,Member,2026-03-01,1
""")
    result = MemberResource().import_data(members, dry_run=False)
    assert not result.has_validation_errors(), errors_by_row(result)
    assert Member.objects.get(organisation__name="Kenya Cement Works").kind == "company"


# Through the admin: preview, confirm, limits ---------------------------------------------------


def admin_import(client, model_path: str, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(
        f"/admin/{model_path}/import/", {"import_file": upload, "format": "0", "resource": "0"}
    )


def test_admin_preview_shows_new_and_updated_rows_then_confirm_writes_them(staff_client, demo):
    assert staff_client.get("/admin/partnerships/project/import/").status_code == 200
    content = b"""gst_id,name,country,sponsor,sector,stage
GST-016,GEiSt pilot renamed,DE,HyIron,Iron and steel,Construction
,Brand new plant,BR,Stegra,Iron and steel,Identified
"""
    response = admin_import(staff_client, "partnerships/project", "p.csv", content)
    assert response.status_code == 200
    html = response.content.decode()
    assert "New" in html and "Update" in html and "Brand new plant" in html
    assert not Project.objects.filter(name="Brand new plant").exists()  # a preview writes nothing
    confirm = response.context["confirm_form"]
    data = {field.name: field.value() for field in confirm}
    done = staff_client.post("/admin/partnerships/project/process_import/", data)
    assert done.status_code == 302
    assert Project.objects.filter(name="Brand new plant").exists()
    assert Project.objects.get(gst_id="GST-016").name == "GEiSt pilot renamed"


def test_admin_preview_lists_errors_and_offers_no_confirmation(staff_client, demo):
    content = b"name,country,sponsor,sector,stage,capex_musd\nX,IN,Stegra,steel,identified,abc\n"
    response = admin_import(staff_client, "partnerships/project", "p.csv", content)
    html = response.content.decode()
    assert "not a number" in html and "capex_musd" in html
    assert response.context.get("confirm_form") is None
    assert not Project.objects.filter(name="X").exists()


def test_admin_refuses_a_10_mb_file(staff_client, demo):
    header = b"name,country,sponsor,sector,stage\n"
    content = header + b"x" * (10 * 1024 * 1024)
    response = admin_import(staff_client, "partnerships/project", "big.csv", content)
    assert response.status_code == 200
    assert "import at most 5 MB" in response.content.decode()


def test_admin_exports_csv_and_xlsx(staff_client, demo):
    for index in ("0", "1"):
        response = staff_client.post(
            "/admin/partnerships/project/export/",
            {"format": index, "resource": "0", **{f"projectresource_{c}": "on" for c in ("name",)}},
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")


def test_viewers_cannot_import(viewer_client):
    assert viewer_client.get("/admin/partnerships/project/import/").status_code == 302


def test_amount_widget_reads_spreadsheet_habits():
    from leadit.sections.imports import AmountWidget

    widget = AmountWidget()
    for blank in ("", " ", "not disclosed", "N/A", "—", None):
        assert widget.clean(blank) is None
    assert widget.clean("1,234.50") == Decimal("1234.50")
    for bad in ("abc", "1e9999x", "NaN", "Infinity"):
        with pytest.raises(ValueError):
            widget.clean(bad)
    assert widget.render(None) == "not disclosed"


def test_sector_can_be_given_by_slug_or_name():
    from leadit.sections.imports import NamedForeignKeyWidget
    from members.models import Sector

    SectorFactory(slug="steel", name="Iron and steel")
    widget = NamedForeignKeyWidget(Sector, ("name", "slug"))
    assert widget.clean("STEEL").slug == "steel" and widget.clean("iron and steel").slug == "steel"
    OrganisationFactory()


def test_admin_imports_excel_files_too(staff_client, demo):
    dataset = csv("""
name,country,sponsor,sector,stage,capex_musd
Excel plant,SE,Stegra,Iron and steel,Identified,not disclosed
""")
    # format 1 is Excel
    upload = SimpleUploadedFile("p.xlsx", dataset.export("xlsx"))
    response = staff_client.post(
        "/admin/partnerships/project/import/",
        {"import_file": upload, "format": "1", "resource": "0"},
    )
    assert response.status_code == 200 and "Excel plant" in response.content.decode()
    confirm = response.context["confirm_form"]
    staff_client.post(
        "/admin/partnerships/project/process_import/",
        {field.name: field.value() for field in confirm},
    )
    assert Project.objects.get(name="Excel plant").capex_musd is None


def test_admin_history_shows_versions_and_reverts_a_change(staff_client, demo):
    project = Project.objects.get(gst_id="GST-016")
    original = project.name
    project.save()  # a first version to go back to
    earlier = project.history.latest()
    project.name = "Mistaken name"
    project.save()
    history_url = f"/admin/partnerships/project/{project.pk}/history/"
    response = staff_client.get(history_url)
    assert response.status_code == 200 and "Mistaken name" in response.content.decode()
    revert_url = f"{history_url}{earlier.history_id}/"
    page = staff_client.get(revert_url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: (value if value is not None else "") for name, value in form.initial.items()}
    data.update(
        {
            "financing-TOTAL_FORMS": 0,
            "financing-INITIAL_FORMS": 0,
            "stage_changes-TOTAL_FORMS": 0,
            "stage_changes-INITIAL_FORMS": 0,
        }
    )
    response = staff_client.post(revert_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Project.objects.get(pk=project.pk).name == original
