"""Streaming CSV responses: rows go out as they are read, so memory stays flat."""

import csv
import datetime

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


def stream_csv(rows, name: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    stamp = f"{datetime.date.today():%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="leadit-{name}-{stamp}.csv"'
    return response
