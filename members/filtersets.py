import django_filters

from leadit.generic import IntegerFilter, TrackerFilterSet

from .models import Member


class MemberFilterSet(TrackerFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Member.Kind.choices, empty_label="Countries and companies"
    )
    status = django_filters.ChoiceFilter(
        choices=(("current", "Current"), ("former", "Former")),
        method="filter_status",
        empty_label="Current and former",
    )
    joined = IntegerFilter(
        label="Joined in",
        field_name="joined_on",
        lookup_expr="year",
        min_value=2019,
        max_value=2100,
    )

    search_fields = ("organisation__name", "organisation__short_name", "joined_at_event", "notes")
    sort_fields = {"name": "organisation__name", "kind": "kind", "joined_on": "joined_on"}

    class Meta:
        model = Member
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.current() if value == "current" else queryset.former()
