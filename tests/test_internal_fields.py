"""The Secretariat's internal fields and lists (leadit.sections.internal), place by place: notes,
who follows up a next step, Needs attention and the review queue are shown to the Secretariat
and to nobody else, viewers and focal points alike."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from .factories import (
    ContactFactory,
    EngagementFactory,
    MemberFactory,
    OrganisationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "focal point"]
NOTE = "Ask Karin before COP"


@pytest.fixture
def officer(secretariat_user):
    secretariat_user.first_name, secretariat_user.last_name = "Olga", "Owner"
    secretariat_user.save()
    return secretariat_user


@pytest.fixture
def engagement(officer):
    return EngagementFactory(
        title="Kiln retrofit",
        owner=officer,
        notes=NOTE,
        next_step="Send the term sheet",
        next_step_due=datetime.date(2020, 1, 1),
        stage="scoping",
    )


@pytest.fixture
def member():
    member = MemberFactory(organisation__name="Bravo Steel", notes=NOTE)
    member.organisation.notes = NOTE
    member.organisation.save()
    return member


@pytest.fixture
def reader(request, viewer_user, make_focal_point):
    """A logged-in viewer, or a focal point of an organisation of their own."""
    user = viewer_user if request.param == "viewer" else make_focal_point(OrganisationFactory())
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def header(response) -> str:
    return text(response).split("<thead>")[1].split("</thead>")[0]


@pytest.mark.parametrize("reader", ROLES, indirect=True)
def test_the_engagement_table_has_no_owner_column(reader, staff_client, engagement):
    assert "Owner" not in header(reader.get("/engagements/"))
    assert "Olga Owner" not in text(reader.get("/engagements/"))
    assert "Owner" in header(staff_client.get("/engagements/"))
    assert "Olga Owner" in text(staff_client.get("/engagements/"))


@pytest.mark.parametrize("reader", ROLES, indirect=True)
def test_the_column_chooser_offers_no_internal_column(reader, staff_client, engagement, member):
    for path, internal in (("/engagements/", {"owner", "notes"}), ("/members/", {"notes"})):
        offered = {c["name"] for c in reader.get(path).context["column_choices"]}
        assert not offered & internal, path
        staff_offers = {c["name"] for c in staff_client.get(path).context["column_choices"]}
        assert internal <= staff_offers, path
    # Asked for by name, an internal column is not given.
    html = text(reader.get("/engagements/", {"columns": ["owner", "notes"]}))
    assert "Olga Owner" not in html and NOTE not in html
    assert NOTE in text(staff_client.get("/engagements/", {"columns": ["owner", "notes"]}))


@pytest.mark.parametrize("reader", ROLES, indirect=True)
def test_the_owner_and_review_queue_filters_are_the_secretariat_s(
    reader, staff_client, engagement, officer
):
    EngagementFactory(title="Unowned")
    for client, offered in ((reader, False), (staff_client, True)):
        form = client.get("/engagements/").context["filter"].form
        assert ("owner" in form.fields) is offered
        assert ("unverified_months" in form.fields) is offered
    # Given anyway, the filter is ignored: it tells nothing of who owns what.
    rows = reader.get("/engagements/", {"owner": officer.pk}).context["paginator"].count
    assert rows == 2
    assert staff_client.get("/engagements/", {"owner": officer.pk}).context["paginator"].count == 1
    ProjectFactory(last_verified_on=None)
    queue = reader.get("/pipeline/", {"unverified_months": 12})
    assert "unverified_months" not in queue.context["filter"].form.fields
    assert "Not verified for" not in text(queue)


@pytest.mark.parametrize("reader", ROLES, indirect=True)
def test_no_sorting_by_an_internal_field(reader, staff_client, engagement, monkeypatch):
    from partnerships.filtersets import EngagementFilterSet

    monkeypatch.setitem(EngagementFilterSet.sort_fields, "owner", "owner__last_name")
    EngagementFactory(title="Another", owner=None)
    for client, sorted_by_owner in ((reader, False), (staff_client, True)):
        response = client.get("/engagements/", {"sort": "owner"})
        assert (response.context["filter"].current_sort == "owner") is sorted_by_owner


@pytest.mark.parametrize("reader", ROLES, indirect=True)
def test_record_pages_show_no_internal_field(reader, staff_client, engagement, member):
    contact = ContactFactory(notes=NOTE)
    pages = [
        engagement.get_absolute_url(),
        member.get_absolute_url(),
        member.organisation.get_absolute_url(),
        contact.get_absolute_url(),
    ]
    for page in pages:
        response = reader.get(page)
        assert response.status_code == 200
        assert NOTE not in text(response), page
        assert NOTE in text(staff_client.get(page)), page
    assert "Olga Owner" not in text(reader.get(engagement.get_absolute_url()))
    assert "Olga Owner" in text(staff_client.get(engagement.get_absolute_url()))


@pytest.mark.parametrize("reader", ROLES, indirect=True)
def test_exports_carry_no_internal_column(reader, staff_client, engagement, member):
    first_line = text(reader.get("/engagements/export.csv")).splitlines()[0]
    assert "Owner" not in first_line and "Notes" not in first_line
    assert NOTE not in text(reader.get("/members/export.csv"))
    staff_line = text(staff_client.get("/engagements/export.csv")).splitlines()[0]
    assert "Owner" in staff_line and "Notes" in staff_line
    for client, shown in ((reader, False), (staff_client, True)):
        response = client.get("/engagements/export.xlsx")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
        headings = [cell.value for cell in sheet[1]]
        assert ("Owner" in headings) is shown and ("Notes" in headings) is shown


@pytest.mark.parametrize("reader", ROLES, indirect=True)
def test_the_dashboard_has_no_needs_attention_for_them(reader, staff_client, engagement):
    html = text(reader.get("/"))
    assert "Needs attention" not in html and "Not verified for 12 months" not in html
    assert "Olga Owner" not in html
    assert "Projects" in html  # the figures themselves are for every reader
    review = {"HX-Request": "true", "HX-Target": "review"}
    assert reader.get("/", headers=review).status_code == 403
    staff = text(staff_client.get("/"))
    assert "Needs attention" in staff and "Olga Owner" in staff
    assert staff_client.get("/", headers=review).status_code == 200


@pytest.mark.parametrize("reader", ROLES, indirect=True)
def test_history_tabs_show_no_change_of_an_internal_field(reader, staff_client, engagement, member):
    engagement.notes, engagement.title = "Karin prefers calls", "Kiln retrofit phase 1"
    engagement.save()
    member.notes = "Karin prefers calls"
    member.save()
    for record in (engagement, member):
        page = f"{record.get_absolute_url()}history/"
        assert "Karin prefers calls" not in text(reader.get(page)), page
        assert "Karin prefers calls" in text(staff_client.get(page)), page
    assert "Kiln retrofit phase 1" in text(reader.get(f"{engagement.get_absolute_url()}history/"))
    # A change of internal fields alone says so, and no more.
    member_history = text(reader.get(f"{member.get_absolute_url()}history/"))
    assert "Only the Secretariat's internal fields changed." in member_history
    assert "internal fields changed" not in text(
        staff_client.get(f"{member.get_absolute_url()}history/")
    )


@pytest.mark.parametrize("reader", ROLES, indirect=True)
def test_search_finds_nothing_by_internal_text(reader, staff_client, engagement, member):
    for path in ("/members/", "/engagements/", "/organisations/"):
        assert reader.get(path, {"q": "karin"}).context["paginator"].count == 0, path
        assert staff_client.get(path, {"q": "karin"}).context["paginator"].count == 1, path
    assert reader.get("/members/", {"q": "bravo"}).context["paginator"].count == 1


@pytest.mark.parametrize("reader", ROLES, indirect=True)
def test_lookups_find_nothing_by_internal_text(reader, member):
    html = text(reader.get("/lookup/member/", {"field": "f", "f__search": "karin"}))
    assert "Bravo Steel" not in html and "No match" in html
    assert "Bravo Steel" in text(reader.get("/lookup/member/", {"field": "f", "f__search": "bra"}))


def test_a_focal_point_has_the_viewer_s_menu_and_their_proposals(viewer_client, make_focal_point):
    client = Client()
    client.force_login(make_focal_point(OrganisationFactory()))

    def offered(c):
        return [
            (link["label"], link["url"])
            for p in c.get("/").context["navigation"]
            for link in p["links"]
        ]

    # The viewer's menu, and their own proposals (leadit.proposals) besides.
    assert [link for link in offered(client) if link != ("Proposals", "/proposals/")] == offered(
        viewer_client
    )
    assert ("Proposals", "/proposals/") in offered(client)
    for _, url in offered(client):
        assert client.get(url).status_code == 200, url


def test_an_internal_page_is_the_secretariat_s_and_left_out_of_their_menu(
    rf, secretariat_user, viewer_user, make_focal_point
):
    """leadit.sections.internal.internal_page: what a Secretariat-only list (the review queue
    of proposals) is decorated with; may_open asks the same check for the menu."""
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    from leadit.sections.internal import internal_page
    from leadit.sections.views import requires
    from partnerships.models import Project

    view = internal_page(requires("view", [Project])(lambda request: HttpResponse("queue")))
    focal_point = make_focal_point(OrganisationFactory())
    for user in (viewer_user, focal_point):
        request = rf.get("/")
        request.user = user
        with pytest.raises(PermissionDenied):
            view(request)
        assert not view.allowed(user)
    request = rf.get("/")
    request.user = secretariat_user
    assert view(request).content == b"queue" and view.allowed(secretariat_user)
