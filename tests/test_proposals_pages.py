"""The proposals' pages are valid HTML (the Nu Html Checker, as tests/test_valid_html.py does
for the sections' pages): the propose form, the review queue, a proposal with a conflict and a
refused accept, a focal point's own list, a record page with a pending proposal."""

from decimal import Decimal

import pytest
from django.test import Client

from leadit.proposals.models import Proposal

from .factories import FinancingFactory, OrganisationFactory, ProjectFactory
from .test_proposals import post_data
from .test_valid_html import missing, validate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)} (make test)"),
]


def test_the_proposals_pages_are_valid_html(make_focal_point, staff_client, tmp_path):
    from partnerships.forms import ProjectForm

    company = OrganisationFactory(name="Acme <Steel>")
    project = ProjectFactory(sponsor=company, capex_musd=Decimal("100"))
    FinancingFactory(project=project, provider=company)
    user = make_focal_point(company)
    focal = Client()
    focal.force_login(user)
    data = post_data(ProjectForm, project, user, capex_musd="250", site="Luleå")
    data["proposal-note"] = "Announced <today>"
    assert focal.post(f"/pipeline/{project.pk}/propose/", data).status_code == 302
    proposal = Proposal.objects.get()
    project.capex_musd = Decimal("300")  # a conflict
    project.save()
    refused = staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["capex_musd"]})
    assert refused.status_code == 422

    documents = {
        "propose-form": focal.get(f"/pipeline/{project.pk}/propose/").content,
        "propose-errors": focal.post(
            f"/pipeline/{project.pk}/propose/", {"capex_musd": "-1"}
        ).content,
        "propose-project": focal.get("/pipeline/propose/").content,
        "propose-tranche": focal.get(f"/pipeline/{project.pk}/financing/propose/").content,
        "project-for-focal-point": focal.get(project.get_absolute_url()).content,
        "my-proposals": focal.get("/proposals/").content,
        "queue": staff_client.get("/proposals/").content,
        "proposal": staff_client.get(proposal.get_absolute_url()).content,
        "proposal-refused": refused.content,
        "project-with-pending": staff_client.get(project.get_absolute_url()).content,
    }
    errors = validate(documents, tmp_path)
    assert not errors, errors


def test_the_review_queue_s_filters_say_any_not_dashes(staff_client):
    page = staff_client.get("/proposals/").content.decode()
    assert "---------" not in page
    assert '<option value="" selected>Any</option>' in page or ">Any</option>" in page
