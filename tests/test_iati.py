"""IATI 2.03 activity files: the parts of the schema we use, and the standard's own rules.

The repository holds no copy of the IATI schema. SCHEMA below states the parts of
iati-activities-schema.xsd (IATI/IATI-Schemas, branch version-2.03) that the export writes: the
order and number of each element's children, the attributes each may carry (required ones marked)
and their types. RULES are those of the standard that the schema does not express (the IATI
Standard Ruleset): identifier prefix, dates, percentages, budget periods, codelists.
docs/data-exchange.md says how to check a file against the real schema and the IATI validator.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.test import Client, override_settings
from django_countries import countries

from partnerships.models import Assistance, Partnership

from .factories import (
    AssistanceFactory,
    CountryProfileFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db

REF = "XM-TEST-LEADIT"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MANY = None  # maxOccurs="unbounded"
REQUIRED = "required"

# --- The schema's parts that we use --------------------------------------------------------------
# Children: the element's xsd:sequence as (tag, minOccurs, maxOccurs), in order.
ACTIVITY_SEQUENCE = [
    ("iati-identifier", 1, 1),
    ("reporting-org", 1, 1),
    ("title", 1, 1),
    ("description", 1, MANY),
    ("participating-org", 1, MANY),
    ("other-identifier", 0, MANY),
    ("activity-status", 1, 1),
    ("activity-date", 1, MANY),
    ("contact-info", 0, MANY),
    ("activity-scope", 0, 1),
    ("recipient-country", 0, MANY),
    ("recipient-region", 0, MANY),
    ("location", 0, MANY),
    ("sector", 0, MANY),
    ("tag", 0, MANY),
    ("country-budget-items", 0, 1),
    ("humanitarian-scope", 0, MANY),
    ("policy-marker", 0, MANY),
    ("collaboration-type", 0, 1),
    ("default-flow-type", 0, 1),
    ("default-finance-type", 0, 1),
    ("default-aid-type", 0, MANY),
    ("default-tied-status", 0, 1),
    ("budget", 0, MANY),
    ("planned-disbursement", 0, MANY),
    ("capital-spend", 0, 1),
    ("transaction", 0, MANY),
    ("document-link", 0, MANY),
    ("related-activity", 0, MANY),
    ("legacy-data", 0, MANY),
    ("conditions", 0, 1),
    ("result", 0, MANY),
    ("crs-add", 0, 1),
    ("fss", 0, 1),
]
NARRATIVES = [("narrative", 1, MANY)]
OPTIONAL_NARRATIVES = [("narrative", 0, MANY)]
# Attributes: name -> (type, REQUIRED or ""); types are checked by TYPES below.
SCHEMA = {
    "iati-activities": (
        {"version": ("string", REQUIRED), "generated-datetime": ("dateTime", "")},
        [("iati-activity", 1, MANY)],
    ),
    "iati-activity": (
        {
            "last-updated-datetime": ("dateTime", ""),
            XML_LANG: ("string", ""),
            "default-currency": ("string", ""),
            "humanitarian": ("boolean", ""),
            "hierarchy": ("int", ""),
        },
        ACTIVITY_SEQUENCE,
    ),
    "iati-identifier": ({}, "text"),
    "reporting-org": (
        {
            "ref": ("string", REQUIRED),
            "type": ("string", REQUIRED),
            "secondary-reporter": ("boolean", ""),
        },
        NARRATIVES,
    ),
    "title": ({}, NARRATIVES),
    "description": ({"type": ("string", "")}, NARRATIVES),  # the activity's, not a transaction's
    "participating-org": (
        {
            "ref": ("string", ""),
            "type": ("string", ""),
            "role": ("string", REQUIRED),
            "activity-id": ("string", ""),
            "crs-channel-code": ("string", ""),
        },
        OPTIONAL_NARRATIVES,
    ),
    "activity-status": ({"code": ("string", REQUIRED)}, []),
    "activity-date": (
        {"type": ("string", REQUIRED), "iso-date": ("date", REQUIRED)},
        OPTIONAL_NARRATIVES,
    ),
    "recipient-country": (
        {"code": ("string", REQUIRED), "percentage": ("decimal", "")},
        OPTIONAL_NARRATIVES,
    ),
    "sector": (
        {
            "code": ("string", REQUIRED),
            "vocabulary": ("string", ""),
            "vocabulary-uri": ("anyURI", ""),
            "percentage": ("decimal", ""),
        },
        OPTIONAL_NARRATIVES,
    ),
    "policy-marker": (
        {
            "code": ("string", REQUIRED),
            "vocabulary": ("string", ""),
            "vocabulary-uri": ("anyURI", ""),
            "significance": ("string", ""),
        },
        OPTIONAL_NARRATIVES,
    ),
    "default-flow-type": ({"code": ("string", REQUIRED)}, []),
    "default-finance-type": ({"code": ("string", REQUIRED)}, []),
    "default-aid-type": ({"code": ("string", REQUIRED), "vocabulary": ("string", "")}, []),
    "budget": (
        {"type": ("string", ""), "status": ("string", "")},
        [("period-start", 1, 1), ("period-end", 1, 1), ("value", 1, 1)],
    ),
    "period-start": ({"iso-date": ("date", REQUIRED)}, []),
    "period-end": ({"iso-date": ("date", REQUIRED)}, []),
    "value": ({"currency": ("string", ""), "value-date": ("date", REQUIRED)}, "decimal"),
    "transaction": (
        {"ref": ("string", ""), "humanitarian": ("boolean", "")},
        [
            ("transaction-type", 1, 1),
            ("transaction-date", 1, 1),
            ("value", 1, 1),
            ("description", 0, 1),
            ("provider-org", 0, 1),
            ("receiver-org", 0, 1),
            ("disbursement-channel", 0, 1),
            ("sector", 0, MANY),
            ("recipient-country", 0, 1),
            ("recipient-region", 0, 1),
            ("flow-type", 0, 1),
            ("finance-type", 0, 1),
            ("aid-type", 0, MANY),
            ("tied-status", 0, 1),
        ],
    ),
    "transaction-type": ({"code": ("string", REQUIRED)}, []),
    "transaction-date": ({"iso-date": ("date", REQUIRED)}, []),
    "provider-org": (
        {
            "ref": ("string", ""),
            "type": ("string", ""),
            "provider-activity-id": ("string", ""),
        },
        OPTIONAL_NARRATIVES,
    ),
    "receiver-org": (
        {
            "ref": ("string", ""),
            "type": ("string", ""),
            "receiver-activity-id": ("string", ""),
        },
        OPTIONAL_NARRATIVES,
    ),
    "related-activity": ({"ref": ("string", REQUIRED), "type": ("string", REQUIRED)}, []),
    "narrative": ({XML_LANG: ("string", "")}, "text"),
}
TYPES = {
    "string": lambda v: True,
    "anyURI": lambda v: " " not in v,
    "date": lambda v: bool(datetime.date.fromisoformat(v)) and re.fullmatch(r"\d{4}-\d\d-\d\d", v),
    "dateTime": lambda v: datetime.datetime.fromisoformat(v).tzinfo is not None,
    "decimal": lambda v: re.fullmatch(r"-?\d+(\.\d+)?", v) is not None,
    "int": lambda v: re.fullmatch(r"-?\d+", v) is not None,
    "boolean": lambda v: v in {"0", "1", "true", "false"},
}

# --- Codelists used (IATI-Codelists, version 2.03) -----------------------------------------------
ACTIVITY_STATUS = {"1", "2", "3", "4", "5", "6"}
STARTED = {"2", "3", "4", "6"}  # implementation or later: an actual start date is due
ACTIVITY_DATE_TYPE = {"1", "2", "3", "4"}  # planned start, actual start, planned end, actual end
ORGANISATION_ROLE = {"1", "2", "3", "4"}
ORGANISATION_TYPE = {
    *("10", "11", "15", "21", "22", "23", "24", "30", "40"),
    *("60", "70", "71", "72", "73", "80", "90"),
}
DESCRIPTION_TYPE = {"1", "2", "3", "4"}
SECTOR_VOCABULARY_DAC5 = "1"
POLICY_MARKER_VOCABULARY = {"1"}
POLICY_MARKER = {str(code) for code in range(1, 13)}
POLICY_SIGNIFICANCE = {"0", "1", "2", "3", "4"}
FLOW_TYPE = {"10", "21", "22", "30", "36", "37", "40", "50"}
FINANCE_TYPE = {"110", "210", "421", "422", "423", "431", "432", "433", "510", "1100"}
AID_TYPE = {"B03", "B04", "C01", "D01", "D02", "E01"}
AID_TYPE_VOCABULARY = {"1"}
BUDGET_TYPE = {"1", "2"}
BUDGET_STATUS = {"1", "2"}
TRANSACTION_TYPE = {str(code) for code in range(1, 14)}
RELATED_ACTIVITY_TYPE = {"1", "2", "3", "4", "5"}
CODES = {  # (element, attribute) -> codelist
    ("activity-status", "code"): ACTIVITY_STATUS,
    ("activity-date", "type"): ACTIVITY_DATE_TYPE,
    ("participating-org", "role"): ORGANISATION_ROLE,
    ("participating-org", "type"): ORGANISATION_TYPE,
    ("reporting-org", "type"): ORGANISATION_TYPE,
    ("provider-org", "type"): ORGANISATION_TYPE,
    ("receiver-org", "type"): ORGANISATION_TYPE,
    ("description", "type"): DESCRIPTION_TYPE,
    ("sector", "vocabulary"): {SECTOR_VOCABULARY_DAC5},
    ("policy-marker", "vocabulary"): POLICY_MARKER_VOCABULARY,
    ("policy-marker", "code"): POLICY_MARKER,
    ("policy-marker", "significance"): POLICY_SIGNIFICANCE,
    ("default-flow-type", "code"): FLOW_TYPE,
    ("default-finance-type", "code"): FINANCE_TYPE,
    ("default-aid-type", "code"): AID_TYPE,
    ("default-aid-type", "vocabulary"): AID_TYPE_VOCABULARY,
    ("budget", "type"): BUDGET_TYPE,
    ("budget", "status"): BUDGET_STATUS,
    ("transaction-type", "code"): TRANSACTION_TYPE,
    ("related-activity", "type"): RELATED_ACTIVITY_TYPE,
    ("recipient-country", "code"): {code for code, _ in countries},
}
CURRENCY = re.compile(r"[A-Z]{3}")  # ISO 4217
DAC_5_DIGIT = re.compile(r"\d{5}")
IDENTIFIER_FORBIDDEN = re.compile(r"[/&|?\s]")
NOT_XML10 = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def check_element(node: ET.Element, path: str = "") -> None:
    """The node against SCHEMA: known element, allowed and required attributes with their
    types, children in the sequence's order and numbers; then its children, recursively."""
    path = f"{path}/{node.tag}"
    assert node.tag in SCHEMA, f"{path}: an element the export should not write"
    attributes, content = SCHEMA[node.tag]
    for name, value in node.attrib.items():
        assert name in attributes, f"{path}/@{name}: not an attribute of {node.tag}"
        kind, _ = attributes[name]
        assert TYPES[kind](value), f"{path}/@{name}={value!r} is not an xsd:{kind}"
        codelist = CODES.get((node.tag, name))
        assert codelist is None or value in codelist, f"{path}/@{name}={value!r} not in codelist"
    for name, (_, use) in attributes.items():
        assert use != REQUIRED or node.get(name), f"{path}: required @{name} missing"
    children = list(node)
    if content in ("text", "decimal"):
        assert not children, f"{path}: text only"
        assert node.text and node.text.strip(), f"{path}: empty"
        if content == "decimal":
            assert TYPES["decimal"](node.text), f"{path}: {node.text!r} is not a decimal"
        return
    assert not (node.text or "").strip(), f"{path}: no text of its own"
    position = 0
    for tag, low, high in content:
        count = 0
        while position < len(children) and children[position].tag == tag:
            count, position = count + 1, position + 1
        assert count >= low, f"{path}: needs {low} {tag}, has {count} (or out of order)"
        assert high is None or count <= high, f"{path}: at most {high} {tag}, has {count}"
    assert position == len(children), (
        f"{path}: {children[position].tag} is out of the schema's order"
        if position < len(children)
        else path
    )
    for child in children:
        check_element(child, path)


