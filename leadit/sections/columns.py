"""What a section says about its records, declared once per model.

A `Declaration` lists a model's columns: every editable field, derived from the model (label and
unit from the verbose name, kind from the field type, choices by label, related records by
name), minus exclusions that give their reason, plus derived columns a reader needs. The same
`Column` objects serve the list's table, the record page's facts, the CSV and Excel exports and
the import resources (leadit.sections.imports), and one formatter (leadit.sections.formatting)
writes their values. A field added to a model therefore appears everywhere without another edit.
"""

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.module_loading import module_has_submodule
from django.utils.text import capfirst
from django_countries.fields import CountryField

from .formatting import NUMERIC, format_value

# What names a related record in a file (and what an import finds it by), best first.
NAMING_FIELDS = ("name", "slug", "short_name", "username", "title", "email")
# Stored by the system, never typed: left out of every declaration.
SYSTEM_FIELDS = {"id", "version", "created_at", "updated_at"}
PROVENANCE = ("source_url", "last_verified_on")
UNIT_IN_NAME = re.compile(r"^(?P<label>.*?) \((?P<unit>[^()]+)\)$")


@dataclass(frozen=True)
class Column:
    key: str  # attribute path on the row, e.g. "sponsor.name"; also the cell's CSS hook
    label: str
    sort: str | None = None  # the `sort` parameter value that orders by this column
    # text | longtext | link | money | number | integer | year | date | badge | choice |
    # country | bool | relation | person | url
    kind: str = "text"
    unit: str = ""  # shown in the header, e.g. "USD m"
    link: str | None = None  # path of the object whose URL the cell links to; "" = the row
    name: str = ""  # the column's name in files (a field name); defaults to the key
    choices: dict | None = field(default=None, compare=False, hash=False)  # code -> label
    lookup: str | None = None  # for related records: the attribute files name them by
    importable: bool = False  # read back by the section's import
    getter: Callable | None = field(default=None, compare=False, hash=False)  # derived value
    # Query annotations the getter reads (added to export querysets in one query).
    annotations: dict = field(default_factory=dict, compare=False, hash=False)
    places: int = 0  # decimals of a number
    help: str = ""  # what the column means (docs, the Excel "About" sheet)
    # The Secretariat's own (notes, who follows up): shown only to those who see internal
    # fields (leadit.sections.internal), in tables, record pages and exports alike.
    internal: bool = False

    def __post_init__(self):
        if not self.name:
            object.__setattr__(self, "name", self.key)

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC or self.kind == "integer"

    @property
    def header(self) -> str:
        """The column's heading in exports (and on record pages): label and unit."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @functools.cached_property
    def path(self) -> tuple[str, ...]:
        """The key's attributes, split once (an export reads a million cells)."""
        return tuple(self.key.split("."))

    def value(self, obj):
        if self.getter is not None:
            return self.getter(obj)
        for part in self.path:
            if obj is None:
                return None
            try:
                obj = getattr(obj, part)
            except ObjectDoesNotExist:  # a required relation not set yet (an import's new row)
                return None
        return obj() if callable(obj) else obj

    def target(self, obj):
        if self.link is None:
            return None
        if self.link == "":  # the row itself
            return obj
        for part in self.link.split("."):
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj

    def format(self, obj, to: str = "html", *, link: bool = False):
        kind = "choice" if self.kind == "badge" else self.kind
        return format_value(
            self.value(obj), kind, to, choices=self.choices, lookup=self.lookup, link=link
        )

    def text(self, obj) -> str:
        """The cell as plain text, for CSV exports (what an import reads back)."""
        return self.format(obj, "text")

    def excel(self, obj):
        return self.format(obj, "excel")


