from leadit.sections.imports import tracker_resource

from .models import Assistance, Engagement, Project

PROJECT_COLUMNS = [
    "gst_id",
    "name",
    "country",
    "sponsor",
    "site",
    "sector",
    "technology",
    "product",
    "scale",
    "stage",
    "status_basis",
    "capacity",
    "capacity_unit",
    "capex_musd",
    "capex_note",
    "abatement_tco2e",
    "planned_fid_year",
    "planned_commissioning_year",
    "revised_commissioning_year",
    "partnership",
    "gem_plant_id",
    "mpp_ref",
    "confidence",
    "source_url",
    "last_verified_on",
    "description",
]


class ProjectResource(tracker_resource(Project, PROJECT_COLUMNS, natural_key=("name", "country"))):
    """Projects match on the Green Steel Tracker id when a row has one, else name + country."""

    def row_key(self, row) -> tuple:
        gst_id = str(row.get("gst_id") or "").strip().upper()
        return ("gst", gst_id) if gst_id else super().row_key(row)

    def get_instance(self, instance_loader, row):
        gst_id = str(row.get("gst_id") or "").strip()
        if gst_id:
            return Project.objects.filter(gst_id__iexact=gst_id).first()
        return super().get_instance(instance_loader, row)


EngagementResource = tracker_resource(
    Engagement,
    [
        "title",
        "provider",
        "recipient",
        "recipient_country",
        "technology",
        "sector",
        "mode",
        "stage",
        "agreement_type",
        "agreement_date",
        "trl_at_start",
        "next_step",
        "next_step_due",
        "partnership",
        "project",
        "source_url",
        "last_verified_on",
        "notes",
    ],
    natural_key=("title", "provider"),
)
AssistanceResource = tracker_resource(
    Assistance,
    [
        "title",
        "partnership",
        "provider",
        "implementer",
        "kind",
        "activity_status",
        "finance_type",
        "flow_type",
        "aid_type",
        "climate_mitigation",
        "amount_musd",
        "amount_original",
        "currency",
        "recipient_country",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "iati_identifier",
        "source_url",
        "last_verified_on",
        "description",
    ],
    natural_key=("title", "partnership"),
)
