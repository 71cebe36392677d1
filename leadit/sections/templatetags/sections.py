"""Presentation helpers: numbers with units, 'not disclosed', stage badges, table cells."""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.text import capfirst

from leadit.people import person_name
from leadit.sections import formatting, tables
from leadit.sections.registry import viewname as _viewname

register = template.Library()


@register.filter
def money(value):
    """USD million as every page writes it (formatting.money_text: 1,200 · 1,200.5 · 0.05 ·
    < 0.01); None reads 'not disclosed'."""
    return formatting.money(value)


@register.filter
def share_of(part, whole) -> str:
    """`{{ secured|share_of:capex }}`: a whole percent, '< 1 %' for a positive share under 1 %."""
    return formatting.share_text(part, whole)


@register.filter
def fields_in_error(form, other=None) -> bool:
    """Whether a field of the form (or of `other`) has an error, not only the form as a whole:
    only then does "the fields marked below" point at something."""
    return any(name != "__all__" for f in (form, other) if f for name in f.errors)


@register.filter
def viewname(obj, action: str) -> str:
    """`{% url object|viewname:"history" object.pk %}`: the URL name of a record's page."""
    return _viewname(type(obj), action)


@register.filter
def person(user) -> str:
    """A person as every page names them: full name, else username."""
    return person_name(user)


@register.filter
def record_link(obj):
    """'Project: <a>name</a>' for any record, linked when it has a page."""
    kind = capfirst(obj._meta.verbose_name)
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
    if url:
        return format_html('{}: <a href="{}">{}</a>', kind, url, obj)
    return format_html("{}: {}", kind, obj)


@register.filter
def quantity(value):
    """A whole number with separators (t CO2e, counts); None reads 'not disclosed'."""
    return formatting.quantity(value)


# A project's (or any record's) stage as a coloured badge: {{ project|stage_badge }}.
register.filter("stage_badge", tables.stage_badge)


@register.filter
def get(mapping, key):
    """mapping[key] in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


# Where space is tight, large figures read "35.3 bn" with the exact value in a tooltip.
SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))
UNITS = {"money": "USD", "quantity": "t CO2e/yr"}


def _compact(value, at_least_millions: bool = False) -> str:
    """35,261,804,811 -> '35.3 bn', 850,000,000 -> '850 m'; under a million every digit shows,
    or, with at_least_millions (money, where a chart's other rows read '803 m'), '0.8 m'."""
    value = Decimal(value)
    for index, (size, word) in enumerate(SCALES):
        if abs(value) < size:
            continue
        scaled = value / size
        places = Decimal("0.1") if abs(scaled) < 100 else Decimal(1)
        scaled = scaled.quantize(places)
        if abs(scaled) >= 1000 and index:  # 999.96 m rounds to 1.0 bn, not 1,000 m
            bigger, word = SCALES[index - 1]
            scaled = (value / bigger).quantize(Decimal("0.1"))
        text = intcomma(scaled)
        # 45 m, 2 tn: no idle ".0"; a no-break space keeps "35.3 bn" on one line.
        return f"{text.removesuffix('.0')}\N{NO-BREAK SPACE}{word}"
    if at_least_millions and value:
        millions = value / SCALES[-1][0]
        places = Decimal("0.1") if abs(millions) >= Decimal("0.1") else Decimal("0.01")
        text = f"{millions.quantize(places):f}".removesuffix(".0")  # 0.95 m reads 1 m
        if not millions.quantize(places):
            text = "<\N{NO-BREAK SPACE}0.01"  # under USD 5,000: not "0 m"
        return f"{text}\N{NO-BREAK SPACE}{SCALES[-1][1]}"
    return (
        formatting.number(value, 0)
        if abs(value) >= 1 or value == 0
        else formatting.number(value, 2)
    )


@register.simple_tag
def compact(value, kind="count", exact_unit=True):
    """A figure for a tight space: `money` (given in USD m) reads '9.3 bn USD', `quantity`
    '35.3 bn t CO2e/yr', a count '20,000'. The exact value is in the title (a tooltip), and in
    the list the figure links to. With exact_unit=False the unit is left to a caption."""
    if value is None or value == "":
        return formatting.NOT_DISCLOSED
    if kind == "count":
        return intcomma(value)
    unit = UNITS[kind]
    exact = f"{money(value)} USD m" if kind == "money" else f"{quantity(value)} {unit}"
    in_usd = kind == "money"
    shown = _compact(Decimal(value) * 10**6 if in_usd else value, at_least_millions=in_usd)
    if not exact_unit:
        return format_html('<span class="compact" title="{}">{}</span>', exact, shown)
    return format_html(
        '<span class="compact" title="{}">{} <span class="unit">{}</span></span>',
        exact,
        shown,
        unit_abbr(unit),
    )


ABBREVIATIONS = tables.ABBREVIATIONS


@register.filter
def unit_abbr(text):
    """A unit or term, explained on hover: <abbr title="million US dollars">USD m</abbr>."""
    title = ABBREVIATIONS.get(str(text))
    return format_html('<abbr title="{}">{}</abbr>', title, text) if title else text


@register.simple_tag
def figure(row, key, kind="count"):
    """A chart row's value, compact: a count, money (USD) or quantity (t CO2e/yr); the chart's
    caption carries the unit, the title the exact figure."""
    value = row.get(key)
    if kind in UNITS:
        return compact(value, kind, exact_unit=False)
    return intcomma(value or 0)
