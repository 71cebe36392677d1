"""The demo data behind fixtures/leadit.json, with its provenance (see ../shared/DOMAIN.md).

Confidence and notes say what is real: "high"/"medium" records rest on the cited sources; "low"
records are ILLUSTRATIVE, invented to exercise the model, and say so in their description.
Rebuild the fixture with `make fixture` after changing this file or the models.
"""

import datetime as dt
from decimal import Decimal as D

from members.models import Contact, CountryProfile, Member, Organisation, Sector
from partnerships.models import (
    Assistance,
    Engagement,
    Financing,
    ForumActivity,
    Participant,
    Partnership,
    Project,
    Technology,
    WorkingGroup,
)

VERIFIED = dt.date(2026, 11, 1)
ILLUSTRATIVE = "ILLUSTRATIVE record, invented to exercise the tracker; not a real deal."
LAUNCH = dt.date(2019, 9, 23)
LAUNCH_SRC = "https://www.newdelhitimes.com/climate-action-summit-to-drive-industry-transition-to-low-carbon-economy/"
PIB_2021 = "https://orissadiary.com/efforts-to-drive-low-carbon-development-pathways-in-industry-sector-are-critical-for-achieving-the-goals-of-the-paris-agreement-bhupender-yadav/"
CISION = "https://news.cision.com/stockholm-environment-institute/r/global-shift-in-green-steel-projects-as-major-investments-move-beyond-europe-into-asia,c3968640"
ITP_SRC = "https://industrytransition.org/insights/india-sweden-partnership-cop28-leadit-2-0"

SECTORS = [
    # slug, name, DAC code
    ("steel", "Iron and steel", "32169"),
    ("cement", "Cement and concrete", "32166"),
    ("aluminium", "Aluminium", "32170"),
    ("chemicals", "Chemicals", "32164"),
    ("fertilisers", "Fertilisers", "32165"),
    ("hydrogen", "Hydrogen for industry", "32120"),
    ("aviation", "Aviation", "32172"),
    ("shipping", "Shipping", "32172"),
    ("energy", "Energy and utilities", "23210"),
    ("construction", "Construction", "32120"),
    ("vehicles", "Trucks and vehicles", "32172"),
    ("mining", "Mining and iron ore", "32120"),
]

# code, region, income group, EMDE, net-zero year, status. Regions and income groups follow the
# World Bank classification, EMDE the IMF's; net-zero years are background knowledge [M].
COUNTRIES = [
    ("IN", "south_asia", "lower_middle", True, 2070, "policy"),
    ("SE", "europe_central_asia", "high", False, 2045, "law"),
    ("AR", "latin_america_caribbean", "upper_middle", True, 2050, "policy"),
    ("FI", "europe_central_asia", "high", False, 2035, "law"),
    ("FR", "europe_central_asia", "high", False, 2050, "law"),
    ("DE", "europe_central_asia", "high", False, 2045, "law"),
    ("IE", "europe_central_asia", "high", False, 2050, "law"),
    ("LU", "europe_central_asia", "high", False, 2050, "law"),
    ("NL", "europe_central_asia", "high", False, 2050, "law"),
    ("KR", "east_asia_pacific", "high", False, 2050, "law"),
    ("GB", "europe_central_asia", "high", False, 2050, "law"),
    ("US", "north_america", "high", False, 2050, "policy"),
    ("AT", "europe_central_asia", "high", False, 2040, "policy"),
    ("ET", "sub_saharan_africa", "low", True, None, "none"),
    ("JP", "east_asia_pacific", "high", False, 2050, "law"),
    ("ZA", "sub_saharan_africa", "upper_middle", True, 2050, "policy"),
    ("DK", "europe_central_asia", "high", False, 2050, "law"),
    ("BR", "latin_america_caribbean", "upper_middle", True, 2050, "policy"),
    ("EG", "middle_east_north_africa", "lower_middle", True, None, "none"),
    ("MX", "latin_america_caribbean", "upper_middle", True, 2050, "pledge"),
    ("NA", "sub_saharan_africa", "upper_middle", True, None, "none"),
    ("TR", "europe_central_asia", "upper_middle", True, 2053, "policy"),
    ("UZ", "europe_central_asia", "lower_middle", True, None, "none"),
    ("CN", "east_asia_pacific", "upper_middle", True, 2060, "policy"),
    ("KE", "sub_saharan_africa", "lower_middle", True, None, "none"),
    ("IT", "europe_central_asia", "high", False, 2050, "law"),
    ("NO", "europe_central_asia", "high", False, 2050, "law"),
    ("OM", "middle_east_north_africa", "high", True, 2050, "policy"),
]

GOVERNMENT_NAMES = {
    "IN": "India",
    "SE": "Sweden",
    "AR": "Argentina",
    "FI": "Finland",
    "FR": "France",
    "DE": "Germany",
    "IE": "Ireland",
    "LU": "Luxembourg",
    "NL": "the Netherlands",
    "KR": "the Republic of Korea",
    "GB": "the United Kingdom",
    "US": "the United States",
    "AT": "Austria",
    "ET": "Ethiopia",
    "JP": "Japan",
    "ZA": "South Africa",
    "DK": "Denmark",
}

