from django import forms

from leadit.sections.editing import VersionedForm
from leadit.sections.widgets import SearchableSelect, register_lookup

from .models import Contact, Member, Organisation

register_lookup("organisation", Organisation, ("name", "short_name", "iati_ref"))
register_lookup("member", Member, ("organisation__name", "organisation__short_name"))


class MemberForm(VersionedForm):
    # Whether the membership is confirmed is the Secretariat's to say.
    secretariat_fields = (*VersionedForm.secretariat_fields, "verified")

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
        help_texts = {
            "organisation": "The government or company; “New organisation” adds a missing one."
        }

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


class OrganisationForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = Organisation
        fields = [
            "name",
            "short_name",
            "org_type",
            "country",
            "parent",
            "sectors",
            "iati_ref",
            "website",
            "source_url",
            "last_verified_on",
            "notes",
        ]
        widgets = {
            "parent": SearchableSelect("organisation"),
            "sectors": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk is not None:
            # No organisation may end up among its own parents.
            seen, current = {self.instance.pk}, parent
            while current is not None:
                if current.pk in seen:
                    raise forms.ValidationError("An organisation cannot be its own parent.")
                seen.add(current.pk)
                current = current.parent
        return parent


class ContactForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = Contact
        fields = ["name", "organisation", "title", "is_focal_point", "email", "phone", "notes"]
        widgets = {
            "organisation": SearchableSelect("organisation"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
