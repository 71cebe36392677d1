"""A list's table, written in Python: its header row and its rows' cells.

A list's results are rendered on every filter change, sort and page (htmx), and their table is
most of the work: a page of 25 rows and 9 columns is 225 cells, and in the template each cell
cost a `{% with %}`, a filter, two `{% if %}`, escaping and a tag (issue 18: the rendering took
five times the SQL's time). Everything that is the same for every row of a column (its classes,
its phone-card place and label) is worked out once here, and each cell is then one formatted
value between two ready strings; a record's link is its page's URL reversed once per table and
model. The header's sort links come from one pass over the query (views.sort_urls), not a copy
of it per header.

The markup is exactly what the template loops wrote, whitespace included (tests pin it, and the
page is byte for byte what it was); `generic/object_list.html` keeps the table around it.
"""

import html

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from .registry import has_page, url_of

# A unit or term, explained on hover; phone cards (no hover) spell it out.
ABBREVIATIONS = {
    "USD": "US dollars",
    "USD m": "million US dollars",
    "t CO2e/yr": "tonnes of CO2 equivalent per year",
    "n.d.": "not disclosed",
    "EMDE": "emerging market and developing economies",
    "FID": "final investment decision",
    "Comm.": "commissioning year",
}


def _html(value) -> str:
    """What `{{ value }}` writes: escaped unless already safe (django.utils.html's
    conditional_escape, without its lazy-text wrapper, which costs more than the escaping)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


# The template loop's whitespace around each cell (kept, so the markup did not change).
_INDENT = "\n" + " " * 14
_BEFORE_CELL = _INDENT * 2
_AFTER_CELL = _INDENT * 2
_ROW_START = _INDENT
_ROW_END = "\n" + " " * 12


def spelled_out(text) -> str:
    """A short label in full where there is no hover (phone cards): 'Comm.' -> 'Commissioning
    year'; other labels as they are."""
    return capfirst(ABBREVIATIONS.get(str(text), text))


def stage_badge(obj, field: str = "stage"):
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    return format_html('<span class="badge badge-{}">{}</span>', value, label)


def cell(obj, column, link=None):
    """One table cell's content: a badge, a link to the record, or the formatted value.
    `link(record)` gives a record's URL (default: its get_absolute_url)."""
    if column.kind == "badge":
        field = column.key.split(".")[-1]
        value = getattr(obj, field)
        if column.choices and value in column.choices:  # the label, without a look-up per row
            return SafeString(
                f'<span class="badge badge-{_html(value)}">{_html(column.choices[value])}</span>'
            )
        return stage_badge(obj, field)
    text = column.format(obj, "html")
    target = column.target(obj)
    url = None
    if target is not None and text:
        url = link(target) if link is not None else target.get_absolute_url()
    if url:  # format_html's escaping, at a fraction of its cost (one link a row at least)
        return SafeString(f'<a href="{_html(url)}">{_html(text)}</a>')
    return text


# An id no record has: a record page's URL is reversed once with it, then each id put in its place.
_ID_SLOT = "9876543210123"
_UNKNOWN = object()


def aria_sort(key: str, current: str) -> str:
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"


