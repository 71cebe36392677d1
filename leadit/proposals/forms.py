from django import forms

from leadit.sections.models import refuse_xml_forbidden

from .models import Proposal


class ProposalDetailsForm(forms.Form):
    """Why the change is proposed: shown with the section's own form (prefix "proposal", so
    no field of the record's form is shadowed)."""

    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        validators=[refuse_xml_forbidden],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why: what changed, and where it was announced. The Secretariat reads it.",
    )
    source_url = forms.URLField(
        label="Source link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A public page that shows it (a press release, a filing).",
    )


class AcceptForm(forms.Form):
    """Which fields to accept; a field changed since the proposal only with its own tick."""

    fields = forms.MultipleChoiceField(
        label="Fields to accept", widget=forms.CheckboxSelectMultiple, required=True
    )
    overwrite = forms.MultipleChoiceField(
        label="Overwrite despite the change since",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        rows = {row["name"]: row for row in proposal.rows}
        self.fields["fields"].choices = [(name, row["label"]) for name, row in rows.items()]
        self.fields["fields"].error_messages["required"] = "Tick at least one field to accept."
        self.fields["overwrite"].choices = [
            (name, rows[name]["label"]) for name in proposal.conflicts
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = set(cleaned.get("fields") or ())
        confirmed = set(cleaned.get("overwrite") or ())
        blind = [
            row["label"]
            for row in self.proposal.rows
            if row["name"] in chosen and row.get("conflict") and row["name"] not in confirmed
        ]
        if blind:
            raise forms.ValidationError(
                "Changed since the proposal: %(fields)s. Tick “overwrite” for each to accept it "
                "anyway, or leave it out.",
                params={"fields": ", ".join(blind)},
            )
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        validators=[refuse_xml_forbidden],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The proposer reads it.",
        error_messages={"required": "Give the reason for rejecting it."},
    )
