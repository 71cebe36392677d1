"""Excel exports a spreadsheet user likes, written in constant memory.

openpyxl's write-only mode writes each row to a temporary file as it is appended, so 100,000
rows need no more memory than 100. Each column has one styled cell that every row reuses (a
new styled cell per value is most of the cost of a styled workbook). The finished file is sent
from a temporary file on disk, never held in memory.
"""

import contextlib
import datetime
import os
import tempfile
import weakref
from collections import Counter
from urllib.parse import urlsplit

from django.http import StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Number formats by column kind; money is USD million with one decimal.
NUMBER_FORMATS = {
    "money": "#,##0.0",
    "integer": "#,##0",
    "year": "0",
    "date": "yyyy-mm-dd",
}
WIDTHS = {
    "longtext": 60,
    "money": 14,
    "number": 14,
    "integer": 10,
    "year": 10,
    "date": 12,
    "bool": 8,
    "url": 40,
    "relation": 30,
    "country": 20,
    "choice": 20,
    "badge": 16,
}
MAX_SOURCES_LISTED = 20
CHUNK = 64 * 1024


def number_format(column) -> str | None:
    if column.kind == "number":
        return "#,##0" if not column.places else "#,##0." + "0" * min(column.places, 3)
    return NUMBER_FORMATS.get(column.kind)


def width(column) -> float:
    return max(WIDTHS.get(column.kind, 24), min(len(column.header) + 2, 40))


def _template_cell(sheet, column):
    """The styled cell a column's values are written through; None for unstyled columns,
    whose values are appended as they are (cheaper: openpyxl makes their cells itself)."""
    fmt = number_format(column)
    if not fmt and column.kind != "longtext":
        return None
    cell = WriteOnlyCell(sheet)
    if fmt:
        cell.number_format = fmt
    if column.kind == "longtext":
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _text_cell(sheet, value: str):
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text stays text: "=..." is never run as a formula
    return cell


def write_workbook(target, columns, objects, about: list[tuple[str, object]], title: str) -> int:
    """Write the rows of `objects` (one per record) and an "About this export" sheet to
    `target` (a path or file); returns the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width(column)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    templates = [_template_cell(sheet, column) for column in columns]
    source = next((i for i, c in enumerate(columns) if c.name == "source_url"), None)
    hosts: Counter = Counter()
    rows = 0
    for obj in objects:
        values = []
        for column, cell in zip(columns, templates, strict=True):
            value = column.excel(obj)
            if cell is not None:
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
                value = cell
            elif isinstance(value, str) and value.startswith("="):
                value = _text_cell(sheet, value)
            values.append(value)
        if source is not None and values[source]:
            url = values[source]
            hosts[urlsplit(url).hostname or url] += 1
        sheet.append(values)
        rows += 1
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{rows + 1}"

    notes = workbook.create_sheet("About this export")
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 90
    about = [*about, ("Rows", rows)]
    if source is not None:
        cited = sum(hosts.values())
        about.append(("Sources", f"{cited:,} of {rows:,} rows cite a source; most cited:"))
        most_cited = hosts.most_common(MAX_SOURCES_LISTED)
        about.extend(("", f"{host} ({count:,} rows)") for host, count in most_cited)
    for label, value in about:
        cell = WriteOnlyCell(notes, value=label)
        cell.font = bold
        text = WriteOnlyCell(notes, value=value)
        if isinstance(value, str):
            text.data_type = "s"
        notes.append([cell, text])
    workbook.save(target)
    return rows


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _chunks(path: str):
    try:
        with open(path, "rb") as file:
            yield from iter(lambda: file.read(CHUNK), b"")
    finally:
        _remove(path)


def xlsx_response(columns, objects, about, title: str, filename: str) -> StreamingHttpResponse:
    """The workbook, written to a temporary file and streamed from it. The file is removed
    once sent, or when the response is closed unsent; no file stays open meanwhile."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="leadit-export-")
    os.close(fd)
    try:
        write_workbook(path, columns, objects, about, title)
    except BaseException:
        _remove(path)
        raise
    response = StreamingHttpResponse(_chunks(path), content_type=CONTENT_TYPE)
    response._resource_closers.append(lambda: _remove(path))
    weakref.finalize(response, _remove, path)  # a response dropped unsent and unclosed
    response["Content-Length"] = str(os.path.getsize(path))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_filename(name: str, extension: str) -> str:
    return f"leadit-{name}-{datetime.date.today():%Y-%m-%d}.{extension}"
