"""Organisations of the demo, the members among them (countries and companies) and contacts."""

import datetime as dt

from leadit.demo.builder.context import LAUNCH, LAUNCH_SRC, VERIFIED
from members.models import Contact, Member, Organisation

PIB_2021 = "https://orissadiary.com/efforts-to-drive-low-carbon-development-pathways-in-industry-sector-are-critical-for-achieving-the-goals-of-the-paris-agreement-bhupender-yadav/"

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

# Contacts: organisation, name, title, email, notes; all focal points
CONTACTS = [
    (
        "Stockholm Environment Institute",
        "LeadIT Secretariat",
        "Secretariat (hosted by SEI)",
        "secretariat@industrytransition.org",
        "",
    ),
    (
        "Swedish Ministry of Climate and Enterprise",
        "Helen Ågren",
        "Director; Swedish government lead, India–Sweden ITP",
        "",
        "Source: industrytransition.org/events/india-sweden-itp-inaugural-meeting",
    ),
    (
        "Ministry of Environment, Forest and Climate Change",
        "Ruchika Drall",
        "Deputy Secretary; Indian government lead, India–Sweden ITP",
        "",
        "Source: industrytransition.org/events/india-sweden-itp-inaugural-meeting",
    ),
]


def build(demo):
    build_country_members(demo)
    build_company_members(demo)
    for name, short, org_type, country, slugs, parent in OTHERS:
        organisation(demo, name, short, org_type, country, slugs, parent)
    for org_name, name, title, email, notes in CONTACTS:
        Contact.objects.create(
            organisation=demo.orgs[org_name],
            name=name,
            title=title,
            email=email,
            is_focal_point=True,
            notes=notes,
        )


def organisation(demo, name, short="", org_type=70, country="", sector_slugs=(), parent=None):
    obj = Organisation.objects.create(
        name=name,
        short_name=short,
        org_type=org_type,
        country=country,
        parent=demo.orgs.get(parent) if parent else None,
        last_verified_on=VERIFIED,
    )
    obj.sectors.set([demo.sectors[s] for s in sector_slugs])
    demo.orgs[name] = obj
    return obj


def build_country_members(demo):
    for code, joined, approx, event, verified, source in COUNTRY_MEMBERS:
        gov = organisation(
            demo,
            f"Government of {GOVERNMENT_NAMES[code]}",
            GOVERNMENT_NAMES[code].removeprefix("the "),
            10,
            code,
        )
        demo.members[code] = Member.objects.create(
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


def build_company_members(demo):
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
        company = organisation(demo, name, short, 70, code, slugs)
        demo.members[short] = Member.objects.create(
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
