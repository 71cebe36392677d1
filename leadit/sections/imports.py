"""Import and export of tracker records (django-import-export), as a Secretariat officer writes
spreadsheets: labels or codes for choices, names for related records, "not disclosed" or blank
for unknown amounts. Every problem is reported per row and column, and nothing is written
unless the whole file is valid (the admin refuses to confirm an import with errors).
"""

import datetime
import logging
from decimal import Decimal, InvalidOperation

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.shortcuts import redirect
from django_countries import countries
from django_countries.fields import CountryField
from import_export import fields, resources, results, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from .columns import declaration_for, naming_fields
from .csvstream import neutralise, restore

logger = logging.getLogger(__name__)

NOT_DISCLOSED = {"", "not disclosed", "n/a", "na", "nd", "unknown", "-", "—", "none"}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PROGRESS_EVERY = 100  # rows between two progress updates of a background import


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


class WholeNumberWidget(widgets.Widget):
    """A whole number (a year, a level): '2030' or a spreadsheet's 2030.0; never a silent
    rounding of 2030.5, and Infinity, NaN or 1e999999999 are refused, not an OverflowError.
    The field's own validators then check the range."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(f"“{text[:40]}” is not a whole number.")
        if number.adjusted() >= 18:  # before any arithmetic: 1e999999999 has a billion digits
            raise ValueError(f"“{text[:40]}” is far too large.")
        if number != number.to_integral_value():
            raise ValueError(f"“{text[:40]}” is not a whole number.")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


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
        queryset = self.model._default_manager.all()
        if issubclass(self.model, AbstractBaseUser):
            # People are written by name, as every page names them (leadit.people).
            queryset = queryset.annotate(full_name=Concat("first_name", Value(" "), "last_name"))
            query |= Q(full_name__iexact=text)
        matches = list(queryset.filter(query)[:2])
        if not matches:
            raise ValueError(f"No {self.model._meta.verbose_name} called “{text}”.")
        if len(matches) > 1:
            raise ValueError(f"More than one {self.model._meta.verbose_name} matches “{text}”.")
        return matches[0]


class YesNoWidget(widgets.Widget):
    """Yes/No (as exported), or true/false, 1/0, x; blank is the field's default."""

    TRUE = {"yes", "y", "true", "1", "x"}
    FALSE = {"no", "n", "false", "0"}

    def __init__(self, empty=None, **kwargs):
        super().__init__(**kwargs)
        self.empty = empty

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if not text:
            return self.empty
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"“{value}” is not Yes or No.")


