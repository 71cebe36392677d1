"""The one list of sections the tests walk: every section the URL configuration registers
(leadit.sections.registry), with a factory for its records. A new section without a factory
here fails `test_every_section_has_test_data`, so access, editing, query-budget, hostile-input
and page tests all cover it."""

from leadit.sections.registry import sections

from . import factories

FACTORIES = {
    "pipeline": factories.ProjectFactory,
    "members": factories.MemberFactory,
    "organisations": factories.OrganisationFactory,
    "contacts": factories.ContactFactory,
    "engagements": factories.EngagementFactory,
    "partnerships": factories.PartnershipFactory,
    "assistance": factories.AssistanceFactory,
    "forum": factories.ForumActivityFactory,
}


def all_sections():
    return sections()


def names() -> list[str]:
    return [section.name for section in sections()]


def by_name(name: str):
    return next(section for section in sections() if section.name == name)


def list_url(section) -> str:
    return f"/{section.prefix}/"


def filter_names(section) -> list[str]:
    """Every query parameter the section's list takes."""
    return [*section.list_view.filterset_class.base_filters, "page"]


def form_field_names(section) -> list[str]:
    return [name for name in section.form_class.base_fields if name != "loaded_version"]
