"""Pages of background jobs: the list of a user's exports, imports and bulk changes, one job's
progress (polled by htmx while it runs) and its download, for the user who asked and for the
Secretariat."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from leadit.roles import TRACKER_APPS
from leadit.sections.views import tracker_reader, wants_fragment

from .imports import confirm_import
from .models import Job


def _visible_job(request, pk) -> Job:
    # Someone else's job is not found, rather than forbidden: its existence is not shown either.
    job = get_object_or_404(Job.objects.select_related("owner"), pk=pk)
    if not job.visible_to(request.user):
        raise Http404("No such export.")
    return job


@tracker_reader
@require_GET
def job_list(request):
    jobs = Job.visible(request.user)[:50]
    return render(
        request, "jobs/job_list.html", {"jobs": jobs, "limit": settings.EXPORT_INLINE_MAX_ROWS}
    )


@tracker_reader
@require_GET
def job_detail(request, pk):
    job = _visible_job(request, pk)
    template = "jobs/job_detail.html"
    if wants_fragment(request, "job-status"):
        template += "#status"
    context = {"job": job, "may_import": job.is_import and job.may_import(request.user)}
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@tracker_reader
@require_GET
def job_download(request, pk):
    job = _visible_job(request, pk)
    if job.is_import or job.state != Job.State.DONE or not job.file:
        raise Http404("This export is not ready.")
    try:
        file = job.file.open("rb")
    except FileNotFoundError:  # deleted from the folder, or a database restored elsewhere
        raise Http404("The file of this export is no longer there: export again.") from None
    response = FileResponse(file, as_attachment=True, filename=job.filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


@tracker_reader
@require_POST
def job_confirm_import(request, pk):
    """Import a checked, valid file: a second job, all or nothing, as the admin's "Confirm"."""
    if not any(
        request.user.has_module_perms(app) and _adds(request.user, app) for app in TRACKER_APPS
    ):
        raise PermissionDenied("You may not import records.")
    check = _visible_job(request, pk)
    if check.kind != Job.Kind.IMPORT_CHECK:
        raise Http404("This job is not the check of an import.")
    if not check.may_import(request.user):
        raise PermissionDenied("You may not import these records.")
    if not check.importable and not check.result.get("confirmed_by_job"):
        messages.error(request, "Only a checked file without errors can be imported.")
        return redirect(check)
    return redirect(confirm_import(check, request.user))


def _adds(user, app: str) -> bool:
    return any(perm.startswith(f"{app}.add_") for perm in user.get_all_permissions())
