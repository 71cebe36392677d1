from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Exports made by the worker: to see what ran for whom, and to delete old files."""

    list_display = ("title", "owner", "state", "progress", "total", "created_at", "finished_at")
    list_filter = ("state",)
    search_fields = ("title", "owner__username")
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False  # jobs are asked for from a list's Export links
