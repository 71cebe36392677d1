"""Bulk changes from a list: select rows (or every row matching the filters), pick an action,
see a preview of what changes, confirm.

Each list view declares its actions (`FilteredListView.bulk_actions`); one view (`BulkView`, at
`<section>/bulk/`) and one template (generic/bulk_preview.html) serve every section. Each record
is saved through its model's save(), so the audit trail has one entry per record crediting the
user; a record whose version changed since the list was shown is reported, not overwritten.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views import View

from .registry import section_of, url_of
from .views import can, list_label, require_perm

# At most this many records per action: a larger change is a data migration, not a click.
BULK_MAX_RECORDS = getattr(settings, "BULK_MAX_RECORDS", 2000)


@dataclass(frozen=True)
class BulkAction:
    """One thing a list can do to the selected records.

    `apply(record, cleaned_data)` changes the record in memory and returns the fields it
    changed (saved with update_fields); `form` asks for what the action needs (a partnership)."""

    name: str
    label: str
    permission: str = "change"  # the model permission needed: "change" or "delete"
    apply: object = None
    form: type[forms.Form] | None = None

    @property
    def deletes(self) -> bool:
        return self.permission == "delete"


def _verify(record, data):
    record.last_verified_on = datetime.date.today()
    return ["last_verified_on"]


def _set_confidence(record, data):
    record.confidence = data["confidence"]
    return ["confidence"]


def _move(record, data):
    record.partnership = data["partnership"]
    record.working_group = data["working_group"]
    return ["partnership", "working_group"]


class ConfidenceForm(forms.Form):
    confidence = forms.ChoiceField(label="Confidence")

    def __init__(self, *args, model=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confidence"].choices = model._meta.get_field("confidence").choices


class MoveForm(forms.Form):
    """A partnership, and optionally one of its working groups."""

    partnership = forms.ModelChoiceField(queryset=None, label="Partnership")
    working_group = forms.ModelChoiceField(
        queryset=None, required=False, label="Working group", empty_label="No working group"
    )

    def __init__(self, *args, model=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = model._meta.get_field(
            "partnership"
        ).related_model._default_manager.all()
        self.fields["working_group"].queryset = model._meta.get_field(
            "working_group"
        ).related_model._default_manager.all()

    def clean(self):
        data = super().clean()
        group, partnership = data.get("working_group"), data.get("partnership")
        if group and partnership and group.partnership_id != partnership.pk:
            self.add_error(
                "working_group",
                f"“{group.name}” is a working group of {group.partnership}, not of {partnership}.",
            )
        return data


VERIFY = BulkAction("verify", "Mark verified today", apply=_verify)
MOVE = BulkAction("move", "Move to a partnership / working group", apply=_move, form=MoveForm)
SET_CONFIDENCE = BulkAction(
    "confidence", "Set the confidence", apply=_set_confidence, form=ConfidenceForm
)
DELETE = BulkAction("delete", "Delete", permission="delete")


def default_actions(model) -> tuple[BulkAction, ...]:
    """What every section can do: verify (records with a last-verified date) and delete."""
    verifiable = any(f.name == "last_verified_on" for f in model._meta.fields)
    return (VERIFY, DELETE) if verifiable else (DELETE,)


def allowed_actions(view_class, user) -> list[BulkAction]:
    model = view_class.model
    actions = view_class.bulk_actions
    if actions is None:
        actions = default_actions(model)
    return [a for a in actions if can(user, a.permission, model)]


def parse_picks(values) -> dict[int, int]:
    """{pk: version shown} from the rows' checkboxes ("pk:version"); malformed ones are
    dropped (they name no record)."""
    picks = {}
    for value in values:
        pk, _, version = value.partition(":")
        if pk.isdigit() and version.isdigit() and len(pk) < 19 and len(version) < 19:
            picks[int(pk)] = int(version)
    return picks


class BulkView(View):
    """POST only. step=preview: how many records change, which are protected; step=confirm:
    apply, then back to the list with a summary."""

    http_method_names = ["post"]
    model = None
    template_name = "generic/bulk_preview.html"

    def dispatch(self, request, *args, **kwargs):
        section = section_of(self.model)
        self.list_view = section.list_view
        # Viewers learn nothing here: a 403 before anything is read.
        self.actions = allowed_actions(self.list_view, request.user)
        if not self.actions:
            raise PermissionDenied(
                f"You may not change {self.model._meta.verbose_name_plural} in bulk."
            )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        by_name = {a.name: a for a in self.actions}
        action = by_name.get(request.POST.get("action", ""))
        if action is None:
            return self.render({"error": "Choose an action for the selected records."}, 422)
        require_perm(request.user, action.permission, self.model)
        picks = self.selection()
        if picks is None:
            return self.render({"error": "Some filters are not valid: nothing selected."}, 422)
        if not picks:
            return self.render({"error": "No records selected: tick some rows first."}, 422)
        if len(picks) > BULK_MAX_RECORDS:
            return self.render(
                {
                    "error": f"{len(picks):,} records selected: at most {BULK_MAX_RECORDS:,} "
                    "can be changed at once. Narrow the filters and try again.",
                },
                422,
            )
        confirming = request.POST.get("step") == "confirm"
        form = None
        if action.form:
            # The preview asks for what the action needs (a partnership); confirm checks it.
            data = request.POST if confirming else None
            form = action.form(data, model=self.model, prefix="bulk", auto_id="bulk-%s")
            if confirming and not form.is_valid():
                return self.preview(action, form, picks, status=422)
        if confirming:
            return self.apply(action, form, picks)
        return self.preview(action, form, picks)

    def selection(self) -> dict[int, int] | None:
        """{pk: version} of the records chosen: the ticked rows, or every record matching the
        list's filters (the query string) with their current versions."""
        request = self.request
        if request.POST.get("step") == "confirm" or request.POST.get("all") != "1":
            return parse_picks(request.POST.getlist("pick"))
        view = self.list_view(request=request, args=(), kwargs={})
        view.setup(request)
        filterset = view.get_filterset(view.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return None
        # One more than the limit tells "too many" without reading them all.
        rows = filterset.qs.order_by().values_list("pk", "version")[: BULK_MAX_RECORDS + 1]
        return dict(rows)

    def batch(self, picks, lock=False):
        """The selected records still there, in one query."""
        queryset = self.model._default_manager.filter(pk__in=list(picks)).order_by("pk")
        return list(queryset.select_for_update() if lock else queryset)

    def preview(self, action, form, picks, status=200):
        records = self.batch(picks)
        stale = [r for r in records if r.version != picks[r.pk]]
        fresh = [r for r in records if r.version == picks[r.pk]]
        blocked = []
        if action.deletes and fresh:
            collector = NestedObjects(using=router.db_for_write(self.model))
            collector.collect(fresh)
            blocking = {*collector.protected, *getattr(collector, "restricted", ())}
            blocked = [b for b in blocking if not type(b).__name__.startswith("Historical")]
        context = {
            "action": action,
            "form": form,
            "records": fresh,
            "count": len(fresh),
            "stale": stale,
            "gone": len(picks) - len(records),
            "blocked": blocked,
            "picks": [f"{r.pk}:{r.version}" for r in fresh],
        }
        return self.render(context, status)

    def apply(self, action, form, picks):
        data = form.cleaned_data if form else {}
        changed, stale, blocked = 0, [], []
        with transaction.atomic():
            # Locked, then checked: a save in between cannot slip past the version check.
            records = self.batch(picks, lock=True)
            for record in records:
                if record.version != picks[record.pk]:
                    stale.append(record)
                elif action.deletes:
                    try:
                        with transaction.atomic():
                            record.delete()
                        changed += 1
                    except (ProtectedError, RestrictedError):
                        blocked.append(record)
                else:
                    record.save(update_fields=action.apply(record, data))
                    changed += 1
        self.report(action, changed, stale, blocked, len(picks) - len(records))
        return HttpResponseRedirect(self.list_url(), status=303)

    def report(self, action, changed, stale, blocked, gone):
        meta, request = self.model._meta, self.request
        noun = meta.verbose_name if changed == 1 else meta.verbose_name_plural
        verb = "deleted" if action.deletes else "changed"
        messages.success(request, f"{action.label}: {changed:,} {noun} {verb}.")
        if stale:
            names = ", ".join(f"“{r}”" for r in stale[:10])
            messages.warning(
                request,
                f"{len(stale):,} not {verb}: edited by someone else since the list was shown "
                f"({names}). Reload the list and try again.",
            )
        if blocked:
            names = ", ".join(f"“{r}”" for r in blocked[:10])
            messages.warning(
                request, f"{len(blocked):,} not deleted: other records depend on them ({names})."
            )
        if gone:
            messages.warning(request, f"{gone:,} no longer exist.")

    def list_url(self) -> str:
        query = self.request.GET.urlencode()
        return url_of(self.model, "list") + (f"?{query}" if query else "")

    def render(self, context, status=200):
        meta = self.model._meta
        context.setdefault("action", None)
        context.update(
            model_name=meta.verbose_name,
            verbose_name_plural=meta.verbose_name_plural,
            list_url=self.list_url(),
            list_label=list_label(self.model),
            bulk_url=self.request.get_full_path(),
            title=f"Change {meta.verbose_name_plural}"
            if not (context["action"] and context["action"].deletes)
            else f"Delete {meta.verbose_name_plural}",
            max_records=BULK_MAX_RECORDS,
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


def bulk_context(view) -> dict:
    """What the list template needs to offer bulk changes (nothing for a viewer)."""
    actions = allowed_actions(type(view), view.request.user)
    if not actions or not url_of(view.model, "bulk"):
        return {"bulk_actions": []}
    return {"bulk_actions": actions, "bulk_url": url_of(view.model, "bulk")}
