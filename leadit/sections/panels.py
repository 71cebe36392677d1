"""Panels that one app contributes to another app's record pages.

`members` shows a member's page without knowing `partnerships`; `partnerships` registers the
panels it has for a member (projects sponsored, engagements, partnerships, forum activity) and
the page renders whatever is registered. Each panel fetches its rows in one query.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    title: str
    template: str  # renders `rows` (and `record`) inside the panel
    rows: Callable[[object], Iterable]  # the record -> what the panel lists
    permission: str  # what a user needs to see it, e.g. "partnerships.view_project"
    empty: str = "None recorded."
    order: int = 100


_PANELS: dict[type, dict[str, Panel]] = {}


def register_panel(model, panel: Panel) -> None:
    """Register (or replace) a panel; registering again, as a second app registry's ready()
    does, does not show it twice."""
    _PANELS.setdefault(model, {})[panel.title] = panel


def panels_for(record, user) -> list[dict]:
    """The panels registered for this record's model that the user may see, in order, with
    their rows fetched."""
    panels = sorted(_PANELS.get(type(record), {}).values(), key=lambda panel: panel.order)
    return [
        {"panel": panel, "rows": list(panel.rows(record))}
        for panel in panels
        if user.has_perm(panel.permission)
    ]
