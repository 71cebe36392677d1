"""Proposing (a focal point, on a record that is theirs) and reviewing (the Secretariat).

Every view checks the permission first, then the record: a focal point proposes only on their
organisations' records (others are 404, as if they did not exist) and sees only their own
proposals; deciding needs `proposals.change_proposal` (the Secretariat).
"""

from functools import wraps

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.views import View
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView
from django_htmx.http import HttpResponseClientRedirect

from leadit.sections.editing import ModelFormView
from leadit.sections.fields import EMPTY_IN_FILTERS
from leadit.sections.ownership import organisations_of, owned, owned_models
from leadit.sections.registry import url_of
from leadit.sections.search import folded_name
from leadit.sections.views import (
    FragmentListMixin,
    PermissionMixin,
    can,
    list_label,
    requires,
    wants_fragment,
)

from . import changes as values
from . import decisions
from .forms import AcceptForm, ProposalDetailsForm, RejectForm
from .models import Proposal, ProposalError
from .review import attach_diffs


def proposal_form(form_class):
    """The section's form as a focal point gets it: the fields they may propose only."""

    class ProposalForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.for_proposal()

    ProposalForm.__name__ = ProposalForm.__qualname__ = f"Propose{form_class.__name__}"
    return ProposalForm


class ProposeView(ModelFormView):
    """The page "Propose a change" to a record that is the focal point's (the URL's pk), or a new
    record with `owner_field` one of their organisations (and, for a part of a record such as
    a project's tranche, `parent`: the URL's pk is then that record's). The record is not
    changed: a proposal of the fields the form changed is stored for the Secretariat."""

    template_name = "proposals/propose_form.html"
    base_form = None  # the section's form; the page offers its proposable fields
    creating = False
    owner_field: str | None = None  # new records: the field that makes them theirs
    parent: tuple | None = None  # (field name, model) of the record a new one belongs to
    # Shown in place in a panel of another page (a project's financing): in_place(view, form,
    # status, conflict) renders that panel when htmx targets #<fragment>; form None after
    # the proposal is sent.
    in_place = None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (can(user, "add", Proposal) and can(user, "view", self.model)):
            raise PermissionDenied("You may not propose changes.")
        self.form_class = proposal_form(self.base_form)
        self.fixed = {}
        if self.creating:
            if not organisations_of(user):
                raise PermissionDenied("You speak for no organisation.")
            self.object = None
            if self.parent:
                name, parent_model = self.parent
                self.parent_record = get_object_or_404(parent_model, pk=kwargs["pk"])
                self.fixed = {name: self.parent_record.pk}
        else:
            # Only theirs: another organisation's record is as if it did not exist.
            self.object = get_object_or_404(owned(self.model, user), pk=kwargs["pk"])
            self.original = values.current_values(self.form_class, self.object, user)
        self.dialog = None
        self.details = ProposalDetailsForm(
            request.POST if request.method == "POST" else None, prefix="proposal"
        )
        return View.dispatch(self, request, *args, **kwargs)

    def get_form(self, data=None):
        form = super().get_form(data)
        for name, pk in self.fixed.items():
            setattr(form.instance, f"{name}_id", pk)
        if self.owner_field and self.owner_field in form.fields:
            field = form.fields[self.owner_field]
            field.widget = forms.Select()
            field.queryset = field.queryset.filter(pk__in=organisations_of(self.request.user))
            if len(organisations_of(self.request.user)) == 1 and data is None:
                field.initial = next(iter(organisations_of(self.request.user)))
        return form

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        valid = form.is_valid()
        if not (self.details.is_valid() and valid):
            return self.render(form, status=422)
        if self.object is not None:
            current = self.model._default_manager.get(pk=self.object.pk)
            loaded = form.cleaned_data["loaded_version"]
            if current.version != loaded:
                # Changed since the form was opened: the merge view, as for an edit.
                return self.conflict(form, current, loaded)
        changes = values.changes_of(form, None if self.creating else self.original)
        if not changes:
            form.add_error(None, "Nothing is changed: change at least one field to propose.")
            return self.render(form, status=422)
        try:
            proposal = decisions.propose(
                model=self.model,
                record=self.object,
                changes=changes,
                user=request.user,
                note=self.details.cleaned_data["note"],
                source_url=self.details.cleaned_data["source_url"],
                fixed=self.fixed,
                parent=getattr(self, "parent_record", None),
                request=request,
            )
        except ProposalError as error:
            form.add_error(None, str(error))
            return self.render(form, status=422)
        messages.success(
            request,
            "Your proposal was sent to the Secretariat; the record changes when they accept it.",
        )
        if self.in_place and wants_fragment(request, self.fragment):
            return self.in_place(self, None, 200, None)
        url = self.back_url() if self.object or self.parent else proposal.get_absolute_url()
        return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)

    def back_url(self) -> str:
        if self.parent:
            return self.parent_record.get_absolute_url()
        return self.object.get_absolute_url()

    def render(self, form, status=200, conflict=None):
        if self.in_place and wants_fragment(self.request, self.fragment):
            return self.in_place(self, form, status, conflict)
        response = super().render(form, status, conflict)
        meta = self.model._meta
        if self.object is not None:
            title = f"Propose a change to {self.object}"
        elif self.parent:
            title = f"Propose a new {meta.verbose_name} for {self.parent_record}"
        else:
            title = f"Propose a new {meta.verbose_name}"
        response.context_data.update(
            title=title,
            details=self.details,
            parent=getattr(self, "parent_record", None),
            cancel_url=self.back_url() if (self.object or self.parent) else self.list_url(),
        )
        return response

    def list_url(self):
        return url_of(self.model, "list") or self.back_url()


