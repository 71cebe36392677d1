from django.db.models import Prefetch

from leadit.sections.columns import Column
from leadit.sections.panels import panels_for
from leadit.sections.views import FilteredListView, RecordDetailView

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
    """A member with its contacts, and whatever other apps register as panels for it (what
    it takes part in): this app imports nothing from them."""

    model = Member
    template_name = "members/member_detail.html"

    def get_queryset(self):
        return Member.objects.select_related("organisation").prefetch_related(
            "organisation__sectors",
            Prefetch("organisation__contacts", queryset=Contact.objects.order_by("name")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = panels_for(self.object, self.request.user)
        return context
