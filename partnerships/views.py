from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from leadit.sections.columns import Column
from leadit.sections.views import FilteredListView, RecordDetailView, require_perm, wants_fragment

from . import exports
from .dashboard import gap_matching
from .filtersets import (
    AssistanceFilterSet,
    EngagementFilterSet,
    ForumActivityFilterSet,
    PartnershipFilterSet,
    ProjectFilterSet,
)
from .forms import StageChangeForm
from .iati_export import partnership_xml
from .models import (
    Assistance,
    Engagement,
    Financing,
    ForumActivity,
    Participant,
    Partnership,
    Project,
    StageChange,
)

PROJECT_COLUMNS = [
    Column("name", "Project", sort="name", kind="link", link=""),
    Column("sponsor.name", "Sponsor", sort="sponsor"),
    Column("country", "Country", sort="country", kind="country"),
    Column("sector.name", "Sector", sort="sector"),
    Column("stage", "Stage", sort="stage", kind="badge"),
    Column("capex_musd", "Capex", sort="capex_musd", kind="money", unit="USD m"),
    Column("financing_gap_musd", "Gap", sort="financing_gap_musd", kind="money", unit="USD m"),
    Column("abatement_tco2e", "Abatement", sort="abatement_tco2e", kind="number", unit="t CO2e/yr"),
    Column("commissioning_year", "Comm.", sort="planned_commissioning_year", kind="year"),
]


class ProjectListView(FilteredListView):
    model = Project
    queryset = Project.objects.for_list()
    filterset_class = ProjectFilterSet
    columns = PROJECT_COLUMNS
    card_columns = (
        "name",
        "stage",
        "sponsor.name",
        "country",
        "capex_musd",
        "financing_gap_musd",
        "commissioning_year",
    )
    title = "Project pipeline"
    intro = (
        "Bankable low-carbon industrial projects the Secretariat follows, from idea to operation."
    )
    summary_template = "partnerships/includes/pipeline_summary.html"

    def known_count(self, queryset) -> int | None:
        # The summary's sums come with the count: one aggregate serves both.
        self.totals = queryset.totals() if self.filters_ok else None
        return self.totals["count"] if self.totals else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = self.totals
        return context

    def export_response(self, queryset):
        # Every field with labels (not only the table's columns), as CSV or Excel.
        if self.export == "xlsx":
            return exports.xlsx_response(queryset)
        return exports.csv_response(queryset)


