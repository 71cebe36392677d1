"""The tracker's assistance as IATI 2.03 activity XML (see docs/data-exchange.md, section IATI).

The file must be valid against the IATI 2.03 activity schema (iati-activities-schema.xsd) and
follow the standard's rules that the schema leaves out; tests/test_iati.py states both. Codes:
the IATI 2.03 codelists (partnerships/iati.py).
"""

import datetime
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst

from leadit.sections.dates import months_before
from leadit.sections.views import require_perm

from . import iati

logger = logging.getLogger(__name__)
IATI_VERSION = "2.03"
LOCAL_PREFIX = "ASSISTANCE"  # activity identifier: {reporting org ref}-ASSISTANCE-{pk}
DEFAULT_CURRENCY = "USD"  # amount_musd is in USD
CLIMATE_MITIGATION = "6"  # PolicyMarker
FUNDING, IMPLEMENTING = "1", "4"  # OrganisationRole
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"  # ActivityDateType
GENERAL, OTHER = "1", "4"  # DescriptionType
ORIGINAL = "1"  # BudgetType
INDICATIVE, COMMITTED = "1", "2"  # BudgetStatus
OUTGOING_COMMITMENT = "2"  # TransactionType
THIRD_PARTY = "5"  # RelatedActivityType: the funder's own record of the same activity
DAC_5_DIGIT = "1"  # SectorVocabulary
# LeadIT's remit is industry: an activity whose partnership names no DAC-coded sector is filed
# under DAC 32120 "Industrial development" rather than left without the sector IATI expects.
DEFAULT_SECTOR = "32120"
DAC_CODE = re.compile(r"\d{5}")
CURRENCY = re.compile(r"[A-Z]{3}")
# IATI's rule for identifiers: none of / & | ? (and no spaces, which the registry refuses).
IDENTIFIER = re.compile(r"[^/&|?\s]+")
# What XML 1.0 allows in text (section 2.2): anything else makes the file unreadable.
NOT_XML10 = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CENT = Decimal("0.01")


def xml_text(value) -> str:
    """Text XML 1.0 can carry: control characters and the like are dropped."""
    return NOT_XML10.sub("", str(value))


@dataclass(frozen=True)
class ReportingOrg:
    ref: str
    name: str
    type: str


def reporting_org() -> ReportingOrg:
    """The publisher (settings IATI_REPORTING_ORG_*); a clear error when it is not configured."""
    ref = (getattr(settings, "IATI_REPORTING_ORG_REF", "") or "").strip()
    if not ref:
        raise ImproperlyConfigured(
            "IATI export is not configured: set IATI_REPORTING_ORG_REF to the publishing "
            "organisation's IATI identifier (e.g. SE-ON-1234567890)."
        )
    if not IDENTIFIER.fullmatch(ref):
        raise ImproperlyConfigured(
            f"IATI_REPORTING_ORG_REF {ref!r} is not an IATI organisation identifier: it may not "
            "contain spaces or any of / & | ?."
        )
    return ReportingOrg(
        ref=ref,
        name=settings.IATI_REPORTING_ORG_NAME,
        type=str(settings.IATI_REPORTING_ORG_TYPE),
    )


def element(parent, tag: str, text=None, **attrs) -> ET.Element:
    """A child element; attribute names with _ become -, empty attributes are left out."""
    node = ET.SubElement(
        parent,
        tag,
        {
            name.replace("_", "-"): xml_text(value)
            for name, value in attrs.items()
            if value not in (None, "")
        },
    )
    if text is not None:
        node.text = xml_text(text)
    return node


def narrative(parent, tag: str, text: str, **attrs) -> ET.Element:
    node = element(parent, tag, **attrs)
    element(node, "narrative", text)
    return node


def split_percentages(count: int) -> list[int]:
    """Whole percentages that sum to 100, as IATI requires."""
    base, rest = divmod(100, count)
    return [base + (1 if i < rest else 0) for i in range(count)]


def today() -> datetime.date:
    return timezone.localdate()


def missing(assistance) -> str:
    """Why the record cannot be published to IATI yet ("" when it can)."""
    if assistance.actual_start and assistance.actual_start > today():
        return "its actual start date is in the future"
    if assistance.activity_status in iati.STARTED and not assistance.actual_start:
        return "it has started but has no actual start date"
    if not (assistance.planned_start or assistance.actual_start):
        return "it has no planned start date"
    return ""


def activity_identifier(assistance, org: ReportingOrg) -> str:
    own = assistance.iati_identifier.strip()
    if own.startswith(f"{org.ref}-") and IDENTIFIER.fullmatch(own):
        return own  # the publisher's own activity, already known to IATI under this identifier
    return f"{org.ref}-{LOCAL_PREFIX}-{assistance.pk}"


