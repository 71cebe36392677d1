from django.db.models import Prefetch

from leadit.generic import FilteredListView, RecordDetailView
from leadit.tables import Column

from .filtersets import MemberFilterSet
from .models import Contact, Member


class MemberListView(FilteredListView):
    model = Member
    queryset = Member.objects.for_list()
    filterset_class = MemberFilterSet
    title = "Members"
    intro = "LeadIT's member countries and companies, with when they joined."
    columns = [
        Column("organisation.name", "Member", sort="name", link=""),
        Column("get_kind_display", "Kind", sort="kind"),
        Column("organisation.country", "Country", kind="country"),
        Column("get_role_display", "Role"),
        Column("joined_on", "Joined", sort="joined_on", kind="date"),
        Column("status", "Status"),
    ]


class MemberDetailView(RecordDetailView):
    """A member with everything it takes part in. The related lists come from `partnerships`
    through reverse relations, so this app still imports nothing from it."""

    model = Member
    template_name = "members/member_detail.html"

    def get_queryset(self):
        return Member.objects.select_related("organisation").prefetch_related(
            "organisation__sectors",
            Prefetch("organisation__contacts", queryset=Contact.objects.order_by("name")),
            "organisation__sponsored_projects__sector",
            "organisation__engagements_provided",
            "organisation__engagements_received",
            "organisation__participations__partnership",
            "forum_activities",
        )
