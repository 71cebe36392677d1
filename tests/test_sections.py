"""Members, engagements, partnerships and forum: list pages, filters, detail pages, query counts."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from leadit.jobs.models import StoredFigures

from .factories import (
    AssistanceFactory,
    ContactFactory,
    EngagementFactory,
    ForumActivityFactory,
    MemberFactory,
    OrganisationFactory,
    ParticipantFactory,
    PartnershipFactory,
    ProjectFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def make_rows(n: int) -> None:
    for _ in range(n):
        MemberFactory()
        EngagementFactory(recipient=OrganisationFactory())
        partnership = PartnershipFactory()
        ParticipantFactory(partnership=partnership)
        ForumActivityFactory()


@pytest.mark.parametrize("url", ["/", "/members/", "/engagements/", "/partnerships/", "/forum/"])
def test_list_query_count_does_not_grow_with_rows(staff_client, url):
    make_rows(2)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    make_rows(20)
    # Compare cold requests: the dashboard caches its pace figures, and computes its figures in
    # the request only while none are stored.
    cache.clear()
    StoredFigures.objects.all().delete()
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url, {"per_page": 100})
    assert response.status_code == 200
    assert len(many) == len(few)


def test_members_filter_by_kind_status_and_search(staff_client):
    MemberFactory(organisation__name="Government of Ruritania", kind="country")
    MemberFactory(organisation__name="Acme Steel", kind="company")
    MemberFactory(organisation__name="Gone Ltd", kind="company", left_on=datetime.date(2022, 1, 1))
    response = staff_client.get("/members/", {"kind": "country"})
    assertContains(response, "Government of Ruritania")
    assertNotContains(response, "Acme Steel")
    response = staff_client.get("/members/", {"status": "former"})
    assertContains(response, "Gone Ltd")
    assertNotContains(response, "Acme Steel")
    assertContains(staff_client.get("/members/", {"q": "acme"}), "Acme Steel")
    assert staff_client.get("/members/", {"kind": "planet"}).status_code == 422


def test_member_page_shows_organisation_and_focal_points(staff_client):
    member = MemberFactory(organisation__name="Acme Steel")
    ContactFactory(organisation=member.organisation, name="Ada Focal", is_focal_point=True)
    response = staff_client.get(f"/members/{member.pk}/")
    assertContains(response, "Acme Steel")
    assertContains(response, "Ada Focal")
    assertContains(response, "Focal point")


def test_engagements_filter_overdue(staff_client):
    EngagementFactory(title="Late one", next_step_due=datetime.date(2020, 1, 1), stage="scoping")
    EngagementFactory(title="On time", next_step_due=datetime.date(2099, 1, 1), stage="scoping")
    response = staff_client.get("/engagements/", {"overdue": "true"})
    assertContains(response, "Late one")
    assertNotContains(response, "On time")


def test_partnership_page_shows_participants_groups_assistance_and_projects(staff_client):
    partnership = PartnershipFactory(name="India–Sweden ITP")
    ParticipantFactory(
        partnership=partnership, organisation__name="Government of India", role="co_lead"
    )
    WorkingGroupFactory(partnership=partnership, name="Steel")
    AssistanceFactory(partnership=partnership, title="Pre-feasibility support")
    ProjectFactory(partnership=partnership, name="Bhilai study")
    response = staff_client.get(f"/partnerships/{partnership.pk}/")
    for text in [
        "Government of India",
        "Co-lead",
        "Steel",
        "Pre-feasibility support",
        "Bhilai study",
    ]:
        assertContains(response, text)


@pytest.mark.parametrize(
    "factory, url",
    [
        (EngagementFactory, "/engagements/{}/"),
        (ForumActivityFactory, "/forum/{}/"),
        (AssistanceFactory, "/assistance/{}/"),
    ],
)
def test_detail_pages_show_the_record(staff_client, viewer_client, factory, url):
    record = factory()
    for client in (staff_client, viewer_client):
        response = client.get(url.format(record.pk))
        assertContains(response, str(record))
    edit = f'href="{url.format(record.pk)}edit/"'
    assertContains(staff_client.get(url.format(record.pk)), edit)
    assertNotContains(viewer_client.get(url.format(record.pk)), edit)
    assertNotContains(viewer_client.get(url.format(record.pk)), "Delete")


def test_forum_filter_by_year(staff_client):
    ForumActivityFactory(title="Summit 2023", starts_on=datetime.date(2023, 12, 9))
    ForumActivityFactory(title="Dialogue 2022", starts_on=datetime.date(2022, 6, 1))
    response = staff_client.get("/forum/", {"year": 2023})
    assertContains(response, "Summit 2023")
    assertNotContains(response, "Dialogue 2022")


def test_members_filter_by_sector_region_and_joined_year(staff_client):
    from .factories import CountryProfileFactory, SectorFactory

    CountryProfileFactory(country="IN", region="south_asia")
    CountryProfileFactory(country="SE", region="europe_central_asia", is_emde=False)
    steel = SectorFactory(slug="steel", name="Iron and steel")
    indian = MemberFactory(
        organisation__name="Steel India",
        organisation__country="IN",
        joined_on=datetime.date(2023, 6, 30),
    )
    indian.organisation.sectors.add(steel)
    MemberFactory(organisation__name="Swedish Trucks", organisation__country="SE")
    for params in ({"sector": "steel"}, {"region": "south_asia"}, {"joined": 2023}):
        response = staff_client.get("/members/", params)
        assertContains(response, "Steel India")
        assertNotContains(response, "Swedish Trucks")


def test_engagements_filter_by_provider_and_owner(staff_client, secretariat_user):
    mine = EngagementFactory(title="Mine", owner=secretariat_user)
    EngagementFactory(title="Unowned")
    response = staff_client.get("/engagements/", {"owner": secretariat_user.pk})
    assertContains(response, "Mine")
    assertNotContains(response, "Unowned")
    response = staff_client.get("/engagements/", {"provider": mine.provider_id})
    assertContains(response, "Mine")
    assertNotContains(response, "Unowned")


def test_forum_filter_by_member(staff_client):
    member = MemberFactory(organisation__name="Government of Ruritania")
    joined = ForumActivityFactory(title="Joined summit")
    joined.members.add(member)
    ForumActivityFactory(title="Other webinar")
    response = staff_client.get("/forum/", {"member": member.pk})
    assertContains(response, "Joined summit")
    assertNotContains(response, "Other webinar")


@pytest.mark.parametrize(
    "url, factory, text",
    [
        ("/members/export.csv", lambda: MemberFactory(organisation__name="=cmd|x"), "'=cmd|x"),
        ("/engagements/export.csv", lambda: EngagementFactory(title="Kiln deal"), "Kiln deal"),
        ("/partnerships/export.csv", lambda: PartnershipFactory(name="Hub"), "Hub"),
        ("/assistance/export.csv", lambda: AssistanceFactory(title="TA one"), "TA one"),
        ("/forum/export.csv", lambda: ForumActivityFactory(title="Summit"), "Summit"),
    ],
)
def test_every_section_exports_its_filtered_rows(staff_client, url, factory, text):
    factory()
    response = staff_client.get(url)
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode()
    assert text in body
    assert body.count("\n") == 2  # header and the one row
    assert staff_client.get(url, {"q": "x" * 500}).status_code == 422


def test_assistance_is_counted_as_activities(staff_client):
    """'507 assistance' and '1 assistance' read oddly; IATI counts activities."""
    from .factories import AssistanceFactory

    AssistanceFactory()
    page = staff_client.get("/assistance/").content.decode()
    assert "<strong>1</strong> assistance activity" in page
    AssistanceFactory()
    page = staff_client.get("/assistance/").content.decode()
    assert "<strong>2</strong> assistance activities" in page