class ProjectDetailView(RecordDetailView):
    model = Project
    template_name = "partnerships/project_detail.html"

    def get_queryset(self):
        return Project.objects.select_related(
            "sponsor__membership", "sector", "technology", "partnership", "working_group"
        ).prefetch_related(
            Prefetch("financing", queryset=Financing.objects.select_related("provider")),
            Prefetch(
                "stage_changes",
                queryset=StageChange.objects.select_related("recorded_by").order_by(
                    "changed_on", "pk"
                ),
            ),
            Prefetch(
                "engagements",
                queryset=Engagement.objects.select_related("provider", "recipient"),
            ),
            Prefetch("assistance", queryset=Assistance.objects.select_related("provider")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(stage_context(self.request, self.object))
        context["gap_matches"] = gap_matching(self.object)
        return context


def stage_context(request, project, form=None) -> dict:
    can_move = request.user.has_perm("partnerships.change_project")
    if can_move and form is None and project.stage != Project.Stage.CANCELLED:
        form = StageChangeForm(project=project)
    return {"project": project, "object": project, "stage_form": form, "can_move_stage": can_move}


@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def project_move_stage(request, pk):
    """The stage control on a project page: writes a StageChange; htmx swaps #stage."""
    project = get_object_or_404(Project, pk=pk)
    require_perm(request.user, "change", Project)
    form = StageChangeForm(request.POST, project=project)
    status = 200
    if form.is_valid():
        try:
            project.move_to_stage(
                form.cleaned_data["to_stage"],
                on=form.cleaned_data["changed_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error("changed_on" if field == "on" else "to_stage", errors)
            status = 422
        else:
            messages.success(request, f"Moved to {project.get_stage_display()}.")
            form = None
    else:
        status = 422
    if not wants_fragment(request, "stage"):
        if status == 200:
            return redirect(project)
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(project)
    project = Project.objects.prefetch_related("stage_changes__recorded_by").get(pk=pk)
    return render(
        request,
        "partnerships/project_detail.html#stage",
        stage_context(request, project, form),
        status=status,
    )


class EngagementListView(FilteredListView):
    model = Engagement
    queryset = Engagement.objects.select_related("provider", "recipient", "owner").order_by(
        "title", "pk"
    )
    filterset_class = EngagementFilterSet
    title = "Technology-transfer engagements"
    columns = [
        Column("title", "Engagement", sort="title", kind="link", link=""),
        Column("provider.name", "Provider"),
        Column("recipient.name", "Recipient"),
        Column("recipient_country", "Country", kind="country"),
        Column("stage", "Stage", sort="stage", kind="badge"),
        Column("next_step", "Next step"),
        Column("next_step_due", "Due", sort="next_step_due", kind="date"),
        Column("owner", "Owner"),
    ]


class EngagementDetailView(RecordDetailView):
    model = Engagement
    template_name = "partnerships/engagement_detail.html"
    queryset = Engagement.objects.select_related(
        "provider", "recipient", "technology", "sector", "partnership", "project", "owner"
    )


class PartnershipListView(FilteredListView):
    model = Partnership
    queryset = Partnership.objects.order_by("name", "pk")
    filterset_class = PartnershipFilterSet
    title = "Industry transition partnerships"
    columns = [
        Column("name", "Partnership", sort="name", kind="link", link=""),
        Column("get_kind_display", "Kind"),
        Column("status", "Status", sort="status", kind="badge"),
        Column("launched_on", "Launched", sort="launched_on", kind="date"),
    ]


class PartnershipDetailView(RecordDetailView):
    model = Partnership
    template_name = "partnerships/partnership_detail.html"

    def get_queryset(self):
        return Partnership.objects.prefetch_related(
            Prefetch("participations", queryset=Participant.objects.select_related("organisation")),
            "working_groups",
            "recipient_countries",
            "sectors",
            Prefetch("assistance", queryset=Assistance.objects.select_related("provider")),
            Prefetch("projects", queryset=Project.objects.select_related("sponsor", "sector")),
        )


class AssistanceListView(FilteredListView):
    model = Assistance
    queryset = Assistance.objects.select_related("provider", "partnership").order_by("title", "pk")
    filterset_class = AssistanceFilterSet
    title = "Assistance mapped to partnerships"
    columns = [
        Column("title", "Activity", sort="title", kind="link", link=""),
        Column("partnership", "Partnership", link="partnership"),
        Column("provider.name", "Provider"),
        Column("get_kind_display", "Kind"),
        Column("get_activity_status_display", "IATI status"),
        Column("amount_musd", "Amount", sort="amount_musd", kind="money", unit="USD m"),
    ]


class AssistanceDetailView(RecordDetailView):
    model = Assistance
    template_name = "partnerships/assistance_detail.html"
    queryset = Assistance.objects.select_related(
        "provider", "implementer", "partnership", "working_group"
    ).prefetch_related("supported_projects__sector")


class ForumActivityListView(FilteredListView):
    model = ForumActivity
    queryset = ForumActivity.objects.order_by("-starts_on", "pk")
    filterset_class = ForumActivityFilterSet
    title = "Global Forum activity"
    columns = [
        Column("title", "Activity", sort="title", kind="link", link=""),
        Column("get_kind_display", "Kind", sort="kind"),
        Column("starts_on", "Date", sort="starts_on", kind="date"),
        Column("location", "Location"),
    ]


class ForumActivityDetailView(RecordDetailView):
    model = ForumActivity
    template_name = "partnerships/forumactivity_detail.html"
    queryset = ForumActivity.objects.select_related("partnership").prefetch_related(
        "hosts", "members__organisation"
    )


@require_GET
def partnership_assistance_xml(request, pk):
    """The partnership's assistance as IATI 2.03 activities, for funders' IATI publishing."""
    partnership = get_object_or_404(Partnership, pk=pk)
    response = HttpResponse(partnership_xml(partnership), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="leadit-assistance-{pk}.xml"'
    return response
