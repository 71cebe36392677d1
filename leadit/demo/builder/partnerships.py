"""Partnerships of the demo, with their participants and the India–Sweden ITP's working groups."""

import datetime as dt

from leadit.demo.builder.context import VERIFIED
from partnerships.models import Participant, Partnership, WorkingGroup

ITP_SRC = "https://industrytransition.org/insights/india-sweden-partnership-cop28-leadit-2-0"


def partnership(key, name, short, kind, pillar, recipients, sector_slugs, participants, **fields):
    """One partnership, kept as Demo.partnerships[key]. recipients: country codes;
    participants: [(organisation name, role)]."""
    return key, name, short, kind, pillar, recipients, sector_slugs, participants, fields


PARTNERSHIPS = [
    partnership(
        "itp",
        "India–Sweden Industry Transition Partnership",
        "India–Sweden ITP",
        "industry_transition_partnership",
        "itp",
        ["IN"],
        ["steel", "cement"],
        [
            ("Government of India", "co_lead"),
            ("Government of Sweden", "co_lead"),
            ("Stockholm Environment Institute", "secretariat_support"),
        ],
        status="active",
        launched_on=dt.date(2023, 12, 1),
        launch_event="COP28",
        target_date=dt.date(2025, 11, 10),
        target_label="Tangible results by COP30 (Belém, Nov 2025)",
        objectives="A coordinated and bespoke offer of bilateral and multilateral technical and "
        "financial cooperation for India's industry transition priorities: institutions and policy "
        "frameworks, technology co-development, research and innovation, and investment. Flagship "
        "projects in steel and cement.",
        source_url=ITP_SRC,
    ),
    partnership(
        "isgtp",
        "India–Sweden Green Transition Partnership",
        "ISGTP",
        "bilateral_platform",
        "tech_transfer",
        ["IN"],
        ["steel", "cement", "vehicles"],
        [("Business Sweden", "co_lead")],
        status="active",
        launched_on=dt.date(2022, 11, 23),
        launch_event="Mumbai",
        objectives="Team Sweden / Business Sweden platform pairing six Swedish solution providers "
        "with Indian corporates in cement, steel and automotive. Not to be confused with the ITP.",
        source_url="https://www.livemint.com/news/india-sweden-collaborate-on-reaching-green-energy-targets/amp-11668438546962.html",
    ),
    partnership(
        "brazil_uk",
        "Brazil–UK Industrial Decarbonisation Hub",
        "Brazil–UK Hub",
        "bilateral_platform",
        "itp",
        ["BR"],
        ["steel", "cement", "chemicals"],
        [
            ("Ministry of Development, Industry, Trade and Services", "co_lead"),
            ("Department for Energy Security and Net Zero", "co_lead"),
            ("Department for Energy Security and Net Zero", "funder"),
        ],
        status="active",
        launched_on=dt.date(2023, 12, 2),
        launch_event="COP28 (MoU)",
        objectives="Exchange of expertise and modelling; capacity building incl. UK PACT; technical "
        "assistance for strategy and policy; access to concessional finance; convening investors "
        "and offtakers; partnerships on specific projects. Outside LeadIT: a reference case.",
        source_url="https://www.gov.uk/government/publications/industrial-decarbonisation-hub-brazil-uk-memorandum-of-understanding/industrial-decarbonisation-hub-brazil-uk-memorandum-of-understanding",
    ),
    partnership(
        "cif",
        "CIF Industry Decarbonization Program",
        "CIF IDP",
        "multilateral_programme",
        "itp",
        ["BR", "EG", "MX", "NA", "ZA", "TR", "UZ"],
        ["steel", "cement", "aluminium", "hydrogen"],
        [("Climate Investment Funds", "funder")],
        status="active",
        launched_on=dt.date(2024, 10, 1),
        launch_event="EOIs opened Oct 2024",
        target_label="Country investment plans with MDBs, then CIF board endorsement",
        objectives="Up to USD 1 bn from the Clean Technology Fund; at least 50 % private-sector "
        "allocation; 7 countries selected in June 2025 from 26 applicants.",
        source_url="https://www.gasworld.com/story/seven-countries-to-receive-1bn-towards-industrial-decarbonisation/2160404.article",
    ),
    partnership(
        "ita",
        "Industrial Transition Accelerator",
        "ITA",
        "other",
        "itp",
        ["BR", "EG", "IN"],
        ["steel", "cement", "aluminium", "chemicals", "aviation", "shipping"],
        [("Mission Possible Partnership", "implementer")],
        status="active",
        launched_on=dt.date(2023, 12, 1),
        launch_event="COP28",
        objectives="Project support programmes in Brazil, MENA and India; 30-40 flagship projects "
        "across six sectors, 2024-26.",
        source_url="https://ita.missionpossiblepartnership.org/about-us",
    ),
]

ITP_WORKING_GROUPS = ["Steel", "Cement", "Innovation", "Finance", "Carbon Markets"]


def build(demo):
    for (
        key,
        name,
        short,
        kind,
        pillar,
        recipients,
        sector_slugs,
        participants,
        fields,
    ) in PARTNERSHIPS:
        p = Partnership.objects.create(
            name=name,
            short_name=short,
            kind=kind,
            pillar=pillar,
            last_verified_on=VERIFIED,
            **fields,
        )
        p.recipient_countries.set([demo.countries[c] for c in recipients])
        p.sectors.set([demo.sectors[s] for s in sector_slugs])
        for org_name, role in participants:
            Participant.objects.create(partnership=p, organisation=demo.orgs[org_name], role=role)
        demo.partnerships[key] = p
    for name in ITP_WORKING_GROUPS:
        demo.working_groups[name] = WorkingGroup.objects.create(
            partnership=demo.partnerships["itp"], name=name
        )
