"""The columns of members' records (leadit.sections.columns): every editable field is derived
from the models; only the exceptions, with their reasons, and derived columns are written here."""

from leadit.sections.columns import Column, declare

from .models import Contact, CountryProfile, Member, Organisation, Sector

ORGANISATION = declare(
    Organisation,
    exclude={"sectors": "many-to-many: edited in the form and the admin, not in flat files"},
    overrides={"name": {"label": "Organisation"}},
)
MEMBER = declare(
    Member,
    overrides={"organisation": {"label": "Member"}},
    derived=[
        Column("organisation.country", "Country", name="country", kind="country"),
        Column("status", "Status", help="Current, or Former once the member has left."),
    ],
)
declare(Contact)
declare(CountryProfile)
declare(Sector)
