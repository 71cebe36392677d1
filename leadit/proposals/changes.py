"""What a proposal holds and how it is compared and applied, for any model and its form.

Values are kept as a form takes them (ids, ISO dates, decimals as text, lists of ids), so the
proposal can be compared with the record at any later time and applied by posting it through
the section's own form: validation, the version check and the audit trail apply as to an edit.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.text import capfirst
from django_countries import countries
from django_countries.fields import CountryField

EMPTY = "—"


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
    wanted: dict = {}
    for changes in change_sets:
        for name, change in changes.items():
            field = model_field(model, name)
            if field is not None and field.is_relation:
                for side in sides:
                    value = change.get(side)
                    ids = value if isinstance(value, list) else [value]
                    wanted.setdefault(field.related_model, set()).update(
                        i for i in ids if isinstance(i, int)
                    )
    names = {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
        if ids
    }
    for changes in change_sets:
        for name, change in changes.items():
            field = model_field(model, name)
            for side in sides:
                change[f"{side}_display"] = display(field, change.get(side), names)


def display(field, value, names: dict) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if field is None:
        return str(value)
    if field.is_relation:
        known = names.get(field.related_model, {})
        ids = value if isinstance(value, list) else [value]
        return ", ".join(known.get(i, f"#{i} (deleted)") for i in ids)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, CountryField):
        return countries.name(value) or value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


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
