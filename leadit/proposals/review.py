"""A proposal against the record as it is now: per field, the value when proposed, the
proposed value, the current value, and whether someone changed it meanwhile (a conflict).
Pages of many proposals read each model's records in one query, whatever the number of rows."""

from collections import defaultdict

from django.db.models import Prefetch

from leadit.sections.columns import field_kind
from leadit.sections.history import EMPTY

from . import changes as values
from .models import Proposal


def attach_diffs(proposals) -> None:
    """Give each proposal `rows` (its diff against the current record), `record` (None for a
    new record not yet created, or one deleted since) and `conflicts` (field names)."""
    by_model = defaultdict(list)
    for proposal in proposals:
        if proposal.object_id is not None:
            by_model[proposal.content_type_id].append(proposal)
    records = {}
    for group in by_model.values():
        model = group[0].model
        many = {
            name
            for proposal in group
            for name in proposal.changes
            if getattr(values.model_field(model, name), "many_to_many", False)
        }
        queryset = model._default_manager.prefetch_related(*[Prefetch(name) for name in many])
        found = queryset.in_bulk({p.object_id for p in group})
        for proposal in group:
            records[proposal.pk] = found.get(proposal.object_id)
    unlabelled = defaultdict(list)  # model -> change sets whose current values need names
    for proposal in proposals:
        record = records.get(proposal.pk)
        proposal.record = record
        proposal.gone = proposal.kind == Proposal.Kind.CHANGE and record is None
        rows, conflicts, to_label = [], [], {}
        for name, change in proposal.changes.items():
            row = {
                "name": name,
                "label": change.get("label", name),
                "old": change.get("old"),
                "new": change.get("new"),
                # Stored with the proposal; a value without its label reads as itself.
                "old_display": change.get("old_display", _plain(change.get("old"))),
                "new_display": change.get("new_display", _plain(change.get("new"))),
                "current": None,
                "current_display": EMPTY,
            }
            field = values.model_field(proposal.model, name)
            if _is_money(field):
                # Amounts are written when shown, from the stored value, so a proposal made
                # before reads as every page does (1,200, not the stored 1200).
                for side in ("old", "new"):
                    row[f"{side}_display"] = values.display(field, row[side], {})
            change = row
            if record is not None and proposal.kind == Proposal.Kind.CHANGE:
                current = values.stored_value(record, name)
                row["current"] = current
                row["applied"] = values.same(current, change["new"])
                # Only a pending proposal can conflict: a decided one is history, and the
                # record may have moved on since without contradicting it.
                row["conflict"] = (
                    proposal.is_pending
                    and not values.same(current, change["old"])
                    and not row["applied"]
                )
                if values.same(current, change["old"]):
                    row["current_display"] = change["old_display"]
                elif row["applied"]:
                    row["current_display"] = change["new_display"]
                else:
                    to_label[name] = row
                if row["conflict"]:
                    conflicts.append(name)
            rows.append(row)
        if to_label:
            unlabelled[proposal.model].append(to_label)
        proposal.rows, proposal.conflicts = rows, conflicts
    for model, change_sets in unlabelled.items():
        values.label_changes(model, change_sets, sides=("current",))


def _is_money(field) -> bool:
    return field is not None and field_kind(field) == "money"


def _plain(value) -> str:
    return EMPTY if value in (None, "", []) else str(value)
