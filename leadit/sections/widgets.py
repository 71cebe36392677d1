"""A select with server-side search (htmx), for related records that may number thousands."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.forms.utils import pretty_name
from django.urls import reverse

from .fields import plausible_id
from .search import by_relevance, text_search

SHOWN = 50  # options rendered up front besides the selected ones


class DateInput(forms.DateInput):
    """The browser's date picker. It sends and expects ISO dates, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


@dataclass(frozen=True)
class Lookup:
    model: type
    search_fields: tuple[str, ...]

    def search(self, text: str):
        queryset = self.model._default_manager.all()
        if text:
            queryset = queryset.filter(text_search(self.model, self.search_fields, text))
            queryset = by_relevance(queryset, self.search_fields, text)
        return queryset


LOOKUPS: dict[str, Lookup] = {}


def register_lookup(name: str, model, search_fields: tuple[str, ...]) -> None:
    LOOKUPS[name] = Lookup(model, search_fields)


def searched_records(label: str) -> str:
    """What a search box looks for, from its field's label: "Sponsor" -> "sponsors",
    "Supported projects" -> "supported projects" (labels are nouns; a box names several)."""
    text = label if label[1:2].isupper() else label[:1].lower() + label[1:]
    if text.endswith("s"):
        return text
    if text.endswith("y") and text[-2:-1] not in "aeiou":
        return text[:-1] + "ies"
    return text + "s"


class SearchableSelect(forms.Select):
    template_name = "widgets/searchable_select.html"

    create_url = None  # the new-record page of the lookup's model, for users who may add
    # Passed by the field's BoundField (leadit.sections.fields), which knows the label.
    label_attr = "_field_label"

    def __init__(self, lookup: str, attrs=None):
        super().__init__(attrs)
        self.lookup = lookup

    def offer_create(self, user) -> None:
        """Offer "New <record>" (a dialog) when the user may add one and it has a page."""
        from .registry import url_of
        from .views import can

        model = LOOKUPS[self.lookup].model
        if can(user, "add", model):
            self.create_url = url_of(model, "create")
            self.create_label = model._meta.verbose_name

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        label = attrs.pop(self.label_attr, None) or pretty_name(name)
        context = super().get_context(name, value, attrs)
        context["widget"]["searches"] = searched_records(str(label))
        # The options a search brings start with the same empty choice as the select's.
        query = {"field": name}
        empty = self.empty_label()
        if empty is not None:
            query["empty"] = empty
        context["widget"]["lookup_url"] = (
            f"{reverse('lookup', args=[self.lookup])}?{urlencode(query)}"
        )
        if self.create_url:
            field_id = context["widget"]["attrs"].get("id", "")
            context["widget"]["create_url"] = self.create_url
            context["widget"]["dialog_url"] = f"{self.create_url}?dialog={field_id}"
            context["widget"]["create_label"] = self.create_label
        return context

    def empty_label(self) -> str | None:
        """The label of the option that chooses nothing, None if there is none."""
        if self.allow_multiple_selected:
            return None
        field = getattr(self.choices, "field", None)
        if field is not None and hasattr(field, "empty_label"):
            return field.empty_label
        first = next(iter(self.choices), None)
        return str(first[1]) if first and first[0] in ("", None) else None

    def optgroups(self, name, value, attrs=None):
        """The selected options and the first few others, not the whole table."""
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        wanted = {str(v) for v in value if plausible_id(v)}
        # One query: the selected records and the first SHOWN others, told apart here.
        first = queryset.order_by(*queryset.query.order_by or queryset.model._meta.ordering)
        rows = list(queryset.filter(Q(pk__in=wanted) | Q(pk__in=first.values("pk")[:SHOWN])))
        selected = [obj for obj in rows if str(obj.pk) in wanted]
        others = [obj for obj in rows if str(obj.pk) not in wanted][:SHOWN]
        options = []
        empty = self.empty_label()
        if empty is not None:
            options.append(("", empty, False))
        options += [(obj.pk, str(obj), True) for obj in selected]
        options += [(obj.pk, str(obj), False) for obj in others]
        return [
            (None, [self.create_option(name, pk, label, chosen, index, attrs=attrs)], index)
            for index, (pk, label, chosen) in enumerate(options)
        ]


class SearchableSelectMultiple(SearchableSelect, forms.SelectMultiple):
    allow_multiple_selected = True

    def __init__(self, lookup: str, attrs=None):
        super().__init__(lookup, {"size": 6, **(attrs or {})})
