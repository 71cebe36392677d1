from django import forms

from leadit.sections.editing import VersionedForm
from leadit.sections.widgets import SearchableSelect, register_lookup

from .models import Member, Organisation

register_lookup("organisation", Organisation, ("name", "short_name", "iati_ref"))
register_lookup("member", Member, ("organisation__name", "organisation__short_name"))


class MemberForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = Member
        fields = [
            "organisation",
            "kind",
            "role",
            "joined_on",
            "joined_on_approximate",
            "joined_at_event",
            "left_on",
            "verified",
            "net_zero_target_year",
            "interim_target",
            "scope3_included",
            "source_url",
            "last_verified_on",
            "notes",
        ]
        widgets = {
            "organisation": SearchableSelect("organisation"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"organisation": "The government or company; add new ones in the admin."}

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", "A member cannot leave before joining.")
        if cleaned.get("verified") and not cleaned.get("source_url"):
            self.add_error(
                "verified", "Give the source that confirms the membership, or leave it unticked."
            )
        year = cleaned.get("net_zero_target_year")
        if year is not None and not 2030 <= year <= 2100:
            self.add_error("net_zero_target_year", "Give a year between 2030 and 2100.")
        return cleaned
