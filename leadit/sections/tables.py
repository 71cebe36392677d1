"""The rows of a list's table, written in Python.

A list's results are rendered on every filter change, sort and page (htmx), and their rows are
most of the work: a page of 25 rows and 9 columns is 225 cells, and in the template each cell
cost a `{% with %}`, a filter, two `{% if %}`, escaping and a tag (issue 18: the rendering took
five times the SQL's time). Everything that is the same for every row of a column (its classes,
its phone-card place and label) is worked out once here, and each cell is then one formatted
value between two ready strings.

The markup is exactly what the template loop wrote, whitespace included (tests pin it, and the
page is byte for byte what it was); `generic/object_list.html` keeps the table around it.
"""

import html

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

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


def cell(obj, column):
    """One table cell's content: a badge, a link to the record, or the formatted value."""
    if column.kind == "badge":
        field = column.key.split(".")[-1]
        value = getattr(obj, field)
        if column.choices and value in column.choices:  # the label, without a look-up per row
            return SafeString(
                f'<span class="badge badge-{conditional_escape(value)}">'
                f"{conditional_escape(column.choices[value])}</span>"
            )
        return stage_badge(obj, field)
    text = column.format(obj, "html")
    target = column.target(obj)
    url = target.get_absolute_url() if target is not None and text else None
    if url:
        return format_html('<a href="{}">{}</a>', url, text)
    return text


class TableRows:
    """Writes the cells of each row of a list's table.

    columns: the table's columns (the first names the row: a `<th>`, with the bulk-change
    checkbox when the user has bulk actions); card_order: column key -> place on a phone card;
    hidden: keys of the columns this user hides on wide screens."""

    def __init__(self, columns, card_order: dict, hidden, bulk: bool):
        self.columns = list(columns)
        self.bulk = bulk
        self.openings = []
        for index, column in enumerate(self.columns):
            card = f"card-{conditional_escape(card_order.get(column.key) or 'off')}"
            if index == 0:
                self.openings.append(f'<th scope="row" class="{card}">')
                continue
            classes = ("num " if column.numeric else "") + (
                "col-hidden " if column.key in hidden else ""
            )
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
            parts += (_html(cell(row, column)), "</th>" if index == 0 else "</td>")
            parts.append(_AFTER_CELL)
        parts.append(_ROW_END)
        return SafeString("".join(parts))
