"""Focal points propose changes to their own records; the Secretariat accepts (all or some
fields) or rejects them (issue 16, "Proposals")."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

import members.forms  # noqa: F401 - registers the organisation lookup the forms' selects use
from leadit.proposals.models import Proposal
from leadit.proposals.views import proposal_form
from leadit.sections.editing import as_form_data, form_data
from partnerships.forms import FinancingForm, ProjectForm
from partnerships.models import Financing, Project

from .background import run_queued_tasks
from .factories import FinancingFactory, OrganisationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return OrganisationFactory(name="Acme Steel")


@pytest.fixture
def other_company():
    return OrganisationFactory(name="Other Steel")


@pytest.fixture
def fiona(make_focal_point, company):
    user = make_focal_point(company, username="fiona")
    user.first_name, user.last_name, user.email = "Fiona", "Focal", "fiona@example.org"
    user.save()
    return user


@pytest.fixture
def fiona_client(fiona):
    client = Client()
    client.force_login(fiona)
    return client


@pytest.fixture
def otto_client(make_focal_point, other_company):
    client = Client()
    client.force_login(make_focal_point(other_company, username="otto"))
    return client


@pytest.fixture
def project(company):
    return ProjectFactory(name="Green Mill", sponsor=company, capex_musd=Decimal("100"))


def run_worker() -> None:
    """As if the writes so far committed (their on-commit callbacks queue the mail), then the
    background worker ran."""
    while connection.run_on_commit:
        _, callback, _ = connection.run_on_commit.pop(0)
        callback()
    run_queued_tasks()


def post_data(form_class, record, user, **changes) -> dict:
    """The propose form as the browser posts it, with `changes` made."""
    data = form_data(proposal_form(form_class)(instance=record, user=user))
    data = {name: data.getlist(name) for name in data}
    data.update(changes)
    return data


def propose(client, project, user, **changes) -> Proposal:
    data = post_data(ProjectForm, project, user, **changes)
    response = client.post(f"/pipeline/{project.pk}/propose/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Proposal.objects.latest("pk")


def test_a_focal_point_proposes_a_change_and_the_record_does_not_change(
    fiona_client, fiona, project, settings
):
    settings.SECRETARIAT_EMAIL = "secretariat@leadit.example"
    page = fiona_client.get(project.get_absolute_url()).content.decode()
    assert "Propose a change" in page and ">Edit<" not in page
    form = fiona_client.get(f"/pipeline/{project.pk}/propose/").content.decode()
    assert 'name="capex_musd"' in form and 'name="proposal-note"' in form
    # The Secretariat's own fields are not offered.
    for internal in ("confidence", "qualified", "last_verified_on", "qualification_reason"):
        assert f'name="{internal}"' not in form

    proposal = propose(
        fiona_client,
        project,
        fiona,
        capex_musd="250",
        **{"proposal-note": "FID announced", "proposal-source_url": "https://acme.example/fid"},
    )

    project.refresh_from_db()
    assert project.capex_musd == Decimal("100")
    assert proposal.status == "pending" and proposal.kind == "change"
    assert proposal.object_id == project.pk and proposal.version == project.version
    assert proposal.proposed_by == fiona
    assert proposal.note == "FID announced" and proposal.source_url == "https://acme.example/fid"
    assert proposal.changes == {
        "capex_musd": {
            "label": "Capex (USD million)",
            "old": "100",
            "new": "250",
            "old_display": "100",
            "new_display": "250",
        }
    }
    run_worker()
    [sent] = mail.outbox
    assert sent.to == ["secretariat@leadit.example"]
    assert "Fiona Focal" in sent.body and "Capex (USD million): 100 -> 250" in sent.body
    assert f"/proposals/{proposal.pk}/" in sent.body
    # The record page says a proposal is pending, to the proposer.
    page = fiona_client.get(project.get_absolute_url()).content.decode()
    assert "waiting for the Secretariat" in page and "Your proposal" in page


def test_the_secretariat_accepts_and_the_history_names_both(
    fiona_client, fiona, project, staff_client, secretariat_user
):
    secretariat_user.first_name, secretariat_user.last_name = "Sam", "Secretary"
    secretariat_user.save()
    proposal = propose(fiona_client, project, fiona, capex_musd="250", site="Luleå")
    page = staff_client.get(project.get_absolute_url()).content.decode()
    assert "Review it" in page and proposal.get_absolute_url() in page

    review = staff_client.get(proposal.get_absolute_url())
    assert review.status_code == 200
    assert "Accept the ticked fields" in review.content.decode()
    response = staff_client.post(
        f"/proposals/{proposal.pk}/accept/", {"fields": ["capex_musd", "site"]}
    )
    assert response.status_code == 302

    project.refresh_from_db()
    assert project.capex_musd == Decimal("250") and project.site == "Luleå"
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.decided_by == secretariat_user
    assert proposal.accepted_fields == ["site", "capex_musd"]
    latest = project.history.latest("history_id")
    assert latest.history_user == secretariat_user
    assert latest.history_change_reason == "Proposed by Fiona Focal, accepted by Sam Secretary"
    history = staff_client.get(f"/pipeline/{project.pk}/history/").content.decode()
    assert "Proposed by Fiona Focal, accepted by Sam Secretary" in history
    # The proposer hears of it.
    run_worker()
    decision = [m for m in mail.outbox if m.to == ["fiona@example.org"]]
    assert decision and "accepted by Sam Secretary" in decision[0].body


def test_accepting_some_fields_applies_only_those(fiona_client, fiona, project, staff_client):
    proposal = propose(fiona_client, project, fiona, capex_musd="250", site="Luleå")
    response = staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["site"]})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.site == "Luleå" and project.capex_musd == Decimal("100")
    proposal.refresh_from_db()
    assert proposal.status == "partly_accepted" and proposal.accepted_fields == ["site"]


def test_an_accepted_proposal_says_its_fields_were_applied(
    fiona_client, fiona, project, staff_client
):
    """After accepting, each accepted field is the record's value: 'Applied when accepted', not
    'Already the proposed value' (which reads as if nothing was done)."""
    proposal = propose(fiona_client, project, fiona, capex_musd="250", site="Luleå")
    staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["capex_musd"]})
    page = staff_client.get(proposal.get_absolute_url()).content.decode()
    assert page.count("Applied when accepted.") == 1
    assert "Already the proposed value." not in page


def test_accepting_nothing_is_refused(fiona_client, fiona, project, staff_client):
    proposal = propose(fiona_client, project, fiona, capex_musd="250")
    response = staff_client.post(f"/proposals/{proposal.pk}/accept/", {})
    assert response.status_code == 422
    assert "Tick at least one field" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_pending


def test_rejecting_needs_a_reason_and_tells_the_proposer(
    fiona_client, fiona, project, staff_client
):
    proposal = propose(fiona_client, project, fiona, capex_musd="250")
    response = staff_client.post(f"/proposals/{proposal.pk}/reject/", {"reason": " "})
    assert response.status_code == 422
    assert "Give the reason" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_pending

    response = staff_client.post(
        f"/proposals/{proposal.pk}/reject/", {"reason": "The source says 150."}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.reason == "The source says 150."
    project.refresh_from_db()
    assert project.capex_musd == Decimal("100")
    run_worker()
    [decision] = [m for m in mail.outbox if m.to == ["fiona@example.org"]]
    assert "rejected" in decision.subject and "The source says 150." in decision.body
    # A decided proposal cannot be decided again.
    response = staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["capex_musd"]})
    project.refresh_from_db()
    assert project.capex_musd == Decimal("100")


def test_the_proposer_withdraws_a_pending_proposal(
    fiona_client, fiona, otto_client, project, staff_client
):
    proposal = propose(fiona_client, project, fiona, capex_musd="250")
    assert otto_client.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 404
    assert fiona_client.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["capex_musd"]})
    project.refresh_from_db()
    assert project.capex_musd == Decimal("100")
    mine = fiona_client.get("/proposals/").content.decode()
    assert "My proposals" in mine and "Withdrawn" in mine


def test_a_decided_proposal_is_not_decided_again_and_says_what_became_of_it(
    fiona_client, fiona, project, staff_client
):
    proposal = propose(fiona_client, project, fiona, capex_musd="250")
    staff_client.post(f"/proposals/{proposal.pk}/reject/", {"reason": "The source says 150."})
    for url, data in (("accept", {"fields": ["capex_musd"]}), ("reject", {"reason": "Again"})):
        response = staff_client.post(f"/proposals/{proposal.pk}/{url}/", data, follow=True)
        assertContains(response, "This proposal is already rejected.")
    response = fiona_client.post(f"/proposals/{proposal.pk}/withdraw/", follow=True)
    assertContains(response, "This proposal is already rejected.")
    proposal.refresh_from_db()
    project.refresh_from_db()
    assert (proposal.status, proposal.reason) == ("rejected", "The source says 150.")
    assert project.capex_musd == Decimal("100")


def test_a_field_changed_since_the_proposal_needs_its_own_tick(
    fiona_client, fiona, project, staff_client
):
    proposal = propose(fiona_client, project, fiona, capex_musd="250", site="Luleå")
    project.capex_musd = Decimal("300")
    project.save()

    page = staff_client.get(proposal.get_absolute_url()).content.decode()
    assert "Conflict:" in page and "Overwrite it anyway" in page
    queue = staff_client.get("/proposals/").content.decode()
    assert "1 conflict" in queue

    blind = staff_client.post(
        f"/proposals/{proposal.pk}/accept/", {"fields": ["capex_musd", "site"]}
    )
    assert blind.status_code == 422
    assert "Changed since the proposal: Capex (USD million)" in blind.content.decode()
    project.refresh_from_db()
    assert project.capex_musd == Decimal("300") and project.site == ""

    ticked = staff_client.post(
        f"/proposals/{proposal.pk}/accept/",
        {"fields": ["capex_musd", "site"], "overwrite": ["capex_musd"]},
    )
    assert ticked.status_code == 302
    project.refresh_from_db()
    assert project.capex_musd == Decimal("250") and project.site == "Luleå"


def test_values_the_form_refuses_keep_the_proposal_pending(
    fiona_client, fiona, project, staff_client
):
    proposal = propose(fiona_client, project, fiona, capacity="5", capacity_unit="mtpa")
    # Only the capacity, without its unit: the project's own validation refuses it.
    response = staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["capacity"]})
    assert response.status_code == 422
    assert "Give the unit of the capacity." in response.content.decode()
    proposal.refresh_from_db()
    project.refresh_from_db()
    assert proposal.is_pending and project.capacity is None


def test_proposing_nothing_is_refused(fiona_client, fiona, project):
    data = post_data(ProjectForm, project, fiona)
    response = fiona_client.post(f"/pipeline/{project.pk}/propose/", data)
    assert response.status_code == 422
    assert "Nothing is changed" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_same_proposal_sent_twice_is_refused(fiona_client, fiona, project):
    """A second click, or the form sent again: the Secretariat would decide it twice."""
    first = propose(fiona_client, project, fiona, capex_musd="250")
    data = post_data(ProjectForm, project, fiona, capex_musd="250.00")
    url = f"/pipeline/{project.pk}/propose/"
    for headers in ({}, {"HX-Request": "true", "HX-Target": "form"}):
        response = fiona_client.post(url, data, headers=headers)
        assert response.status_code == 422
        assert "You already proposed exactly this change" in response.content.decode()
        # No field is in error: nothing points at "the fields marked below".
        assert "fields marked below" not in response.content.decode()
        assert list(Proposal.objects.all()) == [first]
    # Another value is another proposal; so is the same one once the first is withdrawn.
    second = propose(fiona_client, project, fiona, capex_musd="260")
    fiona_client.post(f"/proposals/{first.pk}/withdraw/")
    third = propose(fiona_client, project, fiona, capex_musd="250")
    assert Proposal.objects.pending().count() == 2 and {second, third} < set(Proposal.objects.all())


def test_a_colleague_cannot_send_the_same_proposal_again(
    fiona_client, fiona, project, make_focal_point, company
):
    """Two focal points of one company: the second sending exactly what is already waiting is
    told so, rather than the Secretariat deciding it twice; another value still goes through."""
    first = propose(fiona_client, project, fiona, capex_musd="250")
    colleague = make_focal_point(company, username="carl")
    client = Client()
    client.force_login(colleague)
    data = post_data(ProjectForm, project, colleague, capex_musd="250")
    response = client.post(f"/pipeline/{project.pk}/propose/", data)
    assert response.status_code == 422
    assert "A colleague already proposed exactly this change" in response.content.decode()
    assert list(Proposal.objects.all()) == [first]
    assert propose(client, project, colleague, capex_musd="275").proposed_by == colleague


def test_a_stale_proposal_form_shows_what_changed_meanwhile(fiona_client, fiona, project):
    data = post_data(ProjectForm, project, fiona, site="Luleå")
    project.capex_musd = Decimal("300")
    project.save()
    response = fiona_client.post(f"/pipeline/{project.pk}/propose/", data)
    assert response.status_code == 409
    assert "was changed after you opened the form" in response.content.decode()
    assert not Proposal.objects.exists()


def test_no_mass_assignment(fiona_client, fiona, project):
    proposal = propose(
        fiona_client,
        project,
        fiona,
        site="Luleå",
        notes="internal",
        confidence="low",
        qualified="true",
        version="99",
        financing_secured_musd="999",
        sponsor=str(OrganisationFactory().pk),
    )
    # Only what the form offers, and the sponsor it offers (any organisation: it is the
    # section's own field) - but never the internal or uneditable fields.
    assert "site" in proposal.changes
    for name in ("notes", "confidence", "qualified", "version", "financing_secured_musd"):
        assert name not in proposal.changes


def test_another_organisations_record_is_not_theirs(otto_client, fiona_client, fiona, project):
    assert "Propose a change" not in otto_client.get(project.get_absolute_url()).content.decode()
    assert otto_client.get(f"/pipeline/{project.pk}/propose/").status_code == 404
    data = post_data(ProjectForm, project, fiona, capex_musd="1")
    assert otto_client.post(f"/pipeline/{project.pk}/propose/", data).status_code == 404
    proposal = propose(fiona_client, project, fiona, capex_musd="250")
    # Another focal point neither sees nor decides it.
    assert otto_client.get(proposal.get_absolute_url()).status_code == 404
    assert (
        otto_client.post(
            f"/proposals/{proposal.pk}/accept/", {"fields": ["capex_musd"]}
        ).status_code
        == 403
    )
    assert otto_client.post(f"/proposals/{proposal.pk}/reject/", {"reason": "x"}).status_code == 403
    assert proposal.get_absolute_url() not in otto_client.get("/proposals/").content.decode()
    assert (
        "waiting for the Secretariat"
        not in otto_client.get(project.get_absolute_url()).content.decode()
    )
    assert Proposal.objects.count() == 1


def test_viewers_and_the_secretariat_do_not_propose(viewer_client, staff_client, project):
    assert viewer_client.get("/proposals/").status_code == 403
    assert viewer_client.get(f"/pipeline/{project.pk}/propose/").status_code == 403
    assert viewer_client.post(f"/pipeline/{project.pk}/propose/", {}).status_code == 403
    assert viewer_client.get("/pipeline/propose/").status_code == 403
    # The Secretariat edits instead: their records are nobody's "own".
    assert staff_client.get(f"/pipeline/{project.pk}/propose/").status_code == 404
    assert staff_client.get("/pipeline/propose/").status_code == 403
    assert "Propose a change" not in staff_client.get(project.get_absolute_url()).content.decode()


def test_proposing_a_new_project_they_sponsor(
    fiona_client, fiona, company, other_company, staff_client
):
    pipeline = fiona_client.get("/pipeline/").content.decode()
    assert 'href="/pipeline/propose/"' in pipeline
    form = fiona_client.get("/pipeline/propose/").content.decode()
    assert "Acme Steel" in form and "Other Steel" not in form
    sector = ProjectFactory().sector
    data = {
        "name": "Acme Hydrogen DRI",
        "sponsor": str(other_company.pk),
        "country": "SE",
        "sector": str(sector.pk),
        "stage": "identified",
        "status_basis": "reported_by_owner",
        "capex_musd": "900",
    }
    refused = fiona_client.post("/pipeline/propose/", data)
    assert refused.status_code == 422 and not Proposal.objects.exists()
    data["sponsor"] = str(company.pk)
    response = fiona_client.post("/pipeline/propose/", data)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.kind == "new" and proposal.object_id is None
    assert proposal.title == "Acme Hydrogen DRI"
    assert not Project.objects.filter(name="Acme Hydrogen DRI").exists()

    accepted = staff_client.post(
        f"/proposals/{proposal.pk}/accept/", {"fields": list(proposal.changes)}
    )
    assert accepted.status_code == 302
    created = Project.objects.get(name="Acme Hydrogen DRI")
    assert created.sponsor == company and created.capex_musd == Decimal("900")
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.object_id == created.pk


def test_proposing_a_tranche_they_provide(make_focal_point, other_company, project, staff_client):
    bank = OrganisationFactory(name="Green Bank")
    client = Client()
    client.force_login(make_focal_point(bank, username="bianca"))
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Propose a tranche" in page and "Add a tranche" not in page
    url = f"/pipeline/{project.pk}/financing/propose/"
    form = client.get(url).content.decode()
    assert "Green Bank" in form and "Other Steel" not in form
    data = {
        "provider": str(bank.pk),
        "instrument": "concessional_loan",
        "status": "committed",
        "amount_musd": "40",
    }
    assert client.post(url, {**data, "provider": str(other_company.pk)}).status_code == 422
    assert client.post(url, data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.fixed == {"project": project.pk}
    assert str(proposal) == f"New financing: for {project}"  # named after its project
    assert not Financing.objects.exists()

    staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": list(proposal.changes)})
    tranche = Financing.objects.get()
    assert tranche.project == project and tranche.provider == bank
    project.refresh_from_db()
    assert project.financing_secured_musd == Decimal("40")


def test_proposing_a_change_to_their_tranche(make_focal_point, project, staff_client):
    bank = OrganisationFactory(name="Green Bank")
    theirs = FinancingFactory(project=project, provider=bank, amount_musd=Decimal("10"))
    others = FinancingFactory(project=project)
    user = make_focal_point(bank, username="bianca")
    client = Client()
    client.force_login(user)
    page = client.get(project.get_absolute_url()).content.decode()
    assert f"/pipeline/financing/{theirs.pk}/propose/" in page
    assert f"/pipeline/financing/{others.pk}/propose/" not in page
    assert client.get(f"/pipeline/financing/{others.pk}/propose/").status_code == 404
    data = post_data(FinancingForm, theirs, user, amount_musd="12")
    assert client.post(f"/pipeline/financing/{theirs.pk}/propose/", data).status_code == 302
    proposal = Proposal.objects.get()
    staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["amount_musd"]})
    theirs.refresh_from_db()
    assert theirs.amount_musd == Decimal("12")
    # The tranche's change shows in the project's History, credited to both.
    history = staff_client.get(f"/pipeline/{project.pk}/history/").content.decode()
    assert "Proposed by bianca, accepted by sam" in history


def test_proposals_are_escaped_wherever_shown(fiona_client, fiona, project, staff_client):
    script = "<script>alert(1)</script>"
    proposal = propose(fiona_client, project, fiona, site=script, **{"proposal-note": script})
    for client, url in (
        (staff_client, "/proposals/"),
        (staff_client, proposal.get_absolute_url()),
        (fiona_client, "/proposals/"),
        (fiona_client, proposal.get_absolute_url()),
    ):
        html = client.get(url).content.decode()
        assert script not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_the_queue_filters_by_status_type_and_organisation(
    fiona_client, fiona, otto_client, project, staff_client
):
    proposal = propose(fiona_client, project, fiona, capex_musd="250")
    staff_client.post(f"/proposals/{proposal.pk}/reject/", {"reason": "no"})
    pending = propose(fiona_client, project, fiona, site="Luleå")
    queue = staff_client.get("/proposals/").content.decode()
    assert pending.get_absolute_url() in queue and proposal.get_absolute_url() not in queue
    rejected = staff_client.get("/proposals/?status=rejected").content.decode()
    assert proposal.get_absolute_url() in rejected and pending.get_absolute_url() not in rejected
    other = OrganisationFactory()
    by_other = staff_client.get(f"/proposals/?status=all&organisation={project.sponsor_id}")
    assert pending.get_absolute_url() in by_other.content.decode()
    assert staff_client.get(f"/proposals/?organisation={other.pk}").status_code == 422
    htmx = staff_client.get("/proposals/", headers={"HX-Request": "true", "HX-Target": "results"})
    assert b'id="results"' in htmx.content and b"<html" not in htmx.content
    assert staff_client.get("/proposals/?status=bogus").status_code == 422


def test_a_mail_failure_never_fails_the_page(fiona_client, fiona, project, settings):
    settings.EMAIL_BACKEND = "tests.test_proposals.FailingBackend"
    proposal = propose(fiona_client, project, fiona, capex_musd="250")
    run_worker()  # the worker's send fails: logged, the task marked failed
    assert Proposal.objects.filter(pk=proposal.pk, status="pending").exists()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_the_queue_and_a_proposal_page_take_a_fixed_number_of_queries(
    make_focal_point, staff_client, django_user_model
):
    def add(count):
        for _ in range(count):
            company = OrganisationFactory()
            user = make_focal_point(company, username=f"fp{Proposal.objects.count()}")
            client = Client()
            client.force_login(user)
            project = ProjectFactory(sponsor=company)
            propose(client, project, user, capex_musd="250", site="x")
            tranche = FinancingFactory(project=project, provider=company)
            data = post_data(
                FinancingForm,
                tranche,
                user,
                amount_musd="3",
                provider=str(OrganisationFactory().pk),
            )
            client.post(f"/pipeline/financing/{tranche.pk}/propose/", data)
            project.site = "changed"  # a conflict to label
            project.save()

    def count(url):
        staff_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    add(2)
    first = Proposal.objects.order_by("pk").first()
    few = count("/proposals/"), count(first.get_absolute_url())
    add(6)
    many = count("/proposals/"), count(first.get_absolute_url())
    assert few == many
    assert max(many) <= 10, many


def test_an_organisation_proposes_its_own_sectors(
    fiona_client, fiona, company, staff_client, secretariat_user
):
    """A many-to-many field goes through the same way: proposed as ids, applied by the form."""
    from members.forms import OrganisationForm

    from .factories import SectorFactory

    steel, cement = SectorFactory(slug="steel"), SectorFactory(slug="cement")
    company.sectors.set([steel])
    data = post_data(OrganisationForm, company, fiona, sectors=[str(steel.pk), str(cement.pk)])
    assert (
        'name="notes"'
        not in fiona_client.get(f"/organisations/{company.pk}/propose/").content.decode()
    )
    assert fiona_client.post(f"/organisations/{company.pk}/propose/", data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.changes["sectors"]["old"] == [steel.pk]
    assert proposal.changes["sectors"]["new"] == sorted([steel.pk, cement.pk])
    assert "Sector" in staff_client.get("/proposals/").content.decode()
    staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["sectors"]})
    assert set(company.sectors.all()) == {steel, cement}


def test_an_engagement_recipient_proposes_without_the_secretariat_s_fields(
    fiona_client, fiona, company
):
    from .factories import EngagementFactory

    engagement = EngagementFactory(recipient=company, notes="Internal: chase the CFO")
    form = fiona_client.get(f"/engagements/{engagement.pk}/propose/").content.decode()
    assert 'name="next_step"' in form
    assert 'name="owner"' not in form and "chase the CFO" not in form
    assert 'name="last_verified_on"' not in form


def test_a_record_deleted_since_cannot_be_accepted(fiona_client, fiona, project, staff_client):
    proposal = propose(fiona_client, project, fiona, site="Luleå")
    project.delete()
    page = staff_client.get(proposal.get_absolute_url())
    assert "The record was deleted" in page.content.decode()
    response = staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["site"]})
    assert response.status_code == 409
    proposal.refresh_from_db()
    assert proposal.is_pending
    # It can still be rejected.
    staff_client.post(f"/proposals/{proposal.pk}/reject/", {"reason": "Gone."})
    proposal.refresh_from_db()
    assert proposal.status == "rejected"


def test_every_proposal_form_checks_csrf(fiona, project, secretariat_user):
    fiona_csrf = Client(enforce_csrf_checks=True)
    fiona_csrf.force_login(fiona)
    data = post_data(ProjectForm, project, fiona, site="Luleå")
    assert fiona_csrf.post(f"/pipeline/{project.pk}/propose/", data).status_code == 403
    assert fiona_csrf.post("/pipeline/propose/", data).status_code == 403
    assert not Proposal.objects.exists()
    fiona_client = Client()
    fiona_client.force_login(fiona)
    proposal = propose(fiona_client, project, fiona, site="Luleå")
    staff_csrf = Client(enforce_csrf_checks=True)
    staff_csrf.force_login(secretariat_user)
    for action, data in (("accept", {"fields": "site"}), ("reject", {"reason": "x"})):
        assert staff_csrf.post(f"/proposals/{proposal.pk}/{action}/", data).status_code == 403
    assert fiona_csrf.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 403
    proposal.refresh_from_db()
    assert proposal.is_pending


@pytest.mark.parametrize(
    "field, value",
    [
        ("sponsor", "9" * 40),
        ("sector", "-1"),
        ("capex_musd", "1e400"),
        ("planned_fid_year", "１２"),
        ("site", "bad\x00byte"),
        ("country", "<script>"),
        ("loaded_version", "999999999999999999999999"),
        ("proposal-source_url", "javascript:alert(1)"),
        ("proposal-note", "x" * 3000),
    ],
)
def test_hostile_values_are_refused_with_a_message(fiona_client, fiona, project, field, value):
    data = post_data(ProjectForm, project, fiona, **{field: value})
    response = fiona_client.post(f"/pipeline/{project.pk}/propose/", data)
    # Refused with the fields' errors, or (an impossible version) as changed meanwhile.
    assert response.status_code == (409 if field == "loaded_version" else 422)
    assert not Proposal.objects.exists()


def test_hostile_decisions_are_refused(fiona_client, fiona, project, staff_client):
    proposal = propose(fiona_client, project, fiona, site="Luleå")
    for data in (
        {"fields": "version"},
        {"fields": "<script>"},
        {"fields": "site", "overwrite": "x"},
    ):
        assert staff_client.post(f"/proposals/{proposal.pk}/accept/", data).status_code == 422
    assert (
        staff_client.post(f"/proposals/{proposal.pk}/reject/", {"reason": "\x00"}).status_code
        == 422
    )
    assert staff_client.get(f"/proposals/{'9' * 30}/").status_code == 404
    proposal.refresh_from_db()
    assert proposal.is_pending


def test_a_focal_point_s_record_page_fits_the_budget(fiona_client, project):
    propose_page = project.get_absolute_url()
    fiona_client.get(propose_page)
    with CaptureQueriesContext(connection) as queries:
        assert "Propose a change" in fiona_client.get(propose_page).content.decode()
    assert len(queries) <= 11, [q["sql"][:120] for q in queries]


def test_a_tranche_is_proposed_in_place_in_the_financing_panel(make_focal_point, project):
    bank = OrganisationFactory(name="Green Bank")
    theirs = FinancingFactory(project=project, provider=bank)
    user = make_focal_point(bank, username="bianca")
    client = Client()
    client.force_login(user)
    htmx = {"HX-Request": "true", "HX-Target": "financing"}
    url = f"/pipeline/{project.pk}/financing/propose/"
    panel = client.get(url, headers=htmx)
    html = panel.content.decode()
    assert panel.status_code == 200 and "<html" not in html
    assert 'id="financing"' in html and "Propose a tranche" in html
    assert 'name="proposal-note"' in html and f'hx-post="{url}"' in html
    refused = client.post(url, {"provider": str(bank.pk), "amount_musd": "-1"}, headers=htmx)
    assert refused.status_code == 422 and 'id="financing"' in refused.content.decode()
    data = {"provider": str(bank.pk), "instrument": "grant", "status": "sought", "amount_musd": "5"}
    sent = client.post(url, data, headers=htmx)
    assert sent.status_code == 200
    assert 'id="financing"' in sent.content.decode()
    assert "Your proposal was sent" in sent.content.decode()  # the message, out of band
    assert Proposal.objects.get().fixed == {"project": project.pk}
    # A change to their own tranche, in place too.
    change_url = f"/pipeline/financing/{theirs.pk}/propose/"
    form = client.get(change_url, headers=htmx).content.decode()
    assert "Propose a change to the tranche" in form and f'hx-post="{change_url}"' in form


def test_only_the_fields_in_conflict_and_those_accepted_are_named(
    fiona_client, fiona, project, staff_client
):
    proposal = propose(fiona_client, project, fiona, capex_musd="250", site="Luleå")
    project.site = "Gällivare"  # the first proposed field changes meanwhile, the last does not
    project.save()
    page = staff_client.get(proposal.get_absolute_url()).content.decode()
    assert "Changed since the proposal: Site. Accepting" in page

    staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["capex_musd"]})
    page = staff_client.get(proposal.get_absolute_url()).content.decode()
    assert "Accepted: Capex (USD million).</p>" in page


def test_the_queue_and_its_htmx_results_vary_with_the_htmx_headers(staff_client):
    """One URL serves the page and its #results fragment: a cache must tell them apart."""
    for headers in ({}, {"HX-Request": "true", "HX-Target": "results"}):
        response = staff_client.get("/proposals/", headers=headers)
        assert response.status_code == 200
        assert "HX-Request" in response["Vary"] and "HX-Target" in response["Vary"]