def propose_view(model, form_class, **options):
    """The propose page of `model` through `form_class`; registers the form that applies its
    proposals when accepted."""
    decisions.register_form(model, form_class)
    return ProposeView.as_view(model=model, base_form=form_class, **options)


def proposes(model) -> bool:
    """Whether focal points propose changes to `model` (it has an ownership rule)."""
    return model in owned_models()


# The review queue -----------------------------------------------------------------------


def record_types():
    """The kinds of record proposals can be about, by name."""
    types = ContentType.objects.get_for_models(*owned_models()).values()
    return sorted(
        ((ct.pk, capfirst(ct.model_class()._meta.verbose_name)) for ct in types),
        key=lambda pair: pair[1],
    )


def proposer_organisations(request=None):
    from members.models import Organisation

    return (
        Organisation.objects.filter(focal_points__isnull=False).distinct().order_by(folded_name())
    )


class ProposalFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*Proposal.Status.choices, ("all", "Any")],
        method="filter_status",
        empty_label=None,
    )
    # "Any", as every list's filters say.
    content_type = django_filters.ChoiceFilter(
        label="Record type", choices=record_types, empty_label=EMPTY_IN_FILTERS
    )
    organisation = django_filters.ModelChoiceFilter(
        label="Proposer's organisation",
        empty_label=EMPTY_IN_FILTERS,
        queryset=proposer_organisations,
        field_name="proposed_by__focal_point__organisations",
        distinct=True,
    )

    class Meta:
        model = Proposal
        fields = ["status", "content_type", "organisation"]

    def filter_status(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(status=value)


class ProposalListView(FragmentListMixin, PermissionMixin, FilterView):
    """`/proposals/`: the Secretariat's review queue (pending first by default), or a focal
    point's own proposals with their status."""

    model = Proposal
    filterset_class = ProposalFilterSet
    template_name = "proposals/proposal_list.html"
    paginate_by = 20
    strict = True

    @property
    def reviewer(self) -> bool:
        return can(self.request.user, "change", Proposal)

    def get_queryset(self):
        return (
            Proposal.objects.visible_to(self.request.user)
            .select_related("content_type", "proposed_by", "decided_by")
            .order_by("-proposed_at", "-pk")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"].copy() if kwargs["data"] is not None else None
        if data is None or "status" not in data:
            data = data or self.request.GET.copy()
            data["status"] = "pending" if self.reviewer else "all"
        kwargs["data"] = data
        return kwargs

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        if not self.reviewer:  # a focal point's own: by organisation means nothing
            del filterset.form.fields["organisation"]
            filterset.filters.pop("organisation", None)
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        attach_diffs(page)
        context.update(
            proposals=page,
            reviewer=self.reviewer,
            title="Proposals to review" if self.reviewer else "My proposals",
        )
        return context


def visible_proposal(request, pk) -> Proposal:
    queryset = Proposal.objects.visible_to(request.user).select_related(
        "content_type", "proposed_by", "decided_by"
    )
    proposal = get_object_or_404(queryset, pk=pk)
    attach_diffs([proposal])
    return proposal


def render_proposal(
    request, proposal, *, accept_form=None, reject_form=None, apply_form=None, status=200
):
    reviewer = can(request.user, "change", Proposal)
    if reviewer and proposal.is_pending:
        accept_form = accept_form or AcceptForm(
            proposal=proposal,
            initial={"fields": [r["name"] for r in proposal.rows if not r.get("conflict")]},
        )
        reject_form = reject_form or RejectForm()
    chosen = set(accept_form["fields"].value() or ()) if accept_form is not None else set()
    overwrite = set(accept_form["overwrite"].value() or ()) if accept_form is not None else set()
    model = proposal.model
    if apply_form is not None:  # refused: asked again with the answers given and their errors
        questions = [apply_form[name] for name in apply_form.questions_for(apply_form.data)]
    elif reviewer:
        questions = decisions.questions(proposal, user=request.user)
    else:
        questions = []
    context = {
        "proposal": proposal,
        "reviewer": reviewer,
        "can_withdraw": proposal.is_pending and proposal.proposed_by_id == request.user.pk,
        "accept_form": accept_form,
        "reject_form": reject_form,
        "chosen": chosen,
        "overwrite": overwrite,
        "apply_errors": _errors_of(apply_form, leave_out=[field.name for field in questions]),
        # What the record's form asks the one who saves (e.g. sought tranches at FID), asked
        # in the accept form.
        "questions": questions,
        "record_url": proposal.record.get_absolute_url() if proposal.record is not None else None,
        "list_label": list_label(model) if url_of(model, "list") else "",
        "title": str(proposal),
    }
    template = "proposals/proposal_detail.html"
    if wants_fragment(request, "proposal"):
        template += "#proposal"
    return TemplateResponse(request, template, context, status=status)


def _errors_of(form, leave_out=()) -> list[tuple[str, str]]:
    """The section form's refusals, labelled (they may be on fields the proposal did not touch);
    those on `leave_out` are shown at their fields."""
    if form is None:
        return []
    found = []
    for name, errors in form.errors.items():
        if name in leave_out:
            continue
        label = form.fields[name].label if name in form.fields else ""
        found.append((str(label or ""), " ".join(errors)))
    return found


@requires("view", [Proposal])
@require_GET
def proposal_detail(request, pk):
    return render_proposal(request, visible_proposal(request, pk))


def _done(request, proposal):
    url = proposal.get_absolute_url()
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def decided_meanwhile(proposal) -> bool:
    """Another officer decided it between this page's check and the decision's lock (the
    two clicks a moment apart): its page then says what became of it, not this stale form."""
    proposal.refresh_from_db()
    return not proposal.is_pending


def pending_only(view):
    """A decision on a proposal decided meanwhile (another tab, another officer) goes back to
    its page, saying what became of it. (The decision checks again, under a lock.)"""

    @wraps(view)
    def wrapper(request, pk):
        proposal = visible_proposal(request, pk)
        try:
            proposal.check_pending()
        except ProposalError as error:
            messages.error(request, str(error))
            return _done(request, proposal)
        return view(request, proposal)

    return wrapper


@requires("change", [Proposal])
@require_POST
@pending_only
def proposal_accept(request, proposal):
    form = AcceptForm(request.POST, proposal=proposal)
    if not form.is_valid():
        return render_proposal(request, proposal, accept_form=form, status=422)
    try:
        record, refused = decisions.accept(
            proposal,
            user=request.user,
            fields=form.cleaned_data["fields"],
            answers=request.POST,
            request=request,
        )
    except ProposalError as error:
        if decided_meanwhile(proposal):
            messages.error(request, str(error))
            return _done(request, proposal)
        form.add_error(None, str(error))
        return render_proposal(request, proposal, accept_form=form, status=409)
    if refused is not None:
        return render_proposal(request, proposal, accept_form=form, apply_form=refused, status=422)
    messages.success(request, f"Accepted: “{record}” is saved.")
    return _done(request, proposal)


@requires("change", [Proposal])
@require_POST
@pending_only
def proposal_reject(request, proposal):
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render_proposal(request, proposal, reject_form=form, status=422)
    try:
        decisions.reject(
            proposal, user=request.user, reason=form.cleaned_data["reason"], request=request
        )
    except ProposalError as error:
        if decided_meanwhile(proposal):
            messages.error(request, str(error))
            return _done(request, proposal)
        form.add_error(None, str(error))
        return render_proposal(request, proposal, reject_form=form, status=409)
    messages.success(request, "Rejected; the proposer is told why.")
    return _done(request, proposal)


@requires("add", [Proposal])
@require_POST
def proposal_withdraw(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk, proposed_by=request.user)
    try:
        decisions.withdraw(proposal, user=request.user)
    except ProposalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Withdrawn.")
    return _done(request, proposal)
