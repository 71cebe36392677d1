"""Assistance of the demo: support given through the partnerships (IATI codes for export)."""

from decimal import Decimal as D

from leadit.demo.builder.context import ILLUSTRATIVE, VERIFIED, d
from partnerships.models import Assistance


def assistance(title, provider, partnership, kind, status, amount, projects=(), **fields):
    """One assistance activity; provider: an organisation's name, partnership: a key of
    partnerships.PARTNERSHIPS, status: the IATI activity status, projects: keys of the projects
    it supports. Other fields name the records they refer to by key."""
    return title, provider, partnership, kind, status, amount, projects, fields


ASSISTANCE = [
    assistance(
        "Pre-feasibility support to the ITP Steel working group",
        "Swedish Energy Agency",
        "itp",
        "project_preparation",
        2,
        D("0.05"),
        ["sail_study"],
        implementer="Stockholm Environment Institute",
        working_group="Steel",
        finance_type=110,
        flow_type=10,
        aid_type="D02",
        amount_original=D("500000"),
        currency="SEK",
        recipient_country="IN",
        planned_start=d(2024, 7, 1),
        planned_end=d(2025, 12, 31),
        actual_start=d(2024, 7, 1),
        description=ILLUSTRATIVE,
    ),
    assistance(
        "LC3 policy support to the ITP Cement working group",
        "Government of Sweden",
        "itp",
        "policy_support",
        1,
        None,
        working_group="Cement",
        finance_type=110,
        flow_type=10,
        aid_type="D02",
        recipient_country="IN",
        planned_start=d(2027),
        planned_end=d(2027, 12, 31),
        description=ILLUSTRATIVE,
    ),
    assistance(
        "UK PACT capacity building for Brazilian industrial decarbonisation",
        "Department for Energy Security and Net Zero",
        "brazil_uk",
        "capacity_building",
        2,
        None,
        finance_type=110,
        flow_type=10,
        aid_type="D02",
        recipient_country="BR",
        actual_start=d(2023, 12, 2),
        description="UK PACT named in the MoU (COP28, its start); amount not disclosed.",
        source_url="https://www.gov.uk/government/publications/industrial-decarbonisation-hub-brazil-uk-memorandum-of-understanding/industrial-decarbonisation-hub-brazil-uk-memorandum-of-understanding",
    ),
    assistance(
        "Concessional finance for green HBI, Namibia",
        "Climate Investment Funds",
        "cif",
        "financing",
        1,
        D("50"),
        ["walvis"],
        finance_type=421,
        flow_type=10,
        aid_type="C01",
        recipient_country="NA",
        planned_start=d(2027, 7),
        planned_end=d(2032, 6, 30),
        description=ILLUSTRATIVE,
    ),
    assistance(
        "Country investment plan preparation, Egypt",
        "Climate Investment Funds",
        "cif",
        "project_preparation",
        2,
        D("1.5"),
        ["egypt_nh3"],
        finance_type=110,
        flow_type=10,
        aid_type="D02",
        recipient_country="EG",
        planned_start=d(2025, 3),
        planned_end=d(2026, 12, 31),
        actual_start=d(2025, 3, 17),
        description=ILLUSTRATIVE,
    ),
    assistance(
        "Concessional loan for EAF conversion, Türkiye",
        "Climate Investment Funds",
        "cif",
        "financing",
        1,
        D("150"),
        ["turkey_eaf"],
        implementer="European Bank for Reconstruction and Development",
        finance_type=421,
        flow_type=10,
        aid_type="C01",
        recipient_country="TR",
        planned_start=d(2027),
        planned_end=d(2034, 12, 31),
        description=ILLUSTRATIVE,
    ),
    assistance(
        "India project support programme",
        "Mission Possible Partnership",
        "ita",
        "technical_assistance",
        2,
        None,
        recipient_country="IN",
        aid_type="D02",
        actual_start=d(2025, 11),
        description="ITA's India programme (Nov 2025); amount not disclosed.",
        source_url="https://ita.missionpossiblepartnership.org/about-us",
    ),
]


def build(demo):
    for title, provider, partnership, kind, status, amount, projects, fields in ASSISTANCE:
        a = Assistance.objects.create(
            title=title,
            provider=demo.orgs[provider],
            partnership=demo.partnerships[partnership],
            kind=kind,
            activity_status=status,
            amount_musd=amount,
            last_verified_on=VERIFIED,
            **demo.resolve(fields),
        )
        a.supported_projects.set([demo.projects[key] for key in projects])
