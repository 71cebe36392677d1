"""What every tracker model's admin shares: the record's name first on its forms, the
source fields last, names sorted without regard to case (lists, autocompletes, sorting by
a column), and a search box that ignores accents as the site's does."""

from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import OrderBy
from django.db.models.functions import Lower
from django.utils.text import smart_split, unescape_string_literal
from simple_history.admin import SimpleHistoryAdmin

from .ordering import field_at, sort_order
from .search import Searchable, name_key, text_search

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
    """The ordering as the site's lists sort (`sort_order`): names case and accents aside,
    countries by name, stages first to last, other choices by label, blanks last either way;
    other text case-blind ('acme' beside 'Acme'). Relations keep their model's own order."""
    result = []
    for item in ordering:
        if isinstance(item, str) and item.lstrip("-") not in ("pk", "id"):
            path, descending = item.lstrip("-"), item.startswith("-")
            field = field_at(model, path)
            if text_field(model, path) and name_key(model, path) is None:
                lowered = Lower(path)
                item = lowered.desc() if descending else lowered.asc()
            elif field is not None and field.concrete and not field.is_relation:
                item = sort_order(model, path, descending)[0]
        elif isinstance(item, OrderBy) and not (item.nulls_first or item.nulls_last):
            # A computed column (the commissioning year shown): blanks last too.
            item = OrderBy(item.expression, descending=item.descending, nulls_last=True)
        result.append(item)
    return result


def folded_search_fields(model, search_fields) -> list[str]:
    """The admin's search fields that the site's accent-blind search covers: the model's own
    `search_text_fields`, and `relation__field` where the related model keeps it in its own
    search text. Prefixed lookups (`^name`, `=code`) are left to the admin's search."""
    fields = []
    for path in search_fields:
        relation, _, rest = path.partition("__")
        if rest:
            try:
                related = model._meta.get_field(relation).related_model
            except FieldDoesNotExist:
                continue
            covered = related is not None and issubclass(related, Searchable)
            covered = covered and rest in related.search_text_fields
        else:
            covered = path in getattr(model, "search_text_fields", ())
        if covered:
            fields.append(path)
    return fields


class CaseInsensitiveChangeList(ChangeList):
    def get_ordering(self, request, queryset):
        """A column header sorts as the site's lists do (`case_insensitive`): the chosen
        direction is known here, so Z to A still puts blank countries and amounts last."""
        return case_insensitive(self.model, super().get_ordering(request, queryset))


class TrackerAdmin(SimpleHistoryAdmin):
    class Media:
        css = {"all": ("css/admin.css",)}  # narrower inline fields: tabular inlines fit

    def get_changelist(self, request, **kwargs):
        return CaseInsensitiveChangeList

    def get_search_results(self, request, queryset, search_term):
        """The admin's own search, or the site's accent- and case-blind one: "Bajio" finds
        "Acería Bajío" here too. Every word must match, as in the admin's search."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        fields = folded_search_fields(self.model, self.get_search_fields(request))
        words = list(smart_split(search_term))
        if not fields or not words:
            return results, may_have_duplicates
        folded = queryset
        for word in words:
            if word[0] in "\"'" and word[-1] == word[0] and len(word) > 1:
                word = unescape_string_literal(word)
            folded = folded.filter(text_search(self.model, fields, word))
        return results | folded, may_have_duplicates

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
