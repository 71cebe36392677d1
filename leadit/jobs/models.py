"""Work done by the background worker (django.tasks with django-tasks-db, `manage.py db_worker`):
exports, imports and bulk changes too large for a request, and figures stored where every web
process reads them."""

import pickle

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Job(models.Model):
    """One export, import or bulk change asked for by a user: who, what, how far, and the file,
    the result or the error.

    An import is two jobs: a check of every row (the admin's preview, too long for a request),
    then, once an officer confirms a valid file, the import itself, of the same stored file.
    A bulk change (leadit.sections.bulk) keeps what it was confirmed with in `params` and its
    summary in `result`."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Export"
        IMPORT_CHECK = "import_check", "Import check"
        IMPORT = "import", "Import"
        BULK = "bulk", "Bulk change"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EXPORT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    # What to run again in the worker: the list's export URL with the user's filters.
    path = models.CharField(max_length=200)
    query = models.TextField(blank=True)
    # scheme://host of the request, so the file's "About" sheet links back to the same page.
    origin = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveIntegerField(default=0)  # rows written
    total = models.PositiveIntegerField(default=0)  # rows expected
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # An import's model ("app_label.model"), file format ("csv", "xlsx") and result: counts
    # per kind of row and the errors per row and column (see leadit.jobs.imports).
    model = models.CharField(max_length=100, blank=True)
    file_format = models.CharField(max_length=10, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # A bulk change's action, the values its form was confirmed with and the selection (the
    # records and the versions the preview showed, signed and compressed).
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("see_all_exports", "Can see and download every user's exports")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:job_detail", args=[self.pk])

    @classmethod
    def start(cls, pk: int) -> "Job":
        """The worker takes the job: it is running, and `job.report(n)` records its progress."""
        job = cls.objects.select_related("owner").get(pk=pk)
        cls.objects.filter(pk=pk).update(state=cls.State.RUNNING)
        return job

    def report(self, progress: int) -> None:
        """How far the worker got (rows, records), for the job's page while it runs."""
        type(self).objects.filter(pk=self.pk).update(progress=progress)

    def fail(self, message: str) -> None:
        """The worker gave up: say why (never a traceback; the log has it)."""
        self.state, self.error, self.finished_at = self.State.FAILED, message, timezone.now()
        self.save(update_fields=["state", "error", "finished_at"])

    def done(self, *fields: str) -> None:
        """The worker finished; `fields` are the others it set (file, result...)."""
        self.state, self.progress, self.finished_at = self.State.DONE, self.total, timezone.now()
        self.save(update_fields=["state", "progress", "finished_at", *fields])

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.progress * 100 // self.total) if self.total else 0

    @property
    def is_import(self) -> bool:
        return self.kind in (self.Kind.IMPORT_CHECK, self.Kind.IMPORT)

    @property
    def is_bulk(self) -> bool:
        return self.kind == self.Kind.BULK

    @property
    def importable(self) -> bool:
        """A checked file without errors, not imported yet: it may be confirmed."""
        return (
            self.kind == self.Kind.IMPORT_CHECK
            and self.state == self.State.DONE
            and self.result.get("valid", False)
            and not self.result.get("confirmed_by_job")
        )

    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)

    def may_import(self, user) -> bool:
        """Importing needs the model's add permission (IMPORT_EXPORT_IMPORT_PERMISSION_CODE)."""
        meta = self.model_class()._meta
        return self.visible_to(user) and user.has_perm(f"{meta.app_label}.add_{meta.model_name}")

    def visible_to(self, user) -> bool:
        return self.owner_id == user.pk or user.has_perm("jobs.see_all_exports")

    @classmethod
    def visible(cls, user):
        jobs = cls.objects.select_related("owner")
        return jobs if user.has_perm("jobs.see_all_exports") else jobs.filter(owner=user)


class StoredFigures(models.Model):
    """Figures computed by the worker (the dashboard's), with the state of the data they were
    computed from, so that a visit reads them in one query and knows whether they are current."""

    name = models.CharField(max_length=50, primary_key=True)
    data_state = models.CharField(max_length=500)
    computed_on = models.DateField()  # figures like "overdue" depend on the day too
    computed_at = models.DateTimeField()
    # The state a refresh was last queued for: visits that find stale figures queue one only.
    requested_state = models.CharField(max_length=500, blank=True)
    # Pickled, as a shared cache stores values (the figures hold records, decimals and dates);
    # written only by our own code.
    payload = models.BinaryField()

    class Meta:
        verbose_name_plural = "stored figures"

    def __str__(self):
        return self.name

    @property
    def figures(self) -> dict | None:
        try:
            return pickle.loads(bytes(self.payload))  # noqa: S301 (our own data)
        except Exception:  # noqa: BLE001 (a model changed since: compute again)
            return None

    @figures.setter
    def figures(self, value: dict) -> None:
        self.payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class UndeliveredMail(models.Model):
    """A mail the worker gave up sending after its last attempt (leadit.mail): the Secretariat
    sees it in the admin and follows up (e.g. "Send the invitation again" once the mail server
    is back). Its body is not kept, since it may hold a link that sets a password."""

    to = models.TextField()
    subject = models.CharField(max_length=200)
    template = models.CharField(max_length=200)
    attempts = models.PositiveSmallIntegerField()
    error = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]
        verbose_name = "undelivered mail"
        verbose_name_plural = "undelivered mail"

    def __str__(self):
        return f"{self.subject} → {self.to}"
