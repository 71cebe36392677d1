"""Orders a column's bytes do not give: names case and accents aside (`search.name_key`), and
countries by their names, not their ISO codes (which put Germany, DE, among the C's and the
United Kingdom, GB, before Ghana)."""

import functools
import re

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Func
from django_countries import countries
from django_countries.fields import CountryField

from .search import fold, name_key

CODE = re.compile(r"[A-Z]{2}")


@functools.cache
def codes_by_name() -> tuple[str, ...]:
    """The country codes in the order of names the lists and the country selects show
    (django-countries', accents aside: Åland Islands after Afghanistan). Read once a process;
    checked, because they are written into SQL."""
    codes = tuple(country.code for country in countries)
    if not all(CODE.fullmatch(code) for code in codes):
        raise ValueError("A country code that is not two capital letters")
    return codes


def ranked(sql: str, codes, otherwise: int) -> str:
    """`sql`'s place among `codes` (checked before they reach here), `otherwise` if none, as a
    CASE whose constants are written into the SQL (see `CountryOrder`)."""
    ranks = " ".join(f"WHEN '{code}' THEN {rank}" for rank, code in enumerate(codes))
    return f"(CASE {sql} {ranks} ELSE {otherwise} END)"


class CountryOrder(Func):
    """A country field's rank by country name, a blank country after every other: for sorting
    A to Z (`CountryOrderDescending` for Z to A). The ranks are written into the SQL, not bound
    as parameters: a database uses an index on an expression only for the same expression
    (`Index(CountryOrder("country"), "id")` serves a sorted first page). A new list of countries
    (a django-countries upgrade) leaves such an index unused until it is built again: slower,
    never wrong."""

    arity = 1
    output_field = models.IntegerField()

    def blank_rank(self) -> int:
        return len(codes_by_name())

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return ranked(sql, codes_by_name(), self.blank_rank()), params

    def as_postgresql(self, compiler, connection, **extra_context):
        # One array constant: PostgreSQL keeps an index's expression in a catalog row of at
        # most 8 kB, which the 249 branches of a CASE overflow.
        sql, params = compiler.compile(self.source_expressions[0])
        codes = ",".join(codes_by_name())
        position = f"array_position('{{{codes}}}'::text[], ({sql})::text)"
        return f"(COALESCE({position} - 1, {self.blank_rank()}))", params


class CountryOrderDescending(CountryOrder):
    """The same ranks, a blank country below every other: last when sorting Z to A."""

    def blank_rank(self) -> int:
        return -1


SAFE_CODE = re.compile(r"[\w-]+")
# The codes of choices declared first to last (`ladder`).
_LADDERS: list[list[str]] = []


def ladder(choices):
    """Marks choices (a TextChoices class) declared as a sequence, a stage or status from
    first to last: a list sorted by them goes that way ("earliest stage first"). Other choices
    sort by their labels, A to Z, as the Sort by control says."""
    _LADDERS.append([str(code) for code in choices.values])
    return choices


class ChoiceOrder(Func):
    """A choice field in the order of `codes` (a stage or status first to last, other
    choices by label), not by its stored codes' letters. The codes are written into the SQL, as
    for `CountryOrder`, so that an index on it serves a first page
    (`Index(ChoiceOrder("stage", Stage.values), "id")`); a code not given goes last."""

    output_field = models.IntegerField()

    def __init__(self, expression, codes, **extra):
        codes = [str(code) for code in codes]
        if not all(SAFE_CODE.fullmatch(code) for code in codes):
            raise ValueError(f"A choice code that cannot be written into SQL: {codes}")
        self.codes = codes
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return ranked(sql, self.codes, len(self.codes)), params


def sort_order(model, path: str, descending: bool) -> list:
    """How a list sorts by `path` (an ORM path), then by pk to keep pages stable: names and
    countries as a reader expects them, anything else by its value. Blanks and NULLs ("not
    disclosed") go last either way."""
    key = name_key(model, path)
    if key is not None:  # never NULL
        return [key.desc(), "-pk"] if descending else [key.asc(), "pk"]
    field = field_at(model, path)
    if isinstance(field, CountryField):
        if descending:
            return [CountryOrderDescending(path).desc(), "-pk"]
        return [CountryOrder(path).asc(), "pk"]
    if field is not None and field.choices and not field.null:
        codes = [str(code) for code, _ in field.flatchoices]
        if codes not in _LADDERS:
            labels = {str(code): label for code, label in field.flatchoices}
            codes.sort(key=lambda code: fold(labels[code]))
        rank = ChoiceOrder(path, codes)
        return [rank.desc(), "-pk"] if descending else [rank.asc(), "pk"]
    if field is not None and not field.null:
        # No NULLs to place: a plain order, which an index on the column serves both ways
        # (PostgreSQL reads no index backwards for "DESC NULLS LAST").
        return [F(path).desc(), "-pk"] if descending else [F(path).asc(), "pk"]
    if descending:
        return [F(path).desc(nulls_last=True), "-pk"]
    return [F(path).asc(nulls_last=True), "pk"]


def field_at(model, path: str):
    """The model field at the end of an ORM path, or None (an annotation such as a rank)."""
    *relations, name = path.split("__")
    try:
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        return model._meta.get_field(name)
    except (AttributeError, FieldDoesNotExist):
        return None


def largest_first_indexes(*columns: tuple[str, str, str]):
    """A migration operation: on PostgreSQL, an index `(column DESC NULLS LAST, id DESC)` for
    each (app label, model name, column), which a list sorted "largest first" (NULLs last,
    `sort_order`) reads as it stands: PostgreSQL does not read an ascending index backwards
    for NULLS LAST (100,000 rows sorted each time: 50-160 ms). SQLite needs none: its NULLs sort
    first, so the column's own index read backwards gives that order."""
    from django.db import migrations

    def names(apps):
        for app_label, model_name, column in columns:
            table = apps.get_model(app_label, model_name)._meta.db_table
            yield table, column, f"{table}_{column}_desc"[:63]

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table, column, name in names(apps):
                schema_editor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                    f'("{column}" DESC NULLS LAST, "id" DESC)'
                )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for _, _, name in names(apps):
                schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
