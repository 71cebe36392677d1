from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leadit.generic import require_perm
from leadit.widgets import LOOKUPS, SHOWN
from members.models import Member
from partnerships.models import Engagement, ForumActivity, Partnership, Project


@require_GET
def dashboard(request):
    """A first overview; the charts and pace monitor come with the dashboard issue."""
    projects = Project.objects.all()
    context = {
        "totals": projects.totals(),
        "project_count": projects.count(),
        "member_count": Member.objects.current().count(),
        "engagement_count": Engagement.objects.filter(stage__in=Engagement.ACTIVE_STAGES).count(),
        "partnership_count": Partnership.objects.count(),
        "forum_count": ForumActivity.objects.count(),
    }
    return render(request, "dashboard.html", context)


@require_GET
def lookup(request, name):
    """Options of a searchable select: the selected ones, then up to SHOWN matches."""
    spec = LOOKUPS.get(name)
    if spec is None:
        raise Http404("No such lookup.")
    require_perm(request.user, "view", spec.model)
    field = request.GET.get("field", "")
    text = request.GET.get(f"{field}__search", "")[:100].replace("\x00", "")
    ids = [v for v in request.GET.getlist(field) if v.isdigit()]
    selected = list(spec.model._default_manager.filter(pk__in=ids)) if ids else []
    matches = spec.search(text).exclude(pk__in=[o.pk for o in selected])[:SHOWN]
    context = {"selected": selected, "matches": matches, "allow_empty": "empty" in request.GET}
    return render(request, "widgets/lookup_options.html", context)