def iati_status(assistance) -> dict:
    """For the record's page: its identifier in the IATI files, or why it is not in them."""
    try:
        org = reporting_org()
    except ImproperlyConfigured as error:
        return {"missing": str(error)}
    reason = missing(assistance)
    if reason:
        return {"missing": f"Not in the IATI files yet: {reason}."}
    return {"identifier": activity_identifier(assistance, org)}


def funder_identifier(assistance, org: ReportingOrg) -> str:
    """The funder's own IATI identifier of the activity, when it publishes one."""
    own = xml_text(assistance.iati_identifier.strip())
    return "" if not own or own.startswith(f"{org.ref}-") else own


def amount(assistance) -> tuple[Decimal, str] | None:
    """The amount in the currency it was agreed in when known, else in USD."""
    currency = assistance.currency.strip().upper()
    if assistance.amount_original is not None and CURRENCY.fullmatch(currency):
        return assistance.amount_original, currency
    if assistance.amount_musd is not None:
        return assistance.amount_musd * 1_000_000, DEFAULT_CURRENCY
    return None


def budget_periods(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Consecutive periods of at most a year (IATI: a budget may not span more than one)."""
    periods = []
    while start <= end:
        stop = min(months_before(start, -12) - datetime.timedelta(days=1), end)
        periods.append((start, stop))
        start = stop + datetime.timedelta(days=1)
    return periods


def spread(total: Decimal, periods: list[tuple]) -> list[Decimal]:
    """The total over the periods in proportion to their days, in cents that add up to it."""
    days = [(stop - start).days + 1 for start, stop in periods]
    shares = [(total * d / sum(days)).quantize(CENT, ROUND_HALF_UP) for d in days[:-1]]
    return [*shares, total.quantize(CENT, ROUND_HALF_UP) - sum(shares, Decimal(0))]


def recipient_countries(assistance) -> list[tuple[str, int]]:
    """The assistance's country, else the partnership's recipients, with shares adding to 100."""
    if assistance.recipient_country:
        return [(assistance.recipient_country.code, 100)]
    codes = sorted({p.country.code for p in assistance.partnership.recipient_countries.all()})
    return list(zip(codes, split_percentages(len(codes)), strict=True)) if codes else []


def sector_codes(assistance) -> list[str]:
    """DAC 5-digit codes: the supported projects' sectors, else the partnership's."""
    for sectors in (
        [project.sector for project in assistance.supported_projects.all()],
        assistance.partnership.sectors.all(),
    ):
        codes = sorted({s.dac_code for s in sectors if s and DAC_CODE.fullmatch(s.dac_code or "")})
        if codes:
            return codes
    return [DEFAULT_SECTOR]


def participating_org(parent, organisation, role: str, activity_id: str = "") -> None:
    narrative(
        parent,
        "participating-org",
        organisation.name,
        ref=organisation.iati_ref.strip(),
        role=role,
        type=organisation.org_type,
        activity_id=activity_id,
    )


def activity(root, assistance, org: ReportingOrg) -> None:
    """One iati-activity, its children in the order of the schema's sequence."""
    value = amount(assistance)
    currency = value[1] if value else DEFAULT_CURRENCY
    node = element(
        root,
        "iati-activity",
        last_updated_datetime=assistance.updated_at.isoformat(timespec="seconds"),
        default_currency=currency,
        **{"xml:lang": "en"},
    )
    element(node, "iati-identifier", activity_identifier(assistance, org))
    provider = assistance.provider
    narrative(
        node,
        "reporting-org",
        org.name,
        ref=org.ref,
        type=org.type,
        # The Secretariat republishes what funders do: it is their secondary reporter.
        secondary_reporter="1" if provider.iati_ref.strip() != org.ref else "0",
    )
    narrative(node, "title", assistance.title)
    narrative(node, "description", assistance.description or assistance.title, type=GENERAL)
    projects = list(assistance.supported_projects.all())
    if projects:
        names = "; ".join(f"{p.name} ({p.country.name})" if p.country else p.name for p in projects)
        narrative(node, "description", f"Supports pipeline projects: {names}.", type=OTHER)
    funder_activity = funder_identifier(assistance, org)
    participating_org(node, provider, FUNDING, funder_activity)
    if assistance.implementer:
        participating_org(node, assistance.implementer, IMPLEMENTING)
    element(node, "activity-status", code=assistance.activity_status)
    # IATI: an actual end follows an actual start, and neither lies in the future.
    ended = assistance.actual_end
    if ended and ended > today():
        ended = None
    for code, day in (
        (PLANNED_START, assistance.planned_start),
        (ACTUAL_START, assistance.actual_start),
        (PLANNED_END, assistance.planned_end),
        (ACTUAL_END, ended if assistance.actual_start else None),
    ):
        if day:
            element(node, "activity-date", type=code, iso_date=day.isoformat())
    for code, share in recipient_countries(assistance):
        element(node, "recipient-country", code=code, percentage=share)
    codes = sector_codes(assistance)
    for code, share in zip(codes, split_percentages(len(codes)), strict=True):
        element(node, "sector", vocabulary=DAC_5_DIGIT, code=code, percentage=share)
    element(
        node,
        "policy-marker",
        vocabulary="1",
        code=CLIMATE_MITIGATION,
        significance=assistance.climate_mitigation,
    )
    if assistance.flow_type:
        element(node, "default-flow-type", code=assistance.flow_type)
    if assistance.finance_type:
        element(node, "default-finance-type", code=assistance.finance_type)
    if assistance.aid_type:
        element(node, "default-aid-type", code=assistance.aid_type, vocabulary="1")
    started = assistance.activity_status in iati.STARTED
    if value and assistance.planned_start and assistance.planned_end:
        periods = budget_periods(assistance.planned_start, assistance.planned_end)
        for (start, stop), share in zip(periods, spread(value[0], periods), strict=True):
            budget = element(
                node, "budget", type=ORIGINAL, status=COMMITTED if started else INDICATIVE
            )
            element(budget, "period-start", iso_date=start.isoformat())
            element(budget, "period-end", iso_date=stop.isoformat())
            element(budget, "value", f"{share:.2f}", currency=currency, value_date=start)
    if value and started:
        # The funder's commitment of the whole amount, dated (for lack of a commitment date)
        # at the actual start, which is never in the future.
        day = assistance.actual_start.isoformat()
        transaction = element(node, "transaction")
        element(transaction, "transaction-type", code=OUTGOING_COMMITMENT)
        element(transaction, "transaction-date", iso_date=day)
        element(transaction, "value", f"{value[0]:.2f}", currency=currency, value_date=day)
        narrative(
            transaction,
            "provider-org",
            provider.name,
            ref=provider.iati_ref.strip(),
            type=provider.org_type,
            provider_activity_id=funder_activity,
        )
        if assistance.implementer:
            implementer = assistance.implementer
            narrative(
                transaction,
                "receiver-org",
                implementer.name,
                ref=implementer.iati_ref.strip(),
                type=implementer.org_type,
            )
    if funder_activity:
        element(node, "related-activity", ref=funder_activity, type=THIRD_PARTY)


def for_iati(queryset):
    """What activity() reads, in a fixed number of queries."""
    from .models import Project

    return queryset.select_related("provider", "implementer", "partnership").prefetch_related(
        Prefetch(
            "supported_projects",
            queryset=Project.objects.select_related("sector").order_by("name", "pk"),
        ),
        "partnership__sectors",
        "partnership__recipient_countries",
    )


@dataclass
class IatiFile:
    content: bytes | None  # None: no record can be published (IATI files hold at least one)
    left_out: list[str]


def activities_xml(queryset) -> IatiFile:
    """An iati-activities file of the records that IATI can take; the others are listed."""
    org = reporting_org()
    root = ET.Element(
        "iati-activities",
        {
            "version": IATI_VERSION,
            "generated-datetime": timezone.now().isoformat(timespec="seconds"),
        },
    )
    left_out = []
    for assistance in for_iati(queryset).order_by("pk"):
        reason = missing(assistance)
        if reason:
            left_out.append(f"{xml_text(assistance.title)} (assistance {assistance.pk}): {reason}")
        else:
            activity(root, assistance, org)
    if not len(root):
        return IatiFile(None, left_out)
    if left_out:
        # A reader of the file learns what is not in it, and why ("--" may not be in a comment).
        note = "Not published, incomplete for IATI: " + "; ".join(left_out)
        root.insert(0, ET.Comment(" " + note.replace("--", "- -") + " "))
    ET.indent(root)
    return IatiFile(ET.tostring(root, encoding="utf-8", xml_declaration=True), left_out)


def iati_response(request, queryset, filename: str, scope: str = "the tracker") -> HttpResponse:
    """The assistance of `queryset` as an IATI file, or a plain message saying why not."""
    require_perm(request.user, "view", queryset.model)
    try:
        result = activities_xml(queryset)
    except ImproperlyConfigured as error:
        logger.error("IATI export refused: %s", error)
        return plain(f"{error} Ask the tracker's administrator to set it.", 503)
    if result.content is None:
        if not result.left_out:
            return plain(f"{capfirst(scope)} has no assistance to publish to IATI.", 404)
        return plain(
            f"No assistance of {scope} can be published to IATI yet (an IATI file holds at least "
            "one activity). Complete these records and download again: "
            + "; ".join(result.left_out)
            + ".",
            404,
        )
    response = HttpResponse(result.content, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
