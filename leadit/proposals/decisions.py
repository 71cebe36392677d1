"""Making a proposal, and the Secretariat's decisions on it: accept (all or some fields,
applied through the section's own form and save), reject with a reason; the proposer's
withdrawal. Mail goes after the commit (leadit.mail), so it never fails the decision."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from leadit.mail import send_later
from leadit.people import person_name
from leadit.sections.editing import as_form_data

from . import changes as values
from .models import Proposal, ProposalError

_FORMS: dict = {}


def register_form(model, form_class) -> None:
    """The form through which a model's proposals are made and applied (set by the propose
    pages as the URL configuration declares them)."""
    _FORMS[model] = form_class


def form_for(model):
    if not _FORMS:  # asked before any request loaded the URL configuration
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018
    return _FORMS.get(model)


def propose(
    *,
    model,
    record,
    changes: dict,
    user,
    note: str,
    source_url: str,
    fixed=None,
    parent=None,
    request=None,
):
    """Store a proposal and tell the Secretariat. `parent`: the record a new one belongs to
    (a tranche's project), which names it when it has no name of its own. Refused
    (ProposalError) when exactly this is already waiting for a decision: checked under a lock
    on the record (or, for a new record, on the proposer), so two posts at once store one."""
    with transaction.atomic():
        if record is not None:
            model._default_manager.select_for_update().filter(pk=record.pk).first()
        else:
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        waiting = Proposal.objects.same_as(
            model=model, record=record, changes=changes, fixed=fixed or {}
        )
        if any(proposal.proposed_by_id == user.pk for proposal in waiting):
            raise ProposalError(
                "You already proposed exactly this change; "
                "it is waiting for the Secretariat's decision."
            )
        if waiting:
            raise ProposalError(
                "A colleague already proposed exactly this change; "
                "it is waiting for the Secretariat's decision."
            )
        proposal = Proposal.objects.create(
            content_type=_content_type(model),
            object_id=record.pk if record is not None else None,
            kind=Proposal.Kind.CHANGE if record is not None else Proposal.Kind.NEW,
            changes=changes,
            fixed=fixed or {},
            version=getattr(record, "version", None),
            title=str(record) if record is not None else _new_title(model, changes, parent),
            note=note,
            source_url=source_url,
            proposed_by=user,
        )
    send_later(
        to=[settings.SECRETARIAT_EMAIL],
        subject=f"Proposal: {proposal}"[:200],
        template="proposals/mail/new_proposal.txt",
        context={
            "proposal": str(proposal),
            "by": person_name(user),
            "note": note,
            "source_url": source_url,
            "changes": [
                {"label": c["label"], "old": c["old_display"], "new": c["new_display"]}
                for c in changes.values()
            ],
            "url": _absolute(request, proposal.get_absolute_url()),
        },
    )
    return proposal


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model)


def _new_title(model, changes: dict, parent=None) -> str:
    for name in ("name", "title"):
        if name in changes:
            return str(changes[name]["new"])[:300]
    if parent is not None:
        return f"for {parent}"[:300]
    return f"New {model._meta.verbose_name}"


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def accept(proposal: Proposal, *, user, fields: list[str], answers=None, request=None):
    """Apply the chosen fields through the section's form: (record, None) when saved, (None,
    the invalid form) when the form refuses them (the proposal stays pending). `answers` (the
    accept form's post) answers the questions the section form asks only the one who saves,
    never the proposer, such as what became of sought tranches at FID (`questions_for`)."""
    model = proposal.model
    form_class = form_for(model)
    if form_class is None:
        raise ProposalError("This kind of record cannot be changed by proposals any more.")
    chosen = [name for name in proposal.changes if name in fields]
    if not chosen:
        raise ProposalError("Choose at least one field to accept.")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        locked.check_pending()
        proposed = {name: proposal.changes[name]["new"] for name in chosen}
        if proposal.kind == Proposal.Kind.CHANGE:
            # Lock the record and post its current version: the form's version check passes
            # only against what is saved now, and nothing else is changed.
            current = (
                model._default_manager.select_for_update().filter(pk=proposal.object_id).first()
            )
            if current is None:
                raise ProposalError("The record was deleted since it was proposed.")
            known = {**values.current_values(form_class, current, user), **proposed}
            known["loaded_version"] = current.version
            instance = current
        else:
            instance = model(**{f"{name}_id": pk for name, pk in proposal.fixed.items()})
            known = {**values.initial_values(form_class, instance, user), **proposed}
        form = form_class(data=as_form_data(known), instance=instance, user=user)
        asked = form.questions_for(form.data)
        answered = {name: answers[name] for name in asked if name in (answers or {})}
        if answered:
            form = form_class(
                data=as_form_data({**known, **answered}), instance=instance, user=user
            )
        if not form.is_valid():
            return None, form
        form.instance._change_reason = (
            f"Proposed by {proposal.proposer_name}, accepted by {person_name(user)}"
        )
        record = form.save()
        locked.status = (
            Proposal.Status.ACCEPTED
            if set(chosen) == set(proposal.changes)
            else Proposal.Status.PARTLY_ACCEPTED
        )
        locked.accepted_fields = chosen
        locked.decided_by, locked.decided_at = user, timezone.now()
        if proposal.kind == Proposal.Kind.NEW:
            locked.object_id = record.pk
            locked.title = str(record)
        locked.save()
        _tell_proposer(locked, request)
    proposal.refresh_from_db()
    return record, None


def questions(proposal: Proposal, *, user) -> list:
    """What accepting a pending change as proposed asks the reviewer (what became of sought
    tranches when a project moves to FID), as the record's form's fields: asked on the
    proposal's page before the first click, inside the accept form."""
    form_class = form_for(proposal.model)
    record = proposal.record
    if form_class is None or record is None or not proposal.is_pending:
        return []
    form = form_class(instance=record, user=user)
    proposed = {name: change["new"] for name, change in proposal.changes.items()}
    return [form[name] for name in form.questions_for(proposed)]


def reject(proposal: Proposal, *, user, reason: str, request=None) -> None:
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        locked.check_pending()
        locked.status = Proposal.Status.REJECTED
        locked.reason = reason
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
        _tell_proposer(locked, request)
    proposal.refresh_from_db()


def withdraw(proposal: Proposal, *, user) -> None:
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        locked.check_pending()
        locked.status = Proposal.Status.WITHDRAWN
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
    proposal.refresh_from_db()


def _tell_proposer(proposal: Proposal, request) -> None:
    proposer = proposal.proposed_by
    if proposer is None or not proposer.email:
        return
    accepted = [
        proposal.changes[name]["label"]
        for name in proposal.accepted_fields
        if name in proposal.changes
    ]
    send_later(
        to=[proposer.email],
        subject=f"Your proposal was {proposal.get_status_display().lower()}: {proposal.title}"[
            :200
        ],
        template="proposals/mail/decision.txt",
        context={
            "proposal": str(proposal),
            "name": person_name(proposer),
            "status": proposal.get_status_display().lower(),
            "by": person_name(proposal.decided_by),
            "reason": proposal.reason,
            "accepted": accepted,
            "url": _absolute(request, proposal.get_absolute_url()),
        },
    )
