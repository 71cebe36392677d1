"""The admin of focal points: "Add" invites (the site's checks, leadit.accounts.invitations
makes the account and sends the mail), editing covers their organisations, and an action sends
the invitation again."""

from django.contrib import admin, messages

from leadit.sections.admin import TrackerAdmin
from members.models import FocalPoint

from .accounts import invitations
from .accounts.forms import AdminInviteForm


@admin.register(FocalPoint)
class FocalPointAdmin(TrackerAdmin):
    list_display = ("__str__", "email", "invited_at", "invited_by", "password_set", "last_login")
    list_select_related = ("user", "invited_by")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    list_filter = ("user__is_active",)
    autocomplete_fields = ("organisations",)
    fields = ("user", "organisations", "invited_by", "invited_at")
    readonly_fields = ("user", "invited_by", "invited_at")
    actions = ["send_invitation"]

    @admin.display(ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(boolean=True, description="password set")
    def password_set(self, obj):
        return obj.user.has_usable_password()

    @admin.display(ordering="user__last_login")
    def last_login(self, obj):
        return obj.user.last_login

    # "Add" invites: name, address and organisations; the account and the mail follow.
    def get_fields(self, request, obj=None):
        return ("name", "email", "organisations") if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = AdminInviteForm
        return super().get_form(request, obj, **kwargs)

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        return invitations.invite(
            name=data["name"],
            email=data["email"],
            organisations=data["organisations"],
            by=request.user,
            site=invitations.site_of(request),
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)  # invite() saved a new one

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)  # invite() set them

    @admin.action(description="Send the invitation (again)", permissions=["change"])
    def send_invitation(self, request, queryset):
        site = invitations.site_of(request)
        sent = skipped = 0
        for focal_point in queryset.select_related("user"):
            if not focal_point.user.is_active:
                skipped += 1
                continue
            invitations.invite_again(focal_point, by=request.user, site=site)
            sent += 1
        self.message_user(request, f"Invitation sent to {sent} focal point(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} deactivated focal point(s) skipped.", messages.WARNING
            )
