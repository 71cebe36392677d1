from django.contrib import admin

from .models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Proposals are made and decided in the site (the review queue, /proposals/); the admin
    shows them as they were stored."""

    list_display = ("__str__", "proposed_by", "proposed_at", "status", "decided_by", "decided_at")
    list_filter = ("status", "content_type")
    list_select_related = ("content_type", "proposed_by", "decided_by")
    search_fields = ("title", "note", "proposed_by__username")
    readonly_fields = [field.name for field in Proposal._meta.fields]

    def has_add_permission(self, request):
        return False  # proposed on the record's page

    def has_change_permission(self, request, obj=None):
        return False  # decided in the review queue, through the section's form
