"""Pipeline exports: every filtered row, with human-readable labels.

The CSV streams row by row from a server-side cursor, so 100,000 rows need no more memory than 100.
"""

import datetime
import io

from django.http import HttpResponse, StreamingHttpResponse
from django_countries import countries
from openpyxl import Workbook

from leadit.sections.csvstream import neutralise, stream_csv

from .models import Project, Stage

COLUMNS = [
    # (header, values() path, how to turn the stored value into a label)
    ("ID", "pk", None),
    ("Project", "name", None),
    ("Sponsor", "sponsor__name", None),
    ("Country", "country", "country"),
    ("Site", "site", None),
    ("Sector", "sector__name", None),
    ("Technology", "technology__name", None),
    ("Scale", "scale", dict(Project.Scale.choices)),
    ("Stage", "stage", dict(Stage.choices)),
    ("Capacity", "capacity", None),
    ("Capacity unit", "capacity_unit", dict(Project.CapacityUnit.choices)),
    ("Capex (USD million)", "capex_musd", "amount"),
    ("Financing secured (USD million)", "financing_secured_musd", None),
    ("Financing gap (USD million)", "financing_gap_musd", "amount"),
    ("Abatement (t CO2e per year)", "abatement_tco2e", "amount"),
    ("Planned commissioning", "planned_commissioning_year", None),
    ("Revised commissioning", "revised_commissioning_year", None),
    ("Partnership", "partnership__name", None),
    ("Green Steel Tracker ID", "gst_id", None),
    ("GEM plant ID", "gem_plant_id", None),
    ("Source", "source_url", None),
    ("Last verified", "last_verified_on", None),
]
NOT_DISCLOSED = "not disclosed"


def _labeller(kind):
    if kind is None:
        return lambda value: value
    if kind == "country":
        names = dict(countries)
        return lambda value: names.get(value, value)
    if kind == "amount":
        return lambda value: NOT_DISCLOSED if value is None else value
    return lambda value: kind.get(value, value)


def export_rows(queryset):
    """Header, then one list of display values per project, fetched in chunks."""
    yield [header for header, _, _ in COLUMNS]
    labellers = [_labeller(kind) for _, _, kind in COLUMNS]
    paths = [path for _, path, _ in COLUMNS]
    for values in queryset.values_list(*paths).iterator(chunk_size=2000):
        row = []
        for label, value in zip(labellers, values, strict=True):
            value = label(value)
            if value is None:
                value = ""
            elif isinstance(value, str):
                value = neutralise(value)
            row.append(value)
        yield row


def filename(extension: str) -> str:
    return f"leadit-pipeline-{datetime.date.today():%Y-%m-%d}.{extension}"


def csv_response(queryset) -> StreamingHttpResponse:
    return stream_csv(export_rows(queryset), "pipeline")


def xlsx_response(queryset) -> HttpResponse:
    """A workbook cannot be streamed while it is written; openpyxl's write-only mode keeps the
    rows out of memory and the compressed file is sent whole. The CSV is the streaming export."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pipeline")
    for row in export_rows(queryset):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename("xlsx")}"'
    return response
