import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Member
from partnerships.models import Financing, Project, StageChange

from .factories import (
    CountryProfileFactory,
    FinancingFactory,
    MemberFactory,
    OrganisationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field, value",
    [
        ("capex_musd", Decimal("-1")),
        ("abatement_tco2e", Decimal("-5")),
        ("planned_commissioning_year", 1989),
        ("revised_commissioning_year", 2101),
        ("stage", "imaginary"),
    ],
)
def test_database_refuses_impossible_project_values(field, value):
    project = ProjectFactory()
    setattr(project, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(**{field: value})


def test_capacity_needs_a_unit():
    project = ProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(capacity=Decimal("1.5"), capacity_unit="")


def test_unknown_amounts_stay_null_not_zero():
    project = ProjectFactory(capex_musd=None, abatement_tco2e=None)
    project.refresh_from_db()
    assert project.capex_musd is None
    assert project.abatement_tco2e is None
    assert project.financing_gap_musd is None


def test_creating_a_project_records_its_first_stage():
    project = ProjectFactory(stage=Project.Stage.FEASIBILITY)
    change = project.stage_changes.get()
    assert (change.from_stage, change.to_stage) == ("", "feasibility")
    assert change.commissioning_year == 2030


def test_changing_the_stage_by_saving_writes_a_stage_change():
    project = ProjectFactory()
    project = Project.objects.get(pk=project.pk)
    project.stage = Project.Stage.FINANCING
    project.revised_commissioning_year = 2032
    project.save()
    last = project.stage_changes.latest()
    assert (last.from_stage, last.to_stage, last.commissioning_year) == (
        "identified",
        "financing",
        2032,
    )
    assert project.stage_changes.count() == 2


def test_saving_without_a_stage_change_writes_nothing():
    project = Project.objects.get(pk=ProjectFactory().pk)
    project.name = "Renamed"
    project.save()
    assert project.stage_changes.count() == 1


def test_move_to_stage_records_date_note_and_user(django_user_model):
    user = django_user_model.objects.create_user("officer")
    project = ProjectFactory()
    on = datetime.date.today()
    project.move_to_stage("feasibility", on=on, note="Study contracted", by=user)
    change = project.stage_changes.latest()
    assert (change.to_stage, change.changed_on, change.note, change.recorded_by) == (
        "feasibility",
        on,
        "Study contracted",
        user,
    )
    assert Project.objects.get(pk=project.pk).stage == "feasibility"


def test_cancelled_is_final():
    project = ProjectFactory(stage=Project.Stage.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        project.move_to_stage("feasibility", on=datetime.date.today())
    loaded = Project.objects.get(pk=project.pk)
    loaded.stage = Project.Stage.FEASIBILITY
    with pytest.raises(ValidationError):
        loaded.full_clean()


def test_move_to_stage_refuses_a_date_before_the_last_change():
    project = ProjectFactory()
    with pytest.raises(ValidationError, match="before the last stage change"):
        project.move_to_stage("feasibility", on=datetime.date(2000, 1, 1))


def test_pause_remembers_the_stage_it_left():
    project = ProjectFactory(stage=Project.Stage.FINANCING)
    project.move_to_stage("paused", on=datetime.date.today())
    assert Project.objects.get(pk=project.pk).stage_before_pause == "financing"


def test_financing_keeps_secured_and_gap_in_step():
    project = ProjectFactory(capex_musd=Decimal("100"))
    committed = FinancingFactory(project=project, amount_musd=Decimal("30"))
    FinancingFactory(project=project, amount_musd=Decimal("50"), status=Financing.Status.SOUGHT)
    FinancingFactory(project=project, amount_musd=None)  # committed, amount not disclosed
    project.refresh_from_db()
    assert project.financing_secured_musd == Decimal("30")
    assert project.financing_gap_musd == Decimal("70")
    committed.delete()
    project.refresh_from_db()
    assert (project.financing_secured_musd, project.financing_gap_musd) == (0, Decimal("100"))


def test_gap_never_goes_below_zero():
    project = ProjectFactory(capex_musd=Decimal("10"))
    FinancingFactory(project=project, amount_musd=Decimal("25"))
    project.refresh_from_db()
    assert project.financing_gap_musd == 0


def test_changing_capex_recomputes_the_gap():
    project = ProjectFactory(capex_musd=Decimal("100"))
    FinancingFactory(project=project, amount_musd=Decimal("40"))
    project = Project.objects.get(pk=project.pk)
    project.capex_musd = Decimal("90")
    project.save()
    assert Project.objects.get(pk=project.pk).financing_gap_musd == Decimal("50")


def test_totals_leave_undisclosed_figures_out_and_count_them():
    ProjectFactory(capex_musd=Decimal("100"), abatement_tco2e=None)
    ProjectFactory(capex_musd=None, abatement_tco2e=Decimal("7"))
    ProjectFactory(capex_musd=Decimal("50.5"), abatement_tco2e=Decimal("3"))
    totals = Project.objects.totals()
    assert totals["capex"] == Decimal("150.5")
    assert totals["capex_undisclosed"] == 1
    assert totals["abatement"] == Decimal("10")
    assert totals["abatement_undisclosed"] == 1


def test_region_and_emde_querysets():
    CountryProfileFactory(country="IN", region="south_asia", is_emde=True)
    CountryProfileFactory(country="SE", region="europe_central_asia", is_emde=False)
    india, sweden = ProjectFactory(country="IN"), ProjectFactory(country="SE")
    assert list(Project.objects.in_region("south_asia")) == [india]
    assert list(Project.objects.emde(True)) == [india]
    assert list(Project.objects.emde(False)) == [sweden]


def test_every_save_bumps_the_version():
    project = Project.objects.get(pk=ProjectFactory().pk)
    assert project.version == 1
    project.save()
    assert Project.objects.get(pk=project.pk).version == 2


def test_history_is_kept_for_tracker_records():
    project = Project.objects.get(pk=ProjectFactory(name="First").pk)
    project.name = "Second"
    project.save()
    assert [h.name for h in project.history.order_by("history_id")] == ["First", "Second"]


def test_member_status_follows_left_on():
    current = MemberFactory()
    former = MemberFactory(left_on=datetime.date(2022, 1, 1))
    assert list(Member.objects.current()) == [current]
    assert list(Member.objects.former()) == [former]
    assert former.status == "Former"


def test_member_cannot_leave_before_joining():
    member = MemberFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(left_on=datetime.date(2019, 1, 2))


def test_organisation_iati_ref_unique_only_when_given():
    OrganisationFactory(iati_ref="")
    OrganisationFactory(iati_ref="")
    OrganisationFactory(iati_ref="SE-ON-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(iati_ref="SE-ON-1")


def test_a_sponsor_with_projects_cannot_be_deleted():
    from django.db.models import ProtectedError

    project = ProjectFactory()
    with pytest.raises(ProtectedError):
        project.sponsor.delete()


def test_stage_change_must_move():
    project = ProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StageChange.objects.create(project=project, from_stage="fid", to_stage="fid")


def test_saving_an_instance_not_loaded_from_the_database_compares_with_the_stored_stage():
    project = ProjectFactory(stage="feasibility")
    rebuilt = project.history.latest().instance  # as the admin's revert builds it
    rebuilt.stage = "financing"
    rebuilt.save()
    last = project.stage_changes.latest()
    assert (last.from_stage, last.to_stage) == ("feasibility", "financing")
    untouched = project.history.latest().instance
    untouched.save()
    assert project.stage_changes.count() == 2  # no stage change when the stage did not move
