"""Issue 8's budget: no page needs more than ten SQL queries, and none needs more as the data
grows. Measured as a Secretariat user (who also sees the edit controls), on a repeat visit (the
dashboard's figures and the pace medians come from the cache while the data is unchanged)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadit.proposals import decisions
from leadit.proposals.models import Proposal
from partnerships.models import Financing, Project

from . import sections

BUDGET = 10
HTMX = {"HX-Request": "true", "HX-Target": "results"}


def pages() -> dict[str, tuple[str, dict]]:
    found = {"dashboard": ("/", {}), "history": ("/history/", {})}
    filters = "?sector=steel&stage=feasibility&country=IN&capex_min=100&q=steel"
    found["pipeline filtered"] = ("/pipeline/" + filters, {})
    found["pipeline filtered, htmx results"] = ("/pipeline/" + filters, HTMX)
    found["proposals"] = ("/proposals/", {})
    proposal = Proposal.objects.order_by("pk").first()
    if proposal is not None:
        found["proposal page"] = (proposal.get_absolute_url(), {})
    for section in sections.all_sections():
        name, url = section.name, sections.list_url(section)
        record = section.model.objects.order_by("pk").first()
        found[f"{name} list"] = (url, {})
        found[f"{name} list, htmx results"] = (url + "?sort=-pk", HTMX)
        found[f"{name} record"] = (record.get_absolute_url(), {})
        found[f"{name} edit form"] = (record.get_absolute_url() + "edit/", {})
        found[f"{name} record history"] = (record.get_absolute_url() + "history/", {})
    return found


def measure(client) -> dict[str, int]:
    counts = {}
    for name, (url, headers) in pages().items():
        assert client.get(url, headers=headers).status_code == 200, url  # warms the caches
        with CaptureQueriesContext(connection) as queries:
            client.get(url, headers=headers)
        counts[name] = len(queries)
    return counts


def propose_fid(user) -> None:
    """A pending proposal that moves a project with a sought tranche to FID: its page asks
    what became of the tranche (the most its page reads)."""
    project = Project.objects.filter(stage="financing").order_by("pk").first()
    Financing.objects.create(
        project=project, provider=project.sponsor, instrument="loan", status="sought"
    )
    change = {"label": "Stage", "old": project.stage, "new": "fid"}
    change.update(old_display=project.get_stage_display(), new_display="FID")
    decisions.propose(
        model=Project, record=project, changes={"stage": change}, user=user, note="", source_url=""
    )


@pytest.mark.django_db
def test_every_page_fits_the_budget_and_does_not_grow_with_the_data(staff_client, viewer_user):
    call_command("loaddata", "leadit", verbosity=0)
    call_command("populate_history", auto=True, stdout=io.StringIO())
    propose_fid(viewer_user)
    demo = measure(staff_client)
    call_command("generate_demo_data", projects=300, seed=3, stdout=io.StringIO())
    bigger = measure(staff_client)
    assert bigger == demo, {k: (demo[k], bigger[k]) for k in demo if demo[k] != bigger[k]}
    over = {name: count for name, count in bigger.items() if count > BUDGET}
    assert not over, over


@pytest.mark.django_db
def test_a_focal_point_s_pages_fit_the_budget(make_focal_point):
    """What a focal point reads (every page but the edit forms, which they may not open) costs
    no more than the budget: hiding internal fields asks the permissions already read."""
    from django.test import Client

    from members.models import Organisation

    call_command("loaddata", "leadit", verbosity=0)
    client = Client()
    client.force_login(make_focal_point(Organisation.objects.get(name="Salzgitter AG")))
    counts = {}
    for name, (url, headers) in pages().items():
        if name.endswith("edit form"):
            continue
        assert client.get(url, headers=headers).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url, headers=headers)
        counts[name] = len(queries)
    over = {name: count for name, count in counts.items() if count > BUDGET}
    assert not over, over
