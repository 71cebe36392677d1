"""The audit trail, readable: who changed what and when, old and new values side by side."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.text import capfirst
from django_countries import countries
from django_countries.fields import CountryField

from leadit.people import name_of

from .columns import field_kind
from .formatting import money_text

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
SKIPPED = {"version", "updated_at", "created_at", "search_text"}
EMPTY = "—"


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
    names = related_names((c["field"], c[side]) for c in changes for side in ("old", "new"))
    for change in changes:
        for side in ("old", "new"):
            change[side] = readable(change["field"], change[side], names)


def related_names(pairs) -> dict:
    """{related model: {id: name}} for the related records among (field, stored value) pairs
    (a many-to-many value is a list of ids): one query per related model, whatever the number
    of values."""
    wanted: dict = {}
    for field, value in pairs:
        if field is not None and field.is_relation:
            ids = value if isinstance(value, list) else [value]
            wanted.setdefault(field.related_model, set()).update(
                i for i in ids if isinstance(i, int)
            )
    return {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
        if ids
    }


def readable(field, value, names: dict):
    """A stored value as a person reads it: "—" for none, related records by name (`names`
    from related_names), a choice or a country by its label, yes or no, money as every page
    writes it (1,200, not 1200.00); any other value as it is."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):  # a yes/no field, or a yes/no/unknown one that is known
        return "Yes" if value else "No"
    if field is None:
        return value
    if field.is_relation:
        known = names.get(field.related_model, {})
        ids = value if isinstance(value, list) else [value]
        return ", ".join(known.get(i, f"#{i} (deleted)") for i in ids)
    if isinstance(field, CountryField):
        return countries.name(value) or value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field_kind(field) == "money":
        return money_text(value)
    return value


def hidden_fields(model, user) -> frozenset[str]:
    """The fields of `model` whose changes the user may not read: its internal ones (their
    declaration says which, leadit.sections.internal), unless the user sees them."""
    from .columns import declaration_for
    from .internal import sees_internal

    if user is None or sees_internal(user):
        return frozenset()
    return frozenset(declaration_for(model).internal)


def record_history(obj, user=None) -> list[dict]:
    """Every version of `obj`, newest first, each with its changed fields (those the user may
    read); with the changes of the records listed in the model's `history_parts` (reverse
    relations, e.g. a project's financing tranches), each labelled with the part it concerns."""
    model = type(obj)
    entries = _versions(
        model, obj.history.select_related("history_user"), hidden=hidden_fields(model, user)
    )
    for relation in getattr(type(obj), "history_parts", ()):
        field = obj._meta.get_field(relation)
        part = field.related_model
        history = part.history.filter(**{field.field.attname: obj.pk})
        # The parts' own relations (a tranche's provider) come along: their names label them.
        related = [
            f.name
            for f in part.history.model._meta.fields
            if f.is_relation
            and f.name not in (field.field.name, "history_user", "history_relation")
        ]
        parts = _versions(
            part,
            history.select_related("history_user", *related),
            key="id",
            hidden=hidden_fields(part, user),
        )
        for entry in parts:
            entry["part"] = f"{capfirst(part._meta.verbose_name)}: {_name(part, entry['version'])}"
        entries.extend(parts)
    entries.sort(key=lambda e: (e["version"].history_date, e["version"].history_id), reverse=True)
    return entries


def _name(model, version) -> str:
    """What the record was called in that version (its model's own __str__ on the old values)."""
    try:
        return model.__str__(version)
    except ObjectDoesNotExist:  # a related record since removed
        return f"#{version.id}"


def _versions(model, history, key=None, hidden=frozenset()) -> list[dict]:
    """Entries for the historical rows of `model` (of one record, or of several told apart by
    `key`), newest first, each compared with the version before it."""
    versions = list(history.order_by("-history_date", "-history_id"))
    previous: dict = {}
    for version in reversed(versions):  # oldest first: each version's predecessor
        record = getattr(version, key) if key else None
        version._older = previous.get(record)
        previous[record] = version
    entries, all_changes = [], []
    for newer in versions:
        older = newer._older
        changes = field_changes(model, newer, older)
        # Changes of internal fields are left out for a reader who may not see them.
        visible = [change for change in changes if change["field"].name not in hidden]
        all_changes.extend(visible)
        entries.append(
            {
                "version": newer,
                "action": ACTIONS.get(newer.history_type, "?"),
                "changes": visible,
                "internal_only": bool(changes) and not visible,
                # An edit with no earlier version kept (a record loaded in bulk).
                "no_baseline": older is None and newer.history_type == "~",
            }
        )
    label_values(model, all_changes)
    return entries


class Trail:
    """How one model appears in the tracker-wide history: its label and the page it links to."""

    def __init__(self, model, label: str, url_name=None, url_id="id"):
        self.model, self.label, self.url_name, self.url_id = model, label, url_name, url_id

    @property
    def key(self) -> str:
        return self.model._meta.model_name

    def label_field(self):
        """The stored field the label comes from ("organisation.name" joins the organisation)."""
        parts = self.label.split(".")
        if self.model._meta.get_field(parts[0]).is_relation:
            return "__".join(parts)
        return parts[0]  # e.g. a country code, named in Python

    def rows(self, *, user, since, until, limit):
        """This model's newest `limit` changes, as plain columns shared by every trail."""
        history = self.model.history.all()
        if user is not None:  # a username: an unknown one matches nothing, like a quiet user
            history = history.filter(history_user__username=user)
        if since is not None:
            history = history.filter(history_date__date__gte=since)
        if until is not None:
            history = history.filter(history_date__date__lte=until)
        newest = history.order_by("-history_date").values("history_id")[:limit]
        return (
            self.model.history.filter(history_id__in=newest)
            .order_by()
            .annotate(
                trail=Value(self.key, output_field=CharField()),
                label_value=Cast(F(self.label_field()), output_field=CharField()),
                target=F(self.url_id),
                username=F("history_user__username"),
                first_name=F("history_user__first_name"),
                last_name=F("history_user__last_name"),
            )
            .values_list(
                "trail",
                "history_date",
                "history_type",
                "label_value",
                "target",
                "username",
                "first_name",
                "last_name",
            )
        )

    def describe(self, date, action, label, target, username, first_name, last_name) -> dict:
        if label is not None and isinstance(
            self.model._meta.get_field(self.label.split(".")[0]), CountryField
        ):
            label = countries.name(label) or label
        url = None
        if self.url_name and target is not None and not (action == "-" and self.url_id == "id"):
            url = reverse(self.url_name, args=[target])
        return {
            "date": date,
            "username": username,
            "person": name_of(first_name, last_name, username),
            "kind": capfirst(self.model._meta.verbose_name),
            "label": label if label not in (None, "") else "?",
            "url": url,
            "action": ACTIONS.get(action, "?"),
        }


def latest_changes(trails, *, user=None, since=None, until=None, limit=100) -> list[dict]:
    """The newest changes across the given models, in one query: each model's newest `limit`
    (an indexed look-up), united, sorted by date and cut to `limit`."""
    if not trails:
        return []
    by_key = {trail.key: trail for trail in trails}
    branches = [t.rows(user=user, since=since, until=until, limit=limit) for t in trails]
    united = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    rows = united.order_by("-history_date")[:limit]
    return [by_key[key].describe(*rest) for key, *rest in rows]
