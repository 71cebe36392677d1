from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from leadit.proposals.models import Proposal
from leadit.sections.bulk import DELETE, MOVE, SET_CONFIDENCE, VERIFY
from leadit.sections.caching import cached_figures
from leadit.sections.editing import DeleteView, ModelFormView
from leadit.sections.ownership import is_focal_point, with_theirs
from leadit.sections.search import folded_name
from leadit.sections.views import (
    FilteredListView,
    RecordDetailView,
    can,
    requires,
    wants_fragment,
)
from members import countries as classification

from . import declarations
from .dashboard import gap_matching
from .filtersets import (
    AssistanceFilterSet,
    EngagementFilterSet,
    ForumActivityFilterSet,
    PartnershipFilterSet,
    ProjectFilterSet,
)
from .forms import FinancingForm, StageChangeForm
from .iati_export import iati_response, iati_status
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

PROJECT_COLUMNS = declarations.PROJECT.table(
    ("name", {"sort": "name", "kind": "link", "link": ""}),
    ("sponsor", {"label": "Sponsor", "sort": "sponsor"}),
    ("country", {"sort": "country"}),
    ("sector", {"sort": "sector"}),
    ("stage", {"sort": "stage", "kind": "badge"}),
    ("capex_musd", {"label": "Capex", "sort": "capex_musd", "unit": "USD m"}),
    ("financing_gap_musd", {"label": "Gap", "sort": "financing_gap_musd", "unit": "USD m"}),
    ("abatement_tco2e", {"sort": "abatement_tco2e", "unit": "t CO2e/yr", "kind": "number"}),
    ("commissioning_year", {"label": "Comm.", "sort": "commissioning_year"}),
)


