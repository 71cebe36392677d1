"""Global Forum activity of the demo: summits, dialogues, roundtables and publications."""

from leadit.demo.builder.context import LAUNCH, LAUNCH_SRC, d
from partnerships.models import ForumActivity


def forum(title, kind, on, member_keys, hosts=(), **fields):
    """One forum activity. member_keys: country codes of country members, short names of
    companies; hosts: organisations' names."""
    return title, kind, on, member_keys, hosts, fields


FORUM = [
    forum(
        "Launch of LeadIT at the UN Climate Action Summit",
        "leadit_summit",
        LAUNCH,
        ["IN", "SE", "AR", "FI", "FR", "DE", "IE", "LU", "NL", "KR", "GB"],
        ["Government of India", "Government of Sweden"],
        location="New York",
        summary="Launched by Sweden and India with the support of the World Economic Forum.",
        source_url=LAUNCH_SRC,
    ),
    forum(
        "Industry Transition Dialogue, Stockholm",
        "industry_transition_dialogue",
        d(2022, 6, 1),
        ["SE", "IN", "JP", "ZA"],
        ["Government of Sweden"],
        location="Stockholm",
        summary="Japan and South Africa joined LeadIT.",
        source_url="https://portal.ieu-monitoring.com/editorial/sustainability/swedish-indian-un-initiative-to-lead-climate-transition-in-heavy-industry/378715",
    ),
    forum(
        "Engaging India at Almedalen",
        "roundtable",
        d(2023, 6, 30),
        ["SE", "IN", "SAIL", "Cemvision"],
        ["Stockholm Environment Institute"],
        location="Visby",
        summary="SAIL and Cemvision announced as members. Year to verify.",
        source_url="https://www.industrytransition.org/insights/building-a-stronger-partnership-for-net-zero-leadit-at-almedalen/",
    ),
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
    ),
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
    ),
    forum(
        "LeadIT Summit at COP29",
        "leadit_summit",
        d(2024, 11, 19),
        ["IN", "SE"],
        ["Government of India", "Government of Sweden"],
        location="Baku",
        cop_edition="COP29",
        summary="Co-chaired by India's Minister of State Kirti Vardhan Singh. Day approximate.",
    ),
    forum(
        "Green Steel Tracker 2025 review",
        "publication",
        d(2026, 2, 15),
        [],
        ["Stockholm Environment Institute"],
        summary="Only 2 new projects in 2025; several European projects paused or cancelled; "
        "2026 a critical year. Day approximate.",
        source_url="https://packagingeurope.com/news/leadit-says-2026-a-critical-year-for-green-steel-despite-slowing-momentum/13914.article",
    ),
    forum(
        "India–Sweden ITP inaugural meeting",
        "ministerial",
        d(2024, 5, 15),
        ["IN", "SE"],
        ["Ministry of Environment, Forest and Climate Change"],
        location="New Delhi",
        partnership="itp",
        summary="Five working groups set up. Date approximate, to verify.",
        source_url="https://industrytransition.org/events/india-sweden-itp-inaugural-meeting",
    ),
]


def build(demo):
    for title, kind, on, member_keys, hosts, fields in FORUM:
        # Not checked against a source by the Secretariat yet (a new record is, by default).
        fields = {"last_verified_on": None, **fields}
        f = ForumActivity.objects.create(
            title=title, kind=kind, starts_on=on, **demo.resolve(fields)
        )
        f.members.set([demo.members[k] for k in member_keys])
        f.hosts.set([demo.orgs[h] for h in hosts])
