"""Create, edit and delete in the site: one set of views, configured per model.

Forms submit with htmx (the `form` partial is swapped, errors in place, 422) and work as plain
POST/redirect/GET without JavaScript. Every write checks the model permission (403 otherwise).
Edits carry the version they were loaded from; a stale edit is refused (409) with what changed.
"""

import datetime
import re

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.views import View
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from leadit.people import person_name

from .caching import cache_select_options
from .columns import declaration_for
from .fields import EMPTY_IN_FORMS, checked_formfield, label_empty_choices
from .history import field_changes, label_values
from .registry import url_of
from .views import PermissionMixin, can, list_label, wants_fragment
from .widgets import SearchableSelect

# The id of the field a record created in a dialog is chosen in (e.g. "id_sponsor").
DIALOG_FIELD = re.compile(r"^[A-Za-z][\w-]{0,80}$")


class VersionedForm(forms.ModelForm):
    """A model form that remembers which version of the record it was loaded from."""

    class Meta:
        formfield_callback = checked_formfield  # related ids are checked before any query

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    # The Secretariat's own judgements (its verification, its assessments): a focal point's
    # proposal form leaves them out (leadit.proposals), with the internal fields of the model's
    # declaration (its notes, owners: leadit.sections.internal), so they can be neither seen
    # there nor proposed.
    secretariat_fields: tuple[str, ...] = ("last_verified_on",)

    def questions_for(self, values: dict) -> list[str]:
        """The fields beyond the record's own that saving `values` (field name -> value as
        posted) asks whoever saves: none here; a project moving to FID asks what became of
        its sought tranches (the reviewer of a proposal answers them)."""
        return []

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            self.fields["loaded_version"].required = True
        for field in self.fields.values():
            # Django adds a hidden "initial-" copy for callable defaults (last verified: today);
            # edits carry `loaded_version` instead, and the copy would count as a change.
            field.show_hidden_initial = False
        label_empty_choices(self, EMPTY_IN_FORMS)
        # Options of the small reference tables come from the cache while they are unchanged.
        cache_select_options(self, f"form:{type(self).__qualname__}")
        # A missing related record (a new organisation) can be created in place, in a dialog.
        for field in self.fields.values():
            if isinstance(field.widget, SearchableSelect) and user is not None:
                field.widget.offer_create(user)

    def for_proposal(self) -> None:
        """Only what a focal point may propose: the record's own fields (Meta.fields) less the
        internal ones and the Secretariat's judgements. A field the form does not keep cannot be
        proposed."""
        internal = declaration_for(self._meta.model).internal
        offered = set(self._meta.fields or ()) - set(internal) - set(self.secretariat_fields)
        for name in list(self.fields):
            if name not in offered and name != "loaded_version":
                del self.fields[name]

    def in_dialog(self) -> None:
        """Rendered inside the dialog: no dialog of its own (one at a time)."""
        for field in self.fields.values():
            if isinstance(field.widget, SearchableSelect):
                field.widget.create_url = None


def form_data(form) -> QueryDict:
    """A form's current values as a browser would post them."""
    return as_form_data({name: form[name].value() for name in form.fields})


