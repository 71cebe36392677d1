"""Form fields for related records that refuse ids no database column can hold.

Without this, `sponsor=999…9` (60 digits) reaches the database and overflows (SQLite) or
raises a DataError (PostgreSQL): a 500 where the user deserves "Select a valid choice".
"""

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.forms.boundfield import BoundField
from django_filters import fields as filter_fields
from django_filters import filters

from leadit.people import person_name

MAX_ID = 2**63 - 1


def plausible_id(value) -> bool:
    """A positive database id: ASCII digits only (str.isdigit also accepts '¹' and '٣'), and
    nothing around them: str.strip() takes away control characters such as U+001F that int()
    then refuses, so the value is checked as it will be used."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_ID


class _LabelledBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        """A searchable select names its search box by the field's label ("Search sponsors")."""
        from .widgets import SearchableSelect

        attrs = super().build_widget_attrs(attrs, widget)
        if isinstance(widget or self.field.widget, SearchableSelect):
            attrs[SearchableSelect.label_attr] = self.label
        return attrs


class _Checked:
    bound_field_class = _LabelledBoundField

    def label_from_instance(self, obj):
        # People are named the same in every select: full name, else username.
        if isinstance(obj, AbstractBaseUser):
            return person_name(obj)
        return super().label_from_instance(obj)

    def _refuse_impossible(self, values):
        if getattr(self, "to_field_name", None):
            return  # looked up by a text field (slug): nothing to overflow
        for value in values:
            if value not in self.empty_values and not plausible_id(value):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(value)[:30]},
                )


class ModelChoiceField(_Checked, forms.ModelChoiceField):
    def to_python(self, value):
        self._refuse_impossible([value])
        return super().to_python(value)


class ModelMultipleChoiceField(_Checked, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        self._refuse_impossible(value)
        return super()._check_values(value)


def checked_formfield(db_field, **kwargs):
    """ModelForm `formfield_callback`: related fields use the checked classes, dates the
    browser's date picker."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        from .widgets import DateInput

        kwargs.setdefault("widget", DateInput)
    if db_field.many_to_many:
        return db_field.formfield(form_class=ModelMultipleChoiceField, **kwargs)
    if db_field.is_relation:
        return db_field.formfield(form_class=ModelChoiceField, **kwargs)
    return db_field.formfield(**kwargs)


class FilterModelChoiceField(_Checked, filter_fields.ModelChoiceField):
    def to_python(self, value):
        self._refuse_impossible([value])
        return super().to_python(value)


class ModelChoiceFilter(filters.ModelChoiceFilter):
    field_class = FilterModelChoiceField


# One wording for "nothing chosen": a filter left empty matches anything, a form field left
# empty is not set. (Django says "---------", django-countries "- Select an option -".)
EMPTY_IN_FILTERS = "Any"
EMPTY_IN_FORMS = "Not set"


def label_empty_choices(form, label: str, skip=()) -> None:
    """Give every select's empty option of `form` the same `label` (no query)."""
    for name, field in form.fields.items():
        if name in skip:
            continue
        if hasattr(field, "empty_label"):  # model choices and django-filter's: read lazily
            if field.empty_label is not None:
                field.empty_label = label
            continue
        holder = field if hasattr(field, "choices") else field.widget
        if not hasattr(holder, "choices"):
            continue
        choices = list(holder.choices)
        if choices and choices[0][0] in ("", None) and not isinstance(choices[0][1], list | tuple):
            holder.choices = [(choices[0][0], label), *choices[1:]]
