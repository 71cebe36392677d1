"""The admin is the data-entry tool: every model's changelist and add page work, escape text and
keep a fixed number of queries however many rows there are."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Organisation
from partnerships.models import Project

from . import factories
from .factories import FinancingFactory, OrganisationFactory, ProjectFactory


def make_rows(n):
    """n more rows of every tracker model."""
    for i in range(n):
        project = ProjectFactory(
            technology=factories.TechnologyFactory(), partnership=factories.PartnershipFactory()
        )
        FinancingFactory(project=project)
        factories.StageChangeFactory(project=project, from_stage="", to_stage="fid")
        factories.MemberFactory()
        factories.ContactFactory()
        factories.FocalPointFactory()
        factories.SectorFactory()
        factories.CountryProfileFactory(
            country=["IN", "SE", "DE", "BR", "ZA", "NA", "EG", "MX", "TR", "UZ", "CN", "KE"][
                i % 12 + (0 if n == 2 else 2)
            ]
        )
        factories.ParticipantFactory()
        factories.WorkingGroupFactory()
        factories.EngagementFactory()
        factories.AssistanceFactory()
        factories.ForumActivityFactory()
        factories.FocalPointFactory()


pytestmark = pytest.mark.django_db
TRACKER_MODELS = [
    model for model in admin.site._registry if model._meta.app_label in ("members", "partnerships")
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_tracker_model_is_in_the_admin():
    from django.apps import apps

    for label in ("members", "partnerships"):
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                assert model in admin.site._registry, model


@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_add_page_open(staff_client, model):
    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    assert staff_client.get(admin_url(model, "add")).status_code == 200


def test_project_changelist_filters_by_stage_and_sector(staff_client):
    ProjectFactory(name="Kept", stage="financing")
    ProjectFactory(name="Dropped", stage="fid", sector=factories.SectorFactory(slug="cement"))
    response = staff_client.get(admin_url(Project, "changelist"), {"stage__exact": "financing"})
    assert b"Kept" in response.content and b"Dropped" not in response.content
    html = staff_client.get(admin_url(Project, "changelist")).content.decode()
    assert 'data-filter-title="stage"' in html and 'data-filter-title="sector"' in html


def test_project_change_page_has_financing_and_stage_inlines(staff_client):
    project = ProjectFactory()
    FinancingFactory(project=project)
    html = staff_client.get(admin_url(Project, "change", project.pk)).content.decode()
    assert "financing-TOTAL_FORMS" in html and "stage_changes-TOTAL_FORMS" in html


def test_admin_escapes_user_text(staff_client):
    ProjectFactory(name="<script>alert(1)</script>")
    html = staff_client.get(admin_url(Project, "changelist")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(staff_client, model):
    def count():
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(admin_url(model, "changelist"))
        return len(queries)

    make_rows(2)
    few = count()
    make_rows(8)
    assert model._default_manager.count() >= 10
    assert count() == few


def test_viewer_cannot_open_the_admin(viewer_client):
    response = viewer_client.get(admin_url(Organisation, "changelist"))
    assert response.status_code == 302


# Issue 15, item 4: comfortable data entry ---------------------------------------------------


def record_name_field(model) -> str | None:
    """The field a record is called by (a member: its organisation), if it has one."""
    if model.__name__ == "Member":
        return "organisation"
    return next(
        (n for n in ("name", "title") if any(f.name == n for f in model._meta.fields)), None
    )


# Records without a name of their own (stage changes, financing rows...) are named after their
# project or organisation, which their forms already start with.
NAMED_MODELS = [model for model in TRACKER_MODELS if record_name_field(model)]


@pytest.mark.parametrize("model", NAMED_MODELS, ids=lambda m: m.__name__)
def test_every_add_form_starts_with_the_record_s_name(staff_client, model):
    form = staff_client.get(admin_url(model, "add")).context["adminform"].form
    assert next(iter(form.fields)) == record_name_field(model)


def test_names_sort_without_regard_to_case_or_accents(staff_client):
    for name in ("zinc smelter", "Acme", "Égée works", "beta plant", "Bravo"):
        ProjectFactory(name=name)
    url = admin_url(Project, "changelist")
    listed = [str(p) for p in staff_client.get(url).context["cl"].result_list]
    assert listed == ["Acme", "beta plant", "Bravo", "Égée works", "zinc smelter"]
    # Sorting by the name column (descending) too.
    listed = [str(p) for p in staff_client.get(url, {"o": "-1"}).context["cl"].result_list]
    assert listed == ["zinc smelter", "Égée works", "Bravo", "beta plant", "Acme"]
    organisations = staff_client.get(admin_url(Organisation, "changelist"))
    names = [o.name for o in organisations.context["cl"].result_list]
    assert names == sorted(names, key=str.lower)


def test_a_country_column_sorts_by_the_countries_names(staff_client):
    """By ISO code the United Kingdom (GB) came before Ghana and Germany (DE) among the C's;
    a blank country last."""
    for name, country in (("UK co", "GB"), ("Blank co", ""), ("Ghana co", "GH"), ("DE co", "DE")):
        OrganisationFactory(name=name, country=country)
    changelist = staff_client.get(admin_url(Organisation, "changelist")).context["cl"]
    column = list(changelist.list_display).index("country")
    response = staff_client.get(admin_url(Organisation, "changelist"), {"o": str(column)})
    names = [o.name for o in response.context["cl"].result_list]
    assert names == ["DE co", "Ghana co", "UK co", "Blank co"]


def test_project_changelist_shows_the_columns_officers_scan(staff_client):
    import datetime

    ProjectFactory(
        name="Column check",
        capex_musd=1234,
        planned_commissioning_year=2029,
        revised_commissioning_year=2031,
        last_verified_on=datetime.date(2026, 5, 4),
    )
    html = staff_client.get(admin_url(Project, "changelist")).content.decode()
    for header in ("Stage", "Capex $m", "Gap $m", "Comm.", "Verified"):
        assert f">{header}</a>" in html, header
    assert "1,234" in html and "2031" in html and "4 May 2026" in html


def test_amounts_in_the_admin_lists_read_as_on_the_site(staff_client):
    """Capex, gap and the amounts of tranches and activities: 1,200.5, not 1200.50."""
    from partnerships.models import Assistance, Financing

    project = ProjectFactory(capex_musd=Decimal("1200.50"))
    FinancingFactory(project=project, amount_musd=Decimal("1200.00"))
    factories.AssistanceFactory(amount_musd=Decimal("0.50"))
    projects = staff_client.get(admin_url(Project, "changelist")).content.decode()
    assert '<td class="field-capex">1,200.5</td>' in projects
    tranches = staff_client.get(admin_url(Financing, "changelist")).content.decode()
    assert '<td class="field-amount">1,200</td>' in tranches and "1200.00" not in tranches
    assert ">Amount $m</a>" in tranches  # still sortable
    activities = staff_client.get(admin_url(Assistance, "changelist")).content.decode()
    assert '<td class="field-amount">0.5</td>' in activities


@pytest.mark.parametrize(
    ("model", "make", "typed"),
    [
        (Organisation, lambda: factories.OrganisationFactory(name="Acería Bajío"), "aceria bajio"),
        (Project, lambda: ProjectFactory(name="Gällivare Green Steel"), "GALLIVARE"),
        (
            Project,
            lambda: ProjectFactory(sponsor=factories.OrganisationFactory(name="Ferrería Sur")),
            "ferreria",
        ),
    ],
)
def test_admin_search_ignores_accents_and_case(staff_client, model, make, typed):
    found = make()
    other = ProjectFactory(name="Unrelated plant") if model is Project else None
    response = staff_client.get(admin_url(model, "changelist"), {"q": typed})
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert found in shown
    assert other not in shown


def test_admin_search_still_finds_fields_outside_the_search_text(staff_client):
    from partnerships.models import Technology

    technology = factories.TechnologyFactory(name="Hydrogen DRI", slug="h2-dri-route")
    factories.TechnologyFactory(name="Electric arc furnace")
    response = staff_client.get(admin_url(Technology, "changelist"), {"q": "h2-dri-route"})
    assert list(response.context["cl"].result_list) == [technology]


def column_sorted(client, model, column: str, descending=False) -> list:
    """The changelist sorted by one of its columns, as clicking its header does."""
    url = admin_url(model, "changelist")
    index = list(client.get(url).context["cl"].list_display).index(column)
    response = client.get(url, {"o": f"-{index}" if descending else str(index)})
    return list(response.context["cl"].result_list)


def test_admin_columns_sort_as_the_site_s_lists(staff_client):
    """Z to A keeps blank countries last; choices sort by their labels, not their codes; blank
    amounts last whichever way."""
    for name, country, org_type in (
        ("UK co", "GB", "70"),
        ("Blank co", "", "10"),
        ("Ghana co", "GH", "80"),
    ):
        OrganisationFactory(name=name, country=country, org_type=org_type)
    names = [o.name for o in column_sorted(staff_client, Organisation, "country", True)]
    assert names[-1] == "Blank co" and names.index("UK co") < names.index("Ghana co")
    labels = [
        o.get_org_type_display() for o in column_sorted(staff_client, Organisation, "org_type")
    ]
    assert labels == sorted(labels, key=str.casefold)
    for name, capex in (("Small", 5), ("Unknown", None), ("Large", 900)):
        ProjectFactory(name=name, capex_musd=capex)
    for descending in (False, True):
        listed = [p.name for p in column_sorted(staff_client, Project, "capex", descending)]
        assert listed[-1] == "Unknown"
