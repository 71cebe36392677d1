"""The admin of focal points: inviting goes through the site's form (one way to make the
account and send the mail), editing here covers their organisations, and an action sends the
invitation again."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from leadit.sections.admin import TrackerAdmin
from members.models import FocalPoint

from .accounts import invitations


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

    def add_view(self, request, form_url="", extra_context=None):
        """The site's invitation form: name, address, organisations, and the mail."""
        if not self.has_add_permission(request):
            return super().add_view(request, form_url, extra_context)  # its own refusal
        return HttpResponseRedirect(reverse("accounts:focalpoint_create"))

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
