"""Abstract bases shared by the tracker apps, and the one table of the list pattern: the
columns each user chose for each list."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .dates import months_before

# Characters XML 1.0 cannot hold (C0 controls but tab and line breaks, surrogates, U+FFFE/FFFF):
# a record's text goes into the IATI file and spreadsheets, where one of them breaks the file.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_forbidden_error(value) -> ValidationError | None:
    match = XML_FORBIDDEN.search(value) if isinstance(value, str) else None
    if match is None:
        return None
    return ValidationError(
        "Remove the invisible control character U+%(code)04X: shared files (the IATI XML) "
        "cannot hold it.",
        code="xml_forbidden",
        params={"code": ord(match.group())},
    )


def refuse_xml_forbidden(value) -> None:
    """A form field validator, for text that reaches a record without a model form."""
    error = xml_forbidden_error(value)
    if error is not None:
        raise error


class XmlSafeModel(models.Model):
    """Every text field refuses what XML 1.0 forbids, in model validation: the site's forms,
    the admin and imports all show the message (no validator per field, no migrations)."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if field.name in errors or (exclude and field.name in exclude):
                continue
            if isinstance(field, models.CharField | models.TextField):
                error = xml_forbidden_error(getattr(self, field.attname))
                if error is not None:
                    errors[field.name] = [error]
        if errors:
            raise ValidationError(errors)


class TrackedModel(XmlSafeModel):
    """Every tracker record: timestamps, a version for edit conflicts, and an audit trail."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped on every save; forms carry it so a stale edit is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        super().save(*args, **kwargs)


def not_verified(months: int, today: datetime.date | None = None) -> Q:
    """Never verified, or not in the last `months` months: the review queue of a SourcedModel."""
    cutoff = months_before(today or datetime.date.today(), months)
    return Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff)


class SourcedModel(TrackedModel):
    """A record whose facts come from a public source, re-checked now and then."""

    source_url = models.URLField("source", max_length=500, blank=True)
    # A record entered through the site, the admin or an import was checked on the day it was
    # entered, unless a date is given: new records are not "never verified".
    last_verified_on = models.DateField(
        "last verified",
        null=True,
        blank=True,
        default=datetime.date.today,
        help_text="When someone last checked the source.",
    )

    class Meta:
        abstract = True


class ColumnChoice(models.Model):
    """A user's own columns for one list ("Save as my default" of its Columns control). Kept
    per user in the database, not in the session: the choice follows them to any computer and
    survives logging out (the session holds a copy from log-in, see views.column_defaults)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="column_choices"
    )
    list_name = models.CharField(
        max_length=100
    )  # the list's URL name, e.g. partnerships:project_list
    # The columns shown after the first (which names the row and always shows), in order, by
    # their names (any column the list offers). None: a choice saved before there was one
    # control, which only hid some of the list's own columns (`hidden`, their keys).
    shown = models.JSONField(null=True, blank=True, default=None)
    hidden = models.JSONField(default=list, blank=True)  # column keys; read when shown is None

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "list_name"], name="one_column_choice_per_list")
        ]
        # The sections app's one permission lives on its one model (leadit.sections.internal).
        permissions = [("see_internal", "Can see the Secretariat's internal fields and lists")]

    def __str__(self) -> str:
        return f"{self.user}: {self.list_name}"

    def shown_names(self, own_columns) -> list[str]:
        """The names of the columns shown after the first; `own_columns` are the list's own (a
        choice saved before there was one control: those of them not hidden)."""
        if self.shown is not None:
            return list(self.shown)
        hidden = set(self.hidden)
        return [column.name for column in own_columns[1:] if column.key not in hidden]