def kind_of(model_field, unit: str) -> str:
    if model_field.is_relation:
        return "relation"
    if isinstance(model_field, CountryField):
        return "country"
    if model_field.choices:
        return "choice"
    if isinstance(model_field, models.DecimalField):
        return "money" if "USD" in unit else "number"
    if isinstance(model_field, models.IntegerField):
        return "year" if model_field.name.endswith("_year") else "integer"
    if isinstance(model_field, models.DateTimeField | models.DateField):
        return "date"
    if isinstance(model_field, models.BooleanField):
        return "bool"
    if isinstance(model_field, models.URLField):
        return "url"
    if isinstance(model_field, models.TextField):
        return "longtext"
    return "text"


def field_kind(model_field) -> str:
    """The kind of a model field's values, as its column has it ("money" for an amount in USD,
    by the unit in its verbose name)."""
    match = UNIT_IN_NAME.match(str(model_field.verbose_name))
    return kind_of(model_field, match["unit"] if match else "")


def naming_fields(model) -> tuple[str, ...]:
    names = {f.name for f in model._meta.concrete_fields}
    return tuple(name for name in NAMING_FIELDS if name in names) or ("pk",)


def column_for(model_field, **overrides) -> Column:
    """A model field as a column: 'capex (USD million)' reads label Capex, unit USD million."""
    verbose = str(model_field.verbose_name)
    match = UNIT_IN_NAME.match(verbose)
    label, unit = (match["label"], match["unit"]) if match else (verbose, "")
    kind = kind_of(model_field, unit)
    attrs = {
        "key": model_field.name,
        "label": capfirst(label),
        "unit": unit,
        "kind": kind,
        "importable": model_field.editable,
        "help": str(model_field.help_text),
    }
    if model_field.choices:
        attrs["choices"] = {code: str(text) for code, text in model_field.flatchoices}
    if kind == "relation":
        attrs["lookup"] = naming_fields(model_field.related_model)[0]
    if kind == "number":
        attrs["places"] = model_field.decimal_places or 0
    attrs.update(overrides)
    return Column(**attrs)


