"""What every tracker model's admin shares: the record's name first on its forms, the
source fields last, and names sorted without regard to case (lists, autocompletes, sorting by
a column)."""

from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Lower
from simple_history.admin import SimpleHistoryAdmin

NAME_FIELDS = ("name", "title")  # what a record is called, where it has one
SOURCE_FIELDS = ("source_url", "last_verified_on")  # SourcedModel's: its fields come first


def text_field(model, path: str) -> bool:
    """Whether `path` ("name", "sponsor__name") ends at a text column of `model`."""
    try:
        for part in path.split("__"):
            field = model._meta.get_field(part)
            model = field.related_model or model
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def case_insensitive(model, ordering) -> list:
    """The ordering with its text columns lower-cased: 'acme' sorts beside 'Acme'."""
    result = []
    for item in ordering:
        if isinstance(item, str) and text_field(model, item.lstrip("-")):
            lowered = Lower(item.lstrip("-"))
            item = lowered.desc() if item.startswith("-") else lowered.asc()
        result.append(item)
    return result


class CaseInsensitiveChangeList(ChangeList):
    def get_ordering_field(self, field_name):
        field = super().get_ordering_field(field_name)
        if isinstance(field, str) and text_field(self.model, field.lstrip("-")):
            return Lower(field)
        return field


class TrackerAdmin(SimpleHistoryAdmin):
    class Media:
        css = {"all": ("css/admin.css",)}  # narrower inline fields: tabular inlines fit

    def get_changelist(self, request, **kwargs):
        return CaseInsensitiveChangeList

    def get_ordering(self, request):
        ordering = super().get_ordering(request) or self.model._meta.ordering
        return case_insensitive(self.model, ordering)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self.fields or self.fieldsets:
            return fields  # laid out by hand
        first = [name for name in NAME_FIELDS if name in fields][:1]
        last = [name for name in SOURCE_FIELDS if name in fields]
        middle = [name for name in fields if name not in first and name not in last]
        return [*first, *middle, *last]
