from django.shortcuts import render

from members.models import Member
from partnerships.models import Engagement, ForumActivity, Partnership, Project


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
