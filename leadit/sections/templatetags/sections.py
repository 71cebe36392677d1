"""Presentation helpers: numbers with units, 'not disclosed', stage badges, table cells."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.text import capfirst

from leadit.people import person_name
from leadit.sections import formatting
from leadit.sections.registry import viewname as _viewname
from leadit.sections.views import sort_url

register = template.Library()


@register.filter
def money(value, places: int = 1):
    """USD million with thousands separators; None reads 'not disclosed'."""
    return formatting.money(value, places)


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


@register.filter
def stage_badge(obj, field: str = "stage"):
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    return format_html('<span class="badge badge-{}">{}</span>', value, label)


@register.simple_tag
def cell(obj, column):
    """One table cell's content: a badge, a link to the record, or the formatted value."""
    if column.kind == "badge":
        return stage_badge(obj, column.key.split(".")[-1])
    text = column.format(obj, "html")
    target = column.target(obj)
    url = target.get_absolute_url() if target is not None and text else None
    if url:
        return format_html('<a href="{}">{}</a>', url, text)
    return text


@register.simple_tag(takes_context=True)
def sort_href(context, key: str) -> str:
    return sort_url(context["request"].GET, key, context.get("current_sort", ""))


@register.simple_tag(takes_context=True)
def next_sort(context, key: str) -> str:
    """The sort a header's click asks for: by `key`, flipped when it is already the sort."""
    return f"-{key}" if context.get("current_sort", "") == key else key


@register.simple_tag(takes_context=True)
def aria_sort(context, key: str) -> str:
    current = context.get("current_sort", "")
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"


@register.filter
def get(mapping, key):
    """mapping[key] in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def figure(row, key, kind="count"):
    """A chart row's value, formatted: count, money (USD m) or quantity (t CO2e)."""
    value = row.get(key)
    if kind == "money":
        return money(value, 0)
    if kind == "quantity":
        return quantity(value)
    return intcomma(value or 0)
