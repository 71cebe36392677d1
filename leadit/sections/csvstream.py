"""Streaming CSV responses: rows go out as they are read, so memory stays flat."""

import csv
import datetime

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _needs_apostrophe(text: str) -> bool:
    """A formula, or apostrophes before one (so that `restore` can tell ours from the data's)."""
    return text.lstrip("'").startswith(FORMULA_PREFIXES)


# What a cell that may need an apostrophe starts with (one test a cell, most cells pass it).
_SUSPECT_STARTS = frozenset("'" + "".join(FORMULA_PREFIXES))


def neutralise(text: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    if not text or text[0] not in _SUSPECT_STARTS:
        return text
    return "'" + text if _needs_apostrophe(text) else text


def restore(text: str) -> str:
    """The value `neutralise` was given: an exported file imported back changes nothing."""
    return text[1:] if text.startswith("'") and _needs_apostrophe(text[1:]) else text


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
