"""Editing in the site: forms per section, errors in place, edit conflicts, protected deletes."""

import re

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from leadit.sections.editing import form_data
from members.models import Contact, Member, Organisation
from partnerships.models import Assistance, Engagement, ForumActivity, Partnership, Project

from . import sections
from .factories import (
    AssistanceFactory,
    EngagementFactory,
    FinancingFactory,
    ForumActivityFactory,
    MemberFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_client(secretariat_user, django_user_model):
    """A second Secretariat officer, Olga Okafor, logged in: two officers on one record."""
    olga = django_user_model.objects.create_user(
        "olga", first_name="Olga", last_name="Okafor", is_staff=True
    )
    olga.groups.set(secretariat_user.groups.all())
    client = Client()
    client.force_login(olga)
    return client


HTMX = {"HX-Request": "true", "HX-Target": "form"}


def new_data(section):
    """Valid form data for a new record of each section."""
    org = OrganisationFactory(name="Acme Green Steel")
    partnership = PartnershipFactory(name="Test ITP")
    sector = SectorFactory(slug="steel", name="Iron and steel")
    return {
        "pipeline": (
            Project,
            {
                "name": "New green steel plant",
                "sponsor": org.pk,
                "country": "IN",
                "sector": sector.pk,
                "stage": "identified",
                "status_basis": "reported_by_owner",
                "confidence": "medium",
                "capex_musd": "250.5",
                "planned_commissioning_year": "2031",
            },
        ),
        "members": (
            Member,
            {
                "organisation": org.pk,
                "kind": "company",
                "role": "member",
                "joined_on": "2024-05-01",
                "verified": "on",
                "source_url": "https://www.industrytransition.org/members/",
            },
        ),
        "engagements": (
            Engagement,
            {
                "title": "New licensing deal",
                "provider": org.pk,
                "mode": "licensing",
                "stage": "scoping",
                "next_step": "Call",
                "next_step_due": "2027-01-10",
            },
        ),
        "partnerships": (
            Partnership,
            {
                "name": "New partnership",
                "kind": "bilateral_platform",
                "pillar": "itp",
                "status": "proposed",
                "sectors": [sector.pk],
            },
        ),
        "assistance": (
            Assistance,
            {
                "title": "New TA",
                "partnership": partnership.pk,
                "provider": org.pk,
                "kind": "technical_assistance",
                "activity_status": "1",
                "climate_mitigation": "2",
                "amount_musd": "1.5",
                "currency": "sek",
            },
        ),
        "forum": (
            ForumActivity,
            {
                "title": "New dialogue",
                "kind": "roundtable",
                "starts_on": "2026-03-01",
                "hosts": [org.pk],
            },
        ),
        "organisations": (
            Organisation,
            {
                "name": "Hydrogen Bank of Namibia",
                "short_name": "HBN",
                "org_type": "40",
                "country": "NA",
                "sectors": [sector.pk],
            },
        ),
        "contacts": (
            Contact,
            {"name": "Ada Namutenya", "organisation": org.pk, "title": "Director"},
        ),
    }[section]


SECTIONS = sections.names()


@pytest.mark.django_db
@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_has_new_record_data(section):
    model, _ = new_data(section)
    assert model is sections.by_name(section).model


@pytest.mark.parametrize("section", SECTIONS)
def test_secretariat_creates_a_record_with_htmx(staff_client, section):
    model, data = new_data(section)
    before = model.objects.count()
    response = staff_client.post(f"/{section}/new/", data, headers=HTMX)
    assert response.status_code == 200, response.content.decode()[:2000]
    assert model.objects.count() == before + 1
    record = model.objects.order_by("-pk").first()
    assert response["HX-Redirect"] == record.get_absolute_url()
    page = staff_client.get(record.get_absolute_url())
    assertContains(page, "created")  # the success message on the record's page


@pytest.mark.parametrize("section", SECTIONS)
def test_create_without_javascript_redirects(staff_client, section):
    model, data = new_data(section)
    response = staff_client.post(f"/{section}/new/", data)
    assert response.status_code == 302
    assert response["Location"] == model.objects.order_by("-pk").first().get_absolute_url()


@pytest.mark.parametrize("section", SECTIONS)
def test_invalid_form_is_a_422_with_errors_in_place(staff_client, section):
    model, _ = new_data(section)
    before = model.objects.count()
    response = staff_client.post(f"/{section}/new/", {}, headers=HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="form"') and "<html" not in html
    assert "This field is required" in html
    assert model.objects.count() == before


def test_created_project_records_its_stage_and_amounts(staff_client):
    _, data = new_data("pipeline")
    staff_client.post("/pipeline/new/", data)
    project = Project.objects.get(name="New green steel plant")
    assert str(project.capex_musd) == "250.50" and project.financing_gap_musd == project.capex_musd
    change = project.stage_changes.get()
    assert change.to_stage == "identified" and change.recorded_by.username == "sam"


def test_bad_values_are_refused_with_messages(staff_client):
    _, data = new_data("pipeline")
    data.update(capex_musd="-3", planned_commissioning_year="1890", capacity="2")
    response = staff_client.post("/pipeline/new/", data, headers=HTMX)
    assert response.status_code == 422
    form = response.context["form"]
    assert {"capex_musd", "planned_commissioning_year", "capacity_unit"} <= set(form.errors)


def test_assistance_dates_and_currency_are_checked(staff_client):
    _, data = new_data("assistance")
    data.update(planned_start="2026-05-01", planned_end="2026-01-01")
    response = staff_client.post("/assistance/new/", data, headers=HTMX)
    assert response.status_code == 422 and "planned_end" in response.context["form"].errors
    data.pop("planned_end")
    staff_client.post("/assistance/new/", data)
    assert Assistance.objects.get(title="New TA").currency == "SEK"


def test_edit_form_is_prefilled_and_saves(staff_client):
    project = ProjectFactory(name="Old name", capex_musd=100)
    response = staff_client.get(f"/pipeline/{project.pk}/edit/")
    assertContains(response, 'value="Old name"')
    assertContains(response, f'name="loaded_version" value="{project.version}"')
    data = edit_data(response, name="New name")
    response = staff_client.post(f"/pipeline/{project.pk}/edit/", data, headers=HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == project.get_absolute_url()
    project.refresh_from_db()
    assert project.name == "New name" and project.version == 2


def edit_data(response, **changes):
    """The form's current values, as a browser would post them, with some changed."""
    data = form_data(response.context["form"])
    for name, value in changes.items():
        data[name] = value
    return data


def test_second_save_of_the_same_version_is_refused_and_shows_what_changed(
    staff_client, colleague_client
):
    project = ProjectFactory(name="Walvis Bay", capex_musd=100)
    url = f"/pipeline/{project.pk}/edit/"
    # Two officers open the same record.
    first_form = staff_client.get(url)
    other_client = colleague_client
    second_form = other_client.get(url)
    # The first saves a new capex.
    assert staff_client.post(url, edit_data(first_form, capex_musd="150")).status_code == 302
    # The second, still on the old version, tries to change the name.
    response = other_client.post(url, edit_data(second_form, name="Renamed"), headers=HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this project" in html
    assert "Capex (USD million)" in html and "100" in html and "150" in html
    assert "sam" in html  # who saved it
    project.refresh_from_db()
    assert (project.name, project.capex_musd) == ("Walvis Bay", 150)  # nothing lost
    # Their change is kept on top of the current version: reviewing and saving applies it
    # without undoing the first officer's capex.
    assert 'value="Renamed"' in html and "your changes to <strong>Name</strong>" in html
    reapplied = edit_data(response)
    assert reapplied["capex_musd"] == "150.00"
    assert other_client.post(url, reapplied).status_code == 302
    project.refresh_from_db()
    assert (project.name, project.capex_musd) == ("Renamed", 150)


def test_edit_without_version_is_refused(staff_client):
    project = ProjectFactory()
    data = edit_data(staff_client.get(f"/pipeline/{project.pk}/edit/"))
    data.pop("loaded_version")
    response = staff_client.post(f"/pipeline/{project.pk}/edit/", data, headers=HTMX)
    assert response.status_code == 422


def test_changing_stage_in_the_edit_form_records_a_stage_change(staff_client):
    project = ProjectFactory(stage="feasibility")
    data = edit_data(staff_client.get(f"/pipeline/{project.pk}/edit/"), stage="financing")
    staff_client.post(f"/pipeline/{project.pk}/edit/", data)
    last = Project.objects.get(pk=project.pk).stage_changes.latest()
    assert (last.from_stage, last.to_stage, last.recorded_by.username) == (
        "feasibility",
        "financing",
        "sam",
    )


def test_edit_keeps_cached_financing(staff_client):
    project = ProjectFactory(capex_musd=100)
    FinancingFactory(project=project, amount_musd=40)
    data = edit_data(staff_client.get(f"/pipeline/{project.pk}/edit/"), name="Renamed")
    staff_client.post(f"/pipeline/{project.pk}/edit/", data)
    project.refresh_from_db()
    assert (project.financing_secured_musd, project.financing_gap_musd) == (40, 60)


def test_delete_asks_first_and_lists_what_goes_with_it(staff_client):
    project = ProjectFactory(name="Doomed")
    FinancingFactory(project=project)
    response = staff_client.get(f"/pipeline/{project.pk}/delete/")
    assert response.status_code == 200
    assertContains(response, "These go with it")
    assert Project.objects.filter(pk=project.pk).exists()
    response = staff_client.post(f"/pipeline/{project.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/pipeline/"
    assert not Project.objects.filter(pk=project.pk).exists()
    assert project.history.filter(history_type="-").exists()  # the audit trail keeps it


def test_delete_of_a_record_others_depend_on_is_refused(staff_client):
    partnership = PartnershipFactory(name="Busy ITP")
    ProjectFactory(name="Depends on it", partnership=partnership)
    AssistanceFactory(partnership=partnership, title="Also depends")
    response = staff_client.get(f"/partnerships/{partnership.pk}/delete/")
    assert response.status_code == 409
    assertContains(response, "cannot be deleted", status_code=409)
    assertContains(response, "Depends on it", status_code=409)
    response = staff_client.post(f"/partnerships/{partnership.pk}/delete/")
    assert response.status_code == 409
    assert Partnership.objects.filter(pk=partnership.pk).exists()
    assert Project.objects.filter(name="Depends on it").exists()


def test_member_delete_then_gone(staff_client):
    member = MemberFactory()
    assert staff_client.post(f"/members/{member.pk}/delete/").status_code == 302
    assert not Member.objects.filter(pk=member.pk).exists()


def test_htmx_form_posts_enforce_csrf(csrf_staff_client):
    _, data = new_data("engagements")
    response = csrf_staff_client.post("/engagements/new/", data, headers=HTMX)
    assert response.status_code == 403
    assert not Engagement.objects.filter(title="New licensing deal").exists()
    csrf_staff_client.get("/engagements/new/")
    token = csrf_staff_client.cookies["csrftoken"].value
    response = csrf_staff_client.post(
        "/engagements/new/", data, headers={**HTMX, "X-CSRFToken": token}
    )
    assert response.status_code == 200


def test_delete_enforces_csrf(csrf_staff_client):
    member = MemberFactory()
    assert csrf_staff_client.post(f"/members/{member.pk}/delete/").status_code == 403
    assert Member.objects.filter(pk=member.pk).exists()


def test_viewer_sees_no_edit_controls(viewer_client):
    project = ProjectFactory()
    for url in ("/pipeline/", f"/pipeline/{project.pk}/"):
        html = viewer_client.get(url).content.decode()
        assert "/new/" not in html and "/edit/" not in html and "/delete/" not in html


def test_lookup_finds_related_records_by_name(staff_client):
    OrganisationFactory(name="Climate Investment Funds")
    OrganisationFactory(name="Somebody Else")
    response = staff_client.get(
        "/lookup/organisation/", {"field": "provider", "provider__search": "climate"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Climate Investment Funds" in html and "Somebody Else" not in html


def test_lookup_keeps_the_selected_option(staff_client):
    chosen = OrganisationFactory(name="Chosen One")
    response = staff_client.get(
        "/lookup/organisation/", {"field": "sponsor", "sponsor": chosen.pk, "sponsor__search": "zz"}
    )
    assert f'<option value="{chosen.pk}" selected>Chosen One</option>' in response.content.decode()


def test_lookup_refuses_unknown_names_and_bad_input(staff_client):
    assert staff_client.get("/lookup/password/").status_code == 404
    response = staff_client.get(
        "/lookup/project/", {"field": "project", "project": "1; drop", "project__search": "\x00"}
    )
    assert response.status_code == 200


def test_searchable_select_renders_a_bounded_number_of_options(staff_client):
    OrganisationFactory.create_batch(80)
    html = staff_client.get("/engagements/new/").content.decode()
    provider = html.split('name="provider"', 1)[1].split("</select>", 1)[0]
    assert provider.count("<option") <= 51  # empty choice + 50


@pytest.mark.parametrize("section", SECTIONS)
def test_detail_and_edit_pages_keep_a_fixed_query_count(staff_client, section):
    factory = sections.FACTORIES[section]
    url = "/" + section + "/{}/"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(record):
        counts = []
        for path in (url.format(record.pk), url.format(record.pk) + "edit/"):
            staff_client.get(path)  # a repeat visit: cached select options are in place
            with CaptureQueriesContext(connection) as captured:
                assert staff_client.get(path).status_code == 200
            counts.append(len(captured))
        return counts

    def with_related(n):
        """A record with n of each kind of related row its pages show."""
        record = factory()
        if isinstance(record, Project):
            FinancingFactory.create_batch(n, project=record)
            EngagementFactory.create_batch(n, project=record)
            for assistance in AssistanceFactory.create_batch(n):
                assistance.supported_projects.add(record)
        elif isinstance(record, Partnership):
            ProjectFactory.create_batch(n, partnership=record)
            AssistanceFactory.create_batch(n, partnership=record)
        elif isinstance(record, Member):
            ProjectFactory.create_batch(n, sponsor=record.organisation)
            EngagementFactory.create_batch(n, provider=record.organisation)
            EngagementFactory.create_batch(n, recipient=record.organisation)
            for activity in ForumActivityFactory.create_batch(n):
                activity.members.add(record)
        elif isinstance(record, ForumActivity):
            record.members.set(MemberFactory.create_batch(n))
            record.hosts.set(OrganisationFactory.create_batch(n))
        elif isinstance(record, Assistance):
            record.supported_projects.set(ProjectFactory.create_batch(n))
        return record

    assert queries(with_related(1)) == queries(with_related(6))


def test_refused_delete_names_and_links_what_depends_on_it(staff_client):
    partnership = PartnershipFactory()
    project = ProjectFactory(name="Linked project", partnership=partnership)
    response = staff_client.get(f"/partnerships/{partnership.pk}/delete/")
    assertContains(
        response,
        f'Project: <a href="{project.get_absolute_url()}">Linked project</a>',
        status_code=409,
    )


def test_cached_select_options_follow_changes_to_their_tables(staff_client):
    project = ProjectFactory()
    url = f"/pipeline/{project.pk}/edit/"
    staff_client.get(url)
    sector = SectorFactory(name="Glass")  # a new sector appears in the form at once
    assertContains(staff_client.get(url), f'<option value="{sector.pk}">Glass</option>')
    sector.name = "Flat glass"
    sector.save()
    assertContains(staff_client.get(url), f'<option value="{sector.pk}">Flat glass</option>')


@pytest.mark.parametrize("section", SECTIONS)
def test_stale_edit_answers_with_the_merge_view_in_place_in_every_section(staff_client, section):
    model, data = new_data(section)
    staff_client.post(f"/{section}/new/", data)
    record = model.objects.order_by("-pk").first()
    url = f"/{section}/{record.pk}/edit/"
    form = staff_client.get(url)
    record.save()  # someone else saves meanwhile (a script: no user)
    response = staff_client.post(url, edit_data(form), headers=HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    # The fragment htmx swaps for the form, and the page's htmx is told to swap a 409.
    assert html.lstrip().startswith('<form id="form"') and "<html" not in html
    assert "Someone else saved this" in html
    page = staff_client.get(url).content.decode()
    assert '{"code": "409", "swap": true}' in page


def test_conflict_names_who_saved_meanwhile_as_everywhere(staff_client, colleague_client):
    project = ProjectFactory(name="Walvis Bay")
    url = f"/pipeline/{project.pk}/edit/"
    form = staff_client.get(url)
    other_client = colleague_client
    other_client.post(url, edit_data(other_client.get(url), site="Lüderitz"))
    response = staff_client.post(url, edit_data(form, name="Renamed"), headers=HTMX)
    assertContains(response, "Changed meanwhile by Olga Okafor", status_code=409)
    assertContains(response, "Lüderitz", status_code=409)


def test_delete_confirmation_and_refusal_come_in_place_for_htmx(staff_client):
    partnership = PartnershipFactory(name="Busy ITP")
    headers = {"HX-Request": "true", "HX-Target": "delete-confirm"}
    url = f"/partnerships/{partnership.pk}/delete/"
    response = staff_client.get(url, headers=headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="delete-confirm"') and "<html" not in html
    assert f'hx-post="{url}"' in html
    ProjectFactory(name="Depends on it", partnership=partnership)
    response = staff_client.post(url, headers=headers)
    html = response.content.decode()
    assert response.status_code == 409
    assert html.lstrip().startswith('<div id="delete-confirm"')
    assert "cannot be deleted" in html and "Depends on it" in html
    # The record's page opens the confirmation in place, and its link still works without JS.
    page = staff_client.get(partnership.get_absolute_url()).content.decode()
    assert f'href="{url}" hx-get="{url}" hx-target="#delete-confirm"' in page


def test_stale_edit_of_a_record_without_audit_trail_keeps_the_users_values(staff_client):
    """Rows inserted in bulk have no history to compare with: nothing typed is dropped."""
    project = ProjectFactory(name="Bulk plant", site="Old site")
    project.history.all().delete()
    url = f"/pipeline/{project.pk}/edit/"
    form = staff_client.get(url)
    Project.objects.filter(pk=project.pk).update(version=project.version + 1)
    response = staff_client.post(url, edit_data(form, site="My new site"), headers=HTMX)
    assertContains(response, "not in the audit trail", status_code=409)
    assertContains(response, 'value="My new site"', status_code=409)


@pytest.mark.parametrize(("qualified", "posted"), [(True, "true"), (False, "false")])
def test_merge_after_a_conflict_keeps_a_yes_or_no_answer(staff_client, qualified, posted):
    """A yes/no/unknown select is offered again as saved, not as "unknown"."""
    project = ProjectFactory(name="Walvis Bay", qualified=qualified)
    url = f"/pipeline/{project.pk}/edit/"
    form = staff_client.get(url)
    project.site = "Lüderitz"
    project.save()  # someone else saves meanwhile
    # The browser posts the select's own value.
    response = staff_client.post(url, edit_data(form, name="Renamed", qualified=posted))
    assertContains(response, "Someone else saved this project", status_code=409)
    assertContains(response, f'<option value="{posted}" selected>', status_code=409)
    assert staff_client.post(url, edit_data(response)).status_code == 302
    project.refresh_from_db()
    assert (project.name, project.site, project.qualified) == ("Renamed", "Lüderitz", qualified)


def test_the_form_points_at_marked_fields_only_when_a_field_is_in_error(staff_client):
    project = ProjectFactory(name="Walvis Bay")
    url = f"/pipeline/{project.pk}/edit/"
    response = staff_client.post(url, edit_data(staff_client.get(url), capex_musd="lots"))
    assertContains(response, "Please correct the fields marked below.", status_code=422)
    assertContains(response, "Enter a number.", status_code=422)


def test_every_described_field_points_at_text_on_the_page(staff_client):
    """A screen reader reads a field's help through aria-describedby: each id it names is on
    the page (Django names the help `<id>_helptext`; the page wrote `<id>_help`)."""
    described = 0
    for section in SECTIONS:
        html = staff_client.get(f"/{section}/new/").content.decode()
        refs = [r for refs in re.findall(r'aria-describedby="([^"]+)"', html) for r in refs.split()]
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        assert not [ref for ref in refs if ref not in ids], section
        described += len(refs)
    assert described  # the forms have help on some fields


def test_a_conflict_with_no_earlier_version_does_not_claim_nothing_changed(
    staff_client, colleague_client
):
    """Generated rows have no first audit-trail entry: after a colleague's save, the one entry
    has nothing to compare with. The page says the changes cannot be told apart, not that the
    colleague changed no visible field."""
    project = ProjectFactory(name="Bulk plant", site="Old site")
    project.history.all().delete()
    url = f"/pipeline/{project.pk}/edit/"
    form = staff_client.get(url)
    colleague = colleague_client
    assert colleague.post(url, edit_data(form, site="Her site"), headers=HTMX).status_code == 200
    response = staff_client.post(url, edit_data(form, name="My name"), headers=HTMX)
    assertContains(response, "not in the audit trail", status_code=409)
    assert "no visible field changed" not in response.content.decode()
