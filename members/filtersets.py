import django_filters
from django import forms
from django.db.models import Q
from django_countries import countries

from leadit.sections.fields import ModelChoiceFilter
from leadit.sections.views import IntegerFilter, TrackerFilterSet
from leadit.sections.widgets import SearchableSelect

from .countries import in_region, region_choices
from .models import Contact, Member, Organisation, Sector

YES_NO = (("yes", "Yes"), ("no", "No"))


def sectors_filter() -> ModelChoiceFilter:
    """Records with a sector among their sectors (many-to-many), chosen by slug."""
    return ModelChoiceFilter(
        field_name="sectors",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label="Any sector",
        distinct=True,
    )


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

    # The notes are searched too, for the Secretariat only (TrackerFilterSet.search).
    search_fields = ("organisation__name", "organisation__short_name", "joined_at_event")
    sort_fields = {
        "name": "organisation__name",
        "kind": "kind",
        "country": "organisation__country",
        "joined_on": "joined_on",
    }

    class Meta:
        model = Member
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.current() if value == "current" else queryset.former()

    def filter_region(self, queryset, name, value):
        return queryset.filter(in_region("organisation__country", value))


def organisation_countries() -> list[tuple[str, str]]:
    """The countries organisations are recorded in, by name."""
    codes = set(Organisation.objects.exclude(country="").values_list("country", flat=True))
    return sorted(((code, countries.name(code)) for code in codes), key=lambda item: item[1])


class OrganisationFilterSet(TrackerFilterSet):
    choice_models = {"country": Organisation}
    org_type = django_filters.ChoiceFilter(
        choices=Organisation.Type.choices, label="Type", empty_label="Any type"
    )
    country = django_filters.ChoiceFilter(
        choices=organisation_countries, label="Country", empty_label="Any country"
    )
    member = django_filters.ChoiceFilter(
        choices=(
            ("current", "Current member"),
            ("former", "Former member"),
            ("no", "Not a member"),
        ),
        method="filter_member",
        label="Member",
        empty_label="Members or not",
    )
    sector = sectors_filter()

    search_fields = ("name", "short_name", "iati_ref")
    sort_fields = {"name": "name", "org_type": "org_type", "country": "country"}

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_member(self, queryset, name, value):
        if value == "no":
            return queryset.filter(membership__isnull=True)
        members = Member.objects.current() if value == "current" else Member.objects.former()
        return queryset.filter(pk__in=members.values("organisation"))


class ContactFilterSet(TrackerFilterSet):
    organisation = ModelChoiceFilter(
        queryset=Organisation.objects.only("pk", "name"),
        empty_label="Any organisation",
        widget=SearchableSelect("organisation"),  # thousands, maybe: searched on the server
    )
    focal_point = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_focal_point", label="LeadIT focal point", empty_label="Any"
    )
    role = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Role (job title)", max_length=100
    )
    member = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_member", label="At a member", empty_label="Any"
    )

    search_fields = ("name", "title", "email", "organisation__name", "organisation__short_name")
    sort_fields = {"name": "name", "organisation": "organisation__name", "title": "title"}

    class Meta:
        model = Contact
        fields: list[str] = []

    def filter_focal_point(self, queryset, name, value):
        return queryset.filter(is_focal_point=value == "yes")

    def filter_member(self, queryset, name, value):
        at_member = Q(organisation__in=Member.objects.current().values("organisation"))
        return queryset.filter(at_member) if value == "yes" else queryset.exclude(at_member)
