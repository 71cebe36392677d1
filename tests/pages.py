"""Every page type of the tracker, on the demo data: for the HTML, accessibility and
screenshot checks (one list, so a new page type is checked by all of them)."""

from members.models import Member
from partnerships.models import Assistance, Engagement, ForumActivity, Partnership, Project


def page_types() -> dict[str, str]:
    project = Project.objects.filter(financing__isnull=False).order_by("pk").first()
    member = Member.objects.order_by("pk").first()
    records = {
        "engagement": Engagement.objects.order_by("pk").first(),
        "partnership": Partnership.objects.order_by("pk").first(),
        "assistance": Assistance.objects.order_by("pk").first(),
        "forum-activity": ForumActivity.objects.order_by("pk").first(),
    }
    pages = {
        "dashboard": "/",
        "pipeline": "/pipeline/",
        "pipeline-filtered": "/pipeline/?sector=steel&stage=feasibility&stage=financing",
        "project": project.get_absolute_url(),
        "project-edit": project.get_absolute_url() + "edit/",
        "project-new": "/pipeline/new/",
        "project-history": project.get_absolute_url() + "history/",
        "project-delete": project.get_absolute_url() + "delete/",
        "members": "/members/",
        "member": member.get_absolute_url(),
        "engagements": "/engagements/",
        "partnerships": "/partnerships/",
        "assistance-list": "/assistance/",
        "forum": "/forum/",
        "history": "/history/",
        "not-found": "/pipeline/999999/",
    }
    for name, record in records.items():
        pages[name] = record.get_absolute_url()
    return pages
