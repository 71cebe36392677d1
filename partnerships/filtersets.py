"""Query parameters of the pipeline and the other partnership-side lists."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django_countries import countries

from leadit.roles import secretariat_users
from leadit.sections.fields import ModelChoiceFilter
from leadit.sections.views import IntegerFilter, TrackerFilterSet
from leadit.sections.widgets import SearchableSelect
from members import countries as classification
from members.filtersets import sectors_filter
from members.models import CountryProfile, Member, Organisation, Sector

from . import iati
from .models import (
    EXPECTED_COMMISSIONING,
    Assistance,
    Engagement,
    ForumActivity,
    Partnership,
    Project,
    Stage,
    Technology,
)

YES_NO = (("yes", "Yes"), ("no", "No"))
MAX_MONEY = 10**9  # USD million: far above any project, low enough for every database


def project_countries() -> list[tuple[str, str]]:
    """The countries that have a project, by name (cached with the filter's other options)."""
    codes = Project.objects.order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda item: item[1])


def money_filter(field: str, lookup: str, label: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        field_name=field,
        lookup_expr=lookup,
        label=label,
        min_value=0,
        max_value=MAX_MONEY,
        widget=forms.NumberInput(attrs={"min": 0, "step": "any", "inputmode": "decimal"}),
    )


def year_filter(lookup: str, label: str) -> IntegerFilter:
    """The expected commissioning year (revised, else planned), as the table shows it."""

    def by_expected_year(queryset, name, value):
        expected = queryset.alias(expected_year=EXPECTED_COMMISSIONING)
        return expected.filter(**{f"expected_year__{lookup}": value})

    return IntegerFilter(
        method=by_expected_year,
        label=label,
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"min": 1990, "max": 2100}),
    )


class ProjectFilterSet(TrackerFilterSet):
    # Any country is a valid filter; the list shows those that have a project.
    choice_models = {"country": Project}
    shown_choices = {"country": project_countries}
    # field_name names the slug too: django-filter matches a multiple choice on to_field_name.
    sector = django_filters.ModelMultipleChoiceFilter(
        distinct=False,  # one value per row: no duplicates to remove
        field_name="sector__slug",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        label="Sector",
        widget=forms.CheckboxSelectMultiple,
    )
    stage = django_filters.MultipleChoiceFilter(
        distinct=False,  # one value per row: no duplicates to remove
        choices=Stage.choices,
        label="Stage",
        widget=forms.CheckboxSelectMultiple,
    )
    country = django_filters.MultipleChoiceFilter(
        distinct=False,  # one value per row: no duplicates to remove
        choices=countries,
        label="Country",
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Ctrl/⌘-click to pick several.",
    )
    region = django_filters.ChoiceFilter(
        choices=classification.region_choices,
        label="Region",
        method="filter_region",
        empty_label="Any region",
        help_text="World Bank regions, or the country profile's.",
    )
    income = django_filters.ChoiceFilter(
        choices=CountryProfile.IncomeGroup.choices,
        label="Income group",
        method="filter_income",
        empty_label="Any income group",
    )
    emde = django_filters.ChoiceFilter(
        choices=YES_NO, label="EMDE", method="filter_emde", empty_label="Any"
    )
    # Organisations and partnerships may number thousands: a select with server-side search,
    # as on the edit forms, renders the chosen one and the first few, not the whole table.
    sponsor = ModelChoiceFilter(
        queryset=Organisation.objects.only("pk", "name"),
        label="Sponsor",
        empty_label="Any sponsor",
        widget=SearchableSelect("organisation"),
    )
    partnership = ModelChoiceFilter(
        queryset=Partnership.objects.only("pk", "name", "short_name"),
        label="Partnership",
        empty_label="Any partnership",
        widget=SearchableSelect("partnership"),
    )
    technology = ModelChoiceFilter(
        queryset=Technology.objects.only("pk", "name", "slug"),
        to_field_name="slug",
        label="Technology",
        empty_label="Any technology",
    )
    scale = django_filters.MultipleChoiceFilter(
        distinct=False,  # one value per row: no duplicates to remove
        choices=Project.Scale.choices,
        label="Scale",
        widget=forms.CheckboxSelectMultiple,
    )
    capex_min = money_filter("capex_musd", "gte", "Capex from (USD m)")
    capex_max = money_filter("capex_musd", "lte", "Capex to (USD m)")
    gap_min = money_filter("financing_gap_musd", "gte", "Financing gap at least (USD m)")
    abatement_min = django_filters.NumberFilter(
        field_name="abatement_tco2e",
        lookup_expr="gte",
        label="Abatement at least (t CO2e/yr)",
        min_value=0,
        max_value=10**12,
        widget=forms.NumberInput(attrs={"min": 0, "step": "any"}),
    )
    year_min = year_filter("gte", "Commissioning from")
    year_max = year_filter("lte", "Commissioning to")
    # Filters behind the dashboard's figures, so every chart links to exactly its projects.
    reached = django_filters.ChoiceFilter(
        choices=Stage.choices,
        method="filter_reached",
        label="Reached stage",
        empty_label="Any",
        help_text="With 'reached in': projects that entered this stage then.",
    )
    reached_year = IntegerFilter(
        method="filter_reached",
        label="Reached in",
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"min": 1990, "max": 2100}),
    )
    seeking_finance = django_filters.BooleanFilter(
        label="Finance",
        method="filter_seeking_finance",
        widget=forms.Select(choices=[("", "Any"), ("true", "Seeking finance")]),
        help_text="Before FID, with a tranche sought or a gap above zero.",
    )
    slip_min = IntegerFilter(
        method="filter_slip", label="Slipped at least (years)", min_value=-50, max_value=50
    )
    slip_max = IntegerFilter(
        method="filter_slip", label="Slipped at most (years)", min_value=-50, max_value=50
    )
    stuck_months = IntegerFilter(
        method="filter_stuck",
        label="No stage change for (months)",
        min_value=1,
        max_value=600,
    )

    search_fields = (
        "name",
        "sponsor__name",
        "sponsor__short_name",
        "site",
        "technology__name",
        "gst_id",
        "gem_plant_id",
        "mpp_ref",
    )
    sort_fields = {
        "name": "name",
        "sponsor": "sponsor__name",
        "country": "country",
        "sector": "sector__name",
        "stage": "stage_rank",
        "scale": "scale",
        "capex_musd": "capex_musd",
        "financing_secured_musd": "financing_secured_musd",
        "financing_gap_musd": "financing_gap_musd",
        "abatement_tco2e": "abatement_tco2e",
        # The year the column shows (revised, else planned); the planned one for older links.
        "commissioning_year": "expected_commissioning_year",
        "planned_commissioning_year": "planned_commissioning_year",
    }

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    def filter_income(self, queryset, name, value):
        return queryset.in_income_group(value)

    def filter_reached(self, queryset, name, value):
        # Applied once for the pair: the stage and the year are read together.
        stage = self.form.cleaned_data.get("reached")
        year = self.form.cleaned_data.get("reached_year")
        if name == "reached_year" and stage:
            return queryset  # already done with the stage
        return queryset.reached(stage or None, year)

    def filter_slip(self, queryset, name, value):
        lookup = "gte" if name == "slip_min" else "lte"
        return queryset.with_slip().filter(**{f"slip__{lookup}": value})

    def filter_stuck(self, queryset, name, value):
        return queryset.stuck(months=value)

    def filter_seeking_finance(self, queryset, name, value):
        if value is None:
            return queryset
        seeking = queryset.seeking_finance()
        return seeking if value else queryset.exclude(pk__in=seeking.values("pk"))

    def filter_emde(self, queryset, name, value):
        return queryset.emde(value == "yes")