class Declaration:
    """A model's columns, in the model's field order, then the derived ones.

    exclude: {field name: why it is left out of files and pages}.
    export_only: {field name: why it is exported but not imported}.
    overrides: {field name: Column attributes to change (label, kind...)}.
    derived: extra columns computed from the record (never imported).
    first: fields that lead, before the others in the model's order (what identifies a record).
    internal: {field name: why only the Secretariat reads it} (leadit.sections.internal).
    """

    def __init__(
        self,
        model,
        *,
        exclude: dict[str, str] | None = None,
        export_only: dict[str, str] | None = None,
        overrides: dict[str, dict] | None = None,
        derived: list[Column] = (),
        first: tuple[str, ...] = (),
        internal: dict[str, str] | None = None,
    ):
        self.model = model
        self.exclude = dict(exclude or {})
        self.internal = dict(internal or {})
        self.export_only = dict(export_only or {})
        overrides = overrides or {}
        columns = [Column("pk", "ID", name="id", help="The tracker's own number for the record.")]
        fields = sorted(model._meta.concrete_fields, key=lambda f: f.name not in first)
        # Provenance (source, last verified) comes last, after the record's own facts.
        model_fields = sorted(fields, key=lambda f: f.name in PROVENANCE)
        for model_field in model_fields:
            name = model_field.name
            if name in SYSTEM_FIELDS or name in self.exclude:
                continue
            if not model_field.editable and name not in overrides:
                continue  # computed by the model: declared as a derived column if wanted
            extra = dict(overrides.get(name, {}))
            if name in self.export_only:
                extra["importable"] = False
            if name in self.internal:
                extra["internal"] = True
            columns.append(column_for(model_field, **extra))
        self.columns = columns + list(derived)
        self.by_name = {column.name: column for column in self.columns}

    def columns_for(self, user) -> list[Column]:
        """The columns this user may read: all of them, or all but the internal ones."""
        from .internal import sees_internal

        if sees_internal(user):
            return self.columns
        return [column for column in self.columns if not column.internal]

    @property
    def importable(self) -> list[Column]:
        return [column for column in self.columns if column.importable]

    def __getitem__(self, name: str) -> Column:
        return self.by_name[name]

    def column(self, name: str, **changes) -> Column:
        """A declared column for a table, e.g. with a shorter label or a sort key."""
        return dataclasses.replace(self.by_name[name], **changes)

    def table(self, *specs) -> list[Column]:
        """Table columns: names of declared columns, or (name, {changes}) pairs."""
        return [
            self.column(spec) if isinstance(spec, str) else self.column(spec[0], **spec[1])
            for spec in specs
        ]

    def name_for_header(self, header) -> str | None:
        """The column a file's heading means: its name, its label, or label with unit."""
        if not hasattr(self, "_headers"):
            self._headers = {}
            for column in self.columns:
                for text in (column.label, column.header, column.name):
                    self._headers.setdefault(text.strip().lower(), column.name)
        return self._headers.get(str(header or "").strip().lower())

    def export_queryset(self, queryset):
        """The queryset with what every column reads joined or annotated (a fixed number of
        queries, whatever the number of rows)."""
        relations = [
            column.name
            for column in self.columns
            if column.kind == "relation" and column.getter is None
        ]
        if relations:
            queryset = queryset.select_related(*relations)
        return self.annotate(queryset)

    def for_columns(self, queryset, columns):
        """The queryset with what `columns` read that it lacks: related records (with what
        their names need) and annotations. Columns the list declares itself are its concern."""
        relations, annotations = [], {}
        for column in columns:
            declared = self.by_name.get(column.name)
            if declared is None or declared.key != column.key:
                continue
            annotations.update(column.annotations)
            if column.kind == "relation" and column.getter is None:
                relations.append(column.name)
                related = self.model._meta.get_field(column.name).related_model
                nested = related._default_manager.get_queryset().query.select_related
                if isinstance(nested, dict):  # e.g. a working group reads its partnership
                    relations += [f"{column.name}__{name}" for name in nested]
        if relations:
            queryset = queryset.select_related(*relations)
        return queryset.annotate(**annotations) if annotations else queryset

    def annotate(self, queryset):
        """The queryset with the annotations the derived columns read."""
        annotations = {}
        for column in self.columns:
            annotations.update(column.annotations)
        return queryset.annotate(**annotations) if annotations else queryset

    def annotate_one(self, obj) -> None:
        """Give one record (a record page's) the annotations of the derived columns, in one
        query; export querysets get them with export_queryset."""
        annotations = {}
        for column in self.columns:
            annotations.update(column.annotations)
        missing = {name: e for name, e in annotations.items() if not hasattr(obj, name)}
        if missing and obj.pk is not None:
            manager = type(obj)._default_manager
            values = manager.filter(pk=obj.pk).values(**missing).first() or {}
            for name in missing:
                setattr(obj, name, values.get(name))

    def facts(self, obj, exclude=(), user=None) -> list[tuple[str, object]]:
        """(heading, value as HTML) for a record page; related records and URLs linked. With
        a user, only the columns they may read."""
        self.annotate_one(obj)
        columns = self.columns if user is None else self.columns_for(user)
        return [
            (column.header, column.format(obj, "html", link=True))
            for column in columns
            if column.name != "id" and column.name not in exclude
        ]


DECLARATIONS: dict = {}


def declare(model, **options) -> Declaration:
    """Register the declaration of `model` (apps call this from their columns module)."""
    declaration = Declaration(model, **options)
    DECLARATIONS[model] = declaration
    return declaration


def declaration_for(model) -> Declaration:
    """The model's declaration: from its app's `declarations` module if it has one, else the
    one derived from its fields alone."""
    if model not in DECLARATIONS:
        app = model._meta.app_config.name
        if module_has_submodule(model._meta.app_config.module, "declarations"):
            import_module(f"{app}.declarations")  # registers its models through declare()
        DECLARATIONS.setdefault(model, Declaration(model))
    return DECLARATIONS[model]
