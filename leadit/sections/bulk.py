"""Bulk changes from a list: select rows (or every row matching the filters), pick an action,
see a preview of what changes, confirm.

Each list view declares its actions (`FilteredListView.bulk_actions`); one view (`BulkView`, at
`<section>/bulk/`) and one template (generic/bulk_preview.html) serve every section. Up to
`BULK_INLINE_MAX` records change in the request; a larger selection (up to `BULK_MAX_RECORDS`)
becomes a job of the background worker (leadit.jobs.bulk) with progress and a summary.

Either way the records are read, locked, checked and written `BULK_BATCH_SIZE` at a time
(`apply_change`): one read of the batch (under `select_for_update` where the database has it),
its version numbers compared with those the officer saw, then one `bulk_update` of the changed
fields with the version bump and one insert of the audit-trail entries (django-simple-history's
`bulk_update_with_history`, one entry per record crediting the user): a fixed number of queries
per batch. A record whose version changed since the list was shown is reported (with who edited
it), not overwritten. Deletes stay one record at a time (each in a savepoint), so a record that
others depend on is refused exactly as a single delete is, and reported with why.

Bulk writes bypass `save()` and its signals: an action changes only fields no `save()` derives
anything from (dates, choices, relations), `search_text` is rebuilt here if it covers them, and
`records_changed` tells whoever keeps figures (the dashboard) once the change is written.
"""

import datetime
from collections import Counter
from dataclasses import asdict, dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import NestedObjects
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import F, Max, ProtectedError, RestrictedError
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.views import View
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from leadit.people import person_name

from .registry import section_of, url_of
from .search import Searchable
from .views import can, list_label, require_perm

# Sent (sender: the model) once a bulk change has written records without save(), so no
# post_save: the dashboard queues its refresh on it (partnerships.dashboard.connect_refresh).
records_changed = Signal()

SHOWN = 200  # records named in a summary (the counts are complete)
SELECTION_SALT = "leadit.sections.bulk.selection"
SELECTION_MAX_AGE = 24 * 3600  # a preview older than a day is selected again


class BulkRefused(Exception):
    """A bulk change that may not or cannot run; the message says why, to the officer."""


class SelectionError(BulkRefused):
    """The selection cannot be read (invalid filters, an altered or old preview)."""


@dataclass(frozen=True)
class BulkAction:
    """One thing a list can do to the selected records.

    `apply(record, cleaned_data)` changes the record in memory and returns the fields it
    changed (written by one bulk_update per batch, so never a field that save() derives
    others from); `form` asks for what the action needs (a partnership) and is checked again
    when a background job runs it."""

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


def encode_selection(model, picks: dict[int, int]) -> str:
    """The selection a preview shows, as one signed, compressed value for its confirm form:
    50,000 records fit in a few kilobytes (ids as gaps, mostly 1), where one hidden input per
    record would pass Django's limit on the number of fields in a request."""
    pks = sorted(picks)
    gaps = [b - a for a, b in zip([0, *pks], pks, strict=False)]
    payload = {"m": model._meta.label_lower, "p": gaps, "v": [picks[pk] for pk in pks]}
    return signing.dumps(payload, salt=SELECTION_SALT, compress=True)