def test_a_proposal_s_values_are_posted_to_the_form_as_a_browser_posts_them():
    """Accepting posts the stored values through the section's form (one function with the
    edit-conflict merge): each as the form's widget reads it."""
    data = as_form_data(
        {
            "concessional": True,  # a checkbox
            "scope3_included": False,  # a yes/no/unknown select
            "qualified": None,  # unknown, an unticked box, an empty field: nothing posted
            "sectors": [2, 7],  # a multiple choice
            "provider": 4,
            "amount_musd": "12.5",
            "joined_on": "2024-05-01",
            "site": "",
        }
    )
    assert {name: data.getlist(name) for name in data} == {
        "concessional": ["true"],
        "scope3_included": ["false"],
        "sectors": ["2", "7"],
        "provider": ["4"],
        "amount_musd": ["12.5"],
        "joined_on": ["2024-05-01"],
        "site": [""],
    }


def test_accepting_a_move_to_fid_asks_the_reviewer_what_became_of_sought_tranches(
    fiona_client, fiona, project, staff_client
):
    """A focal point proposes FID; the project still has a sought tranche. Accepting asks the
    Secretariat what became of it, in the accept form, and then saves both (it was a dead end:
    the form refused the accept and offered nowhere to answer)."""
    project.stage = "financing"
    project.save()
    loan = FinancingFactory(project=project, status="sought", amount_musd=Decimal("60"))
    proposal = propose(fiona_client, project, fiona, stage="fid")
    assert proposal.changes["stage"]["new"] == "fid"
    # Asked on the proposal's page already, inside the accept form.
    page = staff_client.get(proposal.get_absolute_url()).content.decode()
    start = page.index('id="accept-form"')
    assert f'name="tranche_{loan.pk}"' in page[start : page.index("</form>", start)]
    assert "Say what became" not in page  # not an error before anything is sent
    # A proposal that does not move the project to FID asks nothing.
    other = propose(fiona_client, project, fiona, site="Salzgitter")
    assert 'name="tranche_' not in staff_client.get(other.get_absolute_url()).content.decode()

    refused = staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["stage"]})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "Say what became of this tranche at FID." in page
    # The question is asked inside the accept form, so the answer is posted with the accept.
    accept_form = page[
        page.index('id="accept-form"') : page.index("</form>", page.index('id="accept-form"'))
    ]
    assert f'name="tranche_{loan.pk}"' in accept_form
    assert f'name="tranche_{loan.pk}_note"' in accept_form
    project.refresh_from_db()
    assert project.stage == "financing"

    accepted = staff_client.post(
        f"/proposals/{proposal.pk}/accept/",
        {"fields": ["stage"], f"tranche_{loan.pk}": "committed"},
    )
    assert accepted.status_code == 302, accepted.content.decode()[:3000]
    project.refresh_from_db()
    loan.refresh_from_db()
    assert project.stage == "fid"
    assert loan.status == "committed" and loan.decided_on is not None
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_losing_a_race_to_decide_shows_the_decision_made(
    fiona_client, fiona, project, staff_client, decision, monkeypatch
):
    """Two officers click a moment apart: the second passed the page's check before the first
    was saved, and is refused under the lock. They land on the proposal as it now is (decided,
    no decision form), not on the stale pending page with its buttons."""
    from leadit.proposals import views

    proposal = propose(fiona_client, project, fiona, capex_musd="250")
    read = views.visible_proposal

    def read_then_the_other_officer_accepts(request, pk):
        page = read(request, pk)  # pending as this officer reads it ...
        other = Client()
        other.force_login(request.user)
        with monkeypatch.context() as undone:  # ... then the other officer's click lands
            undone.setattr(views, "visible_proposal", read)
            other.post(f"/proposals/{pk}/accept/", {"fields": ["capex_musd"]})
        return page

    monkeypatch.setattr(views, "visible_proposal", read_then_the_other_officer_accepts)
    data = {"fields": ["capex_musd"]} if decision == "accept" else {"reason": "No source."}
    response = staff_client.post(
        f"/proposals/{proposal.pk}/{decision}/", data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == proposal.get_absolute_url()
    monkeypatch.undo()
    page = staff_client.get(proposal.get_absolute_url())
    assertContains(page, "This proposal is already accepted.")
    assertNotContains(page, "Accept the ticked fields")
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_a_decided_proposal_is_history_not_a_conflict(fiona_client, fiona, project, staff_client):
    """Accepted, then the record moves on (another accepted change, an edit): the decided
    proposal's page and the queue do not call that a conflict."""
    proposal = propose(fiona_client, project, fiona, capex_musd="250", site="Luleå")
    staff_client.post(f"/proposals/{proposal.pk}/accept/", {"fields": ["capex_musd"]})
    project.refresh_from_db()
    project.capex_musd, project.site = Decimal("300"), "Gällivare"
    project.save()
    page = staff_client.get(proposal.get_absolute_url())
    assertNotContains(page, "Conflict:")
    assertNotContains(page, "Changed since the proposal")
    assertContains(page, "Applied when accepted; changed since.", count=1)  # capex, not site
    queue = staff_client.get("/proposals/", {"status": "partly_accepted"})
    assertContains(queue, proposal.title)
    assertNotContains(queue, "conflict")
