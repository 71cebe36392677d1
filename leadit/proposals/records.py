"""What a record's page says about proposals: "Propose a change" for a focal point on a record
that is theirs, and the proposals pending on it (every one to the Secretariat, with a link to
review it; their own to a focal point). The pending ones come with the record's own query
(`with_pending`), so the Secretariat's record pages cost no query more."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from leadit.sections.ownership import is_focal_point, is_theirs, with_theirs
from leadit.sections.registry import url_of
from leadit.sections.views import can

from .models import Proposal


def with_pending(queryset, user):
    """Annotate each record with the number of pending proposals the user may see on it
    (`pending_proposals`) and the oldest of them (`first_pending_proposal`); for a focal point,
    whether it is theirs (`theirs`)."""
    if not can(user, "view", Proposal):
        return queryset
    if proposes_on(queryset.model, user):
        queryset = with_theirs(queryset, user)
    content_type = ContentType.objects.get_for_model(queryset.model)
    pending = (
        Proposal.objects.visible_to(user)
        .pending()
        .filter(content_type=content_type, object_id=OuterRef("pk"))
    )
    count = pending.order_by().values("object_id").annotate(n=Count("pk")).values("n")
    return queryset.annotate(
        pending_proposals=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        first_pending_proposal=Subquery(pending.order_by("proposed_at", "pk").values("pk")[:1]),
    )


def proposes_on(model, user) -> bool:
    """The Secretariat edits; a focal point proposes (on what is theirs)."""
    return (
        not can(user, "change", model)
        and can(user, "add", Proposal)
        and url_of(model, "propose", 0) is not None
        and is_focal_point(user)
    )


def record_proposals(record, user) -> dict:
    model = type(record)
    propose_url = None
    if proposes_on(model, user):
        theirs = getattr(record, "theirs", None)
        if theirs if theirs is not None else is_theirs(user, record):
            propose_url = url_of(model, "propose", record.pk)
    count = getattr(record, "pending_proposals", 0)
    first = getattr(record, "first_pending_proposal", None)
    return {
        "propose_url": propose_url,
        "pending_proposals": count,
        "pending_proposal_url": url_of_proposal(first) if first else None,
    }


def url_of_proposal(pk: int) -> str:
    from django.urls import reverse

    return reverse("proposals:proposal_detail", args=[pk])


def new_record_url(model, user) -> str | None:
    """ "Propose a new <record>" for a focal point, where the section offers it."""
    if (
        not can(user, "add", model)
        and can(user, "add", Proposal)
        and can(user, "view", model)
        and url_of(model, "propose_new")
        and is_focal_point(user)
    ):
        return url_of(model, "propose_new")
    return None
