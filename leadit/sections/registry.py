"""Which pages each section has, and the one naming rule for them: `viewname(model, action)`.

Filled by `leadit.sections.urls.section_urls` as the URL configuration is loaded; pages ask it
whether a model has, say, an edit page instead of trying to reverse a name.
"""

from dataclasses import dataclass, field

from django.urls import reverse


def viewname(model, action: str) -> str:
    """The URL name of a model's page: 'partnerships:project_list', '..._detail', ..."""
    meta = model._meta
    return f"{meta.app_label}:{meta.model_name}_{action}"


@dataclass
class Section:
    model: type
    prefix: str  # the URL path of the list, e.g. "pipeline"
    actions: set[str] = field(default_factory=set)  # list, detail, create, update, delete, ...
    exports: tuple[str, ...] = ()  # file formats of the list's export: "csv", "xlsx"
    list_view: type | None = None
    form_class: type | None = None

    @property
    def name(self) -> str:
        return self.prefix


_SECTIONS: dict[type, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.model] = section


def _loaded() -> dict[type, Section]:
    if not _SECTIONS:  # asked before any request loaded the URL configuration
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018
    return _SECTIONS


def sections() -> list[Section]:
    """Every registered section, in the order the URL configuration declared them."""
    return list(_loaded().values())


def section_of(model) -> Section | None:
    return _loaded().get(model)


def has_page(model, action: str) -> bool:
    section = _loaded().get(model)
    return section is not None and action in section.actions


def url_of(model, action: str, *args) -> str | None:
    """The URL of a model's page, or None when its section has no such page."""
    return reverse(viewname(model, action), args=args) if has_page(model, action) else None
