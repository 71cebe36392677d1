from django.contrib import admin

from .models import Job, UndeliveredMail


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Exports made by the worker: to see what ran for whom, and to delete old files."""

    list_display = ("title", "owner", "state", "progress", "total", "created_at", "finished_at")
    list_filter = ("state",)
    search_fields = ("title", "owner__username")
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False  # jobs are asked for from a list's Export links


@admin.register(UndeliveredMail)
class UndeliveredMailAdmin(admin.ModelAdmin):
    """Mail the worker could not send after every attempt (leadit.mail); delete once dealt
    with."""

    list_display = ("failed_at", "subject", "to", "attempts", "error")
    search_fields = ("to", "subject")
    readonly_fields = [field.name for field in UndeliveredMail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