def check_rules(activity: ET.Element, today: datetime.date, ref: str = REF) -> None:
    """The standard's rules the schema leaves out."""
    identifier = activity.findtext("iati-identifier")
    reporting = activity.find("reporting-org")
    assert reporting.get("ref") == ref
    assert identifier.startswith(f"{ref}-"), identifier  # the reporting organisation's prefix
    for value in (identifier, reporting.get("ref"), *[o.get("ref") or "" for o in activity]):
        assert not IDENTIFIER_FORBIDDEN.search(value), value
    assert CURRENCY.fullmatch(activity.get("default-currency") or ""), "default currency"
    assert activity.get(XML_LANG) == "en"
    # Dates: a planned or actual start; actual start once started; none of the actual ones
    # in the future; starts before ends.
    dates = {
        d.get("type"): datetime.date.fromisoformat(d.get("iso-date"))
        for d in activity.findall("activity-date")
    }
    assert len(dates) == len(activity.findall("activity-date")), "one date of each type"
    assert {"1", "2"} & set(dates), "a planned or an actual start"
    if activity.find("activity-status").get("code") in STARTED:
        assert "2" in dates, f"{identifier}: started without an actual start date"
    for kind in ("2", "4"):
        assert dates.get(kind, today) <= today, f"{identifier}: actual date in the future"
    for start, end in (("1", "3"), ("2", "4")):
        if start in dates and end in dates:
            assert dates[start] <= dates[end]
    if "4" in dates:
        assert "2" in dates
    # Recipient countries: shares adding up to 100.
    shares = [Decimal(c.get("percentage", "100")) for c in activity.findall("recipient-country")]
    if len(shares) > 1:
        assert sum(shares) == 100 and all(share >= 0 for share in shares)
    # Sectors: at least one, DAC 5-digit codes in vocabulary 1, shares adding up to 100.
    sectors = activity.findall("sector")
    assert sectors, f"{identifier}: no sector"
    assert all(s.get("vocabulary") == SECTOR_VOCABULARY_DAC5 for s in sectors)
    assert all(DAC_5_DIGIT.fullmatch(s.get("code")) for s in sectors)
    assert len({s.get("code") for s in sectors}) == len(sectors), "each sector once"
    assert sum(Decimal(s.get("percentage")) for s in sectors) == 100
    # Policy markers of vocabulary 1 carry their significance.
    for marker in activity.findall("policy-marker"):
        assert marker.get("significance") is not None
    # Amounts: budgets of at most a year with a type and a status; transactions with a type,
    # not in the future, from and to someone; every value with a currency.
    for budget in activity.findall("budget"):
        assert budget.get("type") in BUDGET_TYPE and budget.get("status") in BUDGET_STATUS
        start = datetime.date.fromisoformat(budget.find("period-start").get("iso-date"))
        end = datetime.date.fromisoformat(budget.find("period-end").get("iso-date"))
        assert start <= end
        assert end < start.replace(year=start.year + 1), "a budget spans at most a year"
    for transaction in activity.findall("transaction"):
        assert transaction.find("transaction-type").get("code") in TRANSACTION_TYPE
        day = datetime.date.fromisoformat(transaction.find("transaction-date").get("iso-date"))
        value_day = datetime.date.fromisoformat(transaction.find("value").get("value-date"))
        assert day <= today and value_day <= today
        for party in ("provider-org", "receiver-org"):
            org = transaction.find(party)
            assert org is None or org.get("ref") or org.findtext("narrative")
    for value in activity.iter("value"):
        assert CURRENCY.fullmatch(value.get("currency") or activity.get("default-currency"))
    for org in activity.findall("participating-org"):
        assert org.get("ref") or org.findtext("narrative")


