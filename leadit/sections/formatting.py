"""The one value formatter: how a stored value reads in a table cell, on a record page, in a CSV
and in an Excel file. Money, numbers, years, dates, choices, countries, booleans, related records
and "not disclosed" are written here and nowhere else.

Three targets:
- "html": for pages (table cells, record facts): separators, links, badges, a marked-up
  "not disclosed";
- "text": for CSV and import files: what an import reads back to the same value (plain
  numbers without separators, ISO dates, choice labels, country names, related records by name);
- "excel": native cell values (numbers and dates stay numbers and dates; the cell's number
  format, set by the Excel writer, adds the separators).
"""

import datetime
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from leadit.people import person_name

NOT_DISCLOSED_TEXT = "not disclosed"
NOT_DISCLOSED = mark_safe('<span class="nd">not disclosed</span>')  # a constant, no user text

# Kinds whose unknown value is a fact to state ("not disclosed"), not an empty cell.
DISCLOSABLE = {"money", "number"}
NUMERIC = {"money", "number", "year"}


def number(value, places: int) -> str:
    """A number with thousands separators and `places` decimals: 1,234.5 (the site's English
    format, what humanize's intcomma writes, at a fraction of its cost: every money cell of
    every list comes here)."""
    if places:
        return f"{Decimal(value).quantize(Decimal(1).scaleb(-places)):,.{places}f}"
    return f"{round(value):,}"


def money(value, places: int = 1):
    """USD million with separators; None reads 'not disclosed'. Amounts under a million keep
    two decimals, so USD 50,000 reads 0.05 and not 0.0."""
    if value is None or value == "":
        return NOT_DISCLOSED
    places = int(places)
    if 0 < abs(value) < 1:
        places = max(places, 2)
    return number(value, places)


def quantity(value):
    """A whole number with separators (t CO2e, counts); None reads 'not disclosed'."""
    if value is None or value == "":
        return NOT_DISCLOSED
    return number(value, 0)


def yes_no(value) -> str:
    return "" if value is None else ("Yes" if value else "No")


def plain_decimal(value: Decimal) -> str:
    """1500.00 stays '1500.00' (what the field stores); never exponent notation."""
    return format(value, "f")


def format_value(value, kind: str, to: str = "html", *, choices=None, lookup=None, link=False):
    """`value` (as stored, or the related record) written for `to` ("html", "text", "excel").

    `choices` maps stored codes to labels; `lookup` is the attribute that names a related record
    in files (the one an import finds it by); `link` links related records and URLs on pages.
    """
    if value is None or value == "":
        if kind in DISCLOSABLE:
            return NOT_DISCLOSED if to == "html" else NOT_DISCLOSED_TEXT
        return "" if to != "excel" else None
    if choices is not None:
        return choices.get(value, choices.get(str(value), str(value)))
    if kind == "money":
        if to == "html":
            return money(value)
        return float(value) if to == "excel" else plain_decimal(value)
    if kind == "number":
        if to == "html":
            # Decimals keep the places they use (1.5 kt, not 1.500), at most three.
            exponent = value.normalize().as_tuple().exponent if isinstance(value, Decimal) else 0
            return number(value, min(max(-exponent, 0), 3))
        if to == "excel":
            return float(value) if isinstance(value, Decimal) else value
        return plain_decimal(value) if isinstance(value, Decimal) else str(value)
    if kind == "year":
        return value if to == "excel" else str(value)
    if kind == "date":
        if isinstance(value, datetime.datetime):
            value = value.date() if to != "excel" else value.replace(tzinfo=None)
        if to == "html":
            return date_filter(value, "j M Y")
        return value if to == "excel" else value.isoformat()
    if kind == "bool":
        return yes_no(value)
    if kind == "country":
        return str(value.name)
    if kind == "relation":
        if isinstance(value, AbstractBaseUser):
            return person_name(value)  # people by name everywhere; imports find them by it
        if to == "html":
            url = value.get_absolute_url() if link and hasattr(value, "get_absolute_url") else None
            return format_html('<a href="{}">{}</a>', url, value) if url else str(value)
        named = getattr(value, lookup, None) if lookup else None
        return str(named if named not in (None, "") else value)
    if kind == "url" and to == "html" and link:
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', value, value)
    return str(value)
