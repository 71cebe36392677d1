"""Issue 15, item 1: a project's financing tranches added, edited and removed in place, the
"Seeking finance" filter and figure, and what became of sought tranches at FID."""

import datetime
from decimal import Decimal

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from partnerships.models import Financing, Project

from .factories import FinancingFactory, OrganisationFactory, ProjectFactory

pytestmark = pytest.mark.django_db
PANEL = {"HX-Request": "true", "HX-Target": "financing"}
STAGE = {"HX-Request": "true", "HX-Target": "stage"}


@pytest.fixture
def project():
    return ProjectFactory(name="Walvis Bay green HBI", capex_musd=Decimal("500"))


@pytest.fixture
def bank():
    return OrganisationFactory(name="Development Bank of Southern Africa")


def tranche_data(provider, **extra):
    return {
        "provider": provider.pk,
        "instrument": "concessional_loan",
        "amount_note": "ZAR 2.2 billion",
        "amount_musd": "120",
        "status": "committed",
        "decided_on": "2026-03-01",
        **extra,
    }


def test_project_page_offers_adding_a_tranche_to_staff_only(staff_client, viewer_client, project):
    assertContains(staff_client.get(project.get_absolute_url()), "Add a tranche")
    assertNotContains(viewer_client.get(project.get_absolute_url()), "Add a tranche")


