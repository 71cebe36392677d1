"""IATI 2.03 activity XML for a partnership's assistance."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.management import call_command

from partnerships.models import Partnership

from .factories import AssistanceFactory, OrganisationFactory, PartnershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db
# Codelists (DOMAIN.md 3.2)
ACTIVITY_STATUS = {"1", "2", "3", "4", "5", "6"}
ORGANISATION_TYPE = {
    "10",
    "11",
    "15",
    "21",
    "22",
    "23",
    "24",
    "30",
    "40",
    "60",
    "70",
    "71",
    "72",
    "73",
    "80",
    "90",
}
FINANCE_TYPE = {"110", "210", "421", "422", "423", "431", "432", "433", "510", "1100"}
FLOW_TYPE = {"10", "21", "22", "30", "36", "37", "40", "50"}
REQUIRED = [
    "iati-identifier",
    "reporting-org",
    "title",
    "description",
    "participating-org",
    "activity-status",
]


def fetch(client, partnership) -> ET.Element:
    response = client.get(f"/partnerships/{partnership.pk}/assistance.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # well-formed, or this raises


def test_iati_export_has_the_required_elements_and_valid_codes(staff_client):
    from .factories import SectorFactory

    partnership = PartnershipFactory()
    partnership.sectors.set(
        [
            SectorFactory(slug="steel", dac_code="32169"),
            SectorFactory(slug="cement", dac_code="32166"),
            SectorFactory(slug="h2", dac_code="32120"),
        ]
    )
    funder = OrganisationFactory(
        name="Swedish Energy Agency & Co <test>", org_type=10, iati_ref="SE-ON-2021004243"
    )
    assistance = AssistanceFactory(
        partnership=partnership,
        provider=funder,
        implementer=OrganisationFactory(org_type=80),
        activity_status=2,
        finance_type=110,
        flow_type=10,
        aid_type="D02",
        climate_mitigation=2,
        amount_musd=Decimal("0.05"),
        recipient_country="IN",
        planned_start=datetime.date(2024, 7, 1),
        planned_end=datetime.date(2025, 12, 31),
    )
    assistance.supported_projects.add(ProjectFactory())
    root = fetch(staff_client, partnership)
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    (activity,) = root.findall("iati-activity")
    for tag in REQUIRED:
        assert activity.find(tag) is not None, tag
    assert activity.findtext("iati-identifier") == f"SE-ON-2021004243-ASSISTANCE-{assistance.pk}"
    reporting = activity.find("reporting-org")
    assert reporting.get("ref") == "SE-ON-2021004243" and reporting.get("type") in ORGANISATION_TYPE
    assert reporting.findtext("narrative") == "Swedish Energy Agency & Co <test>"  # escaped, intact
    roles = {org.get("role") for org in activity.findall("participating-org")}
    assert roles == {"1", "4"}
    assert activity.find("activity-status").get("code") in ACTIVITY_STATUS
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates == {"1": "2024-07-01", "3": "2025-12-31"}
    assert activity.find("recipient-country").attrib == {"code": "IN", "percentage": "100"}
    sectors = activity.findall("sector")
    assert {s.get("code") for s in sectors} == {"32169", "32166", "32120"}
    assert sum(int(s.get("percentage")) for s in sectors) == 100
    assert all(s.get("vocabulary") == "1" for s in sectors)
    marker = activity.find("policy-marker")
    assert (marker.get("code"), marker.get("significance"), marker.get("vocabulary")) == (
        "6",
        "2",
        "1",
    )
    assert activity.find("default-finance-type").get("code") in FINANCE_TYPE
    assert activity.find("default-flow-type").get("code") in FLOW_TYPE
    assert activity.find("default-aid-type").get("code") == "D02"
    value = activity.find("budget/value")
    assert value.text == "50000.00" and value.get("currency") == "USD"
    assert activity.find("other-identifier").get("type") == "B1"


def test_iati_export_of_the_demo_data_is_well_formed_and_complete(staff_client):
    call_command("loaddata", "leadit", verbosity=0)
    for partnership in Partnership.objects.all():
        root = fetch(staff_client, partnership)
        activities = root.findall("iati-activity")
        assert len(activities) == partnership.assistance.count()
        identifiers = [a.findtext("iati-identifier") for a in activities]
        assert len(set(identifiers)) == len(identifiers)
        for activity in activities:
            for tag in REQUIRED:
                assert activity.find(tag) is not None


def test_iati_export_needs_login_and_exists(client, staff_client):
    partnership = PartnershipFactory()
    assert client.get(f"/partnerships/{partnership.pk}/assistance.xml").status_code == 302
    assert staff_client.get("/partnerships/999999/assistance.xml").status_code == 404
