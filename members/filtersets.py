import django_filters
from django import forms

from leadit.sections.fields import ModelChoiceFilter
from leadit.sections.views import IntegerFilter, TrackerFilterSet

from .countries import in_region, region_choices
from .models import Member, Sector


class MemberFilterSet(TrackerFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Member.Kind.choices, empty_label="Countries and companies"
    )
    sector = ModelChoiceFilter(
        field_name="organisation__sectors",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label="Any sector",
    )
    region = django_filters.ChoiceFilter(
        choices=region_choices, method="filter_region", empty_label="Any region"
    )
    joined = IntegerFilter(
        label="Joined in",
        field_name="joined_on",
        lookup_expr="year",
        min_value=2019,
        max_value=2100,
        widget=forms.NumberInput(attrs={"min": 2019, "max": 2100}),
    )
    status = django_filters.ChoiceFilter(
        choices=(("current", "Current"), ("former", "Former")),
        method="filter_status",
        empty_label="Current and former",
    )

    search_fields = ("organisation__name", "organisation__short_name", "joined_at_event", "notes")
    sort_fields = {"name": "organisation__name", "kind": "kind", "joined_on": "joined_on"}

    class Meta:
        model = Member
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.current() if value == "current" else queryset.former()

    def filter_region(self, queryset, name, value):
        return queryset.filter(in_region("organisation__country", value))
