"""The columns of the partnerships app's records (leadit.sections.columns): every editable field
is derived from the models; only exceptions, with their reasons, and the derived columns a
reader needs are written here. Lists, record pages, exports and imports all read these."""

from django.db.models import OuterRef, Subquery

from leadit.sections.columns import Column, declare
from leadit.sections.internal import NOTES
from members.countries import UNCLASSIFIED, UNCLASSIFIED_LABEL
from members.models import CountryProfile, country_classification

from .models import (
    Assistance,
    Engagement,
    Financing,
    ForumActivity,
    Partnership,
    Project,
    Stage,
    StageChange,
)

MANY_TO_MANY = "many-to-many: edited in the form, not in flat files"


def country_columns(prefix: str = "") -> list[Column]:
    """Region, income group and EMDE status of the record's country."""
    annotations = country_classification(f"{prefix}country")
    return [
        Column(
            "country_region",
            "Region",
            kind="choice",
            choices={**dict(CountryProfile.Region.choices), UNCLASSIFIED: UNCLASSIFIED_LABEL},
            annotations=annotations,
            help="World Bank region of the country.",
        ),
        Column(
            "country_income_group",
            "Income group",
            kind="choice",
            choices=dict(CountryProfile.IncomeGroup.choices),
            annotations=annotations,
            help="World Bank income group of the country.",
        ),
        Column(
            "country_is_emde",
            "EMDE",
            kind="bool",
            annotations=annotations,
            help="Emerging market or developing economy.",
        ),
    ]


def stage_reached_columns() -> list[Column]:
    """The date the project first reached each stage, from its stage changes."""
    columns = []
    for value, label in Stage.choices:
        first = StageChange.objects.filter(project=OuterRef("pk"), to_stage=value).order_by(
            "changed_on", "pk"
        )
        columns.append(
            Column(
                f"reached_{value}",
                f"Reached {label}",
                kind="date",
                annotations={f"reached_{value}": Subquery(first.values("changed_on")[:1])},
                help=f"When the project first entered {label}.",
            )
        )
    return columns


PROJECT = declare(
    Project,
    first=("name", "sponsor", "country", "site", "sector", "technology"),
    overrides={
        "name": {"label": "Project"},
        "stage": {"kind": "choice"},
        # Computed from the financing rows: exported, never imported.
        "financing_secured_musd": {"label": "Financing secured"},
        "financing_gap_musd": {},
    },
    derived=[
        Column(
            "commissioning_year",
            "Expected commissioning",
            kind="year",
            help="The revised commissioning year if any, else the planned one.",
        ),
        *country_columns(),
        *stage_reached_columns(),
    ],
)

# A project in another section's file: its name, and its Green Steel Tracker ID (names are not
# unique). Imports find the project by the ID when given (leadit.sections.imports).
PROJECT_ID_COLUMN = Column(
    "project.gst_id",
    "Project's Green Steel Tracker ID",
    name="project_gst_id",
    help="The project's external id; an import finds the project by it first.",
)

# The Secretariat's working notes on a record (`notes`) are internal, as is who follows an
# engagement up (leadit.sections.internal). A stage change's and a tranche's `note` are not:
# they say what the source reports about that step or that tranche, beside its source link.
ENGAGEMENT = declare(
    Engagement,
    derived=[PROJECT_ID_COLUMN],
    internal={
        "owner": "the Secretariat officer following it up: the Secretariat's own planning",
        **NOTES,
    },
)
FINANCING = declare(
    Financing,
    derived=[
        PROJECT_ID_COLUMN,
        Column(
            "project.country",
            "Project country",
            name="project_country",
            kind="country",
            help="With the project's name, finds a project that has no Green Steel Tracker ID.",
        ),
    ],
)
PARTNERSHIP = declare(
    Partnership,
    exclude={
        "recipient_countries": MANY_TO_MANY,
        "sectors": MANY_TO_MANY,
        "participants": "many-to-many with roles: edited as participants in the admin",
    },
    internal=NOTES,
)
ASSISTANCE = declare(Assistance, exclude={"supported_projects": MANY_TO_MANY})
FORUM_ACTIVITY = declare(ForumActivity, exclude={"hosts": MANY_TO_MANY, "members": MANY_TO_MANY})
