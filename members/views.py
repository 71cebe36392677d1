from django.db.models import Prefetch, Q

from leadit.sections.views import FilteredListView, RecordDetailView

from . import declarations
from .filtersets import MemberFilterSet
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
        "country",
        "role",
        ("joined_on", {"label": "Joined", "sort": "joined_on"}),
        "status",
    )


class MemberDetailView(RecordDetailView):
    """A member with everything it takes part in. The related lists come from `partnerships`
    through reverse relations, so this app still imports nothing from it."""

    model = Member
    template_name = "members/member_detail.html"

    def get_queryset(self):
        project = related_model("sponsored_projects")
        return Member.objects.select_related("organisation").prefetch_related(
            "organisation__sectors",
            Prefetch("organisation__contacts", queryset=Contact.objects.order_by("name")),
            Prefetch(
                "organisation__sponsored_projects",
                queryset=project.objects.select_related("sector"),
            ),
            Prefetch(
                "organisation__participations",
                queryset=related_model("participations").objects.select_related("partnership"),
            ),
            "forum_activities",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Engagements it provides or receives, in one query rather than one per side.
        organisation = self.object.organisation
        engagements = related_model("engagements_provided").objects.filter(
            Q(provider=organisation) | Q(recipient=organisation)
        )
        context["engagements"] = [
            (engagement, "provider" if engagement.provider_id == organisation.pk else "recipient")
            for engagement in engagements
        ]
        return context


def related_model(name: str):
    """A partnerships model reached through its relation to Organisation: this app may not
    import partnerships."""
    return Organisation._meta.get_field(name).related_model
