"""The audit trail, readable: who changed what and when, old and new values side by side."""

from django.db.models import ForeignKey
from django.urls import reverse
from django.utils.text import capfirst

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
SKIPPED = {"version", "updated_at", "created_at"}


def field_changes(model, newer, older) -> list[dict]:
    """Changed fields between two historical records of `model`, labelled for people."""
    if older is None:
        return []
    changes = []
    for change in newer.diff_against(older, excluded_fields=SKIPPED).changes:
        field = model._meta.get_field(change.field)
        changes.append(
            {
                "field": field,
                "label": capfirst(field.verbose_name),
                "old": change.old,
                "new": change.new,
            }
        )
    return changes


def label_values(model, changes: list[dict]) -> None:
    """Turn stored values into what a person reads: choice labels, related names (one query
    per related model, whatever the number of changes)."""
    wanted: dict = {}
    for change in changes:
        field = change["field"]
        if isinstance(field, ForeignKey):
            wanted.setdefault(field.related_model, set()).update(
                v for v in (change["old"], change["new"]) if v is not None
            )
    names = {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }
    for change in changes:
        field = change["field"]
        for side in ("old", "new"):
            value = change[side]
            if value in (None, ""):
                change[side] = "—"
            elif isinstance(field, ForeignKey):
                change[side] = names[field.related_model].get(value, f"#{value} (deleted)")
            elif field.choices:
                change[side] = dict(field.flatchoices).get(value, value)


def record_history(obj) -> list[dict]:
    """Every version of `obj`, newest first, each with its changed fields."""
    versions = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    entries, all_changes = [], []
    older_ones = [*versions[1:], None] if versions else []
    for newer, older in zip(versions, older_ones, strict=True):
        changes = field_changes(type(obj), newer, older)
        all_changes.extend(changes)
        entries.append(
            {
                "version": newer,
                "action": ACTIONS.get(newer.history_type, "?"),
                "changes": changes,
                # An edit with no earlier version kept (a record loaded in bulk).
                "no_baseline": older is None and newer.history_type == "~",
            }
        )
    label_values(type(obj), all_changes)
    return entries


class Trail:
    """How one model appears in the tracker-wide history: its label and the page it links to."""

    def __init__(self, model, label: str, related=(), url_name=None, url_id="id"):
        self.model, self.label, self.related = model, label, related
        self.url_name, self.url_id = url_name, url_id

    @property
    def key(self) -> str:
        return self.model._meta.model_name

    def describe(self, row) -> dict:
        value = row
        for part in self.label.split("."):
            value = getattr(value, part, None) if value is not None else None
        url = None
        if self.url_name and not (row.history_type == "-" and self.url_id == "id"):
            url = reverse(self.url_name, args=[getattr(row, self.url_id)])
        return {
            "row": row,
            "kind": capfirst(self.model._meta.verbose_name),
            "label": str(value) if value is not None else "?",
            "url": url,
            "action": ACTIONS.get(row.history_type, "?"),
        }


def latest_changes(trails, *, user=None, since=None, until=None, limit=100) -> list[dict]:
    """The newest changes across the given models: one query per model, merged by date."""
    rows = []
    for trail in trails:
        history = trail.model.history.select_related("history_user", *trail.related)
        if user is not None:
            history = history.filter(history_user=user)
        if since is not None:
            history = history.filter(history_date__date__gte=since)
        if until is not None:
            history = history.filter(history_date__date__lte=until)
        rows.extend(trail.describe(row) for row in history.order_by("-history_date")[:limit])
    rows.sort(key=lambda entry: entry["row"].history_date, reverse=True)
    return rows[:limit]
