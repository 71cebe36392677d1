"""Exports too large for a request, made by the background worker.

The worker runs the list's own export (the same view, filters and file-building function as a
small export in the request) and writes the response to a file instead of sending it.
"""

import logging
import re
import tempfile

from django.core.files import File
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.tasks import task
from django.urls import resolve

from .models import Job

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 1000  # rows between two progress updates


def hand_over(request, view, rows: int) -> Job:
    """Queue the export `view` would make for `request` as a job of request.user's."""
    meta = view.model._meta
    title = f"{meta.verbose_name_plural.capitalize()}: {view.export.upper()} export"
    job = Job.objects.create(
        owner=request.user,
        title=title,
        path=request.path,
        query=request.GET.urlencode(),
        origin=f"{request.scheme}://{request.get_host()}",
        total=rows,
    )
    run_export.enqueue(job.pk)
    return job


def counting(queryset: QuerySet, report) -> QuerySet:
    """The same queryset, calling report(rows) every PROGRESS_EVERY rows it iterates. Querysets
    derived from it (values_list...) keep its class, so whatever the export reads is counted."""

    class Counting(type(queryset)):
        def iterator(self, chunk_size=None):
            for number, row in enumerate(super().iterator(chunk_size=chunk_size), 1):
                if number % PROGRESS_EVERY == 0:
                    report(number)
                yield row

    clone = queryset._chain()
    clone.__class__ = Counting
    return clone


def _attachment_name(response, job: Job) -> str:
    found = re.search(r'filename="([^"]+)"', response.get("Content-Disposition", ""))
    return found.group(1) if found else f"leadit-export-{job.pk}"


@task()
def run_export(job_id: int) -> str:
    job = Job.start(job_id)
    try:
        match = resolve(job.path)
        request = HttpRequest()  # the user's request again, as the list view reads it
        request.method, request.path, request.path_info = "GET", job.path, job.path
        request.GET = QueryDict(job.query)
        request.user = job.owner
        scheme, _, host = (job.origin or "http://localhost").partition("://")
        request.META["HTTP_HOST"] = host
        request._get_scheme = lambda: scheme
        view = match.func.view_class(**match.func.view_initkwargs, background_progress=job.report)
        view.setup(request, *match.args, **match.kwargs)
        response = view.get(request, *match.args, **match.kwargs)
        if response.status_code != 200:
            raise ValueError(f"the export answered {response.status_code}")
        with tempfile.TemporaryFile() as out:
            if response.streaming:
                for chunk in response.streaming_content:
                    out.write(chunk)
            else:
                out.write(response.content)
            out.seek(0)
            job.filename = _attachment_name(response, job)
            job.file.save(job.filename, File(out), save=False)
    except Exception as error:
        logger.exception("Export job %s failed", job.pk)
        job.fail(
            f"The export could not be made ({type(error).__name__}). Try again, or ask an "
            "administrator to look at the worker's log."
        )
        raise
    job.done("file", "filename")
    return job.file.name
