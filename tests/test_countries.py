"""Issue 13, item 3: every country is a country. Region, income group and EMDE status come from
the published classification (members/data/countries.csv) for every ISO 3166 country, and a
country profile overrides them; every filter and dashboard link follows."""

import csv
import html
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django_countries import countries
from pytest_django.asserts import assertContains, assertNotContains

from members import countries as classification
from members.models import CountryProfile
from partnerships.dashboard import dashboard
from partnerships.models import Project

from .factories import (
    CountryProfileFactory,
    MemberFactory,
    OrganisationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

REGIONS = set(CountryProfile.Region.values)
INCOME_GROUPS = set(CountryProfile.IncomeGroup.values)


def count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response.context["page_obj"].paginator.count


def names(client, url) -> set[str]:
    response = client.get(url, {"per_page": 200} if "?" not in url else None)
    assert response.status_code == 200, url
    return {str(obj) for obj in response.context["page_obj"]}


def test_every_iso_country_has_a_region_income_group_and_emde_status():
    published = classification.published()
    unclassified = []
    for code, name in countries:
        known = published[code]
        if known.region == classification.UNCLASSIFIED:
            unclassified.append(code)
            continue
        assert known.region in REGIONS, (code, name)
        assert known.income_group in INCOME_GROUPS, (code, name)
    assert unclassified == ["AQ"]  # Antarctica: no economy (docs/countries.md)


@pytest.mark.parametrize(
    "code, region, income_group, is_emde",
    [
        ("NG", "sub_saharan_africa", "lower_middle", True),
        ("DE", "europe_central_asia", "high", False),
        ("KR", "east_asia_pacific", "high", False),  # IMF advanced economy
        ("OM", "middle_east_north_africa", "high", True),  # high income, yet EMDE
        ("PK", "middle_east_north_africa", "lower_middle", True),  # World Bank, July 2025
        ("GL", "europe_central_asia", "high", False),  # part of Denmark
        ("TW", "east_asia_pacific", "high", False),
    ],
)
def test_published_classification(code, region, income_group, is_emde):
    known = classification.published()[code]
    assert (known.region, known.income_group, known.is_emde) == (region, income_group, is_emde)


@pytest.fixture
def nigeria():
    """A project in a country the Secretariat keeps no profile of."""
    return ProjectFactory(name="Lagos green ammonia", country="NG", capex_musd=400)


def test_project_without_profile_is_in_its_region_income_group_and_emde(staff_client, nigeria):
    ProjectFactory(name="Ruhr steel", country="DE")
    assert not CountryProfile.objects.exists()
    assert names(staff_client, "/pipeline/?region=sub_saharan_africa") == {"Lagos green ammonia"}
    assert names(staff_client, "/pipeline/?income=lower_middle") == {"Lagos green ammonia"}
    assert names(staff_client, "/pipeline/?emde=yes") == {"Lagos green ammonia"}
    assert names(staff_client, "/pipeline/?emde=no") == {"Ruhr steel"}
    assert names(staff_client, "/pipeline/?region=europe_central_asia") == {"Ruhr steel"}


def test_a_country_profile_overrides_the_published_classification(staff_client, nigeria):
    CountryProfileFactory(
        country="NG", region="middle_east_north_africa", income_group="upper_middle", is_emde=False
    )
    assert names(staff_client, "/pipeline/?region=sub_saharan_africa") == set()
    assert names(staff_client, "/pipeline/?region=middle_east_north_africa") == {
        "Lagos green ammonia"
    }
    assert names(staff_client, "/pipeline/?income=upper_middle") == {"Lagos green ammonia"}
    assert names(staff_client, "/pipeline/?emde=no") == {"Lagos green ammonia"}
    region = classification.classify("NG")
    assert (region.region, region.source) == ("middle_east_north_africa", "Country profile")


def test_country_filter_lists_every_country_with_a_project(staff_client, nigeria):
    CountryProfileFactory(country="SE", region="europe_central_asia")  # a profile, no project
    response = staff_client.get("/pipeline/")
    assertContains(response, '<option value="NG">Nigeria</option>', html=True)
    assertNotContains(response, '<option value="SE">Sweden</option>', html=True)
    assert names(staff_client, "/pipeline/?country=NG") == {"Lagos green ammonia"}
    # A country with no project is a valid filter with no rows, not an error.
    response = staff_client.get("/pipeline/?country=SE")
    assert response.context["page_obj"].paginator.count == 0
    assert [chip["value"] for chip in response.context["chips"]] == ["Sweden"]
    # A new project's country shows at once (the options are cached under the data's state).
    ProjectFactory(name="Chilean copper", country="CL")
    assertContains(staff_client.get("/pipeline/"), '<option value="CL">Chile</option>', html=True)


def test_project_form_offers_every_country(staff_client):
    response = staff_client.get("/pipeline/new/")
    for code in ("NG", "AQ", "TW", "SE"):
        assertContains(response, f'value="{code}"')


def test_export_by_region_includes_countries_without_profile(staff_client, nigeria):
    response = staff_client.get("/pipeline/export.csv", {"region": "sub_saharan_africa"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["Lagos green ammonia"]
    assert rows[1][3] == "Nigeria"


def test_member_list_region_filter_uses_the_classification(staff_client):
    MemberFactory(organisation=OrganisationFactory(name="Dangote Industries", country="NG"))
    MemberFactory(organisation=OrganisationFactory(name="Thyssenkrupp", country="DE"))
    assert names(staff_client, "/members/?region=sub_saharan_africa") == {"Dangote Industries"}
    assert names(staff_client, "/members/?region=europe_central_asia") == {"Thyssenkrupp"}
    assert count(staff_client, "/members/?region=unclassified") == 0


def test_dashboard_region_bars_link_to_valid_filters(staff_client, nigeria):
    ProjectFactory(name="Antarctic station", country="AQ")
    figures = dashboard()
    regions = {row["key"]: row for row in figures["regions"]}
    assert set(regions) == {"sub_saharan_africa", "unclassified"}
    assert regions["unclassified"]["label"] == "Not classified"
    for row in figures["regions"]:
        assert count(staff_client, row["url"]) == row["count"] == 1


@pytest.fixture(params=["fixture", "generated"])
def data(request):
    call_command("loaddata", "leadit", verbosity=0)
    if request.param == "generated":
        call_command("generate_demo_data", projects=300, seed=3, stdout=io.StringIO())
        # Generated projects land in countries without a profile too.
        profiled = CountryProfile.objects.values("country")
        assert Project.objects.exclude(country__in=profiled).count() > 20
        ProjectFactory(name="Antarctic station", country="AQ")
    return request.param


LIST_PATHS = (
    "/pipeline/",
    "/members/",
    "/engagements/",
    "/partnerships/",
    "/assistance/",
    "/forum/",
)


def test_every_link_the_dashboard_draws_opens_a_valid_filter(staff_client, data):
    """Walk every list link on the page: each answers 200 with a valid filter (no 422), and the
    key figures equal the count of the list they open (the charts' bars are checked in
    tests/test_dashboard.py, on the same data)."""
    response = staff_client.get("/")
    page = response.content.decode()
    links = {html.unescape(href) for href in re.findall(r'href="([^"]+)"', page)}
    walked = {}
    for link in links:
        path = urlsplit(link).path
        if path in LIST_PATHS:
            walked[link] = count(staff_client, link)
    assert len(walked) > 30, sorted(walked)

    context = response.context
    figures, totals = context["figures"], context["totals"]
    key_figures = {
        "/pipeline/": totals["count"],
        "/members/?status=current&kind=country": figures["members"]["countries"],
        "/members/?status=current&kind=company": figures["members"]["companies"],
        "/engagements/?overdue=true": figures["engagements"]["overdue"],
        f"/forum/?year={context['today'].year}": figures["forum"]["this_year"],
        "/partnerships/": figures["partnerships"]["total"],
        "/assistance/": figures["assistance"]["count"],
    }
    for link, figure in key_figures.items():
        assert walked[link] == figure, link
    active = [link for link in walked if link.startswith("/engagements/?stage=")]
    assert [walked[link] for link in active] == [figures["engagements"]["active"]]
    for chart in ("funnel", "sectors", "regions", "emde"):
        for row in context[chart]:
            assert walked.get(row["url"], 0) == row["count"] or row["count"] == 0, row["label"]


def test_the_partnership_form_offers_every_country_and_profiles_a_new_one(staff_client):
    """Recipient countries are not only those the Secretariat profiled: choosing Nigeria makes
    its profile from the published classification."""
    from members.models import CountryProfile
    from partnerships.models import Partnership

    from .factories import PartnershipFactory

    partnership = PartnershipFactory(name="West Africa ITP")
    assert not CountryProfile.objects.filter(country="NG").exists()
    page = staff_client.get(f"/partnerships/{partnership.pk}/edit/").content.decode()
    assert '<option value="NG">Nigeria</option>' in page
    assert 'value="AQ"' not in page  # no region, no recipient
    response = staff_client.post(
        f"/partnerships/{partnership.pk}/edit/",
        {
            "name": partnership.name,
            "kind": partnership.kind,
            "pillar": partnership.pillar,
            "status": partnership.status,
            "recipient_countries": ["NG"],
            "loaded_version": partnership.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = CountryProfile.objects.get(country="NG")
    assert (profile.region, profile.income_group, profile.is_emde) == (
        "sub_saharan_africa",
        "lower_middle",
        True,
    )
    assert list(Partnership.objects.get(pk=partnership.pk).recipient_countries.all()) == [profile]
    page = staff_client.get(f"/partnerships/{partnership.pk}/edit/").content.decode()
    assert '<option value="NG" selected>Nigeria</option>' in page