def check_file(content: bytes, today: datetime.date | None = None) -> ET.Element:
    text = content.decode("utf-8")
    assert not NOT_XML10.search(text), "a character XML 1.0 forbids"
    root = ET.fromstring(content)  # well-formed, or this raises
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    check_element(root)
    for activity in root.findall("iati-activity"):
        check_rules(activity, today or datetime.date.today())
    identifiers = [a.findtext("iati-identifier") for a in root.findall("iati-activity")]
    assert len(set(identifiers)) == len(identifiers), "identifiers are unique"
    return root


def fetch(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"].startswith("attachment;")
    return check_file(response.content)


@pytest.fixture(autouse=True)
def reporting_org(settings):
    settings.IATI_REPORTING_ORG_REF = REF
    settings.IATI_REPORTING_ORG_NAME = "LeadIT Secretariat"
    settings.IATI_REPORTING_ORG_TYPE = "80"


# --- Every partnership of the demo data ----------------------------------------------------------


def test_every_partnership_of_the_demo_data_gives_a_valid_iati_file(staff_client):
    call_command("loaddata", "leadit", verbosity=0)
    published = 0
    for partnership in Partnership.objects.all():
        url = f"/partnerships/{partnership.pk}/assistance.xml"
        if not partnership.assistance.exists():
            # An IATI file holds at least one activity: none to publish is a clear 404.
            response = staff_client.get(url)
            assert response.status_code == 404
            assert "has no assistance to publish to IATI" in response.content.decode()
            continue
        root = fetch(staff_client, url)
        activities = root.findall("iati-activity")
        assert len(activities) == partnership.assistance.count()  # the demo data is complete
        published += len(activities)
    assert published == Assistance.objects.count()


def test_the_whole_tracker_is_one_valid_iati_file_linked_from_the_assistance_list(staff_client):
    call_command("loaddata", "leadit", verbosity=0)
    page = staff_client.get("/assistance/").content.decode()
    assert 'href="/assistance/iati.xml?"' in page and ">IATI XML</a>" in page
    root = fetch(staff_client, "/assistance/iati.xml")
    identifiers = {a.findtext("iati-identifier") for a in root.findall("iati-activity")}
    assert identifiers == {
        f"{REF}-ASSISTANCE-{pk}" for pk in Assistance.objects.values_list("pk", flat=True)
    }
    # Several partnerships, one file; the list's filters narrow it like the CSV.
    assert len({a.partnership_id for a in Assistance.objects.all()}) > 1
    status = Assistance.objects.filter(activity_status=2)
    root = fetch(staff_client, "/assistance/iati.xml?activity_status=2")
    assert len(root.findall("iati-activity")) == status.count() > 0


def test_the_demo_files_carry_amounts_dates_and_the_funders(staff_client):
    call_command("loaddata", "leadit", verbosity=0)
    root = fetch(staff_client, "/assistance/iati.xml")
    by_title = {a.findtext("title/narrative"): a for a in root.findall("iati-activity")}
    steel = by_title["Pre-feasibility support to the ITP Steel working group"]
    # Agreed in SEK: the file says so and keeps the amount as agreed.
    assert steel.get("default-currency") == "SEK"
    budgets = steel.findall("budget")
    assert [
        (b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"))
        for b in budgets
    ] == [
        ("2024-07-01", "2025-06-30"),
        ("2025-07-01", "2025-12-31"),
    ]
    assert sum(Decimal(b.findtext("value")) for b in budgets) == Decimal("500000.00")
    assert {b.get("status") for b in budgets} == {"2"}  # committed: it is under way
    (commitment,) = steel.findall("transaction")
    assert commitment.find("transaction-type").get("code") == "2"  # outgoing commitment
    assert commitment.findtext("value") == "500000.00"
    assert commitment.findtext("provider-org/narrative") == "Swedish Energy Agency"
    assert commitment.findtext("receiver-org/narrative") == "Stockholm Environment Institute"
    dates = {d.get("type"): d.get("iso-date") for d in steel.findall("activity-date")}
    assert dates == {"1": "2024-07-01", "2": "2024-07-01", "3": "2025-12-31"}
    roles = {o.get("role"): o.findtext("narrative") for o in steel.findall("participating-org")}
    assert roles == {"1": "Swedish Energy Agency", "4": "Stockholm Environment Institute"}
    # A pipeline activity in USD: indicative budgets, no transaction yet.
    namibia = by_title["Concessional finance for green HBI, Namibia"]
    assert namibia.get("default-currency") == "USD"
    assert {b.get("status") for b in namibia.findall("budget")} == {"1"}
    assert sum(Decimal(b.findtext("value")) for b in namibia.findall("budget")) == Decimal(
        "50000000.00"
    )
    assert namibia.find("transaction") is None


# --- One rule at a time --------------------------------------------------------------------------


def test_identifier_reporting_org_and_the_funder_as_participant(staff_client):
    funder = OrganisationFactory(
        name="Swedish Energy Agency & Co <test>", org_type=10, iati_ref="SE-ON-2021004243"
    )
    assistance = AssistanceFactory(
        provider=funder,
        implementer=OrganisationFactory(org_type=80),
        planned_start=datetime.date(2027, 1, 1),
        iati_identifier="SE-ON-2021004243-P123",
    )
    root = fetch(staff_client, f"/partnerships/{assistance.partnership_id}/assistance.xml")
    (activity,) = root.findall("iati-activity")
    assert activity.findtext("iati-identifier") == f"{REF}-ASSISTANCE-{assistance.pk}"
    reporting = activity.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type"), reporting.findtext("narrative")) == (
        REF,
        "80",
        "LeadIT Secretariat",
    )
    assert reporting.get("secondary-reporter") == "1"  # it republishes the funder's activity
    funding = activity.find("participating-org[@role='1']")
    assert funding.get("ref") == "SE-ON-2021004243"
    assert funding.get("activity-id") == "SE-ON-2021004243-P123"
    assert funding.findtext("narrative") == "Swedish Energy Agency & Co <test>"  # escaped, intact
    related = activity.find("related-activity")
    assert (related.get("ref"), related.get("type")) == ("SE-ON-2021004243-P123", "5")


def test_the_publishers_own_identifier_is_kept(staff_client):
    assistance = AssistanceFactory(
        planned_start=datetime.date(2027, 1, 1), iati_identifier=f"{REF}-OWN-7"
    )
    root = fetch(staff_client, f"/partnerships/{assistance.partnership_id}/assistance.xml")
    assert root.findtext("iati-activity/iati-identifier") == f"{REF}-OWN-7"
    assert root.find("iati-activity/related-activity") is None


def test_started_activities_carry_their_actual_start_and_incomplete_ones_are_named(staff_client):
    partnership = PartnershipFactory(name="Steel partnership")
    started = AssistanceFactory(
        partnership=partnership, activity_status=2, actual_start=datetime.date(2025, 2, 3)
    )
    # Saved before the rule existed (or by a script): in implementation, no actual start.
    legacy = AssistanceFactory(partnership=partnership, title="Old record", activity_status=2)
    response = staff_client.get(f"/partnerships/{partnership.pk}/assistance.xml")
    root = check_file(response.content)
    (activity,) = root.findall("iati-activity")
    assert activity.findtext("iati-identifier").endswith(f"-{started.pk}")
    assert activity.find("activity-date[@type='2']").get("iso-date") == "2025-02-03"
    # The file says what it leaves out, and why.
    text = response.content.decode()
    assert (
        f"Old record (assistance {legacy.pk}): it has started but has no actual start date" in text
    )
    # Nothing publishable: a 404 that says what to complete, not an invalid file.
    started.delete()
    response = staff_client.get(f"/partnerships/{partnership.pk}/assistance.xml")
    assert response.status_code == 404
    message = response.content.decode()
    assert "No assistance of Steel partnership can be published to IATI yet" in message
    assert "Old record" in message and "no actual start date" in message


def test_several_recipient_countries_share_100_percent(staff_client):
    partnership = PartnershipFactory()
    partnership.recipient_countries.set(
        [CountryProfileFactory(country=code) for code in ("IN", "BR", "ZA")]
    )
    AssistanceFactory(partnership=partnership, planned_start=datetime.date(2027, 1, 1))
    root = fetch(staff_client, f"/partnerships/{partnership.pk}/assistance.xml")
    countries_ = {c.get("code"): int(c.get("percentage")) for c in root.iter("recipient-country")}
    assert countries_ == {"BR": 34, "IN": 33, "ZA": 33}


def test_sectors_come_from_the_supported_projects_else_the_partnership(staff_client):
    partnership = PartnershipFactory()
    partnership.sectors.set(
        [
            SectorFactory(slug="steel", dac_code="32169"),
            SectorFactory(slug="cement", dac_code="32166"),
            SectorFactory(slug="h2", dac_code="32120"),
            SectorFactory(slug="nocode", dac_code=""),
        ]
    )
    general = AssistanceFactory(partnership=partnership, planned_start=datetime.date(2027, 1, 1))
    specific = AssistanceFactory(partnership=partnership, planned_start=datetime.date(2027, 1, 1))
    specific.supported_projects.add(
        ProjectFactory(sector=SectorFactory(slug="alu", dac_code="32170"))
    )
    bare = AssistanceFactory(
        planned_start=datetime.date(2027, 1, 1)
    )  # a partnership without sectors
    root = fetch(staff_client, "/assistance/iati.xml")
    sectors = {
        a.findtext("iati-identifier"): {
            s.get("code"): s.get("percentage") for s in a.findall("sector")
        }
        for a in root.findall("iati-activity")
    }
    assert sectors[f"{REF}-ASSISTANCE-{general.pk}"] == {
        "32120": "34",
        "32166": "33",
        "32169": "33",
    }
    assert sectors[f"{REF}-ASSISTANCE-{specific.pk}"] == {"32170": "100"}
    assert sectors[f"{REF}-ASSISTANCE-{bare.pk}"] == {"32120": "100"}  # industrial development


def test_text_never_carries_characters_xml_forbids(staff_client):
    assistance = AssistanceFactory(
        title="Steel\x0b study\x1f one\ufffe",
        description="Line one\x08\nline two",
        planned_start=datetime.date(2027, 1, 1),
    )
    response = staff_client.get(f"/partnerships/{assistance.partnership_id}/assistance.xml")
    root = check_file(response.content)
    assert root.findtext("iati-activity/title/narrative") == "Steel study one"
    assert root.findtext("iati-activity/description/narrative") == "Line one\nline two"


def test_an_amount_without_planned_dates_is_a_commitment_once_started(staff_client):
    assistance = AssistanceFactory(
        activity_status=4,
        planned_start=None,
        actual_start=datetime.date(2023, 5, 1),
        actual_end=datetime.date(2024, 4, 30),
        amount_musd=Decimal("1.5"),
        currency="sek",  # no original amount: the USD amount is what the file carries
    )
    root = fetch(staff_client, f"/partnerships/{assistance.partnership_id}/assistance.xml")
    activity = root.find("iati-activity")
    assert activity.find("budget") is None
    value = activity.find("transaction/value")
    assert (value.text, value.get("currency"), value.get("value-date")) == (
        "1500000.00",
        "USD",
        "2023-05-01",
    )
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates == {"2": "2023-05-01", "4": "2024-04-30"}


def test_unset_reporting_org_is_a_clear_error_not_a_file(staff_client, settings):
    settings.IATI_REPORTING_ORG_REF = ""
    assistance = AssistanceFactory(planned_start=datetime.date(2027, 1, 1))
    for url in (
        f"/partnerships/{assistance.partnership_id}/assistance.xml",
        "/assistance/iati.xml",
    ):
        response = staff_client.get(url)
        assert response.status_code == 503
        assert "set IATI_REPORTING_ORG_REF" in response.content.decode()
    settings.IATI_REPORTING_ORG_REF = "XM/BAD"  # IATI identifiers may not contain /
    response = staff_client.get("/assistance/iati.xml")
    assert (
        response.status_code == 503
        and "not an IATI organisation identifier" in response.content.decode()
    )


def test_iati_files_need_login_and_the_view_permission(client, staff_client):
    assistance = AssistanceFactory(planned_start=datetime.date(2027, 1, 1))
    urls = (f"/partnerships/{assistance.partnership_id}/assistance.xml", "/assistance/iati.xml")
    for url in urls:
        assert client.get(url).status_code == 302
    nobody = User.objects.create_user("nobody")
    no_perms = Client()
    no_perms.force_login(nobody)
    for url in urls:
        assert no_perms.get(url).status_code == 403
    nobody.user_permissions.add(
        Permission.objects.get(codename="view_assistance"),
        Permission.objects.get(codename="view_partnership"),
    )
    no_perms.force_login(User.objects.get(pk=nobody.pk))
    for url in urls:
        assert no_perms.get(url).status_code == 200
    assert staff_client.get("/partnerships/999999/assistance.xml").status_code == 404


def test_the_partnership_page_links_its_file_only_when_it_has_assistance(staff_client):
    empty = PartnershipFactory()
    assert "IATI XML" not in staff_client.get(f"/partnerships/{empty.pk}/").content.decode()
    assistance = AssistanceFactory(planned_start=datetime.date(2027, 1, 1))
    page = staff_client.get(f"/partnerships/{assistance.partnership_id}/").content.decode()
    assert f'href="/partnerships/{assistance.partnership_id}/assistance.xml"' in page


@override_settings(IATI_REPORTING_ORG_REF="")
def test_check_deploy_warns_when_iati_is_not_configured():
    from partnerships.checks import iati_reporting_org

    (warning,) = iati_reporting_org(None)
    assert warning.id == "partnerships.W001" and "IATI_REPORTING_ORG_REF" in warning.msg


def test_the_form_asks_for_the_actual_start_once_the_activity_has_started(staff_client):
    partnership = PartnershipFactory()
    data = {
        "title": "New TA",
        "partnership": partnership.pk,
        "provider": OrganisationFactory().pk,
        "kind": "technical_assistance",
        "activity_status": "2",  # implementation
        "climate_mitigation": "2",
    }
    htmx = {"HX-Request": "true", "HX-Target": "form"}
    response = staff_client.post("/assistance/new/", data, headers=htmx)
    assert response.status_code == 422
    assert (
        "The status is Implementation: the activity has started, give its actual start date."
        in (response.context["form"].errors["actual_start"])
    )
    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    data.update(actual_start=future)
    response = staff_client.post("/assistance/new/", data, headers=htmx)
    assert response.status_code == 422
    assert (
        "An actual date cannot be in the future." in response.context["form"].errors["actual_start"]
    )
    data.update(actual_start="2025-03-01", actual_end="2025-02-01")
    response = staff_client.post("/assistance/new/", data, headers=htmx)
    assert response.status_code == 422
    assert "The end cannot be before the start." in response.context["form"].errors["actual_end"]
    data.pop("actual_end")
    staff_client.post("/assistance/new/", data)
    assert Assistance.objects.get(title="New TA").actual_start == datetime.date(2025, 3, 1)


def test_the_setting_comes_from_the_environment_with_a_development_default():
    import os
    import subprocess
    import sys
    from pathlib import Path

    def run(*args, **env):
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "IATI_"))}
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            env={**base, "DJANGO_SETTINGS_MODULE": "leadit.settings", **env},
        )

    show = (
        "shell",
        "-c",
        "from django.conf import settings; print(settings.IATI_REPORTING_ORG_REF)",
    )
    assert run(*show, DJANGO_DEBUG="1").stdout.split()[-1] == "XI-LEADIT-DEVELOPMENT"
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "s" * 50,
        "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
    }
    result = run("check", "--deploy", **production)
    assert "partnerships.W001" in result.stderr + result.stdout
    assert "set IATI_REPORTING_ORG_REF" in result.stderr + result.stdout
    result = run(*show, IATI_REPORTING_ORG_REF=" SE-ON-2021004243 ", **production)
    assert result.stdout.split()[-1] == "SE-ON-2021004243"


def test_the_tracker_file_takes_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            assistance = AssistanceFactory(implementer=OrganisationFactory(), amount_musd=1)
            assistance.supported_projects.add(ProjectFactory())
            assistance.partnership.recipient_countries.add(CountryProfileFactory())
            assistance.partnership.sectors.add(
                SectorFactory(slug=f"s{assistance.pk}", dac_code="32169")
            )

    make(2)
    with django_assert_max_num_queries(20) as few:
        staff_client.get("/assistance/iati.xml")
    make(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        root = fetch(staff_client, "/assistance/iati.xml")
    assert len(root.findall("iati-activity")) == 12


def test_the_assistance_page_says_whether_and_how_it_is_in_the_iati_files(staff_client):
    ready = AssistanceFactory()
    page = staff_client.get(f"/assistance/{ready.pk}/").content.decode()
    assert f"In the IATI files as <code>{REF}-ASSISTANCE-{ready.pk}</code>" in page
    legacy = AssistanceFactory(activity_status=3)  # saved without its actual start
    page = staff_client.get(f"/assistance/{legacy.pk}/").content.decode()
    assert "Not in the IATI files yet: it has started but has no actual start date." in page
