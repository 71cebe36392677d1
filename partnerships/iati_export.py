"""A partnership's assistance as IATI 2.03 activity XML (codes: ../shared/DOMAIN.md section 3)."""

import xml.etree.ElementTree as ET

from django.utils import timezone

IATI_VERSION = "2.03"
FALLBACK_PREFIX = "XI-LEADIT"  # used when a funder publishes no IATI identifier of its own
CLIMATE_MITIGATION = "6"
FUNDING, IMPLEMENTING = "1", "4"
PLANNED_START, PLANNED_END = "1", "3"


def _narrative(parent, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items() if v})
    ET.SubElement(element, "narrative").text = text
    return element


def _org(parent, tag: str, organisation, **attrs) -> None:
    _narrative(
        parent,
        tag,
        organisation.name,
        ref=organisation.iati_ref,
        type=str(organisation.org_type),
        **attrs,
    )


def split_percentages(count: int) -> list[int]:
    """Whole percentages that sum to 100, as IATI requires."""
    base, rest = divmod(100, count)
    return [base + (1 if i < rest else 0) for i in range(count)]


def activity_identifier(assistance) -> str:
    if assistance.iati_identifier:
        return assistance.iati_identifier
    prefix = assistance.provider.iati_ref or FALLBACK_PREFIX
    return f"{prefix}-ASSISTANCE-{assistance.pk}"


def activity(root, assistance, sectors) -> None:
    node = ET.SubElement(
        root,
        "iati-activity",
        {
            "default-currency": "USD",
            "last-updated-datetime": assistance.updated_at.isoformat(timespec="seconds"),
            "xml:lang": "en",
        },
    )
    ET.SubElement(node, "iati-identifier").text = activity_identifier(assistance)
    _org(node, "reporting-org", assistance.provider)
    _narrative(node, "title", assistance.title)
    _narrative(node, "description", assistance.description or assistance.title, type="1")
    _org(node, "participating-org", assistance.provider, role=FUNDING)
    if assistance.implementer:
        _org(node, "participating-org", assistance.implementer, role=IMPLEMENTING)
    ET.SubElement(node, "activity-status", code=str(assistance.activity_status))
    for code, day in (
        (PLANNED_START, assistance.planned_start),
        (PLANNED_END, assistance.planned_end),
    ):
        if day:
            ET.SubElement(node, "activity-date", type=code, **{"iso-date": day.isoformat()})
    if assistance.recipient_country:
        ET.SubElement(
            node, "recipient-country", code=assistance.recipient_country.code, percentage="100"
        )
    codes = [sector.dac_code for sector in sectors if sector.dac_code]
    for code, share in zip(codes, split_percentages(len(codes)) if codes else [], strict=True):
        ET.SubElement(node, "sector", vocabulary="1", code=code, percentage=str(share))
    ET.SubElement(
        node,
        "policy-marker",
        vocabulary="1",
        code=CLIMATE_MITIGATION,
        significance=str(assistance.climate_mitigation),
    )
    if assistance.flow_type:
        ET.SubElement(node, "default-flow-type", code=str(assistance.flow_type))
    if assistance.finance_type:
        ET.SubElement(node, "default-finance-type", code=str(assistance.finance_type))
    if assistance.aid_type:
        ET.SubElement(node, "default-aid-type", code=assistance.aid_type, vocabulary="1")
    if assistance.amount_musd is not None and assistance.planned_start and assistance.planned_end:
        budget = ET.SubElement(node, "budget", type="1", status="1")
        ET.SubElement(budget, "period-start", **{"iso-date": assistance.planned_start.isoformat()})
        ET.SubElement(budget, "period-end", **{"iso-date": assistance.planned_end.isoformat()})
        value = ET.SubElement(
            budget, "value", currency="USD", **{"value-date": assistance.planned_start.isoformat()}
        )
        value.text = f"{assistance.amount_musd * 1_000_000:.2f}"
    for project in assistance.supported_projects.all():
        # The pipeline projects it supports, under LeadIT's own identifiers (B1: previous or
        # other identifier of the reporting organisation's own making).
        other = ET.SubElement(
            node, "other-identifier", ref=f"{FALLBACK_PREFIX}-PROJECT-{project.pk}", type="B1"
        )
        _narrative(other, "owner-org", "LeadIT Secretariat", ref=FALLBACK_PREFIX)


def partnership_xml(partnership) -> bytes:
    root = ET.Element(
        "iati-activities",
        {
            "version": IATI_VERSION,
            "generated-datetime": timezone.now().isoformat(timespec="seconds"),
        },
    )
    sectors = list(partnership.sectors.all())
    for assistance in (
        partnership.assistance.select_related("provider", "implementer")
        .prefetch_related("supported_projects")
        .order_by("pk")
    ):
        activity(root, assistance, sectors)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
