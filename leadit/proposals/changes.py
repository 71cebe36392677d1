"""What a proposal holds and how it is compared and applied, for any model and its form.

Values are kept as a form takes them (ids, ISO dates, decimals as text, lists of ids), so the
proposal can be compared with the record at any later time and applied by posting it through
the section's own form: validation, the version check and the audit trail apply as to an edit.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.text import capfirst

from leadit.sections.history import readable, related_names


def serialise(value):
    """A field's value as JSON a form can take back: ids for records, text for the rest."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | models.QuerySet):
        return sorted(serialise(item) for item in value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 12.500 and 12.5 are one value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)  # a country, ...


def model_field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a form field of no model field: not proposable
        return None


def proposable_fields(form) -> list[str]:
    """The form's fields a proposal may carry: the model's own, as the form offers them."""
    model = form._meta.model
    return [
        name
        for name in form.fields
        if name != "loaded_version" and model_field(model, name) is not None
    ]


def stored_value(record, name):
    """The record's current value of a field, serialised (many-to-many: the ids)."""
    field = record._meta.get_field(name)
    if field.many_to_many:
        return sorted(obj.pk for obj in getattr(record, name).all())  # prefetched on lists
    return serialise(field.value_from_object(record))


def same(a, b) -> bool:
    """Equal as values: '' and None are both "not set"."""
    return (None if a in ("", []) else a) == (None if b in ("", []) else b)


def changes_of(form, original: dict | None) -> dict:
    """{field: {"label", "old", "new"}} of a valid form: the fields it changed (form
    .changed_data, among those it offers), against `original` ({field: stored value}); for a
    new record (`original` None), every field given a value."""
    model = form._meta.model
    offered = set(proposable_fields(form))
    if original is None:
        names = [n for n in offered if not same(serialise(form.cleaned_data.get(n)), None)]
    else:
        names = [n for n in form.changed_data if n in offered]
    changes = {}
    for name in sorted(names, key=list(form.fields).index):
        new = serialise(form.cleaned_data.get(name))
        old = None if original is None else original.get(name)
        if original is not None and same(old, new):
            continue  # "changed" as typed, not as a value (12.50 for 12.5)
        label = form.fields[name].label or capfirst(model_field(model, name).verbose_name)
        changes[name] = {"label": str(label), "old": old, "new": new}
    label_changes(model, [changes])
    return changes


def label_changes(model, change_sets: list[dict], sides=("old", "new")) -> None:
    """Add "<side>_display" to each change: what a person reads (choice labels, record names,
    Yes/No), the related names read in one query per related model."""
    names = related_names(
        (model_field(model, name), change.get(side))
        for changes in change_sets
        for name, change in changes.items()
        for side in sides
    )
    for changes in change_sets:
        for name, change in changes.items():
            field = model_field(model, name)
            for side in sides:
                change[f"{side}_display"] = display(field, change.get(side), names)


def display(field, value, names: dict) -> str:
    return str(readable(field, value, names))


def current_values(form_class, record, user) -> dict:
    """The record as its form would post it unchanged: every model field the form offers."""
    form = form_class(instance=record, user=user)
    return {name: stored_value(record, name) for name in proposable_fields(form)}


def initial_values(form_class, instance, user) -> dict:
    """What the form of a new record starts from (the model's defaults): the fields a proposed
    new record leaves out, such as the Secretariat's own, take them when it is accepted."""
    form = form_class(instance=instance, user=user)
    initial = {}
    for name in proposable_fields(form):
        value = form[name].initial
        initial[name] = serialise(value() if callable(value) else value)
    return initial
