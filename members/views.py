from django.db.models import Prefetch

from leadit.sections.columns import Column
from leadit.sections.search import folded_name
from leadit.sections.views import FilteredListView, RecordDetailView

from . import declarations
from .filtersets import ContactFilterSet, MemberFilterSet, OrganisationFilterSet
from .models import Contact, Member, Organisation


class MemberListView(FilteredListView):
    model = Member
    queryset = Member.objects.for_list()
    filterset_class = MemberFilterSet
    title = "Members"
    intro = "LeadIT's member countries and companies, with when they joined."
    columns = declarations.MEMBER.table(
        ("organisation", {"sort": "name", "link": ""}),
        ("kind", {"sort": "kind"}),
        ("country", {"sort": "country"}),
        "role",
        ("joined_on", {"label": "Joined", "sort": "joined_on"}),
        "status",
    )


class MemberDetailView(RecordDetailView):
    """A member with its contacts, and whatever other apps register as panels for it (what
    it takes part in): this app imports nothing from them."""

    model = Member
    template_name = "members/member_detail.html"

    def get_queryset(self):
        return Member.objects.select_related("organisation").prefetch_related(
            "organisation__sectors",
            Prefetch("organisation__contacts", queryset=Contact.objects.order_by(folded_name())),
        )


class OrganisationListView(FilteredListView):
    model = Organisation
    queryset = Organisation.objects.select_related("membership").order_by(folded_name(), "pk")
    filterset_class = OrganisationFilterSet
    title = "Organisations"
    intro = (
        "Every body the Secretariat deals with: governments, companies, banks, funds and "
        "institutes, members or not."
    )
    columns = [
        Column("name", "Organisation", sort="name", kind="link", link=""),
        Column("short_name", "Short name"),
        Column("get_org_type_display", "Type", sort="org_type"),
        Column("country", "Country", sort="country", kind="country"),
        Column("member_status", "Membership"),
    ]


class OrganisationDetailView(RecordDetailView):
    """An organisation with its membership, contacts and what other apps register for it
    (projects sponsored, financing provided, assistance, engagements)."""

    model = Organisation
    template_name = "members/organisation_detail.html"

    def get_queryset(self):
        return Organisation.objects.select_related("membership", "parent").prefetch_related(
            "sectors",
            Prefetch(
                "contacts", queryset=Contact.objects.order_by("-is_focal_point", folded_name())
            ),
        )


class ContactListView(FilteredListView):
    model = Contact
    queryset = Contact.objects.select_related("organisation").order_by(folded_name(), "pk")
    filterset_class = ContactFilterSet
    title = "Contacts"
    intro = "People at the organisations LeadIT works with; focal points are the first call."
    columns = [
        Column("name", "Name", sort="name", kind="link", link=""),
        Column("organisation.name", "Organisation", sort="organisation", link="organisation"),
        Column("title", "Role", sort="title"),
        Column("focal_point_label", "Focal point"),
        Column("email", "Email"),
    ]


class ContactDetailView(RecordDetailView):
    model = Contact
    queryset = Contact.objects.select_related("organisation")
