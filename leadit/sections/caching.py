"""Figures that are costly to compute and change only when the data does, cached under a
fingerprint of the data that costs one cheap query."""

import functools

from django.core.cache import cache
from django.db import connection
from django.utils.choices import BaseChoiceIterator

# An upper bound on staleness for changes made outside the app (raw SQL in a console).
CACHE_SECONDS = 600


def data_state(*models) -> str:
    """The newest audit-trail entry of each model (every save and delete through the site, the
    admin and imports writes one) and its highest id (rows inserted in bulk write none): both
    index look-ups, in one query."""
    quote = connection.ops.quote_name
    parts = []
    for model in models:
        for table, pk in ((model.history.model._meta, "history_id"), (model._meta, None)):
            column = pk or table.pk.column
            parts.append(f"(SELECT MAX({quote(column)}) FROM {quote(table.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return ":".join(str(value) for value in cursor.fetchone())


def cached_figures(name: str, models, compute, *key_parts):
    """compute() once per state of the data in `models` (and per key_parts)."""
    key = ":".join(["leadit", name, data_state(*models), *map(str, key_parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


@functools.cache
def has_history(model) -> bool:
    """Whether the model keeps an audit trail (asked once per model: simple-history's
    descriptor builds a manager each time it is read)."""
    return hasattr(model, "history")


def cache_select_options(
    form, name: str, models_of=None, *, widget_only=False, shown_choices=None
) -> None:
    """Selects and checkbox lists whose options come from the small tracked tables (sectors,
    technologies, partnerships, countries...) take them from the cache while those tables are
    unchanged: one query for their state instead of one per field. Submitted values are still
    checked against the database. `models_of` names the table of fields whose choices are a
    callable; `widget_only` replaces only what is rendered (django-filter's fields wrap their
    choices in iterators of their own)."""
    from django import forms

    from .widgets import SearchableSelect

    models_of = models_of or {}
    shown_choices = shown_choices or {}
    fields = {}
    for field_name, field in form.fields.items():
        if isinstance(field.widget, SearchableSelect):
            continue  # renders only the selected and a few options, in one query
        model = models_of.get(field_name)
        if model is None and isinstance(field, forms.ModelChoiceField):
            model = field.queryset.model
        if model is not None and has_history(model):
            fields[field_name] = (field, model)
    if len(fields) < 2:
        return  # nothing to save

    originals = {
        field_name: shown_choices.get(field_name, field.choices)
        for field_name, (field, _) in fields.items()
    }

    def options():
        return {
            field_name: [
                (getattr(value, "value", value), label)
                for value, label in (choices() if callable(choices) else choices)
            ]
            for field_name, choices in originals.items()
        }

    models = sorted({model for _, model in fields.values()}, key=lambda m: m._meta.label)
    shared = {}  # one look-up for all the fields, made when the first one is rendered

    def cached():
        if not shared:
            shared.update(cached_figures(f"options:{name}", models, options))
        return shared

    for field_name, (field, _) in fields.items():
        lazy = LazyOptions(cached, field_name)
        if widget_only:
            field.widget.choices = lazy
        else:
            field.choices = lazy


class LazyOptions(BaseChoiceIterator):
    """A field's options, looked up only if the field is rendered (not when a form is only
    validated, or a filter only applied)."""

    def __init__(self, source, name):
        self.source, self.name = source, name

    def __iter__(self):
        yield from self.source()[self.name]
