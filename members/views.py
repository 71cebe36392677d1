from django.db.models import Prefetch

from leadit.sections.panels import panels_for
from leadit.sections.views import FilteredListView, RecordDetailView

from . import declarations
from .filtersets import MemberFilterSet
from .models import Contact, Member


class MemberListView(FilteredListView):
    model = Member
    queryset = Member.objects.for_list()
    filterset_class = MemberFilterSet
    title = "Members"
    intro = "LeadIT's member countries and companies, with when they joined."
    columns = declarations.MEMBER.table(
        ("organisation", {"sort": "name", "link": ""}),
        ("kind", {"sort": "kind"}),
        "country",
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
            Prefetch("organisation__contacts", queryset=Contact.objects.order_by("name")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = panels_for(self.object, self.request.user)
        return context
