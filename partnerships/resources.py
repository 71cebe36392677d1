"""Imports and exports of the pipeline, financing, engagements and assistance. The columns are
the models' declared ones (partnerships/declarations.py); only how rows find their records is
written here."""

from import_export.widgets import ForeignKeyWidget

from leadit.sections.imports import CountryWidget, tracker_resource

from .models import Assistance, Engagement, Financing, Project


def _text(row, column: str) -> str:
    return str((row or {}).get(column) or "").strip()


class ProjectWidget(ForeignKeyWidget):
    """A project by its Green Steel Tracker ID (column project_gst_id) when the row gives one,
    else by its name, narrowed by project_country when given: names are not unique."""

    def __init__(self, **kwargs):
        super().__init__(Project, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        gst_id = _text(row, "project_gst_id")
        if gst_id:
            project = Project.objects.filter(gst_id__iexact=gst_id).first()
            if project is None:
                raise ValueError(f"No project with Green Steel Tracker ID “{gst_id}”.")
            return project
        name = "" if value is None else str(value).strip()
        if not name:
            return None
        projects = Project.objects.filter(name__iexact=name)
        country = _text(row, "project_country")
        if country:
            projects = projects.filter(country=CountryWidget().clean(country))
        matches = list(projects[:2])
        if not matches:
            where = f" in {country}" if country else ""
            raise ValueError(f"No project called “{name}”{where}.")
        if len(matches) > 1:
            raise ValueError(
                f"More than one project is called “{name}”: give its Green Steel Tracker ID "
                "(column project_gst_id) or its country (column project_country)."
            )
        return matches[0]


class ProjectResource(tracker_resource(Project, natural_key=("name", "country"))):
    """Projects match on the Green Steel Tracker id when a row has one, else name + country."""

    def row_key(self, row) -> tuple:
        gst_id = _text(row, "gst_id").upper()
        return ("gst", gst_id) if gst_id else super().row_key(row)

    def get_instance(self, instance_loader, row):
        gst_id = _text(row, "gst_id")
        if gst_id:
            return Project.objects.filter(gst_id__iexact=gst_id).first()
        return super().get_instance(instance_loader, row)


def _project_key(row) -> tuple:
    gst_id = _text(row, "project_gst_id").upper()
    if gst_id:
        return ("gst", gst_id)
    return (_text(row, "project").lower(), _text(row, "project_country").lower())


class FinancingResource(
    tracker_resource(
        Financing,
        natural_key=("project", "provider", "instrument"),
        widgets={"project": ProjectWidget()},
    )
):
    """A project's capital stack: one row per provider and instrument of a project, the project
    found by its Green Steel Tracker ID or by name (and country)."""

    def row_key(self, row) -> tuple:
        return (*_project_key(row), *super().row_key(row)[1:])


EngagementResource = tracker_resource(
    Engagement, natural_key=("title", "provider"), widgets={"project": ProjectWidget()}
)
AssistanceResource = tracker_resource(Assistance, natural_key=("title", "partnership"))