class DayWidget(widgets.DateWidget):
    """An ISO date (2026-03-01), or a date cell of a spreadsheet (read as a datetime)."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        return super().clean(value, row=row, **kwargs)


def widget_for(field):
    if field.is_relation:
        return NamedForeignKeyWidget(field.related_model, naming_fields(field.related_model))
    if isinstance(field, CountryField):
        return CountryWidget()
    if field.choices:
        return ChoiceWidget(field.choices, empty=None if field.null else "")
    kind = field.get_internal_type()
    if kind == "DecimalField":
        return AmountWidget()
    if kind == "DateField":
        return DayWidget()
    if kind in ("PositiveSmallIntegerField", "IntegerField", "PositiveIntegerField"):
        return WholeNumberWidget()
    if kind == "BooleanField":
        return YesNoWidget(empty=None if field.null else field.get_default())
    return widgets.CharWidget()


class ImportError(results.Error):
    """A problem with a file or a row as the officer sees it: the message, never a traceback
    with server paths. What we did not foresee is logged whole for the administrators."""

    def __init__(self, error, row=None, number=None):
        super().__init__(error, row=row, number=number)
        if isinstance(error, ValidationError):
            self.error = " ".join(error.messages)
        elif isinstance(error, ValueError):
            self.error = str(error)
        else:
            logger.error("Import failed on row %s", number, exc_info=error)
            self.error = (
                "This row could not be imported (an unexpected error; the administrators "
                "have the details in the log)."
            )

    @property
    def traceback(self):
        return ""


class DeclaredField(fields.Field):
    """A resource field for a declared column: exported by the shared formatter, so the
    admin's export, the list's export and the record page write a value the same way."""

    def __init__(self, column, **kwargs):
        self.column = column
        super().__init__(column_name=column.name, **kwargs)

    def export(self, instance, **kwargs):
        return self.column.text(instance)


class TrackerResource(resources.ModelResource):
    """Rows match existing records on a natural key; a key repeated in one file is an error.

    A file's headings may be the export's (label and unit, e.g. "Capex (USD million)"), the
    bare labels or the field names; columns an export adds (region, gap...) are read past.
    """

    natural_key: tuple[str, ...] = ()
    declaration = None
    # Called with the number of rows read so far, every PROGRESS_EVERY rows (a background job's).
    progress = None

    def get_import_fields(self):
        return [field for field in super().get_import_fields() if field.column.importable]

    def get_user_visible_fields(self):
        return list(self.fields.values())  # the admin's export offers every column

    def get_export_headers(self, selected_fields=None):
        return [field.column.header for field in self.get_export_fields(selected_fields)]

    def filter_export(self, queryset, **kwargs):
        return self.declaration.export_queryset(queryset)

    def get_error_result_class(self):
        return ImportError

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A value no widget foresaw (an overflow, a wrong type) is the cell's error message."""
        try:
            return super().import_field(field, instance, row, is_m2m, **kwargs)
        except (ArithmeticError, TypeError) as error:  # OverflowError, InvalidOperation, ...
            value = str(row.get(field.column_name, ""))[:40]
            raise ValueError(f"“{value}” cannot be read here ({type(error).__name__}).") from None

    def before_import(self, dataset, **kwargs):
        self._seen_keys = {}
        try:
            self.check_headers(dataset)
        except forms.ValidationError:
            dataset.wipe()  # a file refused whole: no row errors on top of the reason (a copy)
            raise

    def check_headers(self, dataset):
        names = [self.declaration.name_for_header(header) for header in dataset.headers]
        importable = ", ".join(f.column_name for f in self.get_import_fields())
        missing = [column for column in self.natural_key if column not in names]
        if missing:
            raise forms.ValidationError(
                f"The file has no column {', '.join(missing)}; the columns must be: {importable}"
            )
        unknown = [h for h, name in zip(dataset.headers, names, strict=True) if h and not name]
        if unknown:
            raise forms.ValidationError(
                f"Unknown column(s) {', '.join(map(str, unknown))}; the columns are: {importable}"
            )
        # From here on a column is known by its field name, whatever heading the file used.
        dataset.headers = [
            name or header for name, header in zip(names, dataset.headers, strict=True)
        ]

    def import_data(self, dataset, **kwargs):
        """All or nothing: any invalid row rolls back every row of the file."""
        # A copy: the headings are renamed to field names, the caller's file stays as it was.
        headers = list(dataset.headers) if dataset.headers else None
        dataset = tablib.Dataset(*dataset, headers=headers)
        with transaction.atomic():
            result = super().import_data(dataset, **kwargs)
            if result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True)
        return result

    def row_key(self, row) -> tuple:
        return tuple(str(row.get(column) or "").strip().lower() for column in self.natural_key)

    def export_field(self, field, instance, **kwargs):
        """Every text cell neutralised as the site's exports do: `=HYPERLINK(…)` or `=cmd|…`
        must not run when the file is opened (in XLSX it would be a real formula)."""
        value = super().export_field(field, instance, **kwargs)
        return neutralise(value) if isinstance(value, str) else value

    def before_import_row(self, row, row_number=None, **kwargs):
        # Undo the export's apostrophe, so a file exported and imported back changes nothing.
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = restore(value)
        key = self.row_key(row)
        if key in self._seen_keys:
            raise ValidationError(
                {
                    self.natural_key[0]: f"Repeats the key ({', '.join(self.natural_key)}) of row "
                    f"{self._seen_keys[key]}: each record once per file."
                }
            )
        self._seen_keys[key] = row_number
        if self.progress and row_number and row_number % PROGRESS_EVERY == 0:
            self.progress(row_number)

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


def tracker_resource(model, natural_key: tuple[str, ...], widgets: dict | None = None):
    """A resource for `model` over its declared columns (leadit.sections.columns), with
    people-friendly widgets for the importable ones; `widgets` overrides some."""
    declaration = declaration_for(model)
    widgets = widgets or {}
    attrs = {}
    # The tracker's own id is left out: a copy numbers its records anew (the list's export
    # has it, and an import reads past it).
    columns = [column for column in declaration.columns if column.name != "id"]
    for column in columns:
        if column.importable:
            model_field = model._meta.get_field(column.name)
            widget = widgets.get(column.name) or widget_for(model_field)
            attrs[column.name] = DeclaredField(column, attribute=column.name, widget=widget)
        else:
            attrs[column.name] = DeclaredField(column, attribute=None, readonly=True)
    names = tuple(column.name for column in columns)
    attrs["natural_key"] = natural_key
    attrs["declaration"] = declaration
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": names,
            "export_order": names,
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
    """Admin import and export in CSV and Excel, with the upload limit above. A file of more
    than IMPORT_MAX_ROWS rows is checked and imported by the background worker instead: its
    preview would outlast the server's time limit."""

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    import_form_class = LimitedImportForm

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                job = self._hand_over_large_file(request, form)
                if job:
                    messages.info(
                        request,
                        "The file has more rows than are checked while you wait: the "
                        "background worker checks it, and this page shows the result.",
                    )
                    return redirect(job)
        return super().import_action(request, **kwargs)

    def _hand_over_large_file(self, request, form):
        """The job checking the uploaded file, if it has too many rows to check here."""
        from leadit.jobs.imports import hand_over_import

        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        upload = form.cleaned_data["import_file"]
        data = b"".join(upload.chunks())
        try:
            if not input_format.is_binary():
                data = data.decode(self.from_encoding)
                input_format.encoding = self.from_encoding
            rows = len(input_format.create_dataset(data))
        except Exception:  # noqa: BLE001 (the admin's own import reports an unreadable file)
            return None
        finally:
            upload.seek(0)
        if rows <= settings.IMPORT_MAX_ROWS:
            return None
        return hand_over_import(request, self, input_format, upload, rows)

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
