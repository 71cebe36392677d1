"""Bulk changes too large for a request (more than BULK_INLINE_MAX records), run by the
background worker: the list's own action (leadit.sections.bulk), batch by batch, with progress,
then a summary on the job's page: how many changed, which were edited by someone else meanwhile
(and by whom), which could not be deleted and why."""

import logging

from django.tasks import task

from .models import Job

logger = logging.getLogger(__name__)


def hand_over_bulk(request, model, action, picks: dict[int, int]) -> Job:
    """Queue the confirmed change of `picks` ({pk: version shown}) as a job of request.user's,
    with what its form was confirmed with; the worker checks both again."""
    from leadit.sections.bulk import encode_selection, job_title
    from leadit.sections.registry import url_of

    data = {key: request.POST.getlist(key) for key in request.POST if key.startswith("bulk-")}
    query = request.GET.urlencode()
    list_url = url_of(model, "list") + (f"?{query}" if query else "")
    job = Job.objects.create(
        kind=Job.Kind.BULK,
        owner=request.user,
        title=job_title(model, action, len(picks)),
        path=request.path,
        query=query,
        model=model._meta.label_lower,
        total=len(picks),
        params={
            "action": action.name,
            "data": data,
            "selection": encode_selection(model, picks),
            "list_url": list_url,
        },
    )
    run_bulk_change.enqueue(job.pk)
    return job


@task()
def run_bulk_change(job_id: int) -> dict:
    from leadit.sections.bulk import BulkRefused, run_job

    job = Job.start(job_id)
    try:
        job.result = run_job(job, job.report)
    except BulkRefused as refused:
        job.fail(str(refused))  # said on the job's page: nothing was changed
        return {}
    except Exception as error:
        logger.exception("Bulk change job %s failed", job.pk)
        job.fail(
            f"The change stopped ({type(error).__name__}); the batches written before are kept, "
            "each record with its audit-trail entry. Reload the list to see what is left, or ask "
            "an administrator to look at the worker's log."
        )
        raise
    job.done("result")
    return job.result
