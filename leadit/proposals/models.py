"""A focal point's proposed change to a record that is theirs, or a proposed new record, kept
until the Secretariat accepts (all or some fields) or rejects it. Model-agnostic: the target is
any tracker model with an ownership rule (leadit.sections.ownership)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst

from leadit.people import person_name


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Proposal.Status.PENDING)

    def for_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
        )

    def same_as(self, *, model, record, changes: dict, fixed: dict):
        """Pending proposals, by anyone, of exactly these changes (the same proposed values) to
        the same record, or of the same new record: sent twice (a second click, a colleague of
        the same organisation), they would be decided twice."""
        proposed = {name: change["new"] for name, change in changes.items()}
        candidates = self.pending().filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=getattr(record, "pk", None),
        )
        return [
            proposal
            for proposal in candidates
            if proposal.fixed == fixed
            and {name: change["new"] for name, change in proposal.changes.items()} == proposed
        ]

    def visible_to(self, user):
        """The Secretariat (who decide) sees every proposal; a focal point only their own."""
        if user.has_perm("proposals.change_proposal"):
            return self
        return self.filter(proposed_by=user)


class Proposal(models.Model):
    class Kind(models.TextChoices):
        CHANGE = "change", "Change"
        NEW = "new", "New record"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name="record type"
    )
    # None for a proposed new record (until it is accepted and created).
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CHANGE)
    # {field name: {"label", "old", "new", "old_display", "new_display"}}: values as a form
    # takes them (ids, ISO dates, decimals as text), labels as people read them.
    changes = models.JSONField(default=dict)
    # What a new record gets from the page it was proposed on, not from its form
    # (a tranche's project): {field name: id}.
    fixed = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The record's version when the change was proposed."
    )
    title = models.CharField(max_length=300, help_text="The record as it was named when proposed.")
    note = models.TextField(blank=True, help_text="Why: what changed, and where it was reported.")
    source_url = models.URLField("source link", max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    proposed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(
        blank=True, help_text="Why it was rejected (or only partly accepted)."
    )
    accepted_fields = models.JSONField(default=list, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="proposal_target")]

    def __str__(self) -> str:
        what = "New" if self.kind == self.Kind.NEW else "Change to"
        return f"{what} {self.record_type}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:proposal_detail", args=[self.pk])

    # Labels of the fields in conflict and of those accepted, in the proposal's order (`rows`
    # and `conflicts` come from leadit.proposals.review).
    @property
    def conflict_labels(self) -> list[str]:
        return [row["label"] for row in self.rows if row["name"] in self.conflicts]

    @property
    def accepted_labels(self) -> list[str]:
        return [row["label"] for row in self.rows if row["name"] in self.accepted_fields]

    @property
    def model(self):
        return self.content_type.model_class()

    @property
    def record_type(self) -> str:
        return self.content_type.model_class()._meta.verbose_name

    @property
    def record_type_label(self) -> str:
        return capfirst(self.record_type)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def check_pending(self) -> None:
        """A decision (accept, reject, withdraw) is made once: refuse it on a proposal that is
        no longer pending, saying what became of it."""
        if not self.is_pending:
            raise ProposalError(f"This proposal is already {self.get_status_display().lower()}.")

    @property
    def proposer_name(self) -> str:
        return person_name(self.proposed_by) or "a former user"


class ProposalError(Exception):
    """A decision that cannot be made (no longer pending, the record is gone...)."""