class ProjectListView(FilteredListView):
    model = Project
    queryset = Project.objects.for_list()
    filterset_class = ProjectFilterSet
    columns = PROJECT_COLUMNS
    card_columns = (
        "name",
        "stage",
        "sponsor",
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
    export_name = "pipeline"
    bulk_actions = (VERIFY, MOVE, SET_CONFIDENCE, DELETE)
    # What the table reads of up to 100,000 wide rows (the bulk checkbox reads the version;
    # the expected commissioning year is the revised or the planned one).
    row_fields = (
        "name",
        "version",
        "sponsor__name",
        "sponsor__short_name",
        "country",
        "sector__name",
        "stage",
        "capex_musd",
        "financing_gap_musd",
        "abatement_tco2e",
        "planned_commissioning_year",
        "revised_commissioning_year",
    )

    def known_count(self, queryset) -> int | None:
        # The summary's sums come with the count: one aggregate serves both. Those of the
        # whole pipeline (the page as it opens, the most visited) are kept under the state of
        # the projects and their financing: 100,000 rows summed once a change, not a visit.
        if not self.filters_ok:
            self.totals = None
        elif self.filterset.narrows:
            self.totals = queryset.totals()
        else:
            self.totals = cached_figures("pipeline-totals", (Project, Financing), queryset.totals)
        return self.totals["count"] if self.totals else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = self.totals
        return context


class ProjectDetailView(RecordDetailView):
    model = Project
    template_name = "partnerships/project_detail.html"
    facts_exclude = ("name", "description")  # the page's heading and its closing paragraph

    def get_queryset(self):
        tranches = tranches_for(self.request.user)
        return (
            Project.objects.select_related(
                "sponsor__membership",
                "sector",
                "technology",
                "partnership",
                "working_group__partnership",
            )
            .annotate(profile_region=classification.profile_region())
            .prefetch_related(
                Prefetch("financing", queryset=tranches),
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
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(stage_context(self.request, self.object))
        context.update(financing_context(self.request, self.object))
        context["gap_matches"] = gap_matching(self.object)
        return context


def tranches_for(user):
    """A project's tranches with their providers; for a focal point each marked `theirs` in
    the same query."""
    tranches = Financing.objects.select_related("provider")
    return with_theirs(tranches, user) if proposes_financing(user) else tranches


def with_financing(pk: int, user) -> Project:
    """The project with its tranches and their providers (two queries)."""
    return Project.objects.prefetch_related(Prefetch("financing", queryset=tranches_for(user))).get(
        pk=pk
    )


def financing_context(request, project, **extra) -> dict:
    """What the financing panel needs: which of the add/edit/remove controls the user gets."""
    user = request.user
    proposing = proposes_financing(user)
    return {
        "project": project,
        # A focal point proposes a tranche they provide, or a change to one of theirs.
        "can_propose_financing": proposing,
        "own_tranches": owned_tranches(user, project) if proposing else set(),
        "can_add_financing": can(user, "add", Financing),
        "can_change_financing": can(user, "change", Financing),
        "can_delete_financing": can(user, "delete", Financing),
        **extra,
    }


def proposes_financing(user) -> bool:
    """A focal point (who cannot add tranches) proposes them instead."""
    return not can(user, "add", Financing) and can(user, "add", Proposal) and is_focal_point(user)


def owned_tranches(user, project) -> set[int]:
    """The focal point's own tranches of the project (marked by tranches_for)."""
    return {tranche.pk for tranche in project.financing.all() if tranche.theirs}


def financing_panel(request, project_pk: int, status: int = 200, **extra):
    """The project page's financing panel alone (htmx), the key figures swapped out of band."""
    project = with_financing(project_pk, request.user)
    context = financing_context(request, project, **extra)
    return render(request, "partnerships/project_detail.html#financing", context, status=status)


def tranche_proposal_panel(view, form, status, conflict):
    """A focal point's proposal of a tranche, in place in the project's financing panel
    (leadit.proposals.views.ProposeView.in_place); the panel alone once it is sent."""
    project = view.parent_record if view.parent else view.object.project
    extra = {}
    if form is not None:
        extra = {"tranche_form": form, "editing": view.object, "conflict": conflict}
        extra.update(proposing=True, details=view.details)
    return financing_panel(view.request, project.pk, status, **extra)


# The propose pages of tranches: in place in the financing panel with htmx.
TRANCHE_PROPOSALS = {
    "in_place": tranche_proposal_panel,
    "fragment": "financing",
    "auto_id": "tranche_%s",
}


class FinancingFormView(ModelFormView):
    """Add or edit a tranche: in place in the project's financing panel with htmx, on a page of
    its own without JavaScript. Version-checked like every edit (ModelFormView)."""

    model = Financing
    form_class = FinancingForm
    fragment = "financing"
    auto_id = "tranche_%s"  # the page's stage form has a "note" too
    creating = False  # the URL's pk is then the project's

    def action(self) -> str:
        return "add" if self.creating else "change"

    def get_object(self):
        pk = self.kwargs["pk"]
        if self.creating:
            self.project = get_object_or_404(Project, pk=pk)
            return None
        tranche = get_object_or_404(Financing.objects.select_related("project"), pk=pk)
        self.project = tranche.project
        return tranche

    def get_form(self, data=None):
        form = super().get_form(data)
        if self.object is None:
            form.instance.project = self.project
        return form

    def list_url(self):
        return self.project.get_absolute_url()

    def render(self, form, status=200, conflict=None):
        if wants_fragment(self.request, self.fragment):
            return financing_panel(
                self.request,
                self.project.pk,
                status,
                tranche_form=form,
                editing=self.object,
                conflict=conflict,
            )
        response = super().render(form, status, conflict)
        response.context_data.update(
            title=f"Edit a tranche of {self.project}"
            if self.object
            else f"Add a financing tranche to {self.project}",
            cancel_url=self.project.get_absolute_url() + "#financing",
            verbose_name="tranche",
            verbose_name_plural=f"{self.project}: financing",
        )
        return response

    def redirect(self, record):
        if self.request.htmx:
            return financing_panel(self.request, self.project.pk)
        return HttpResponseRedirect(record.get_absolute_url())


class FinancingDeleteView(DeleteView):
    """Remove a tranche: confirmed by the browser with htmx, on a page of its own without."""

    model = Financing

    def post(self, request, *args, **kwargs):
        project, name = self.object.project, str(self.object)
        with transaction.atomic():
            self.object.delete()  # recomputes the project's secured total and gap
        messages.success(request, f"Removed the tranche “{name}”.")
        if request.htmx:
            return financing_panel(request, project.pk)
        return HttpResponseRedirect(project.get_absolute_url() + "#financing")


def stage_context(request, project, form=None) -> dict:
    can_move = request.user.has_perm("partnerships.change_project")
    if can_move and form is None and project.stage != Project.Stage.CANCELLED:
        form = StageChangeForm(project=project)
    return {"project": project, "object": project, "stage_form": form, "can_move_stage": can_move}


@requires("change", [Project])
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def project_move_stage(request, pk):
    """The stage control on a project page: writes a StageChange; htmx swaps #stage."""
    project = get_object_or_404(Project, pk=pk)
    form = StageChangeForm(request.POST, project=project)
    status = 200
    moved_tranches = False
    if form.is_valid():
        try:
            with transaction.atomic():  # the move and what became of the sought tranches
                project.move_to_stage(
                    form.cleaned_data["to_stage"],
                    on=form.cleaned_data["changed_on"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                moved_tranches = form.apply_tranche_outcomes(form.cleaned_data["changed_on"])
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
    response = render(
        request,
        "partnerships/project_detail.html#stage",
        stage_context(request, project, form),
        status=status,
    )
    if status == 200 and form is None and moved_tranches:
        # Tranches committed at FID change the financing panel and the totals: swap them too.
        panel = financing_panel(request, pk, financing_oob=True)
        response.content += panel.content
    return response


class EngagementListView(FilteredListView):
    model = Engagement
    bulk_actions = (VERIFY, MOVE, DELETE)
    queryset = Engagement.objects.select_related("provider", "recipient", "owner").order_by(
        folded_name(), "pk"
    )
    filterset_class = EngagementFilterSet
    title = "Technology-transfer engagements"
    columns = declarations.ENGAGEMENT.table(
        ("title", {"label": "Engagement", "sort": "title", "kind": "link", "link": ""}),
        "provider",
        "recipient",
        ("recipient_country", {"label": "Country", "sort": "country"}),
        ("stage", {"sort": "stage", "kind": "badge"}),
        "next_step",
        ("next_step_due", {"label": "Due", "sort": "next_step_due"}),
        "owner",
    )


class EngagementDetailView(RecordDetailView):
    model = Engagement
    template_name = "partnerships/engagement_detail.html"
    queryset = Engagement.objects.select_related(
        "provider", "recipient", "technology", "sector", "partnership", "project", "owner"
    )


class PartnershipListView(FilteredListView):
    model = Partnership
    queryset = Partnership.objects.order_by(folded_name(), "pk")
    filterset_class = PartnershipFilterSet
    title = "Industry transition partnerships"
    columns = declarations.PARTNERSHIP.table(
        ("name", {"label": "Partnership", "sort": "name", "kind": "link", "link": ""}),
        "kind",
        ("status", {"sort": "status", "kind": "badge"}),
        ("launched_on", {"label": "Launched", "sort": "launched_on"}),
    )


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
    bulk_actions = (VERIFY, MOVE, DELETE)
    queryset = Assistance.objects.select_related("provider", "partnership").order_by(
        folded_name(), "pk"
    )
    filterset_class = AssistanceFilterSet
    title = "Assistance mapped to partnerships"
    columns = declarations.ASSISTANCE.table(
        ("title", {"label": "Activity", "sort": "title", "kind": "link", "link": ""}),
        ("partnership", {"link": "partnership"}),
        "provider",
        "kind",
        ("activity_status", {"label": "IATI status"}),
        ("amount_musd", {"label": "Amount", "sort": "amount_musd", "unit": "USD m"}),
    )

    def export_response(self, queryset):
        if self.export == "iati":
            return iati_response(self.request, queryset, "leadit-assistance-iati.xml")
        return super().export_response(queryset)


class AssistanceDetailView(RecordDetailView):
    model = Assistance
    template_name = "partnerships/assistance_detail.html"
    queryset = Assistance.objects.select_related(
        "provider", "implementer", "partnership", "working_group"
    ).prefetch_related("supported_projects__sector")

    def get_context_data(self, **kwargs):
        # Whether the record is in the IATI files, and if not what it lacks.
        context = super().get_context_data(**kwargs)
        context["iati"] = iati_status(self.object)
        return context


class ForumActivityListView(FilteredListView):
    model = ForumActivity
    queryset = ForumActivity.objects.order_by("-starts_on", "pk")
    filterset_class = ForumActivityFilterSet
    title = "Global Forum activity"
    columns = declarations.FORUM_ACTIVITY.table(
        ("title", {"label": "Activity", "sort": "title", "kind": "link", "link": ""}),
        ("kind", {"sort": "kind"}),
        ("starts_on", {"label": "Date", "sort": "starts_on"}),
        "location",
    )


class ForumActivityDetailView(RecordDetailView):
    model = ForumActivity
    template_name = "partnerships/forumactivity_detail.html"
    queryset = ForumActivity.objects.select_related("partnership").prefetch_related(
        "hosts", "members__organisation"
    )


@requires("view", [Partnership, Assistance])
@require_GET
def partnership_assistance_xml(request, pk):
    """The partnership's assistance as IATI 2.03 activities, for funders' IATI publishing."""
    partnership = get_object_or_404(Partnership, pk=pk)
    return iati_response(
        request, partnership.assistance.all(), f"leadit-assistance-{pk}.xml", str(partnership)
    )
