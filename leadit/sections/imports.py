"""Import and export of tracker records (django-import-export), as a Secretariat officer writes
spreadsheets: labels or codes for choices, names for related records, "not disclosed" or blank
for unknown amounts. Every problem is reported per row and column, and nothing is written
unless the whole file is valid (the admin refuses to confirm an import with errors).
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django_countries import countries
from django_countries.fields import CountryField
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

NOT_DISCLOSED = {"", "not disclosed", "n/a", "na", "nd", "unknown", "-", "—", "none"}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class AmountWidget(widgets.Widget):
    """A decimal amount; blank or 'not disclosed' is NULL, never 0."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if text.lower() in NOT_DISCLOSED:
            return None
        try:
            amount = Decimal(text.replace(",", "").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(
                f"“{text}” is not a number: give a number, or leave it blank or 'not disclosed'."
            ) from None
        if not amount.is_finite():
            raise ValueError(f"“{text}” is not a finite number.")
        return amount

    def render(self, value, obj=None, **kwargs):
        return "not disclosed" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A choice, written as its code or its label (either way round, any case)."""

    def __init__(self, choices, empty="", **kwargs):
        super().__init__(**kwargs)
        self.empty = empty  # what a blank cell means: "" or None (nullable fields)
        self.labels = {str(code): str(label) for code, label in choices}
        self.lookup = {}
        for code, label in self.labels.items():
            self.lookup[code.lower()] = code
            self.lookup[label.lower()] = code

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return self.empty
        code = self.lookup.get(text.lower())
        if code is None:
            allowed = ", ".join(self.labels.values())
            raise ValueError(f"“{text}” is not one of: {allowed}.")
        return int(code) if code.isdigit() else code

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(str(value), "" if value is None else str(value))


class CountryWidget(widgets.Widget):
    """An ISO 3166 code (IN, SE) or an English country name."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        if text.upper() in dict(countries):
            return text.upper()
        code = countries.by_name(text)
        if not code:
            raise ValueError(f"“{text}” is not an ISO country code or country name.")
        return code

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related record by its name (any of `lookups`, case-insensitive)."""

    def __init__(self, model, lookups=("name",), **kwargs):
        super().__init__(model, field=lookups[0], **kwargs)
        self.lookups = lookups

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        query = Q()
        for lookup in self.lookups:
            query |= Q(**{f"{lookup}__iexact": text})
        matches = list(self.model._default_manager.filter(query)[:2])
        if not matches:
            raise ValueError(f"No {self.model._meta.verbose_name} called “{text}”.")
        if len(matches) > 1:
            raise ValueError(f"More than one {self.model._meta.verbose_name} matches “{text}”.")
        return matches[0]


def widget_for(field):
    if field.is_relation:
        related = field.related_model
        names = [f for f in ("name", "slug", "short_name") if hasattr(related, f)]
        return NamedForeignKeyWidget(related, tuple(names) or ("pk",))
    if isinstance(field, CountryField):
        return CountryWidget()
    if field.choices:
        return ChoiceWidget(field.choices, empty=None if field.null else "")
    kind = field.get_internal_type()
    if kind == "DecimalField":
        return AmountWidget()
    if kind == "DateField":
        return widgets.DateWidget(format="%Y-%m-%d")
    if kind in ("PositiveSmallIntegerField", "IntegerField", "PositiveIntegerField"):
        return widgets.IntegerWidget()
    if kind == "BooleanField":
        return widgets.BooleanWidget()
    return widgets.CharWidget()


class TrackerResource(resources.ModelResource):
    """Rows match existing records on a natural key; a key repeated in one file is an error."""

    natural_key: tuple[str, ...] = ()

    def before_import(self, dataset, **kwargs):
        self._seen_keys = {}
        missing = [column for column in self.natural_key if column not in dataset.headers]
        if missing:
            raise forms.ValidationError(
                f"The file has no column {', '.join(missing)}; the columns must be: "
                + ", ".join(self.get_export_headers())
            )
        unknown = [h for h in dataset.headers if h and h not in self.fields]
        if unknown:
            raise forms.ValidationError(
                f"Unknown column(s) {', '.join(unknown)}; the columns are: "
                + ", ".join(self.get_export_headers())
            )

        limit = settings.IMPORT_MAX_ROWS
        if len(dataset) > limit:
            # Every row is checked in the request (the preview): more would outlast the server's
            # time limit and end in an error page instead of this message.
            raise forms.ValidationError(
                f"The file has {len(dataset):,} rows; an import takes at most {limit:,} rows at "
                f"a time. Split it into files of up to {limit:,} rows and import them one by one."
            )

    def import_data(self, dataset, **kwargs):
        """All or nothing: any invalid row rolls back every row of the file."""
        with transaction.atomic():
            result = super().import_data(dataset, **kwargs)
            if result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True)
        return result

    def row_key(self, row) -> tuple:
        return tuple(str(row.get(column) or "").strip().lower() for column in self.natural_key)

    def before_import_row(self, row, row_number=None, **kwargs):
        key = self.row_key(row)
        if key in self._seen_keys:
            raise ValidationError(
                {
                    self.natural_key[0]: f"Repeats the key ({', '.join(self.natural_key)}) of row "
                    f"{self._seen_keys[key]}: each record once per file."
                }
            )
        self._seen_keys[key] = row_number

    def get_instance(self, instance_loader, row):
        lookup = {}
        for column in self.natural_key:
            widget = self.fields[column].widget
            try:
                value = widget.clean(row.get(column), row=row)
            except ValueError:
                return None  # reported when the field itself is imported
            if value in (None, ""):
                return None
            lookup[self.fields[column].attribute] = value
        return self._meta.model._default_manager.filter(**lookup).first()


def tracker_resource(model, columns: list[str], natural_key: tuple[str, ...]):
    """A resource for `model` with people-friendly widgets for each column."""
    attrs = {
        name: fields.Field(
            attribute=name, column_name=name, widget=widget_for(model._meta.get_field(name))
        )
        for name in columns
    }
    attrs["natural_key"] = natural_key
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": tuple(columns),
            "export_order": tuple(columns),
            "import_id_fields": natural_key,
            "clean_model_instances": True,
            "skip_unchanged": True,
            "report_skipped": True,
            "use_transactions": True,
        },
    )
    return type(f"{model.__name__}Resource", (TrackerResource,), attrs)


class LimitedImportForm(ImportForm):
    """Refuses files too big to review in a preview (split them instead)."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; import at most "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB at a time (split the file)."
            )
        return upload


class SpreadsheetImportExport(ImportExportMixin):
    """Admin import and export in CSV and Excel, with the upload limit above."""

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    import_form_class = LimitedImportForm

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # The admin builds its file in the request; past this size the site's own export, which
        # hands large files to the background worker, is the way.
        limit = settings.EXPORT_INLINE_MAX_ROWS
        rows = queryset.count()
        if rows > limit:
            raise ValueError(  # shown as a message above the export form
                f"These are {rows:,} rows; the admin exports at most {limit:,} at a time. Choose "
                "fewer (filter the list first), or use the Export links of the site's list, "
                "which prepare large files in the background."
            )
        return super().get_export_data(file_format, request, queryset, **kwargs)
