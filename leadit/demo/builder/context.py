"""What the sections of the demo data share: the records one section looks up in another (a
`Demo`, made fresh by build() and passed to each section) and the constants several sections cite.
"""

import datetime as dt
from dataclasses import dataclass, field

from members.models import CountryProfile, Member, Organisation, Sector
from partnerships.models import Partnership, Project, Technology, WorkingGroup

VERIFIED = dt.date(2026, 11, 1)
ILLUSTRATIVE = "ILLUSTRATIVE record, invented to exercise the tracker; not a real deal."
LAUNCH = dt.date(2019, 9, 23)
LAUNCH_SRC = "https://www.newdelhitimes.com/climate-action-summit-to-drive-industry-transition-to-low-carbon-economy/"


def d(y, m=1, day=1):
    return dt.date(y, m, day)


# Field names that the sections' data give as keys of the records built before them (e.g.
# technology="h2-dri"); Demo.resolve swaps each key for its record.
REFERENCES = {
    "recipient": "orgs",
    "implementer": "orgs",
    "sector": "sectors",
    "technology": "technologies",
    "partnership": "partnerships",
    "working_group": "working_groups",
    "project": "projects",
}


@dataclass
class Demo:
    """The records built so far, by the keys the sections' data use."""

    sectors: dict[str, Sector] = field(default_factory=dict)  # by slug
    countries: dict[str, CountryProfile] = field(default_factory=dict)  # by country code
    technologies: dict[str, Technology] = field(default_factory=dict)  # by slug
    orgs: dict[str, Organisation] = field(default_factory=dict)  # by name
    # by country code for a country member, by short name for a company
    members: dict[str, Member] = field(default_factory=dict)
    partnerships: dict[str, Partnership] = field(default_factory=dict)  # by key, e.g. "itp"
    working_groups: dict[str, WorkingGroup] = field(default_factory=dict)  # the ITP's, by name
    projects: dict[str, Project] = field(default_factory=dict)  # by key, e.g. "stegra"

    def resolve(self, fields: dict) -> dict:
        """A copy of fields with each key named in REFERENCES replaced by its record."""
        return {
            name: getattr(self, REFERENCES[name])[value] if name in REFERENCES else value
            for name, value in fields.items()
        }
