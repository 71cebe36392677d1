import datetime

from django import forms
from django_countries import countries

from leadit.roles import secretariat_users
from leadit.sections.editing import VersionedForm
from leadit.sections.formatting import money_text
from leadit.sections.models import refuse_xml_forbidden
from leadit.sections.widgets import (
    DateInput,
    SearchableSelect,
    SearchableSelectMultiple,
    register_lookup,
)
from members import countries as classification
from members.models import CountryProfile

from .models import (
    EARLIEST_STAGE_CHANGE,
    EARLIEST_STAGE_CHANGE_MESSAGE,
    FROM_FID,
    LADDER,
    Assistance,
    Engagement,
    Financing,
    ForumActivity,
    Partnership,
    Project,
    Stage,
)

KEEP_SOUGHT = "sought"
OUTCOMES = [
    ("", "—"),
    (Financing.Status.COMMITTED, "Committed at FID"),
    (KEEP_SOUGHT, "Still sought (give a note)"),
]


class SoughtTranchesMixin:
    """Moving a project to FID (or beyond) with tranches still sought asks, in the same form,
    what became of each: committed, or still sought with a note. `stage_field` names the form's
    field holding the new stage."""

    stage_field = "stage"

    def add_tranche_fields(self, project: Project | None) -> None:
        self.sought_tranches = []
        if project is None or project.pk is None or project.stage in FROM_FID:
            return
        # The project page prefetches its financing; elsewhere this is one query.
        if "financing" in getattr(project, "_prefetched_objects_cache", {}):
            tranches = project.financing.all()
        else:
            tranches = project.financing.select_related("provider")
        self.sought_tranches = [t for t in tranches if t.status == Financing.Status.SOUGHT]
        for tranche in self.sought_tranches:
            amount = (
                f"{money_text(tranche.amount_musd)} USD m"
                if tranche.amount_musd is not None
                else ""
            )
            self.fields[f"tranche_{tranche.pk}"] = forms.ChoiceField(
                label=f"At FID: {tranche.provider.name}, {tranche.get_instrument_display()}"
                + (f" ({amount})" if amount else ""),
                choices=OUTCOMES,
                required=False,
                help_text="Still sought. Only asked when moving to FID or beyond.",
            )
            self.fields[f"tranche_{tranche.pk}_note"] = forms.CharField(
                label="Note on that tranche",
                max_length=300,
                required=False,
                help_text="Why it is still sought, e.g. 'to close in Q3'.",
            )

    def questions_for(self, values: dict) -> list[str]:
        if values.get(self.stage_field) not in FROM_FID:
            return []
        return [
            name
            for tranche in self.sought_tranches
            for name in (f"tranche_{tranche.pk}", f"tranche_{tranche.pk}_note")
        ]

    def clean_tranche_outcomes(self, cleaned) -> None:
        if cleaned.get(self.stage_field) not in FROM_FID:
            return
        for tranche in self.sought_tranches:
            name = f"tranche_{tranche.pk}"
            outcome = cleaned.get(name)
            if not outcome:
                self.add_error(name, "Say what became of this tranche at FID.")
            elif outcome == KEEP_SOUGHT and not cleaned.get(f"{name}_note", "").strip():
                self.add_error(f"{name}_note", "Give a note on why it is still sought.")

    def apply_tranche_outcomes(self, on: datetime.date) -> bool:
        """Record each decision (in the caller's transaction; each save is in the history).
        True when a tranche changed."""
        if self.cleaned_data.get(self.stage_field) not in FROM_FID:
            return False
        changed = False
        for tranche in self.sought_tranches:
            name = f"tranche_{tranche.pk}"
            outcome = self.cleaned_data.get(name)
            if outcome == Financing.Status.COMMITTED:
                tranche.status = Financing.Status.COMMITTED
                tranche.decided_on = tranche.decided_on or on
            elif outcome == KEEP_SOUGHT:
                tranche.note = self.cleaned_data[f"{name}_note"].strip()
            else:
                continue
            tranche.save()
            changed = True
        return changed


class StageChangeForm(SoughtTranchesMixin, forms.Form):
    """Move a project to another stage: where to, since when, and why."""

    to_stage = forms.ChoiceField(label="New stage", choices=Stage.choices)
    changed_on = forms.DateField(
        label="Date of the change",
        widget=DateInput,
    )
    note = forms.CharField(
        label="Note",
        max_length=2000,
        required=False,
        validators=[refuse_xml_forbidden],  # saved by move_to_stage, not a model form
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What happened, and where it was reported.",
    )

    stage_field = "to_stage"

    def __init__(self, *args, project: Project, **kwargs):
        kwargs.setdefault("initial", {"changed_on": datetime.date.today()})
        super().__init__(*args, **kwargs)
        self.project = project
        self.add_tranche_fields(project)
        self.fields["to_stage"].choices = [
            (value, label) for value, label in Stage.choices if value != project.stage
        ]
        # Offer the likely move: back to where a paused project stopped, else the next rung.
        if project.stage == Stage.PAUSED:
            self.fields["to_stage"].initial = project.stage_before_pause
        elif project.stage in LADDER[:-1]:
            self.fields["to_stage"].initial = LADDER[LADDER.index(project.stage) + 1]

    def clean_changed_on(self):
        changed_on = self.cleaned_data["changed_on"]
        if changed_on > datetime.date.today():
            raise forms.ValidationError("The date cannot be in the future.")
        if changed_on < EARLIEST_STAGE_CHANGE:  # the database refuses it
            raise forms.ValidationError(EARLIEST_STAGE_CHANGE_MESSAGE)
        return changed_on

    def clean(self):
        cleaned = super().clean()
        self.clean_tranche_outcomes(cleaned)
        return cleaned


