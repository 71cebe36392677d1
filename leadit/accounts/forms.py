from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache

from leadit.mail import send_later
from leadit.people import person_name
from leadit.sections.fields import ModelChoiceField, ModelMultipleChoiceField
from leadit.sections.models import refuse_xml_forbidden
from leadit.sections.search import folded_name
from leadit.sections.widgets import SearchableSelectMultiple
from members.models import FocalPoint, Organisation

from .invitations import accounts_with_email, invite_again, pending_invitations, reusable

# One reset mail per account in this many seconds, however often the form is sent: the form
# cannot be used to flood someone's mailbox.
RESET_MAIL_INTERVAL = 300


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form (the same answer whether the address is known or not), its mail
    sent by the worker (leadit.mail) with the link made there, not kept in the queue.

    Django sends nothing to an account without a password: an invited focal point who has not
    set theirs yet gets their invitation again (a fresh link, the earlier ones ended), with
    the same answer on the page."""

    def save(self, domain_override=None, use_https=False, request=None, **kwargs):
        super().save(
            domain_override=domain_override, use_https=use_https, request=request, **kwargs
        )
        site = {
            "domain": domain_override or get_current_site(request).domain,
            "protocol": "https" if use_https else "http",
        }
        for focal_point in pending_invitations(self.cleaned_data["email"]):
            if cache.add(f"password-reset-mail:{focal_point.user_id}", True, RESET_MAIL_INTERVAL):
                invite_again(focal_point, by=focal_point.invited_by, site=site)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        if not cache.add(f"password-reset-mail:{user.pk}", True, RESET_MAIL_INTERVAL):
            return
        send_later(
            to=[to_email],
            subject="Reset your password on LeadIT Tracker",
            template="accounts/mail/password_reset.txt",
            context={
                "name": person_name(user),
                "username": user.get_username(),
                "domain": context["domain"],
                "protocol": context["protocol"],
                "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            },
            password_link_for=user.pk,
        )


def organisations_field():
    return ModelMultipleChoiceField(
        queryset=Organisation.objects.order_by(folded_name()),
        widget=SearchableSelectMultiple("organisation"),
        help_text="The organisations they speak for: they may propose changes to these "
        "organisations' records.",
    )


class InviteForm(forms.Form):
    name = forms.CharField(
        max_length=150, validators=[refuse_xml_forbidden], help_text="As they sign their mail."
    )
    email = forms.EmailField(
        max_length=150,  # it becomes the username, which holds 150 characters
        help_text="The invitation goes here; it is also their username.",
    )
    organisations = organisations_field()

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self):
        return available_address(self.cleaned_data["email"])


def available_address(email: str) -> str:
    """The address, normalised, if a new focal point may have it."""
    email = email.strip().lower()
    accounts = list(accounts_with_email(email)[:2])
    if len(accounts) > 1:
        raise forms.ValidationError(
            "Several accounts have this address; sort them out in the admin first."
        )
    if accounts:
        if not accounts[0].is_active:
            raise forms.ValidationError(
                "This address belongs to a deactivated account: reactivate it first (in the "
                "admin, or on the list of focal points if it is one)."
            )
        if FocalPoint.objects.filter(user=accounts[0]).exists():
            raise forms.ValidationError(
                "This address is already a focal point's: change their organisations, or "
                "send their invitation again, from the list of focal points."
            )
        if not reusable(accounts[0]):
            raise forms.ValidationError(
                "This address belongs to an account with another role (Secretariat, "
                "viewer or admin). A focal point needs an address of their own."
            )
    elif get_user_model()._default_manager.filter(username__iexact=email).exists():
        raise forms.ValidationError("Another account has this address as its username.")
    return email


class AdminInviteForm(forms.ModelForm):
    """The admin's "Add focal point": the invitation form's fields and checks (the admin
    gives the organisations its own autocomplete)."""

    name = InviteForm.base_fields["name"]
    email = InviteForm.base_fields["email"]

    class Meta:
        model = FocalPoint
        fields = ["organisations"]

    clean_name = InviteForm.clean_name

    def clean_email(self):
        return available_address(self.cleaned_data["email"])


class FocalPointForm(forms.ModelForm):
    """Which organisations a focal point speaks for."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    organisations = organisations_field()

    class Meta:
        model = FocalPoint
        fields = ["organisations"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version


class OrganisationFilter(forms.Form):
    organisation = ModelChoiceField(queryset=Organisation.objects.all(), required=False)
