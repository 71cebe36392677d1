from django.contrib import admin

from leadit.sections.admin import TrackerAdmin
from leadit.sections.imports import SpreadsheetImportExport

from .models import Contact, CountryProfile, Member, Organisation, Sector
from .resources import MemberResource, OrganisationResource


@admin.register(Sector)
class SectorAdmin(TrackerAdmin):
    list_display = ("name", "slug", "position", "dac_code")
    list_editable = ("position",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(CountryProfile)
class CountryProfileAdmin(TrackerAdmin):
    list_display = ("country", "region", "income_group", "is_emde", "net_zero_year")
    list_filter = ("region", "income_group", "is_emde")
    search_fields = ("country", "notes")


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("name", "title", "email", "phone", "is_focal_point")


@admin.register(Organisation)
class OrganisationAdmin(SpreadsheetImportExport, TrackerAdmin):
    resource_classes = [OrganisationResource]
    list_display = ("name", "short_name", "org_type", "country", "is_member")
    list_filter = ("org_type", "sectors")
    list_select_related = ("membership",)
    search_fields = ("name", "short_name", "iati_ref")
    autocomplete_fields = ("parent", "sectors")
    inlines = [ContactInline]

    @admin.display(boolean=True, description="member")
    def is_member(self, obj) -> bool:
        return hasattr(obj, "membership")


class MemberStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return (("current", "Current"), ("former", "Former"))

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "former":
            return queryset.former()
        return queryset


@admin.register(Member)
class MemberAdmin(SpreadsheetImportExport, TrackerAdmin):
    resource_classes = [MemberResource]
    list_display = ("organisation", "kind", "role", "joined_on", "left_on", "verified")
    list_filter = ("kind", "role", MemberStatusFilter, "verified")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name", "organisation__short_name", "joined_at_event")
    autocomplete_fields = ("organisation",)
    date_hierarchy = "joined_on"
    ordering = ("kind", "organisation__name")


@admin.register(Contact)
class ContactAdmin(TrackerAdmin):
    list_display = ("name", "organisation", "title", "email", "is_focal_point")
    list_filter = ("is_focal_point",)
    list_select_related = ("organisation",)
    search_fields = ("name", "email", "organisation__name")
    autocomplete_fields = ("organisation",)
