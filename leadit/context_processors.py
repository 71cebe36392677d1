"""Navigation by LeadIT's pillars, shared by every page."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

# (pillar, [(label, url name, url prefix)])
NAVIGATION = [
    (
        "Overview",
        [
            ("Dashboard", "dashboard", "/"),
            ("Members", "members:member_list", "/members/"),
            ("Organisations", "members:organisation_list", "/organisations/"),
            ("Contacts", "members:contact_list", "/contacts/"),
            # The Secretariat's only (the menu offers what a role may open).
            ("Focal points", "accounts:focalpoint_list", "/focal-points/"),
            ("History", "history", "/history/"),
            # The Secretariat's review queue; a focal point's own proposals.
            ("Proposals", "proposals:proposal_list", "/proposals/"),
        ],
    ),
    (
        "Pillar 1 · Global Forum",
        [("Forum activity", "partnerships:forumactivity_list", "/forum/")],
    ),
    (
        "Pillar 2 · Technology transfer",
        [("Engagements", "partnerships:engagement_list", "/engagements/")],
    ),
    (
        "Pillar 3 · Partnerships",
        [
            ("Partnerships", "partnerships:partnership_list", "/partnerships/"),
            ("Assistance", "partnerships:assistance_list", "/assistance/"),
            ("Project pipeline", "partnerships:project_list", "/pipeline/"),
        ],
    ),
]


def menu_label(url_name: str) -> str | None:
    """The menu's word for a page (breadcrumbs use it too), or None when it is not in the menu."""
    for _, links in NAVIGATION:
        for label, name, _prefix in links:
            if name == url_name:
                return label
    return None


def navigation(request):
    """The menu, worked out only when a template shows it (htmx fragments do not)."""
    return {"navigation": SimpleLazyObject(lambda: menu(request))}


def menu(request) -> list[dict]:
    from leadit.sections.views import may_open

    path = request.path
    sections = []
    for pillar, links in NAVIGATION:
        items = []
        for label, name, prefix in links:
            url = reverse(name)
            if not may_open(request.user, url):
                continue  # a page the user's role does not open is not offered
            active = path == prefix if prefix == "/" else path.startswith(prefix)
            items.append({"label": label, "url": url, "active": active})
        if items:
            sections.append({"pillar": pillar, "links": items})
    return sections
