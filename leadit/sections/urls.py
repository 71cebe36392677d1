"""One declaration per section: its URLs, registered so that every page can ask which of a
model's pages exist and link to them by one naming rule, `viewname(model, action)`.

    urlpatterns = [*section_urls("pipeline", Project, list_view=..., detail_view=...,
                                 form_class=ProjectForm, exports=("csv", "xlsx"),
                                 extra={"move_stage": ("<int:pk>/stage/", move_stage)})]
"""

from django.urls import path

from leadit.proposals.views import propose_view, proposes

from .bulk import BulkView
from .editing import DeleteView, ModelFormView, VerifyView
from .registry import Section, register
from .views import RecordHistoryView

# Where an export lives below its list, when not at export.<format>.
EXPORT_FILES = {"iati": "iati.xml"}


def section_urls(
    prefix: str,
    model,
    *,
    list_view,
    detail_view,
    form_class,
    exports: tuple[str, ...] = ("csv", "xlsx"),
    extra: dict | None = None,
    propose_new: str | None = None,
) -> list:
    """The URL set of one section: list, exports, record, new, edit, delete, history, verify
    (for sourced records), plus `extra` pages {action: (route below the prefix, view)}.

    A model with an ownership rule (leadit.sections.ownership) also gets "Propose a change"
    for focal points; `propose_new` names the field that makes a new record theirs, and gives
    "Propose a new <record>" (leadit.proposals)."""
    name = model._meta.model_name
    form = ModelFormView.as_view(model=model, form_class=form_class)
    routes = {
        "list": ("", list_view.as_view()),
        **{
            f"export_{fmt}": (EXPORT_FILES.get(fmt, f"export.{fmt}"), list_view.as_view(export=fmt))
            for fmt in exports
        },
        "create": ("new/", form),
        "detail": ("<int:pk>/", detail_view.as_view()),
        "update": ("<int:pk>/edit/", form),
        "delete": ("<int:pk>/delete/", DeleteView.as_view(model=model)),
        "history": ("<int:pk>/history/", RecordHistoryView.as_view(model=model)),
        # Bulk changes from the list; the list view declares which (bulk_actions).
        "bulk": ("bulk/", BulkView.as_view(model=model)),
    }
    if any(f.name == "last_verified_on" for f in model._meta.fields):
        routes["verify"] = ("<int:pk>/verify/", VerifyView.as_view(model=model))
    if proposes(model):
        routes["propose"] = ("<int:pk>/propose/", propose_view(model, form_class))
        if propose_new:
            routes["propose_new"] = (
                "propose/",
                propose_view(model, form_class, creating=True, owner_field=propose_new),
            )
    routes.update(extra or {})
    register(Section(model, prefix, set(routes), tuple(exports), list_view, form_class))
    return [
        path(f"{prefix}/{route}", view, name=f"{name}_{action}")
        for action, (route, view) in routes.items()
    ]