class TableRows:
    """Writes the header and the cells of each row of a list's table.

    columns: the table's columns (the first names the row: a `<th>`, with the bulk-change
    checkbox when the user has bulk actions); card_order: column key -> place on a phone card
    (a number, or "more": after the numbered ones); sort_links: sort key -> the
    URL that sorts by it (views.sort_urls); current_sort: the list's sort; rows: the page's
    records; sort_options: the "Sort by" select's options (views.sort_options)."""

    def __init__(
        self,
        columns,
        card_order: dict,
        bulk: bool,
        sort_links=None,
        current_sort="",
        rows=(),
        sort_options=(),
    ):
        self.columns = list(columns)
        self.rows = rows
        self.sort_options = sort_options
        self.bulk = bulk
        self.card_order = card_order
        self.sort_links, self.current_sort = sort_links or {}, current_sort
        self.urls = {}  # model -> its record page's URL with _ID_SLOT for the id, or None
        self.openings = []
        for index, column in enumerate(self.columns):
            card = f"card-{conditional_escape(card_order.get(column.key) or 'off')}"
            if index == 0:
                self.openings.append(f'<th scope="row" class="{card}">')
                continue
            classes = "num " if column.numeric else ""
            label = conditional_escape(spelled_out(column.label))
            if column.unit:
                label += f" ({conditional_escape(column.unit)})"
            self.openings.append(f'<td class="{classes}{card}" data-label="{label}">')

    def cells(self, row) -> SafeString:
        """What goes between the row's `<tr>` and `</tr>`."""
        parts = [_ROW_START]
        for index, (column, opening) in enumerate(zip(self.columns, self.openings, strict=True)):
            parts += (_BEFORE_CELL, opening)
            if index == 0 and self.bulk:
                parts.append(
                    f'<input type="checkbox" class="bulk-pick" form="bulk" name="pick" '
                    f'value="{_html(row.pk)}:{_html(getattr(row, "version", ""))}" '
                    f'aria-label="Select {_html(row)}"> '
                )
            parts += (_html(cell(row, column, self.link)), "</th>" if index == 0 else "</td>")
            parts.append(_AFTER_CELL)
        parts.append(_ROW_END)
        return SafeString("".join(parts))

    def body(self) -> SafeString:
        """Every row of the page: what goes between `<tbody>` and `</tbody>`."""
        return SafeString(
            "".join(f"{_ROW_END}<tr>{self.cells(row)}</tr>{_ROW_END}" for row in self.rows)
        )

    def sort_choices(self) -> SafeString:
        """The options of the "Sort by" select (phones, where there are no headers)."""
        return SafeString(
            "".join(
                f'<option value="{_html(option["value"])}"'
                f"{' selected' if option['selected'] else ''}>{_html(option['label'])}</option>"
                for option in self.sort_options
            )
        )

    def link(self, record) -> str:
        """A record's URL, as its get_absolute_url gives it: its section's record page, reversed
        once per table and model and the id put in (reverse() for each row was a tenth of the
        rows' time). A model whose get_absolute_url is not that page (checked on its first
        record) asks each record."""
        model = type(record)
        pattern = self.urls.get(model, _UNKNOWN)
        if pattern is _UNKNOWN:
            url = record.get_absolute_url()
            pattern = url_of(model, "detail", _ID_SLOT) if has_page(model, "detail") else None
            if pattern is not None and url != self._fill(pattern, record):
                pattern = None
            self.urls[model] = pattern
            return url
        return record.get_absolute_url() if pattern is None else self._fill(pattern, record)

    @staticmethod
    def _fill(pattern: str, record) -> str:
        return pattern.replace(_ID_SLOT, str(record.pk))

    def header(self) -> SafeString:
        """The header row's cells (between `<tr>` and `</tr>`): each column's label, with
        its unit, and for a sortable column the link that sorts by it (flipped when it is the
        sort) and its aria-sort; what the template wrote, whitespace included."""
        from .templatetags.sections import unit_abbr  # the tags import this module

        parts = []
        for column in self.columns:
            classes = "num " if column.numeric else ""
            place = self.card_order.get(column.key)
            classes += f"card-{_html(place)}" if place else "card-off"
            label = _html(unit_abbr(column.label))
            key = column.sort
            if key:
                wanted = f"-{key}" if self.current_sort == key else key
                parts.append(
                    f'{_INDENT}<th scope="col" class="{classes}" '
                    f'aria-sort="{aria_sort(key, self.current_sort)}">{_INDENT}  '
                    f'<a href="{_html(self.sort_links[key])}" data-sort="{_html(wanted)}">'
                    f"{label}</a>"
                )
            else:
                parts.append(f'{_INDENT}<th scope="col" class="{classes}">{_INDENT}  {label}')
            unit = _html(unit_abbr(column.unit))
            unit = f'<span class="unit">{unit}</span>' if column.unit else ""
            parts.append(f"{_INDENT}  {unit}{_INDENT}</th>{_INDENT}")
        return SafeString("".join(parts))
