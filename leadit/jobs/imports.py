"""Admin imports too large to check while the officer waits, run by the background worker.

The admin's import page stores the file and queues a check of every row (its preview); the job's
page shows what the file would do, or its errors per row and column. A valid file is then
confirmed there, which queues the import itself: all or nothing, as in the admin.
"""

import logging

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.tasks import task

from .models import Job

logger = logging.getLogger(__name__)
MAX_ERRORS_SHOWN = 200  # a file wrong in every row need not store every message


def _admin_for(job: Job):
    return admin.site._registry[job.model_class()]


def _format_for(model_admin, name: str):
    return next(f for f in model_admin.get_import_formats() if f.__name__.lower() == name)


def hand_over_import(request, model_admin, input_format, upload, rows: int) -> Job:
    """Store `upload` and queue the check of its `rows` rows as a job of request.user's."""
    meta = model_admin.model._meta
    job = Job(
        kind=Job.Kind.IMPORT_CHECK,
        owner=request.user,
        title=f"{meta.verbose_name_plural.capitalize()}: check of {upload.name}",
        path=request.path,
        model=meta.label_lower,
        file_format=type(input_format).__name__.lower(),
        total=rows,
        filename=upload.name,
    )
    upload.seek(0)
    job.file.save(upload.name, upload, save=False)
    job.save()
    run_import.enqueue(job.pk)
    return job


def confirm_import(check: Job, user) -> Job:
    """Queue the import of a checked, valid file; once only, however often it is confirmed."""
    with transaction.atomic():
        check = Job.objects.select_for_update().get(pk=check.pk)
        if not check.importable:
            return Job.objects.get(pk=check.result["confirmed_by_job"])
        job = Job.objects.create(
            kind=Job.Kind.IMPORT,
            owner=user,
            title=check.title.replace(": check of ", ": import of ", 1),
            path=check.path,
            model=check.model,
            file_format=check.file_format,
            total=check.total,
            file=check.file.name,
            filename=check.filename,
        )
        check.result["confirmed_by_job"] = job.pk
        check.save(update_fields=["result"])
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def summary(result) -> dict:
    """What an import result says, as the job page shows it: counts, and each error with its
    row and column (messages only: our ImportError never keeps a traceback)."""
    errors = [{"row": None, "column": "", "message": str(e.error)} for e in result.base_errors]
    for number, row_errors in result.row_errors():
        errors += [{"row": number, "column": "", "message": str(e.error)} for e in row_errors]
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            column = "" if column == NON_FIELD_ERRORS else column
            errors += [{"row": invalid.number, "column": column, "message": m} for m in messages]
    return {
        "new": result.totals.get("new", 0),
        "updated": result.totals.get("update", 0),
        "unchanged": result.totals.get("skip", 0),
        "valid": not errors,
        "error_count": len(errors),
        "errors": errors[:MAX_ERRORS_SHOWN],
    }


@task()
def run_import(job_id: int) -> dict:
    """Check (dry run) or import the job's file, with progress, and keep what it says."""
    job = Job.start(job_id)
    try:
        model_admin = _admin_for(job)
        input_format = _format_for(model_admin, job.file_format)()
        with job.file.open("rb") as stored:
            data = stored.read()
        if not input_format.is_binary():
            data = data.decode(model_admin.from_encoding)
            input_format.encoding = model_admin.from_encoding
        dataset = input_format.create_dataset(data)
        # Each admin of ours imports with one resource.
        resource = model_admin.resource_classes[0]()
        resource.progress = job.report
        result = resource.import_data(
            dataset,
            dry_run=job.kind == Job.Kind.IMPORT_CHECK,
            raise_errors=False,
            file_name=job.filename,
            user=job.owner,
        )
        job.result = summary(result)
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        job.fail(
            f"The file could not be read or imported ({type(error).__name__}); nothing was "
            "written. Check that it is the format chosen, or ask an administrator to look at "
            "the worker's log."
        )
        raise
    job.done("result")
    return job.result