def test_add_form_opens_in_the_financing_panel(staff_client, project):
    response = staff_client.get(f"/pipeline/{project.pk}/financing/new/", headers=PANEL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="financing"') and "<html" not in html
    assert 'id="tranche-form"' in html and 'name="amount_note"' in html


def test_adding_a_tranche_in_place_updates_the_totals(staff_client, project, bank):
    response = staff_client.post(
        f"/pipeline/{project.pk}/financing/new/", tranche_data(bank), headers=PANEL
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Development Bank of Southern Africa" in html and "ZAR 2.2 billion" in html
    # The key figures come along out of band: secured 120, gap 380.
    assert 'id="key-figures" hx-swap-oob="true"' in html
    assert '<td class="num" id="financing-secured">120</td>' in html
    assert '<td class="num" id="financing-gap">380</td>' in html
    assert 'id="tranche-form"' not in html  # the form closed
    project.refresh_from_db()
    assert project.financing_secured_musd == 120 and project.financing_gap_musd == 380
    assert project.financing.get().project_id == project.pk


def test_adding_a_tranche_without_javascript_redirects_to_the_project(staff_client, project, bank):
    page = staff_client.get(f"/pipeline/{project.pk}/financing/new/")
    assertContains(page, "Add a financing tranche to Walvis Bay green HBI")
    response = staff_client.post(f"/pipeline/{project.pk}/financing/new/", tranche_data(bank))
    assert response.status_code == 302
    assert response["Location"] == f"/pipeline/{project.pk}/#financing"
    assertContains(staff_client.get(response["Location"]), "ZAR 2.2 billion")


def test_invalid_tranche_is_a_422_in_the_panel(staff_client, project, bank):
    data = tranche_data(bank, amount_musd="-5")
    response = staff_client.post(f"/pipeline/{project.pk}/financing/new/", data, headers=PANEL)
    assert response.status_code == 422
    assertContains(response, "Amounts cannot be negative.", status_code=422)
    assert not project.financing.exists()


def test_editing_a_tranche_recomputes_the_gap_and_checks_the_version(staff_client, project):
    tranche = FinancingFactory(project=project, amount_musd=Decimal("100"))
    url = f"/pipeline/financing/{tranche.pk}/edit/"
    form = staff_client.get(url, headers=PANEL)
    assertContains(form, 'name="loaded_version"')
    data = tranche_data(tranche.provider, amount_musd="300", loaded_version=tranche.version)
    response = staff_client.post(url, data, headers=PANEL)
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.financing_gap_musd == 200
    # A second save from the same (now stale) form is refused, not silently applied.
    stale = staff_client.post(url, {**data, "amount_musd": "50"}, headers=PANEL)
    assert stale.status_code == 409
    tranche.refresh_from_db()
    assert tranche.amount_musd == 300


def test_a_stale_tranche_edit_says_who_changed_what_and_keeps_the_typing(staff_client, project):
    """Two officers edit one tranche: the second save is refused with the other's changes
    named in the panel (not only a 409 that shows the form again), their own typing on top."""
    tranche = FinancingFactory(project=project, amount_musd=Decimal("100"), status="sought")
    url = f"/pipeline/financing/{tranche.pk}/edit/"
    opened = tranche.version
    first = tranche_data(tranche.provider, amount_musd="500", loaded_version=opened)
    first["status"] = "committed"
    first["decided_on"] = "2026-11-02"
    assert staff_client.post(url, first, headers=PANEL).status_code == 200
    second = tranche_data(tranche.provider, amount_musd="100", loaded_version=opened)
    second["note"] = "Board approval expected in March"
    stale = staff_client.post(url, second, headers=PANEL)
    assert stale.status_code == 409
    assertContains(stale, "Someone else saved this tranche after you opened it.", status_code=409)
    assertContains(stale, "Board approval expected in March", status_code=409)
    assertContains(stale, "Edit the tranche “", status_code=409)
    assertNotContains(stale, "Please correct the fields marked below.", status_code=409)
    tranche.refresh_from_db()
    assert tranche.amount_musd == 500 and tranche.note == ""


def test_removing_a_tranche_in_place(staff_client, project):
    tranche = FinancingFactory(project=project, amount_musd=Decimal("100"))
    project.refresh_from_db()
    assert project.financing_gap_musd == 400
    confirm = staff_client.get(f"/pipeline/financing/{tranche.pk}/delete/")
    assertContains(confirm, "Delete")
    response = staff_client.post(f"/pipeline/financing/{tranche.pk}/delete/", headers=PANEL)
    assert response.status_code == 200
    assertContains(response, "No financing recorded.")
    project.refresh_from_db()
    assert project.financing_gap_musd == 500 and not Financing.objects.exists()


def test_viewers_cannot_add_edit_or_remove_tranches(viewer_client, project, bank):
    tranche = FinancingFactory(project=project)
    new = f"/pipeline/{project.pk}/financing/new/"
    assert viewer_client.post(new, tranche_data(bank), headers=PANEL).status_code == 403
    edit = f"/pipeline/financing/{tranche.pk}/edit/"
    assert viewer_client.post(edit, tranche_data(bank)).status_code == 403
    assert viewer_client.post(f"/pipeline/financing/{tranche.pk}/delete/").status_code == 403
    assert Financing.objects.count() == 1


def test_tranche_changes_are_in_the_project_history(staff_client, project, bank):
    staff_client.post(f"/pipeline/{project.pk}/financing/new/", tranche_data(bank))
    tranche = project.financing.get()
    data = tranche_data(bank, amount_musd="150", loaded_version=tranche.version)
    staff_client.post(f"/pipeline/financing/{tranche.pk}/edit/", data)
    staff_client.post(f"/pipeline/financing/{tranche.pk}/delete/")
    html = staff_client.get(f"/pipeline/{project.pk}/history/").content.decode()
    assert html.count("Financing: Development Bank of Southern Africa") == 3
    assert "Created" in html and "Deleted" in html
    # The amount before and after the edit, as every page writes it.
    assert '<td class="history__old">120</td><td class="history__new">150</td>' in html


# The "Seeking finance" filter and figure ---------------------------------------------------


@pytest.fixture
def pipeline():
    gap = ProjectFactory(name="Has a gap", stage="feasibility", capex_musd=Decimal("100"))
    sought = ProjectFactory(name="Sought tranche", stage="financing", capex_musd=None)
    FinancingFactory(project=sought, status="sought", amount_musd=Decimal("40"))
    funded = ProjectFactory(name="Fully funded", stage="financing", capex_musd=Decimal("10"))
    FinancingFactory(project=funded, amount_musd=Decimal("10"))
    past_fid = ProjectFactory(name="Past FID", stage="construction", capex_musd=Decimal("100"))
    return gap, sought, funded, past_fid


def test_seeking_finance_filter_lists_projects_before_fid_with_a_gap_or_a_sought_tranche(
    staff_client, pipeline
):
    response = staff_client.get("/pipeline/?seeking_finance=true")
    names = [p.name for p in response.context["object_list"]]
    assert sorted(names) == ["Has a gap", "Sought tranche"]
    chips = response.context["chips"]
    assert [(c["label"], c["value"]) for c in chips] == [("Finance", "Seeking finance")]


def test_dashboard_figure_links_to_exactly_the_projects_seeking_finance(staff_client, pipeline):
    html = staff_client.get("/").content.decode()
    assert 'href="/pipeline/?seeking_finance=true">Seeking finance</a>' in html
    seeking = staff_client.get("/").context["figures"]["seeking"]
    listed = staff_client.get(seeking["url"]).context["paginator"].count
    assert seeking["count"] == listed == 2


# Moving to FID with tranches still sought ---------------------------------------------------


@pytest.fixture
def before_fid(project, bank):
    project.stage = "financing"
    project.save()
    loan = FinancingFactory(
        project=project, provider=bank, status="sought", amount_musd=Decimal("200")
    )
    grant = FinancingFactory(project=project, status="sought", amount_musd=Decimal("50"))
    return project, loan, grant


def move(client, project, **data):
    payload = {"to_stage": "fid", "changed_on": datetime.date.today().isoformat(), **data}
    return client.post(f"/pipeline/{project.pk}/stage/", payload, headers=STAGE)


def test_moving_to_fid_asks_what_became_of_the_sought_tranches(staff_client, before_fid):
    project, loan, grant = before_fid
    page = staff_client.get(project.get_absolute_url())
    assertContains(page, f'name="tranche_{loan.pk}"')
    response = move(staff_client, project)
    assert response.status_code == 422
    assertContains(response, "Say what became of this tranche at FID.", count=2, status_code=422)
    project.refresh_from_db()
    assert project.stage == "financing"


def test_kept_as_sought_needs_a_note(staff_client, before_fid):
    project, loan, grant = before_fid
    outcomes = {f"tranche_{loan.pk}": "committed", f"tranche_{grant.pk}": "sought"}
    response = move(staff_client, project, **outcomes)
    assertContains(response, "Give a note on why it is still sought.", status_code=422)


def test_fid_commits_or_keeps_the_tranches_and_updates_the_totals(staff_client, before_fid):
    project, loan, grant = before_fid
    response = move(
        staff_client,
        project,
        **{
            f"tranche_{loan.pk}": "committed",
            f"tranche_{grant.pk}": "sought",
            f"tranche_{grant.pk}_note": "Second call closes in June",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="financing" class="panel"' in html and 'hx-swap-oob="true"' in html
    loan.refresh_from_db()
    grant.refresh_from_db()
    project.refresh_from_db()
    assert project.stage == "fid"
    assert loan.status == "committed" and loan.decided_on == datetime.date.today()
    assert grant.status == "sought" and grant.note == "Second call closes in June"
    assert project.financing_secured_musd == 200 and project.financing_gap_musd == 300


def test_edit_form_moving_to_fid_asks_too(staff_client, before_fid):
    from tests.test_editing import new_data

    project, loan, grant = before_fid
    _, data = new_data("pipeline")
    data.update(name=project.name, stage="fid", loaded_version=project.version)
    response = staff_client.post(f"/pipeline/{project.pk}/edit/", data)
    assertContains(response, "Say what became of this tranche at FID.", status_code=422)
    data.update({f"tranche_{loan.pk}": "committed", f"tranche_{grant.pk}": "committed"})
    response = staff_client.post(f"/pipeline/{project.pk}/edit/", data)
    assert response.status_code == 302
    assert set(Project.objects.get().financing.values_list("status", flat=True)) == {"committed"}


def test_moving_between_early_stages_asks_nothing(staff_client, before_fid):
    project, loan, grant = before_fid
    response = move(staff_client, project, to_stage="feasibility")
    assert response.status_code == 200
    loan.refresh_from_db()
    assert loan.status == "sought"