def decode_selection(model, token: str, max_age: int | None = SELECTION_MAX_AGE):
    try:
        payload = signing.loads(token, salt=SELECTION_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise SelectionError(
            "This preview is more than a day old: select the records again."
        ) from None
    except signing.BadSignature:
        raise SelectionError("The selection was altered: select the records again.") from None
    if payload.get("m") != model._meta.label_lower:
        raise SelectionError("This selection is of other records: select the records again.")
    pks, pk = [], 0
    for gap in payload["p"]:
        pk += gap
        pks.append(pk)
    return dict(zip(pks, payload["v"], strict=True))


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Outcome:
    """What a bulk change did: the inline change's messages and a job's summary."""

    changed: int = 0
    gone: int = 0
    stale_count: int = 0
    stale: list = field(default_factory=list)  # {"name", "url", "by"}, the first SHOWN
    blocked_count: int = 0
    blocked: list = field(default_factory=list)  # {"name", "url", "why"}, the first SHOWN

    def as_dict(self) -> dict:
        return asdict(self)


def _entry(record, **extra) -> dict:
    return {"name": str(record), "url": url_of(type(record), "detail", record.pk), **extra}


def editors(model, records) -> dict[int, str]:
    """Who last changed each record (its newest audit-trail entry), in one query."""
    history = model.history.model
    pk = model._meta.pk.attname
    newest = (
        history.objects.filter(**{f"{pk}__in": [r.pk for r in records]})
        .order_by()
        .values(pk)
        .annotate(newest=Max("history_id"))
        .values("newest")
    )
    rows = history.objects.filter(history_id__in=newest).select_related("history_user")
    return {getattr(row, pk): person_name(row.history_user) for row in rows}


def why_blocked(error) -> str:
    """ "2 projects depend on it (“A”, “B”)": what a refused delete names, as a single one does."""
    found = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
    found = [o for o in found if not type(o).__name__.startswith("Historical")]
    kinds = Counter(type(o) for o in found)
    parts = [
        f"{n:,} {m._meta.verbose_name if n == 1 else m._meta.verbose_name_plural}"
        for m, n in kinds.items()
    ]
    names = ", ".join(f"“{o}”" for o in found[:3]) + ("…" if len(found) > 3 else "")
    verb = "depends" if len(found) == 1 else "depend"
    if not found:
        return "other records depend on it"
    return f"{' and '.join(parts)} {verb} on it ({names})"


def apply_change(model, action, data, picks, user, progress=None) -> Outcome:
    """Apply `action` to the records `picks` names ({pk: version shown}), as `user`, batch by
    batch, each batch in its own transaction; `progress(records_done)` after each batch."""
    outcome = Outcome()
    reason = f"Bulk change: {action.label}"[:100]
    done = 0
    for chunk in chunks(sorted(picks), settings.BULK_BATCH_SIZE):
        with transaction.atomic():
            # Locked, then compared: a save in between cannot slip past the version check.
            records = list(
                model._default_manager.filter(pk__in=chunk)
                .order_by("pk")
                .select_for_update(of=("self",))
            )
            outcome.gone += len(chunk) - len(records)
            fresh = [r for r in records if r.version == picks[r.pk]]
            stale = [r for r in records if r.version != picks[r.pk]]
            if stale:
                _report_stale(model, stale, outcome)
            if action.deletes:
                _delete(fresh, user, reason, outcome)
            elif fresh:
                _update(model, action, data, fresh, user, reason)
                outcome.changed += len(fresh)
        done += len(chunk)
        if progress:
            progress(done)
    if outcome.changed and not action.deletes:
        records_changed.send(sender=model)
    return outcome


def _report_stale(model, stale, outcome) -> None:
    outcome.stale_count += len(stale)
    room = SHOWN - len(outcome.stale)
    if room > 0:
        shown = stale[:room]
        by = editors(model, shown)
        outcome.stale += [_entry(r, by=by.get(r.pk, "")) for r in shown]


def _update(model, action, data, records, user, reason) -> None:
    now = timezone.now()
    changed = set()
    for record in records:
        changed.update(action.apply(record, data))
        # What TrackedModel.save() would do: bulk_update sends no pre_save and sets no auto_now.
        record.version += 1
        record.updated_at = now
    if issubclass(model, Searchable) and changed & set(model.search_text_fields):
        for record in records:
            record.search_text = record.build_search_text()
        changed.add("search_text")
    columns = [model._meta.get_field(name).attname for name in sorted(changed)]
    first = records[0]
    if all(getattr(r, c) == getattr(first, c) for c in columns for r in records):
        # The same values for the whole batch (verified today, a partnership, a confidence):
        # one plain UPDATE, where bulk_update would build a CASE per record and field (most
        # of its time, in Python). The rows are locked and their versions checked: +1 is
        # the version set on each record above.
        model._default_manager.filter(pk__in=[r.pk for r in records]).update(
            **{c: getattr(first, c) for c in columns}, version=F("version") + 1, updated_at=now
        )
        written = []  # only the audit trail is left to write
    else:
        written = [*sorted(changed), "version", "updated_at"]
    # One audit-trail entry per record, the record as it now is, crediting the user.
    bulk_update_with_history(
        records, model, written, default_user=user, default_change_reason=reason
    )


def _delete(records, user, reason, outcome) -> None:
    # One at a time, as a single delete: the cascade, the protection and the audit trail.
    for record in records:
        record._history_user, record._change_reason = user, reason
        try:
            with transaction.atomic():
                record.delete()
            outcome.changed += 1
        except (ProtectedError, RestrictedError) as error:
            outcome.blocked_count += 1
            if len(outcome.blocked) < SHOWN:
                outcome.blocked.append(_entry(record, why=why_blocked(error)))


def action_for(model, name: str, user):
    """The section's action `name`, if `user` may use it now (else None)."""
    section = section_of(model)
    actions = allowed_actions(section.list_view, user) if section else []
    return next((a for a in actions if a.name == name), None)


def action_form(action, model, data=None):
    if not action.form:
        return None
    return action.form(data, model=model, prefix="bulk", auto_id="bulk-%s")


def run_job(job, progress) -> dict:
    """The background worker's half of a bulk change (leadit.jobs.bulk): check again that the
    job's owner may make it, then apply it as them. Returns the summary (Job.result)."""
    from django.apps import apps

    model, owner = apps.get_model(job.model), job.owner
    action = action_for(model, job.params.get("action", ""), owner) if owner.is_active else None
    if action is None:
        raise BulkRefused(
            f"{person_name(owner)} may no longer change {model._meta.verbose_name_plural} this "
            "way: nothing was changed."
        )
    # The form's values as it posted them (a QueryDict, as in the request), checked again: the
    # partnership or working group chosen may have changed since.
    posted = QueryDict(mutable=True)
    for key, values in job.params.get("data", {}).items():
        posted.setlist(key, values)
    form = action_form(action, model, posted)
    if form is not None and not form.is_valid():
        errors = " ".join(" ".join(e) for e in form.errors.values())
        raise BulkRefused(f"What the change was confirmed with is no longer valid: {errors}")
    data = form.cleaned_data if form else {}
    picks = decode_selection(model, job.params["selection"], max_age=None)
    # Cascaded deletes and anything else saved meanwhile credit the owner, as in a request.
    request, context = HttpRequest(), HistoricalRecords.context
    request.user = owner
    previous = getattr(context, "request", None)
    context.request = request
    try:
        outcome = apply_change(model, action, data, picks, owner, progress)
    finally:
        if previous is not None:
            context.request = previous
        elif hasattr(context, "request"):
            del context.request
    return {
        "action": action.label,
        "deletes": action.deletes,
        "noun": str(model._meta.verbose_name_plural),
        **outcome.as_dict(),
    }


class BulkView(View):
    """POST only. step=preview: how many records change, which are protected, whether now or in
    the background; step=confirm: apply (or queue the job), then back to the list with a
    summary (or to the job's page)."""

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
        try:
            picks = self.selection()
        except SelectionError as error:
            return self.render({"error": str(error)}, 422)
        if not picks:
            return self.render({"error": "No records selected: tick some rows first."}, 422)
        limit = settings.BULK_MAX_RECORDS
        if len(picks) > limit:
            return self.render(
                {
                    "error": f"{len(picks):,} records selected: at most {limit:,} "
                    "can be changed at once. Narrow the filters and try again.",
                },
                422,
            )
        confirming = request.POST.get("step") == "confirm"
        # The preview asks for what the action needs (a partnership); confirm checks it.
        form = action_form(action, self.model, request.POST if confirming else None)
        if confirming and form is not None and not form.is_valid():
            return self.preview(action, form, picks, status=422)
        if not confirming:
            return self.preview(action, form, picks)
        if len(picks) > settings.BULK_INLINE_MAX:
            from leadit.jobs.bulk import hand_over_bulk

            job = hand_over_bulk(request, self.model, action, picks)
            return HttpResponseRedirect(job.get_absolute_url(), status=303)
        return self.apply(action, form, picks)

    def selection(self) -> dict[int, int]:
        """{pk: version} of the records chosen: the ticked rows, or every record matching the
        list's filters (the query string) with their current versions, or (confirming) the
        selection the preview showed."""
        request = self.request
        self.read_now = False
        if request.POST.get("step") == "confirm" and request.POST.get("selection"):
            return decode_selection(self.model, request.POST["selection"])
        if request.POST.get("step") == "confirm" or request.POST.get("all") != "1":
            return parse_picks(request.POST.getlist("pick"))
        view = self.list_view(request=request, args=(), kwargs={})
        view.setup(request)
        filterset = view.get_filterset(view.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            raise SelectionError("Some filters are not valid: nothing selected.")
        # One more than the limit tells "too many" without reading them all.
        limit = settings.BULK_MAX_RECORDS
        rows = filterset.qs.order_by().values_list("pk", "version")[: limit + 1]
        self.read_now = True
        return dict(rows)

    def preview(self, action, form, picks, status=200):
        manager = self.model._default_manager
        if self.read_now:
            current = picks  # the versions were read a moment ago
        else:
            current = {}
            for chunk in chunks(sorted(picks), settings.BULK_BATCH_SIZE):
                current.update(manager.filter(pk__in=chunk).values_list("pk", "version"))
        fresh = {pk: v for pk, v in current.items() if picks[pk] == v}
        stale = sorted(pk for pk, v in current.items() if picks[pk] != v)
        background = len(fresh) > settings.BULK_INLINE_MAX
        shown = sorted(fresh)[:20]
        blocked = []
        if action.deletes and fresh and not background:
            # Checked on every record while it is few; a job reports them at the end.
            collector = NestedObjects(using=router.db_for_write(self.model))
            collector.collect(list(manager.filter(pk__in=list(fresh))))
            blocking = {*collector.protected, *getattr(collector, "restricted", ())}
            blocked = [b for b in blocking if not type(b).__name__.startswith("Historical")]
        context = {
            "action": action,
            "form": form,
            "records": list(manager.filter(pk__in=shown).order_by("pk")) if shown else [],
            "count": len(fresh),
            "stale": list(manager.filter(pk__in=stale[:20]).order_by("pk")) if stale else [],
            "stale_count": len(stale),
            "gone": len(picks) - len(current),
            "blocked": blocked,
            "background": background,
            "selection": encode_selection(self.model, fresh) if fresh else "",
        }
        return self.render(context, status)

    def apply(self, action, form, picks):
        data = form.cleaned_data if form else {}
        outcome = apply_change(self.model, action, data, picks, self.request.user)
        self.report(action, outcome)
        return HttpResponseRedirect(self.list_url(), status=303)

    def report(self, action, outcome: Outcome):
        meta, request = self.model._meta, self.request
        changed = outcome.changed
        noun = meta.verbose_name if changed == 1 else meta.verbose_name_plural
        verb = "deleted" if action.deletes else "changed"
        messages.success(request, f"{action.label}: {changed:,} {noun} {verb}.")
        if outcome.stale_count:
            names = ", ".join(
                f"“{s['name']}”" + (f" by {s['by']}" if s["by"] else "") for s in outcome.stale[:10]
            )
            messages.warning(
                request,
                f"{outcome.stale_count:,} not {verb}: edited by someone else since the list was "
                f"shown ({names}). Reload the list and try again.",
            )
        if outcome.blocked_count:
            names = "; ".join(f"“{b['name']}”: {b['why']}" for b in outcome.blocked[:10])
            messages.warning(
                request,
                f"{outcome.blocked_count:,} not deleted: other records depend on them ({names}).",
            )
        if outcome.gone:
            messages.warning(request, f"{outcome.gone:,} no longer exist.")

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
            max_records=settings.BULK_MAX_RECORDS,
            inline_max=settings.BULK_INLINE_MAX,
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


def bulk_context(view) -> dict:
    """What the list template needs to offer bulk changes (nothing for a viewer)."""
    actions = allowed_actions(type(view), view.request.user)
    if not actions or not url_of(view.model, "bulk"):
        return {"bulk_actions": []}
    return {"bulk_actions": actions, "bulk_url": url_of(view.model, "bulk")}


def job_title(model, action, count: int) -> str:
    return f"{capfirst(model._meta.verbose_name_plural)}: {action.label.lower()} ({count:,})"