# Forms for editing in the site ----------------------------------------------------------

register_lookup("project", Project, ("name", "gst_id", "sponsor__name"))
register_lookup("partnership", Partnership, ("name", "short_name"))

TEXT = forms.Textarea(attrs={"rows": 3})


class ProjectForm(SoughtTranchesMixin, VersionedForm):
    class Meta(VersionedForm.Meta):
        model = Project
        fields = [
            "name",
            "sponsor",
            "country",
            "site",
            "sector",
            "technology",
            "specific_equipment",
            "product",
            "scale",
            "stage",
            "status_basis",
            "capacity",
            "capacity_unit",
            "capex_musd",
            "capex_note",
            "abatement_tco2e",
            "abatement_basis",
            "planned_fid_year",
            "planned_commissioning_year",
            "revised_commissioning_year",
            "actual_start_year",
            "offtake_status",
            "partnership",
            "working_group",
            "gst_id",
            "gem_plant_id",
            "mpp_ref",
            "qualified",
            "qualification_reason",
            "confidence",
            "source_url",
            "last_verified_on",
            "description",
        ]
        widgets = {
            "sponsor": SearchableSelect("organisation"),
            "partnership": SearchableSelect("partnership"),
            "description": TEXT,
        }
        help_texts = {"stage": "Changing it here records a stage change dated today."}

    secretariat_fields = (
        *VersionedForm.secretariat_fields,
        "qualified",
        "qualification_reason",
        "confidence",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_tranche_fields(self.instance if self.instance.pk else None)

    def for_proposal(self) -> None:
        super().for_proposal()
        # What became of sought tranches at FID is the Secretariat's to record on accepting.
        self.sought_tranches = []

    def clean(self):
        cleaned = super().clean()
        self.clean_tranche_outcomes(cleaned)
        return cleaned

    def save(self, commit=True):
        project = super().save(commit)
        if commit:
            self.apply_tranche_outcomes(datetime.date.today())
        return project


class FinancingForm(VersionedForm):
    """One tranche of a project's financing, edited in place on the project page."""

    class Meta(VersionedForm.Meta):
        model = Financing
        fields = [
            "provider",
            "instrument",
            "provider_kind",
            "concessional",
            "amount_note",
            "amount_musd",
            "status",
            "decided_on",
            "source_url",
            "note",
        ]
        widgets = {"provider": SearchableSelect("organisation")}
        help_texts = {
            "amount_musd": "In USD million at the rate of the decision; empty when not disclosed."
        }


class EngagementForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = Engagement
        fields = [
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
            "owner",
            "partnership",
            "working_group",
            "project",
            "ip_arrangement",
            "source_url",
            "last_verified_on",
            "notes",
        ]
        widgets = {
            "provider": SearchableSelect("organisation"),
            "recipient": SearchableSelect("organisation"),
            "partnership": SearchableSelect("partnership"),
            "project": SearchableSelect("project"),
            "ip_arrangement": TEXT,
            "notes": TEXT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Owners are Secretariat officers.
        self.fields["owner"].queryset = secretariat_users()


def classified_countries() -> list[tuple[str, str]]:
    """Every ISO country with a published region (not, say, Antarctica), by name."""
    published = classification.published()
    return [
        (code, name)
        for code, name in countries
        if published.get(code, classification.NONE).region != classification.UNCLASSIFIED
    ]


class PartnershipForm(VersionedForm):
    # Every country, not only those with a profile: choosing one without makes its profile
    # from the published classification (CountryProfile.for_countries).
    recipient_countries = forms.MultipleChoiceField(
        choices=classified_countries,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Ctrl/⌘-click to pick several.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["recipient_countries"] = [
                profile.country.code for profile in self.instance.recipient_countries.all()
            ]

    def _save_m2m(self):
        codes = self.cleaned_data.get("recipient_countries") or []
        self.cleaned_data["recipient_countries"] = CountryProfile.for_countries(codes)
        super()._save_m2m()

    class Meta(VersionedForm.Meta):
        model = Partnership
        fields = [
            "name",
            "short_name",
            "kind",
            "pillar",
            "status",
            "launched_on",
            "launch_event",
            "target_date",
            "target_label",
            "recipient_countries",
            "sectors",
            "objectives",
            "source_url",
            "last_verified_on",
            "notes",
        ]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "objectives": TEXT,
            "notes": TEXT,
        }


class AssistanceForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = Assistance
        fields = [
            "title",
            "partnership",
            "working_group",
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
            "supported_projects",
            "iati_identifier",
            "source_url",
            "last_verified_on",
            "description",
        ]
        widgets = {
            "partnership": SearchableSelect("partnership"),
            "provider": SearchableSelect("organisation"),
            "implementer": SearchableSelect("organisation"),
            "supported_projects": SearchableSelectMultiple("project"),
            "description": TEXT,
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "The end cannot be before the start.")
        currency = cleaned.get("currency")
        if currency:
            cleaned["currency"] = currency.upper()
        return cleaned


class ForumActivityForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = ForumActivity
        fields = [
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "location",
            "cop_edition",
            "partnership",
            "hosts",
            "members",
            "outputs_url",
            "summary",
            "source_url",
            "last_verified_on",
        ]
        widgets = {
            "partnership": SearchableSelect("partnership"),
            "hosts": SearchableSelectMultiple("organisation"),
            "members": SearchableSelectMultiple("member"),
            "summary": TEXT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = self.fields["members"].queryset.select_related(
            "organisation"
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The end cannot be before the start.")
        return cleaned
