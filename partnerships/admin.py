from django.contrib import admin
from django.db.models import Count
from django.db.models.functions import Coalesce

from leadit.sections.admin import TrackerAdmin
from leadit.sections.imports import SpreadsheetImportExport
from leadit.sections.templatetags.sections import money

from .models import (
    Assistance,
    Engagement,
    Financing,
    ForumActivity,
    Participant,
    Partnership,
    Project,
    StageChange,
    Technology,
    WorkingGroup,
)
from .resources import (
    AssistanceResource,
    EngagementResource,
    FinancingResource,
    ProjectResource,
)


@admin.display(description="Amount $m", ordering="amount_musd")
def amount(obj):
    """A tranche's or an activity's amount as the site writes it (1,200, not 1200.00)."""
    return money(obj.amount_musd) if obj.amount_musd is not None else None


@admin.register(Technology)
class TechnologyAdmin(TrackerAdmin):
    list_display = ("name", "category", "sector", "trl_typical")
    list_filter = ("category", "sector")
    list_select_related = ("sector",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class FinancingInline(admin.TabularInline):
    model = Financing
    extra = 0
    fields = ("provider", "instrument", "status", "amount_musd", "amount_note", "decided_on")
    autocomplete_fields = ("provider",)
    classes = ("financing-inline",)  # sized in static/css/admin.css to fit 1280 px


@admin.register(Financing)
class FinancingAdmin(SpreadsheetImportExport, TrackerAdmin):
    """Capital stacks in bulk: import and export financing rows (one per provider and
    instrument of a project); single rows are edited inline on the project."""

    resource_classes = [FinancingResource]
    list_display = ("project", "provider", "instrument", "status", amount, "decided_on")
    list_filter = ("status", "instrument", "provider_kind")
    list_select_related = ("project", "provider")
    search_fields = ("project__name", "project__gst_id", "provider__name")
    autocomplete_fields = ("project", "provider", "assistance")


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ("changed_on", "from_stage", "to_stage", "commissioning_year", "note", "recorded_by")
    readonly_fields = ("recorded_by",)
    ordering = ("changed_on", "pk")


@admin.register(Project)
class ProjectAdmin(SpreadsheetImportExport, TrackerAdmin):
    resource_classes = [ProjectResource]
    # What a Secretariat officer scans, with short headers: fits 1280 px without scrolling.
    list_display = (
        "name",
        "sponsor",
        "country",
        "stage",
        "capex",
        "gap",
        "commissioning",
        "verified",
    )
    list_filter = ("stage", "sector", "scale", "technology", "confidence")
    list_select_related = ("sponsor", "sector")
    search_fields = ("name", "sponsor__name", "site", "gst_id", "gem_plant_id")
    autocomplete_fields = ("sponsor", "partnership", "working_group", "technology", "sector")
    readonly_fields = ("financing_secured_musd", "financing_gap_musd", "version", "updated_at")
    inlines = [FinancingInline, StageChangeInline]
    fieldsets = (
        (None, {"fields": ("name", "sponsor", "partnership", "working_group", "description")}),
        (
            "Where and what",
            {
                "fields": (
                    "country",
                    "site",
                    "sector",
                    "technology",
                    "specific_equipment",
                    "product",
                    "scale",
                    ("capacity", "capacity_unit"),
                )
            },
        ),
        (
            "Stage and timing",
            {
                "fields": (
                    "stage",
                    "status_basis",
                    "planned_fid_year",
                    ("planned_commissioning_year", "revised_commissioning_year"),
                    "actual_start_year",
                    "offtake_status",
                )
            },
        ),
        (
            "Money and climate",
            {
                "fields": (
                    "capex_musd",
                    "capex_note",
                    ("financing_secured_musd", "financing_gap_musd"),
                    "abatement_tco2e",
                    "abatement_basis",
                )
            },
        ),
        (
            "References and provenance",
            {
                "fields": (
                    "gst_id",
                    "gem_plant_id",
                    "mpp_ref",
                    ("qualified", "qualification_reason"),
                    "confidence",
                    "source_url",
                    "last_verified_on",
                    ("version", "updated_at"),
                )
            },
        ),
    )

    @admin.display(description="Capex $m", ordering="capex_musd")
    def capex(self, obj):
        return money(obj.capex_musd) if obj.capex_musd is not None else None

    @admin.display(description="Gap $m", ordering="financing_gap_musd")
    def gap(self, obj):
        return money(obj.financing_gap_musd) if obj.financing_gap_musd is not None else None

    @admin.display(
        description="Comm.",
        ordering=Coalesce("revised_commissioning_year", "planned_commissioning_year"),
    )
    def commissioning(self, obj):
        return obj.commissioning_year

    @admin.display(description="Verified", ordering="last_verified_on")
    def verified(self, obj):
        return obj.last_verified_on

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Financing:
            form.instance.refresh_financing()


@admin.register(StageChange)
class StageChangeAdmin(TrackerAdmin):
    list_display = ("project", "from_stage", "to_stage", "changed_on", "commissioning_year")
    list_filter = ("to_stage", "from_stage")
    list_select_related = ("project",)
    search_fields = ("project__name", "note")
    autocomplete_fields = ("project",)
    date_hierarchy = "changed_on"


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("organisation",)


class WorkingGroupInline(admin.TabularInline):
    model = WorkingGroup
    extra = 0
    fields = ("name", "status", "description")


class AssistanceInline(admin.TabularInline):
    model = Assistance
    extra = 0
    fields = ("title", "provider", "kind", "activity_status", "actual_start", "amount_musd")
    autocomplete_fields = ("provider",)
    show_change_link = True


@admin.register(Partnership)
class PartnershipAdmin(TrackerAdmin):
    list_display = ("name", "kind", "pillar", "status", "launched_on", "project_count")
    list_filter = ("kind", "pillar", "status")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("recipient_countries", "sectors")
    inlines = [ParticipantInline, WorkingGroupInline, AssistanceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_project_count=Count("projects"))

    @admin.display(description="projects", ordering="_project_count")
    def project_count(self, obj) -> int:
        return obj._project_count


@admin.register(WorkingGroup)
class WorkingGroupAdmin(TrackerAdmin):
    list_display = ("name", "partnership", "status")
    list_filter = ("status", "partnership")
    list_select_related = ("partnership",)
    search_fields = ("name", "partnership__name")
    autocomplete_fields = ("partnership", "leads")


@admin.register(Participant)
class ParticipantAdmin(TrackerAdmin):
    list_display = ("organisation", "partnership", "role", "since")
    list_filter = ("role",)
    list_select_related = ("organisation", "partnership")
    search_fields = ("organisation__name", "partnership__name")
    autocomplete_fields = ("organisation", "partnership")


@admin.register(Engagement)
class EngagementAdmin(SpreadsheetImportExport, TrackerAdmin):
    resource_classes = [EngagementResource]
    list_display = ("title", "provider", "recipient", "mode", "stage", "next_step_due", "owner")
    list_filter = ("stage", "mode", "technology", "sector")
    list_select_related = ("provider", "recipient", "owner")
    search_fields = ("title", "provider__name", "recipient__name", "next_step")
    autocomplete_fields = (
        "technology",
        "sector",
        "provider",
        "recipient",
        "partnership",
        "working_group",
        "project",
        "owner",
    )


@admin.register(Assistance)
class AssistanceAdmin(SpreadsheetImportExport, TrackerAdmin):
    resource_classes = [AssistanceResource]
    list_display = ("title", "partnership", "provider", "kind", "activity_status", amount)
    list_filter = ("kind", "activity_status", "finance_type", "partnership")
    list_select_related = ("partnership", "provider")
    search_fields = ("title", "iati_identifier", "provider__name")
    autocomplete_fields = (
        "provider",
        "implementer",
        "partnership",
        "working_group",
        "supported_projects",
    )


@admin.register(ForumActivity)
class ForumActivityAdmin(TrackerAdmin):
    list_display = ("title", "kind", "starts_on", "location", "cop_edition")
    list_filter = ("kind", "cop_edition")
    search_fields = ("title", "location", "summary")
    autocomplete_fields = ("hosts", "members", "partnership")
    date_hierarchy = "starts_on"
