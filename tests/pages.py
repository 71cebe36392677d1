"""Every page type of the tracker, on the demo data: for the HTML, accessibility and
screenshot checks (one list, so a new page type is checked by all of them)."""

from partnerships.models import Project

from . import sections

# Names of the screenshots (docs/screenshots/<name>-desktop.png) of each section's pages.
LIST_PAGE = {"pipeline": "pipeline", "assistance": "assistance-list"}
RECORD_PAGE = {
    "pipeline": "project",
    "members": "member",
    "engagements": "engagement",
    "partnerships": "partnership",
    "assistance": "assistance",
    "forum": "forum-activity",
    "organisations": "organisation",
    "contacts": "contact",
}


def page_types() -> dict[str, str]:
    project = Project.objects.filter(financing__isnull=False).order_by("pk").first()
    pages = {
        "dashboard": "/",
        "pipeline-filtered": "/pipeline/?sector=steel&stage=feasibility&stage=financing",
        "project-edit": project.get_absolute_url() + "edit/",
        "project-new": "/pipeline/new/",
        "project-history": project.get_absolute_url() + "history/",
        "project-delete": project.get_absolute_url() + "delete/",
        "project-financing-new": project.get_absolute_url() + "financing/new/",
        "history": "/history/",
        "focal-points": "/focal-points/",
        "focal-point-invite": "/focal-points/invite/",
        "password-reset": "/accounts/password/reset/",
        "password-reset-sent": "/accounts/password/reset/sent/",
        "password-reset-invalid-link": "/accounts/welcome/MQ/set-password/",
        "not-found": "/pipeline/999999/",
    }
    for section in sections.all_sections():
        name = section.name
        pages[LIST_PAGE.get(name, name)] = sections.list_url(section)
        record = project if name == "pipeline" else section.model.objects.order_by("pk").first()
        pages[RECORD_PAGE.get(name, name)] = record.get_absolute_url()
    return pages