def as_form_data(values: dict) -> QueryDict:
    """Values (a form's, or a proposal's stored ones) as a browser would post them: records as
    their ids, a multiple choice as one entry per choice, dates in ISO, numbers as written.
    Yes and no are "true" and "false", which a checkbox and a yes/no/unknown select
    (NullBooleanSelect) both read; a select reads a ticked box's "on" as unknown. Nothing is
    posted for None: an empty field, an unticked box, an unknown answer."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            data[name] = "true" if value else "false"
        elif isinstance(value, list | tuple):
            data.setlist(name, [str(getattr(item, "pk", item)) for item in value])
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def describe_changes(instance, since_version: int) -> dict:
    """What others changed in `instance` after `since_version`, from its audit trail: the
    fields (old and new values), who saved them and when."""
    history = instance.history.order_by("history_id")
    old = history.filter(version=since_version).last()
    since = list(history.filter(version__gt=since_version).select_related("history_user"))
    if not since:
        return {"rows": [], "by": "", "at": None}
    new = since[-1]
    changes = field_changes(type(instance), new, old)
    label_values(type(instance), changes)
    people = dict.fromkeys(person_name(row.history_user) or "the system" for row in since)
    return {
        "rows": [{"field": c["label"], "old": c["old"], "new": c["new"]} for c in changes],
        "by": ", ".join(people),
        "at": new.history_date,
    }


class ModelFormView(View):
    """GET shows the form, POST saves it. Set `model`, `form_class`; `cancel_url_name` optional."""

    model = None
    form_class = None
    template_name = "generic/object_form.html"
    fragment = "form"
    auto_id = "id_%s"  # field ids; a form shown on another form's page needs its own

    def dispatch(self, request, *args, **kwargs):
        # The permission first: a user without it learns nothing, not even which records exist.
        action = self.action()
        if not can(request.user, action, self.model):
            raise PermissionDenied(f"You may not {action} {self.model._meta.verbose_name_plural}.")
        self.object = self.get_object()
        # ?dialog=<field id>: a new record made from another form, which then selects it.
        dialog = request.GET.get("dialog", "")
        self.dialog = dialog if self.object is None and DIALOG_FIELD.match(dialog) else None
        return super().dispatch(request, *args, **kwargs)

    def action(self) -> str:
        """What the request does to the model: "change" a record, or "add" one."""
        return "change" if self.kwargs.get("pk") is not None else "add"

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(self.model, pk=pk) if pk is not None else None

    def get_form(self, data=None):
        # In a dialog the page already holds a form with the same fields: ids of their own.
        auto_id = "dialog_%s" if self.dialog else self.auto_id
        form = self.form_class(
            data=data, instance=self.object, user=self.request.user, auto_id=auto_id
        )
        if self.dialog:
            form.in_dialog()
        return form

    def get(self, request, *args, **kwargs):
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render(form, status=422)
        if self.object is None:
            record = form.save()
            if self.dialog and request.htmx:
                return self.created_in_dialog(record)
            messages.success(
                request, f"{capfirst(self.model._meta.verbose_name)} “{record}” created."
            )
            return self.redirect(record)
        with transaction.atomic():
            # Lock the row, then check the version: two saves cannot both pass the check.
            current = self.model._default_manager.select_for_update().get(pk=self.object.pk)
            loaded = form.cleaned_data["loaded_version"]
            if current.version != loaded:
                return self.conflict(form, current, loaded)
            form = self.form_class(
                data=request.POST, instance=current, user=request.user, auto_id=self.auto_id
            )
            if not form.is_valid():  # the locked row may differ in fields the form checks
                return self.render(form, status=422)
            record = form.save()
        messages.success(request, f"Saved changes to “{record}”.")
        return self.redirect(record)

    def conflict(self, form, current, loaded):
        """Refuse a stale save. Offer a merge: the current record with only this user's own
        changes (against the version they loaded) on top, ready to be reviewed and saved."""
        self.object = current  # the page shows the record as it is now (its name, its status)
        changes = describe_changes(current, loaded)
        snapshot = current.history.filter(version=loaded).last()
        data = form_data(self.form_class(instance=current, user=self.request.user))
        # Without the loaded version in the audit trail (rows inserted in bulk), this user's
        # changes cannot be told from the other's: keep every value of theirs that differs
        # from the current record, and say so, rather than drop their work.
        baseline = snapshot.instance if snapshot is not None else current
        stale = self.form_class(data=self.request.POST, instance=baseline, user=self.request.user)
        yours = [name for name in stale.changed_data if name != "loaded_version"]
        for name in yours:
            data.setlist(name, self.request.POST.getlist(name))
        data["loaded_version"] = str(current.version)
        merged = self.form_class(
            data=data, instance=current, user=self.request.user, auto_id=self.auto_id
        )
        merged.is_valid()
        conflict = {
            "changes": changes,
            "yours": [merged[name].label for name in yours],
            "no_baseline": snapshot is None,
        }
        return self.render(merged, status=409, conflict=conflict)

    def created_in_dialog(self, record):
        """Nothing to swap: the page's script adds the record to the field that asked for it,
        selects it and closes the dialog (static/js/leadit.js, on "record-created")."""
        detail = {"field": self.dialog, "value": record.pk, "label": str(record)}
        return trigger_client_event(HttpResponse(status=204), "record-created", detail)

    def redirect(self, record):
        url = record.get_absolute_url()
        if self.request.htmx:
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)

    def render(self, form, status=200, conflict=None):
        meta = self.model._meta
        template = self.template_name
        if self.dialog and wants_fragment(self.request, "dialog"):
            template += "#dialog"  # the form, opening in the page's dialog
        elif self.dialog and wants_fragment(self.request, "dialog-form"):
            template += "#form"
        elif wants_fragment(self.request, self.fragment):
            template += f"#{self.fragment}"
        context = {
            "form_id": "dialog-form" if self.dialog else "form",
            "dialog": self.dialog,
            "form": form,
            "object": self.object,
            "conflict": conflict,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "title": f"Edit {self.object}" if self.object else f"New {meta.verbose_name}",
            "cancel_url": self.object.get_absolute_url() if self.object else self.list_url(),
            "list_url": self.list_url(),
            "list_label": list_label(self.model),
        }
        return TemplateResponse(self.request, template, context, status=status)

    def list_url(self):
        return url_of(self.model, "list")


def dependants(obj) -> tuple[list, list]:
    """(what deleting `obj` would also delete, what prevents deleting it)."""
    collector = NestedObjects(using=router.db_for_write(obj.__class__))
    collector.collect([obj])
    cascaded = [
        item for item in _flatten(collector.nested()) if item != obj and not _is_history(item)
    ]
    blocking = [
        item
        for item in (*collector.protected, *getattr(collector, "restricted", ()))
        if not _is_history(item)
    ]
    return cascaded, blocking


def _flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _is_history(item) -> bool:
    return type(item).__name__.startswith("Historical")


class DeleteView(View):
    """GET: a confirmation listing what goes with the record, or why it cannot go. POST: delete.

    With htmx the confirmation opens in the record's page and a refused delete (409) explains
    itself there (the `confirm` partial); without JavaScript both are pages of their own."""

    model = None
    template_name = "generic/object_confirm_delete.html"
    fragment = "delete-confirm"

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, "delete", self.model):
            raise PermissionDenied(f"You may not delete {self.model._meta.verbose_name_plural}.")
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        cascaded, blocking = dependants(self.object)
        return self.render(cascaded, blocking, status=409 if blocking else 200)

    def post(self, request, *args, **kwargs):
        name, meta = str(self.object), self.model._meta
        try:
            with transaction.atomic():
                self.object.delete()
        except (ProtectedError, RestrictedError):
            cascaded, blocking = dependants(self.object)
            return self.render(cascaded, blocking, status=409)
        messages.success(request, f"{capfirst(meta.verbose_name)} “{name}” deleted.")
        url = url_of(self.model, "list")
        return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)

    def render(self, cascaded, blocking, status):
        meta = self.model._meta
        in_place = wants_fragment(self.request, self.fragment)
        context = {
            "object": self.object,
            "cascaded": cascaded,
            "blocking": blocking,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": url_of(self.model, "list"),
            "list_label": list_label(self.model),
            "title": f"Delete {self.object}",
            "in_place": in_place,
        }
        template = self.template_name + ("#confirm" if in_place else "")
        return TemplateResponse(self.request, template, context, status=status)


class VerifyView(PermissionMixin, View):
    """POST: the record's facts were checked against its source today (one click)."""

    model = None
    permission_action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        record = get_object_or_404(self.model, pk=pk)
        record.last_verified_on = datetime.date.today()
        record.save(update_fields=["last_verified_on"])
        messages.success(request, f"“{record}” marked as verified today.")
        if request.htmx:
            # Whatever listed it (the dashboard's review queue) reloads itself on this event.
            return trigger_client_event(HttpResponse(status=204), "record-verified")
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url, {request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(record.get_absolute_url())