class EngagementFilterSet(TrackerFilterSet):
    stage = django_filters.MultipleChoiceFilter(
        distinct=False,  # one value per row: no duplicates to remove
        choices=Engagement.Stage.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    mode = django_filters.ChoiceFilter(choices=Engagement.Mode.choices, empty_label="Any mode")
    technology = ModelChoiceFilter(
        queryset=Technology.objects.all(), to_field_name="slug", empty_label="Any technology"
    )
    sector = ModelChoiceFilter(
        queryset=Sector.objects.all(), to_field_name="slug", empty_label="Any sector"
    )
    recipient_country = django_filters.ChoiceFilter(
        choices=countries, label="Recipient country", empty_label="Any country"
    )
    provider = ModelChoiceFilter(
        queryset=Organisation.objects.only("pk", "name"),
        empty_label="Any provider",
        widget=SearchableSelect("organisation"),
    )
    owner = ModelChoiceFilter(
        queryset=secretariat_users(),
        empty_label="Anyone",
        label="Owner",
    )
    overdue = django_filters.BooleanFilter(
        label="Next step overdue",
        method="filter_overdue",
        widget=forms.Select(choices=[("", "Any"), ("true", "Overdue only")]),
    )

    search_fields = ("title", "provider__name", "recipient__name", "next_step")
    sort_fields = {
        "title": "title",
        "stage": "stage",
        "country": "recipient_country",
        "next_step_due": "next_step_due",
    }
    # Who follows an engagement up is the Secretariat's own (partnerships.declarations).
    internal_filters = (*TrackerFilterSet.internal_filters, "owner")

    class Meta:
        model = Engagement
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(next_step_due__lt=datetime.date.today(), stage__in=Engagement.ACTIVE_STAGES)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class PartnershipFilterSet(TrackerFilterSet):
    kind = django_filters.ChoiceFilter(choices=Partnership.Kind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(
        choices=Partnership.Status.choices, empty_label="Any status"
    )
    sector = sectors_filter()

    search_fields = ("name", "short_name", "objectives")
    sort_fields = {"name": "name", "launched_on": "launched_on", "status": "status"}

    class Meta:
        model = Partnership
        fields: list[str] = []


class ForumActivityFilterSet(TrackerFilterSet):
    kind = django_filters.ChoiceFilter(choices=ForumActivity.Kind.choices, empty_label="Any kind")
    year = IntegerFilter(
        field_name="starts_on",
        lookup_expr="year",
        min_value=2019,
        max_value=2100,
    )

    member = ModelChoiceFilter(
        field_name="members",
        queryset=Member.objects.select_related("organisation"),
        empty_label="Any member",
        label="Member",
        widget=SearchableSelect("member"),
    )

    search_fields = ("title", "location", "summary")
    sort_fields = {"title": "title", "starts_on": "starts_on", "kind": "kind"}

    class Meta:
        model = ForumActivity
        fields: list[str] = []


class AssistanceFilterSet(TrackerFilterSet):
    partnership = ModelChoiceFilter(
        queryset=Partnership.objects.all(),
        empty_label="Any partnership",
        widget=SearchableSelect("partnership"),
    )
    kind = django_filters.ChoiceFilter(choices=Assistance.Kind.choices, empty_label="Any kind")
    activity_status = django_filters.ChoiceFilter(
        choices=iati.ActivityStatus.choices, empty_label="Any status", label="IATI status"
    )
    provider = ModelChoiceFilter(
        queryset=Organisation.objects.only("pk", "name"),
        empty_label="Any provider",
        widget=SearchableSelect("organisation"),
    )

    search_fields = ("title", "iati_identifier", "provider__name", "description")
    sort_fields = {"title": "title", "amount_musd": "amount_musd"}

    class Meta:
        model = Assistance
        fields: list[str] = []