# Country members: code, joined, approximate?, event, verified?, source
COUNTRY_MEMBERS = [
    ("IN", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    ("SE", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    ("AR", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    ("FI", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    ("FR", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    ("DE", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    ("IE", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    ("LU", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    ("NL", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    ("KR", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    ("GB", LAUNCH, False, "UN Climate Action Summit 2019", True, LAUNCH_SRC),
    (
        "US",
        dt.date(2021, 4, 23),
        False,
        "Leaders Summit on Climate",
        True,
        "https://industrytransition.org/insights/us-joins-leadit",
    ),
    ("AT", dt.date(2021, 11, 1), True, "", True, PIB_2021),
    ("ET", dt.date(2021, 11, 1), True, "", True, PIB_2021),
    (
        "JP",
        dt.date(2022, 6, 1),
        False,
        "Industry Transition Dialogue, Stockholm",
        True,
        "https://www.rajiasacademy.com/current-affairs/leadership-for-industry-transition/",
    ),
    (
        "ZA",
        dt.date(2022, 6, 1),
        False,
        "Industry Transition Dialogue, Stockholm",
        True,
        "https://www.rajiasacademy.com/current-affairs/leadership-for-industry-transition/",
    ),
    ("DK", None, False, "", False, ""),
]

# Company members: name, short, country, sectors, joined, approximate?, event, verified?, source,
# notes, net-zero year
COMPANY_MEMBERS = [
    (
        "Dalmia Cement (Bharat) Limited",
        "Dalmia Cement",
        "IN",
        ["cement"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "",
        None,
    ),
    (
        "DSM",
        "DSM",
        "NL",
        ["chemicals"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "",
        None,
    ),
    (
        "Heathrow Airport",
        "Heathrow",
        "GB",
        ["aviation"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "",
        None,
    ),
    (
        "LKAB",
        "LKAB",
        "SE",
        ["mining", "steel"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "Iron ore producer; HYBRIT partner.",
        None,
    ),
    (
        "Mahindra Group",
        "Mahindra",
        "IN",
        ["vehicles"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "",
        None,
    ),
    (
        "Royal Schiphol Group",
        "Schiphol",
        "NL",
        ["aviation"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "",
        None,
    ),
    (
        "Scania",
        "Scania",
        "SE",
        ["vehicles"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "",
        None,
    ),
    (
        "SpiceJet",
        "SpiceJet",
        "IN",
        ["aviation"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "",
        None,
    ),
    (
        "SSAB",
        "SSAB",
        "SE",
        ["steel"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "HYBRIT partner.",
        None,
    ),
    (
        "thyssenkrupp",
        "thyssenkrupp",
        "DE",
        ["steel"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "",
        None,
    ),
    (
        "Vattenfall",
        "Vattenfall",
        "SE",
        ["energy"],
        LAUNCH,
        False,
        "UN Climate Action Summit 2019",
        True,
        LAUNCH_SRC,
        "HYBRIT partner.",
        None,
    ),
    (
        "Skanska",
        "Skanska",
        "SE",
        ["construction"],
        dt.date(2021, 11, 1),
        True,
        "",
        True,
        PIB_2021,
        "",
        None,
    ),
    (
        "Heidelberg Materials",
        "Heidelberg Materials",
        "DE",
        ["cement"],
        dt.date(2021, 11, 1),
        True,
        "",
        True,
        PIB_2021,
        "Joined as HeidelbergCement.",
        None,
    ),
    (
        "Salzgitter AG",
        "Salzgitter",
        "DE",
        ["steel"],
        dt.date(2021, 11, 1),
        True,
        "",
        True,
        PIB_2021,
        "",
        None,
    ),
    (
        "Tata Steel",
        "Tata Steel",
        "IN",
        ["steel"],
        dt.date(2023, 1, 1),
        True,
        "",
        False,
        "https://futurefuels.in/?p=9947",
        "Joined after Dec 2022 (quote by P. Andersson); exact date to verify.",
        2045,
    ),
    (
        "Steel Authority of India Limited",
        "SAIL",
        "IN",
        ["steel"],
        dt.date(2023, 6, 30),
        True,
        "Engaging India at Almedalen, Visby",
        False,
        "https://www.industrytransition.org/insights/building-a-stronger-partnership-for-net-zero-leadit-at-almedalen/",
        "Announced at Almedalen in late June; year to verify (likely 2023).",
        None,
    ),
    (
        "Cemvision",
        "Cemvision",
        "SE",
        ["cement"],
        dt.date(2023, 6, 30),
        True,
        "Engaging India at Almedalen, Visby",
        False,
        "https://www.industrytransition.org/insights/building-a-stronger-partnership-for-net-zero-leadit-at-almedalen/",
        "Cement start-up (cement from slag and industrial waste); year to verify.",
        None,
    ),
]

# Other organisations: name, short, IATI type, country, sectors, parent name
OTHERS = [
    ("Stockholm Environment Institute", "SEI", 80, "SE", [], None),
    ("World Economic Forum", "WEF", 21, "CH", [], None),
    ("Stegra", "Stegra", 70, "SE", ["steel"], None),
    ("HBIS Group", "HBIS", 70, "CN", ["steel"], None),
    ("HyIron", "HyIron", 70, "DE", ["steel"], None),
    ("ArcelorMittal", "ArcelorMittal", 70, "LU", ["steel"], None),
    ("Marcegaglia Ravenna S.p.A.", "Marcegaglia Ravenna", 70, "IT", ["steel"], None),
    ("Carbon Clean", "Carbon Clean", 70, "GB", ["cement"], None),
    ("John Cockerill India Ltd", "John Cockerill India", 70, "IN", ["steel"], None),
    ("Business Sweden", "Business Sweden", 15, "SE", [], None),
    ("EU Innovation Fund (CINEA)", "EU Innovation Fund", 40, "", [], None),
    ("Climate Investment Funds", "CIF", 40, "US", ["finance"] if False else [], None),
    ("Mission Possible Partnership", "MPP", 21, "", [], None),
    ("Global Cement and Concrete Association", "GCCA", 21, "GB", ["cement"], None),
    ("Swedish Energy Agency", "Energimyndigheten", 10, "SE", [], "Government of Sweden"),
    (
        "Swedish Ministry of Climate and Enterprise",
        "Swedish Ministry of Climate",
        10,
        "SE",
        [],
        "Government of Sweden",
    ),
    (
        "Ministry of Environment, Forest and Climate Change",
        "MoEFCC",
        10,
        "IN",
        [],
        "Government of India",
    ),
    ("Ministry of Development, Industry, Trade and Services", "MDIC", 10, "BR", [], None),
    (
        "Department for Energy Security and Net Zero",
        "DESNZ",
        10,
        "GB",
        [],
        "Government of the United Kingdom",
    ),
    ("European Bank for Reconstruction and Development", "EBRD", 40, "", [], None),
    ("Namib Green Iron Developers (illustrative)", "NGID", 72, "NA", ["steel"], None),
    ("Sokhna Green Ammonia Company (illustrative)", "SGAC", 72, "EG", ["fertilisers"], None),
    ("Nordeste Green Iron Consortium (illustrative)", "NGIC", 72, "BR", ["steel"], None),
    ("Cementos del Bajío (illustrative)", "Cementos del Bajío", 72, "MX", ["cement"], None),
    ("Anadolu Çelik (illustrative)", "Anadolu Çelik", 72, "TR", ["steel"], None),
    ("Uzbek Aluminium Works (illustrative)", "UzAl", 72, "UZ", ["aluminium"], None),
    ("Saldanha Green Steel Partners (illustrative)", "SGSP", 72, "ZA", ["steel"], None),
    ("Duqm Green Iron (illustrative)", "Duqm Green Iron", 72, "OM", ["steel"], None),
    ("Rift Valley Cement (illustrative)", "Rift Valley Cement", 72, "KE", ["cement"], None),
    ("Abyssinia Cement (illustrative)", "Abyssinia Cement", 72, "ET", ["cement"], None),
]

TECHNOLOGIES = [
    ("Hydrogen direct reduction (H-DRI)", "h2-dri", "h2_dri", "steel", 7),
    ("Gas DRI switching to hydrogen", "ng-dri-to-h2", "ng_dri_to_h2", "steel", 8),
    ("Scrap-based electric arc furnace", "eaf-scrap", "eaf_scrap", "steel", 11),
    ("Carbon capture, use and storage", "ccus", "ccus", "cement", 7),
    ("Calcined clay (LC3)", "calcined-clay", "calcined_clay", "cement", 8),
    ("Alternative binders from slag", "alt-binder", "alt_binder", "cement", 6),
    ("Supplementary cementitious materials", "scm-blending", "scm_blending", "cement", 10),
    ("Green hydrogen production", "h2-production", "h2_production", "hydrogen", 9),
    ("Waste-heat recovery", "waste-heat", "waste_heat_recovery", "cement", 11),
    ("Energy efficiency", "energy-efficiency", "energy_efficiency", None, 11),
    ("Kiln electrification", "kiln-electrification", "fuel_switch_electrification", "cement", 5),
    ("Hydrogen injection in blast furnaces", "h2-injection", "other", "steel", 7),
]


def build() -> None:
    sectors = {}
    for position, (slug, name, dac) in enumerate(SECTORS, start=1):
        sectors[slug] = Sector.objects.create(name=name, slug=slug, position=position, dac_code=dac)

    for code, region, income, emde, nz_year, nz_status in COUNTRIES:
        CountryProfile.objects.create(
            country=code,
            region=region,
            income_group=income,
            is_emde=emde,
            net_zero_year=nz_year,
            net_zero_status=nz_status,
            notes="Region and income group: World Bank; EMDE: IMF; net-zero target: background, to verify.",
        )

    orgs = {}

    def org(name, short="", org_type=70, country="", sector_slugs=(), parent=None, **extra):
        obj = Organisation.objects.create(
            name=name,
            short_name=short,
            org_type=org_type,
            country=country,
            parent=orgs.get(parent) if parent else None,
            last_verified_on=VERIFIED,
            **extra,
        )
        obj.sectors.set([sectors[s] for s in sector_slugs])
        orgs[name] = obj
        return obj

    for code, joined, approx, event, verified, source in COUNTRY_MEMBERS:
        gov = org(
            f"Government of {GOVERNMENT_NAMES[code]}",
            GOVERNMENT_NAMES[code].removeprefix("the "),
            10,
            code,
        )
        Member.objects.create(
            organisation=gov,
            kind="country",
            role="co_lead" if code in {"IN", "SE"} else "member",
            joined_on=joined,
            joined_on_approximate=approx,
            joined_at_event=event,
            verified=verified,
            source_url=source,
            last_verified_on=VERIFIED if verified else None,
            notes=(
                "Co-founder; sits on the Management Board with India/Sweden and WEF."
                if code in {"IN", "SE"}
                else (
                    ""
                    if verified
                    else "Membership not confirmed in a source: verify on industrytransition.org/members."
                )
            ),
        )
    for (
        name,
        short,
        code,
        slugs,
        joined,
        approx,
        event,
        verified,
        source,
        notes,
        nz,
    ) in COMPANY_MEMBERS:
        company = org(name, short, 70, code, slugs)
        Member.objects.create(
            organisation=company,
            kind="company",
            joined_on=joined,
            joined_on_approximate=approx,
            joined_at_event=event,
            verified=verified,
            source_url=source,
            notes=notes,
            net_zero_target_year=nz,
            last_verified_on=VERIFIED if verified else None,
        )
    for name, short, org_type, country, slugs, parent in OTHERS:
        org(name, short, org_type, country, slugs, parent)

    Contact.objects.create(
        organisation=orgs["Stockholm Environment Institute"],
        name="LeadIT Secretariat",
        title="Secretariat (hosted by SEI)",
        email="secretariat@industrytransition.org",
        is_focal_point=True,
    )
    Contact.objects.create(
        organisation=orgs["Swedish Ministry of Climate and Enterprise"],
        name="Helen Ågren",
        title="Director; Swedish government lead, India–Sweden ITP",
        is_focal_point=True,
        notes="Source: industrytransition.org/events/india-sweden-itp-inaugural-meeting",
    )
    Contact.objects.create(
        organisation=orgs["Ministry of Environment, Forest and Climate Change"],
        name="Ruchika Drall",
        title="Deputy Secretary; Indian government lead, India–Sweden ITP",
        is_focal_point=True,
        notes="Source: industrytransition.org/events/india-sweden-itp-inaugural-meeting",
    )

    tech = {}
    for name, slug, category, sector, trl in TECHNOLOGIES:
        tech[slug] = Technology.objects.create(
            name=name,
            slug=slug,
            category=category,
            trl_typical=trl,
            sector=sectors[sector] if sector else None,
        )

    countries = {c.country.code: c for c in CountryProfile.objects.all()}

    def partnership(name, short, kind, pillar, recipients, sector_slugs, participants, **fields):
        p = Partnership.objects.create(
            name=name,
            short_name=short,
            kind=kind,
            pillar=pillar,
            last_verified_on=VERIFIED,
            **fields,
        )
        p.recipient_countries.set([countries[c] for c in recipients])
        p.sectors.set([sectors[s] for s in sector_slugs])
        for org_name, role in participants:
            Participant.objects.create(partnership=p, organisation=orgs[org_name], role=role)
        return p

    itp = partnership(
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
    )
    wgs = {
        name: WorkingGroup.objects.create(partnership=itp, name=name)
        for name in ["Steel", "Cement", "Innovation", "Finance", "Carbon Markets"]
    }
    isgtp = partnership(
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
    )
    brazil_uk = partnership(
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
    )
    cif = partnership(
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
    )
    ita = partnership(
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
    )

    def project(name, sponsor, country, sector, history, **fields):
        """history: [(date, stage, note)], oldest first; written as StageChange rows."""
        first_on, first_stage, first_note = history[0]
        p = Project(
            name=name,
            sponsor=orgs[sponsor],
            country=country,
            sector=sectors[sector],
            stage=first_stage,
            last_verified_on=fields.pop("verified", VERIFIED),
            **fields,
        )
        p._stage_change_details = {"on": first_on, "note": first_note}
        p.save()
        for on, stage, note in history[1:]:
            if isinstance(stage, tuple):  # (stage, revised commissioning year)
                stage, p.revised_commissioning_year = stage
            p.stage = stage
            p._stage_change_details = {"on": on, "note": note}
            p.save()
        return p

    def finance(p, provider, instrument, status, amount, **fields):
        Financing.objects.create(
            project=p,
            provider=orgs[provider],
            instrument=instrument,
            status=status,
            amount_musd=amount,
            **fields,
        )

    def d(y, m=1, day=1):
        return dt.date(y, m, day)

    projects = {}
    projects["stegra"] = project(
        "Stegra Boden integrated green steel plant",
        "Stegra",
        "SE",
        "steel",
        [
            (d(2021, 2), "feasibility", "Announced as H2 Green Steel."),
            (d(2022, 6), "financing", ""),
            (d(2023, 10), "fid", ""),
            (d(2023, 11), "construction", "Construction under way at Boden."),
        ],
        site="Boden",
        technology=tech["h2-dri"],
        specific_equipment="Electrolyser, H-DRI shaft, EAF",
        product="crude_steel",
        scale="full_scale",
        capacity=D("2.5"),
        capacity_unit="mtpa",
        planned_commissioning_year=2026,
        capex_note="≈ EUR 6.5 bn total financing (Jan 2024), to verify",
        abatement_basis="~95 % vs blast-furnace route (company claim)",
        confidence="medium",
        status_basis="reported_by_owner",
        offtake_status="binding",
        description="LeadIT's 2026 review names Boden the first potential full-scale commissioning "
        "of primary green steel. Stage dates are approximate; capacity and capex to verify.",
        source_url="https://packagingeurope.com/news/leadit-says-2026-a-critical-year-for-green-steel-despite-slowing-momentum/13914.article",
    )
    projects["hbis"] = project(
        "HBIS green hydrogen DRI, Naiman Banner",
        "HBIS Group",
        "CN",
        "steel",
        [(d(2024, 6), "identified", "First detailed Chinese project in the Green Steel Tracker.")],
        site="Naiman Banner, Inner Mongolia",
        technology=tech["h2-dri"],
        scale="full_scale",
        capex_musd=D("683"),
        capex_note="USD 683 million",
        status_basis="reported_by_third_party",
        confidence="high",
        source_url=CISION,
        description="Amount from SEI's Green Steel Tracker release; stage illustrative.",
    )
    projects["geist"] = project(
        "GEiSt hydrogen direct reduction pilot, Lingen",
        "HyIron",
        "DE",
        "steel",
        [(d(2022, 3), "feasibility", ""), (d(2023, 9), "construction", "Stage illustrative.")],
        site="Lingen",
        technology=tech["h2-dri"],
        scale="pilot",
        gst_id="GST-016",
        confidence="medium",
        description="Co-sponsors RWE and Benteler. Stage illustrative.",
    )
    projects["salzgitter_whv"] = project(
        "Salzgitter Wilhelmshaven DRI feasibility study",
        "Salzgitter AG",
        "DE",
        "steel",
        [(d(2022, 1), "feasibility", "")],
        site="Wilhelmshaven",
        specific_equipment="DRI (reductant not stated)",
        gst_id="GST-070",
        qualified=False,
        qualification_reason="Not enough information",
        confidence="medium",
    )
    projects["am_bremen"] = project(
        "ArcelorMittal Bremen DRI/EAF conversion",
        "ArcelorMittal",
        "DE",
        "steel",
        [
            (d(2021, 7), "feasibility", ""),
            (d(2023, 6), "financing", "Public support approved."),
            (
                d(2025, 6),
                "cancelled",
                "Plans dropped; reported Cancelled in the Green Steel Tracker.",
            ),
        ],
        site="Bremen",
        technology=tech["ng-dri-to-h2"],
        scale="full_scale",
        gst_id="GST-036",
        status_basis="reported_by_third_party",
        planned_commissioning_year=2026,
        confidence="medium",
        description="GST-036 or GST-037 (Bremen / Eisenhüttenstadt): check the workbook.",
    )
    projects["adriatico2"] = project(
        "AdriatiCO2 CCUS, Ravenna",
        "Marcegaglia Ravenna S.p.A.",
        "IT",
        "steel",
        [
            (d(2024, 2), "feasibility", ""),
            (d(2025, 1), "financing", "Innovation Fund grant signed."),
        ],
        site="Ravenna",
        technology=tech["ccus"],
        gst_id="GST-158",
        confidence="high",
        source_url="https://ec.europa.eu/assets/cinea/project_fiches/innovation_fund/101191172.pdf",
        description="Grant real; stage illustrative.",
    )
    finance(
        projects["adriatico2"],
        "EU Innovation Fund (CINEA)",
        "grant",
        "committed",
        D("33.7"),
        amount_note="EUR 31,238,542",
        provider_kind="multilateral_mdb",
    )
    projects["dalmia_ccu"] = project(
        "Dalmia Cement CCU plant, Tamil Nadu",
        "Dalmia Cement (Bharat) Limited",
        "IN",
        "cement",
        [(d(2021, 3), "feasibility", "")],
        technology=tech["ccus"],
        abatement_tco2e=D("500000"),
        partnership=itp,
        working_group=wgs["Cement"],
        confidence="low",
        description="Partner: Carbon Clean. All figures background knowledge, to verify.",
    )
    projects["walvis"] = project(
        "Green HBI plant for export, Walvis Bay region",
        "Namib Green Iron Developers (illustrative)",
        "NA",
        "steel",
        [(d(2024, 3), "identified", ""), (d(2025, 5), "pre_feasibility", "")],
        site="Walvis Bay region",
        technology=tech["h2-dri"],
        product="dri_hbi",
        scale="full_scale",
        capacity=D("1.0"),
        capacity_unit="mtpa",
        capex_musd=D("1500"),
        abatement_tco2e=D("1600000"),
        offtake_status="in_discussion",
        partnership=cif,
        planned_commissioning_year=2030,
        confidence="low",
        description=ILLUSTRATIVE,
    )
    finance(
        projects["walvis"],
        "Climate Investment Funds",
        "concessional_loan",
        "sought",
        D("50"),
        concessional=True,
        provider_kind="climate_fund",
    )
    finance(
        projects["walvis"],
        "Swedish Energy Agency",
        "design_grant",
        "committed",
        D("2"),
        provider_kind="public_bilateral",
        note="Illustrative bilateral donor grant.",
    )
    projects["salcos"] = project(
        "SALCOS phase 1, Salzgitter",
        "Salzgitter AG",
        "DE",
        "steel",
        [
            (d(2022, 4), "financing", ""),
            (d(2023, 4), "fid", "Public funding approved."),
            (d(2023, 6), "construction", ""),
        ],
        site="Salzgitter",
        technology=tech["h2-dri"],
        specific_equipment="DRI plant, EAF",
        scale="full_scale",
        planned_commissioning_year=2026,
        confidence="medium",
        capex_note="≈ EUR 2.3 bn phase 1, about EUR 1 bn public (background, to verify)",
        description="Figures and dates background knowledge, to verify.",
    )
    projects["hybrit"] = project(
        "HYBRIT demonstration plant, Gällivare",
        "SSAB",
        "SE",
        "steel",
        [(d(2021, 6), "feasibility", "Pilot in Luleå running; demonstration planned.")],
        site="Gällivare",
        technology=tech["h2-dri"],
        scale="demonstration",
        product="dri_hbi",
        planned_commissioning_year=2026,
        revised_commissioning_year=2028,
        confidence="medium",
        description="Joint venture of SSAB, LKAB and Vattenfall. Years background knowledge.",
    )
    projects["tk_duisburg"] = project(
        "thyssenkrupp tkH2Steel DRI plant, Duisburg",
        "thyssenkrupp",
        "DE",
        "steel",
        [
            (d(2022, 9), "financing", ""),
            (d(2023, 3), "fid", "Contract awarded."),
            (d(2023, 7), "construction", ""),
            (d(2025, 3), "paused", "Hydrogen supply tender postponed; timeline under review."),
        ],
        site="Duisburg",
        technology=tech["ng-dri-to-h2"],
        scale="full_scale",
        capacity=D("2.5"),
        capacity_unit="mtpa",
        planned_commissioning_year=2026,
        revised_commissioning_year=2028,
        capex_note="≈ EUR 3 bn incl. EUR 2 bn public support (background, to verify)",
        confidence="low",
        description="Dates and status background knowledge, to verify.",
    )
    projects["brevik"] = project(
        "Brevik CCS, Heidelberg Materials",
        "Heidelberg Materials",
        "NO",
        "cement",
        [
            (d(2020, 12), "fid", "Part of Norway's Longship."),
            (d(2021, 3), "construction", ""),
            (d(2025, 6), ("operational", 2025), "Capture plant opened."),
        ],
        site="Brevik",
        technology=tech["ccus"],
        scale="full_scale",
        abatement_tco2e=D("400000"),
        planned_commissioning_year=2024,
        confidence="medium",
        description="Capture volume and dates background knowledge, to verify.",
    )
    projects["padeswood"] = project(
        "Padeswood CCS, Heidelberg Materials",
        "Heidelberg Materials",
        "GB",
        "cement",
        [(d(2022, 10), "feasibility", ""), (d(2024, 8), "financing", "")],
        site="Padeswood",
        technology=tech["ccus"],
        scale="full_scale",
        abatement_tco2e=D("800000"),
        planned_commissioning_year=2029,
        confidence="low",
        description="Figures background knowledge, to verify.",
    )
    projects["tata_h2"] = project(
        "Hydrogen injection trial, Jamshedpur blast furnace",
        "Tata Steel",
        "IN",
        "steel",
        [(d(2022, 10), "construction", ""), (d(2023, 4), "operational", "Trial started.")],
        site="Jamshedpur",
        technology=tech["h2-injection"],
        scale="pilot",
        planned_commissioning_year=2023,
        confidence="low",
        description="Background knowledge, to verify.",
    )
    projects["sail_study"] = project(
        "SAIL green-steel pathway study, Bhilai",
        "Steel Authority of India Limited",
        "IN",
        "steel",
        [(d(2024, 9), "identified", ""), (d(2025, 4), "pre_feasibility", "")],
        site="Bhilai",
        technology=tech["h2-dri"],
        partnership=itp,
        working_group=wgs["Steel"],
        capex_musd=D("1.2"),
        confidence="low",
        description=ILLUSTRATIVE,
    )
    projects["cemvision"] = project(
        "Low-carbon cement pilot from slag",
        "Cemvision",
        "SE",
        "cement",
        [(d(2023, 9), "feasibility", ""), (d(2024, 11), "construction", "")],
        technology=tech["alt-binder"],
        scale="pilot",
        capex_musd=D("12"),
        abatement_tco2e=D("15000"),
        planned_commissioning_year=2025,
        revised_commissioning_year=2026,
        confidence="low",
        description=ILLUSTRATIVE,
    )
    projects["lc3_kenya"] = project(
        "Calcined-clay kiln, Rift Valley",
        "Rift Valley Cement (illustrative)",
        "KE",
        "cement",
        [(d(2025, 2), "identified", ""), (d(2025, 9), "pre_feasibility", "")],
        technology=tech["calcined-clay"],
        scale="demonstration",
        capex_musd=D("35"),
        abatement_tco2e=D("90000"),
        planned_commissioning_year=2028,
        confidence="low",
        description=ILLUSTRATIVE,
    )
    projects["egypt_nh3"] = project(
        "Green ammonia for fertiliser, Ain Sokhna",
        "Sokhna Green Ammonia Company (illustrative)",
        "EG",
        "fertilisers",
        [
            (d(2023, 5), "pre_feasibility", ""),
            (d(2024, 6), "feasibility", ""),
            (d(2025, 8), "financing", "Lenders' due diligence started."),
        ],
        site="Ain Sokhna",
        technology=tech["h2-production"],
        product="ammonia",
        scale="full_scale",
        capex_musd=D("550"),
        abatement_tco2e=D("350000"),
        partnership=cif,
        planned_commissioning_year=2028,
        offtake_status="mou",
        confidence="low",
        description=ILLUSTRATIVE,
    )
    finance(
        projects["egypt_nh3"],
        "European Bank for Reconstruction and Development",
        "commercial_loan",
        "indicative",
        D("200"),
        provider_kind="multilateral_mdb",
    )
    finance(
        projects["egypt_nh3"],
        "Climate Investment Funds",
        "concessional_loan",
        "committed",
        D("40"),
        concessional=True,
        provider_kind="climate_fund",
    )
    projects["pecem"] = project(
        "Green iron hub, Pecém",
        "Nordeste Green Iron Consortium (illustrative)",
        "BR",
        "steel",
        [(d(2024, 4), "identified", ""), (d(2025, 3), "pre_feasibility", "")],
        site="Pecém",
        technology=tech["h2-dri"],
        product="dri_hbi",
        scale="full_scale",
        capex_musd=D("2500"),
        abatement_tco2e=D("2500000"),
        partnership=brazil_uk,
        planned_commissioning_year=2031,
        confidence="low",
        description=ILLUSTRATIVE,
    )
    projects["mexico_scm"] = project(
        "Blended cement conversion, Bajío",
        "Cementos del Bajío (illustrative)",
        "MX",
        "cement",
        [(d(2025, 6), "identified", "")],
        technology=tech["scm-blending"],
        scale="full_scale",
        capex_musd=D("120"),
        abatement_tco2e=None,
        partnership=cif,
        planned_commissioning_year=2028,
        confidence="low",
        description=ILLUSTRATIVE,
    )
    projects["turkey_eaf"] = project(
        "EAF conversion of an integrated works, Iskenderun",
        "Anadolu Çelik (illustrative)",
        "TR",
        "steel",
        [
            (d(2023, 2), "pre_feasibility", ""),
            (d(2024, 1), "feasibility", ""),
            (
                d(2025, 4),
                ("financing", 2029),
                "Commissioning moved a year while the stack is assembled.",
            ),
        ],
        site="Iskenderun",
        technology=tech["eaf-scrap"],
        scale="full_scale",
        capex_musd=D("900"),
        abatement_tco2e=D("1800000"),
        partnership=cif,
        planned_commissioning_year=2028,
        confidence="low",
        description=ILLUSTRATIVE,
    )
    finance(
        projects["turkey_eaf"],
        "European Bank for Reconstruction and Development",
        "commercial_loan",
        "committed",
        D("300"),
        provider_kind="multilateral_mdb",
    )
    finance(
        projects["turkey_eaf"],
        "Climate Investment Funds",
        "concessional_loan",
        "sought",
        D("150"),
        concessional=True,
        provider_kind="climate_fund",
    )
    finance(
        projects["turkey_eaf"],
        "Anadolu Çelik (illustrative)",
        "equity",
        "committed",
        D("200"),
        provider_kind="private",
    )
    projects["uzal"] = project(
        "Smelter efficiency retrofit, Tashkent region",
        "Uzbek Aluminium Works (illustrative)",
        "UZ",
        "aluminium",
        [(d(2025, 7), "identified", "")],
        technology=tech["energy-efficiency"],
        scale="full_scale",
        partnership=cif,
        confidence="low",
        description=ILLUSTRATIVE,
    )
    projects["saldanha"] = project(
        "Green hydrogen DRI, Saldanha Bay",
        "Saldanha Green Steel Partners (illustrative)",
        "ZA",
        "steel",
        [(d(2024, 8), "identified", ""), (d(2025, 10), "pre_feasibility", "")],
        site="Saldanha Bay",
        technology=tech["h2-dri"],
        scale="full_scale",
        capex_musd=D("3000"),
        abatement_tco2e=D("2900000"),
        partnership=cif,
        planned_commissioning_year=2032,
        confidence="low",
        description=ILLUSTRATIVE,
    )
    projects["rajasthan_whr"] = project(
        "Waste-heat recovery at a Rajasthan cement works",
        "Dalmia Cement (Bharat) Limited",
        "IN",
        "cement",
        [
            (d(2024, 2), "feasibility", ""),
            (d(2025, 2), "financing", ""),
            (d(2025, 10), "fid", "Board approval."),
        ],
        technology=tech["waste-heat"],
        scale="full_scale",
        capex_musd=D("45"),
        abatement_tco2e=D("60000"),
        partnership=itp,
        working_group=wgs["Cement"],
        planned_commissioning_year=2027,
        confidence="low",
        description=ILLUSTRATIVE,
    )
    finance(
        projects["rajasthan_whr"],
        "Dalmia Cement (Bharat) Limited",
        "equity",
        "committed",
        D("15"),
        provider_kind="private",
    )
    finance(
        projects["rajasthan_whr"],
        "European Bank for Reconstruction and Development",
        "green_bond",
        "disbursed",
        D("30"),
        provider_kind="multilateral_mdb",
        note="Illustrative.",
    )
    projects["duqm"] = project(
        "Green iron initiative, Duqm",
        "Duqm Green Iron (illustrative)",
        "OM",
        "steel",
        [(d(2024, 11), "identified", "An Oman H-DRI initiative appears in the GST update.")],
        site="Duqm",
        technology=tech["h2-dri"],
        product="dri_hbi",
        scale="full_scale",
        confidence="low",
        source_url=CISION,
        description="The GST update mentions an Oman H-DRI initiative; sponsor name illustrative.",
    )
    projects["ethiopia_kiln"] = project(
        "Kiln electrification study",
        "Abyssinia Cement (illustrative)",
        "ET",
        "cement",
        [
            (d(2023, 10), "identified", ""),
            (d(2024, 9), "pre_feasibility", ""),
            (d(2025, 9), "paused", "No funding for the study; assumed postponed."),
        ],
        technology=tech["kiln-electrification"],
        scale="rnd",
        capex_musd=D("0.8"),
        status_basis="inferred",
        confidence="low",
        description=ILLUSTRATIVE,
    )

    def engagement(title, provider, mode, stage, **fields):
        return Engagement.objects.create(
            title=title,
            provider=orgs[provider],
            mode=mode,
            stage=stage,
            last_verified_on=VERIFIED,
            **fields,
        )

    engagement(
        "SAIL – John Cockerill India MoU: green steel, cold rolling, CRGO/CRNO steels",
        "John Cockerill India Ltd",
        "co_development",
        "agreement_signed",
        recipient=orgs["Steel Authority of India Limited"],
        recipient_country="IN",
        sector=sectors["steel"],
        agreement_type="mou",
        agreement_date=d(2024, 11, 29),
        next_step="Joint technical roadmap for the first plant",
        next_step_due=d(2026, 3, 31),
        source_url="https://www.devdiscourse.com/article/law-order/3175508-sail-partners-with-john-cockerill-india-to-green-steel-and-advanced-processing-technologies",
    )
    engagement(
        "ISGTP: Swedish solution providers × Indian cement, steel and auto corporates",
        "Business Sweden",
        "knowledge_exchange",
        "implementation",
        recipient_country="IN",
        partnership=isgtp,
        agreement_date=d(2022, 11, 23),
        notes="Providers: Alfa Laval, SKF, Hitachi Energy, Absortech, Alleima, KraftPowercon.",
        next_step="Annual review with Indian corporates",
        next_step_due=d(2026, 11, 23),
    )
    engagement(
        "Calcined-clay (LC3) kiln know-how exchange for a Kenyan cement producer",
        "Heidelberg Materials",
        "knowledge_exchange",
        "scoping",
        recipient=orgs["Rift Valley Cement (illustrative)"],
        recipient_country="KE",
        technology=tech["calcined-clay"],
        sector=sectors["cement"],
        trl_at_start=9,
        project=projects["lc3_kenya"],
        next_step="Site visit and clay sample testing",
        next_step_due=d(2025, 3, 31),
        notes=ILLUSTRATIVE,
    )
    engagement(
        "Hydrogen DRI study tour for Indian steelmakers",
        "SSAB",
        "knowledge_exchange",
        "matchmaking",
        recipient=orgs["Steel Authority of India Limited"],
        recipient_country="IN",
        technology=tech["h2-dri"],
        sector=sectors["steel"],
        partnership=itp,
        working_group=wgs["Steel"],
        project=projects["sail_study"],
        next_step="Agree dates with SAIL and Tata Steel",
        next_step_due=d(2027, 1, 15),
        notes=ILLUSTRATIVE,
    )
    engagement(
        "Carbon capture for cement: Carbon Clean × Dalmia",
        "Carbon Clean",
        "co_development",
        "implementation",
        recipient=orgs["Dalmia Cement (Bharat) Limited"],
        recipient_country="IN",
        technology=tech["ccus"],
        sector=sectors["cement"],
        project=projects["dalmia_ccu"],
        agreement_type="contract",
        next_step="Front-end engineering design review",
        next_step_due=d(2026, 6, 30),
        notes="Background knowledge; to verify.",
    )
    engagement(
        "CCS knowledge exchange with a South African cement producer",
        "Heidelberg Materials",
        "knowledge_exchange",
        "negotiation",
        recipient_country="ZA",
        technology=tech["ccus"],
        sector=sectors["cement"],
        agreement_type="nda",
        next_step="Sign NDA",
        next_step_due=d(2026, 9, 30),
        notes=ILLUSTRATIVE,
    )
    engagement(
        "Electrolyser operations training for Namibian green-iron developers",
        "Vattenfall",
        "equipment_with_training",
        "identified",
        recipient=orgs["Namib Green Iron Developers (illustrative)"],
        recipient_country="NA",
        technology=tech["h2-production"],
        sector=sectors["hydrogen"],
        project=projects["walvis"],
        next_step="Scoping call with the developer",
        next_step_due=d(2026, 12, 15),
        notes=ILLUSTRATIVE,
    )
    engagement(
        "Green steel public-procurement standards workshop",
        "Government of Sweden",
        "standards_certification",
        "stalled",
        recipient=orgs["Government of India"],
        recipient_country="IN",
        sector=sectors["steel"],
        partnership=itp,
        working_group=wgs["Steel"],
        next_step="Find a date after the budget session",
        next_step_due=d(2025, 9, 1),
        notes=ILLUSTRATIVE,
    )
    engagement(
        "Electrolysis licensing for green ammonia, Ain Sokhna",
        "thyssenkrupp",
        "licensing",
        "negotiation",
        recipient=orgs["Sokhna Green Ammonia Company (illustrative)"],
        recipient_country="EG",
        technology=tech["h2-production"],
        sector=sectors["fertilisers"],
        project=projects["egypt_nh3"],
        agreement_type="loi",
        next_step="Term sheet",
        next_step_due=d(2026, 2, 28),
        notes=ILLUSTRATIVE,
    )

    def assistance(title, provider, partnership_obj, kind, status, amount, projects_=(), **fields):
        a = Assistance.objects.create(
            title=title,
            provider=orgs[provider],
            partnership=partnership_obj,
            kind=kind,
            activity_status=status,
            amount_musd=amount,
            last_verified_on=VERIFIED,
            **fields,
        )
        a.supported_projects.set(projects_)
        return a

    assistance(
        "Pre-feasibility support to the ITP Steel working group",
        "Swedish Energy Agency",
        itp,
        "project_preparation",
        2,
        D("0.05"),
        [projects["sail_study"]],
        implementer=orgs["Stockholm Environment Institute"],
        working_group=wgs["Steel"],
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
    )
    assistance(
        "LC3 policy support to the ITP Cement working group",
        "Government of Sweden",
        itp,
        "policy_support",
        1,
        None,
        working_group=wgs["Cement"],
        finance_type=110,
        flow_type=10,
        aid_type="D02",
        recipient_country="IN",
        planned_start=d(2027),
        planned_end=d(2027, 12, 31),
        description=ILLUSTRATIVE,
    )
    assistance(
        "UK PACT capacity building for Brazilian industrial decarbonisation",
        "Department for Energy Security and Net Zero",
        brazil_uk,
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
    )
    assistance(
        "Concessional finance for green HBI, Namibia",
        "Climate Investment Funds",
        cif,
        "financing",
        1,
        D("50"),
        [projects["walvis"]],
        finance_type=421,
        flow_type=10,
        aid_type="C01",
        recipient_country="NA",
        planned_start=d(2027, 7),
        planned_end=d(2032, 6, 30),
        description=ILLUSTRATIVE,
    )
    assistance(
        "Country investment plan preparation, Egypt",
        "Climate Investment Funds",
        cif,
        "project_preparation",
        2,
        D("1.5"),
        [projects["egypt_nh3"]],
        finance_type=110,
        flow_type=10,
        aid_type="D02",
        recipient_country="EG",
        planned_start=d(2025, 3),
        planned_end=d(2026, 12, 31),
        actual_start=d(2025, 3, 17),
        description=ILLUSTRATIVE,
    )
    assistance(
        "Concessional loan for EAF conversion, Türkiye",
        "Climate Investment Funds",
        cif,
        "financing",
        1,
        D("150"),
        [projects["turkey_eaf"]],
        implementer=orgs["European Bank for Reconstruction and Development"],
        finance_type=421,
        flow_type=10,
        aid_type="C01",
        recipient_country="TR",
        planned_start=d(2027),
        planned_end=d(2034, 12, 31),
        description=ILLUSTRATIVE,
    )
    assistance(
        "India project support programme",
        "Mission Possible Partnership",
        ita,
        "technical_assistance",
        2,
        None,
        recipient_country="IN",
        aid_type="D02",
        actual_start=d(2025, 11),
        description="ITA's India programme (Nov 2025); amount not disclosed.",
        source_url="https://ita.missionpossiblepartnership.org/about-us",
    )

    members = {
        m.organisation.country.code if m.kind == "country" else m.organisation.short_name: m
        for m in Member.objects.select_related("organisation")
    }

    def forum(title, kind, on, member_keys, hosts=(), **fields):
        f = ForumActivity.objects.create(title=title, kind=kind, starts_on=on, **fields)
        f.members.set([members[k] for k in member_keys])
        f.hosts.set([orgs[h] for h in hosts])
        return f

    forum(
        "Launch of LeadIT at the UN Climate Action Summit",
        "leadit_summit",
        LAUNCH,
        ["IN", "SE", "AR", "FI", "FR", "DE", "IE", "LU", "NL", "KR", "GB"],
        ["Government of India", "Government of Sweden"],
        location="New York",
        summary="Launched by Sweden and India with the support of the World Economic Forum.",
        source_url=LAUNCH_SRC,
    )
    forum(
        "Industry Transition Dialogue, Stockholm",
        "industry_transition_dialogue",
        d(2022, 6, 1),
        ["SE", "IN", "JP", "ZA"],
        ["Government of Sweden"],
        location="Stockholm",
        summary="Japan and South Africa joined LeadIT.",
        source_url="https://portal.ieu-monitoring.com/editorial/sustainability/swedish-indian-un-initiative-to-lead-climate-transition-in-heavy-industry/378715",
    )
    forum(
        "Engaging India at Almedalen",
        "roundtable",
        d(2023, 6, 30),
        ["SE", "IN", "SAIL", "Cemvision"],
        ["Stockholm Environment Institute"],
        location="Visby",
        summary="SAIL and Cemvision announced as members. Year to verify.",
        source_url="https://www.industrytransition.org/insights/building-a-stronger-partnership-for-net-zero-leadit-at-almedalen/",
    )
    forum(
        "Green Cement Technology Tracker launch",
        "tracker_update",
        d(2023, 7, 20),
        ["IN"],
        ["Global Cement and Concrete Association", "Stockholm Environment Institute"],
        location="Goa (Clean Energy Ministerial)",
        cop_edition="",
        summary="LeadIT and GCCA launch a tracker of CCS/CCUS cement projects. Day approximate.",
        source_url="https://www.cemnet.com/News/story/175242/gcca-and-leadit-release-green-cement-tracker.html",
    )
    forum(
        "LeadIT Summit at COP28: LeadIT 2.0 Mission Statement",
        "leadit_summit",
        d(2023, 12, 9),
        ["IN", "SE", "DE", "GB", "US", "ZA", "JP"],
        ["Government of India", "Government of Sweden"],
        location="Dubai",
        cop_edition="COP28",
        summary="Mission Statement adopted; three pillars of LeadIT 2.0.",
        outputs_url="https://www.industrytransition.org/mission-statement/",
        source_url="https://pib.gov.in/PressReleasePage.aspx?PRID=1981722",
    )
    forum(
        "LeadIT Summit at COP29",
        "leadit_summit",
        d(2024, 11, 19),
        ["IN", "SE"],
        ["Government of India", "Government of Sweden"],
        location="Baku",
        cop_edition="COP29",
        summary="Co-chaired by India's Minister of State Kirti Vardhan Singh. Day approximate.",
    )
    forum(
        "Green Steel Tracker 2025 review",
        "publication",
        d(2026, 2, 15),
        [],
        ["Stockholm Environment Institute"],
        summary="Only 2 new projects in 2025; several European projects paused or cancelled; "
        "2026 a critical year. Day approximate.",
        source_url="https://packagingeurope.com/news/leadit-says-2026-a-critical-year-for-green-steel-despite-slowing-momentum/13914.article",
    )
    forum(
        "India–Sweden ITP inaugural meeting",
        "ministerial",
        d(2024, 5, 15),
        ["IN", "SE"],
        ["Ministry of Environment, Forest and Climate Change"],
        location="New Delhi",
        partnership=itp,
        summary="Five working groups set up. Date approximate, to verify.",
        source_url="https://industrytransition.org/events/india-sweden-itp-inaugural-meeting",
    )
