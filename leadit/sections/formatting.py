"""The one value formatter: how a stored value reads in a table cell, on a record page, in a CSV
and in an Excel file. Money, numbers, years, dates, choices, countries, booleans, related records
and "not disclosed" are written here and nowhere else.

Money (USD million) reads one way wherever a person reads it, on pages, in the History, in
proposals, filter chips and e-mails: `money_text` (1,200 · 1,200.5 · 0.05 · < 0.01 · 0); shares
of an amount read as whole percents, `share_text` (45 % · < 1 %).

Three targets:
- "html": for pages (table cells, record facts): separators, links, badges, a marked-up
  "not disclosed";
- "text": for CSV and import files: what an import reads back to the same value (plain
  numbers without separators, ISO dates, choice labels, country names, related records by name);
- "excel": native cell values (numbers and dates stay numbers and dates; the cell's number
  format, set by the Excel writer, adds the separators).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
    format, what humanize's intcomma writes, at a fraction of its cost: every number cell of
    every list comes here; money cells go through money_text, as cheap)."""
    if places:
        return f"{Decimal(value).quantize(Decimal(1).scaleb(-places)):,.{places}f}"
    return f"{round(value):,}"


CENT = Decimal("0.01")
UNDER_A_CENT = "< 0.01"  # a positive amount that two decimals would show as 0
UNDER_ONE_PERCENT = "< 1 %"


def _decimal(value) -> Decimal:
    """A stored amount, a sum or a proposal's text ("1200.5") as a Decimal (floats by their
    shortest text, so 0.05 stays 0.05)."""
    return Decimal(str(value)) if isinstance(value, float | str) else Decimal(value)


def money_text(value) -> str:
    """USD million as people read it everywhere: thousands separators, at most two decimals,
    no trailing zeros (1200.00 -> '1,200', 1200.5 -> '1,200.5', 1234.567 -> '1,234.57'); a
    positive amount under half a cent reads '< 0.01', zero '0', None 'not disclosed'. Text
    that is not a number is returned as it is. Files (CSV, Excel, IATI) keep plain numbers."""
    if value is None or value == "":
        return NOT_DISCLOSED_TEXT
    try:
        amount = _decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    rounded = amount.quantize(CENT, ROUND_HALF_UP)
    if not rounded:
        return UNDER_A_CENT if amount > 0 else "0"
    return f"{rounded:,.2f}".rstrip("0").removesuffix(".")


def money_as_typed(value) -> str:
    """An amount someone typed (a filter's), with separators but never rounded: a filter 'gap
    at least 0.005' applies 0.005, so its chip must not read '0.01'."""
    try:
        amount = _decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if not amount.is_finite() or amount.as_tuple().exponent >= -2:
        return money_text(value)
    return f"{amount.normalize():,f}"


def money(value):
    """money_text for pages: 'not disclosed' is marked up."""
    if value is None or value == "":
        return NOT_DISCLOSED
    return money_text(value)


def share_text(part, whole) -> str:
    """`part` as a whole percent of `whole` ('45 %'); a positive share under 1 % reads '< 1 %'
    (not '0 %'); '' without a positive whole."""
    if whole is None or part is None or _decimal(whole) <= 0:
        return ""
    percent = _decimal(part) * 100 / _decimal(whole)
    rounded = percent.quantize(Decimal(1), ROUND_HALF_UP)
    if not rounded and percent > 0:
        return UNDER_ONE_PERCENT
    return f"{rounded:,f} %"


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
