"""The columns of members' records (leadit.sections.columns): every editable field is derived
from the models; only the exceptions, with their reasons, and derived columns are written here."""

from leadit.sections.columns import Column, declare
from leadit.sections.internal import NOTES

from .models import Contact, CountryProfile, Member, Organisation, Sector

# Every `notes` field of these records is the Secretariat's own working notes (what to verify,
# whom it heard from, a contact's personal context): internal (leadit.sections.internal), read
# by the Secretariat only. The records' public facts have fields of their own.

ORGANISATION = declare(
    Organisation,
    exclude={"sectors": "many-to-many: edited in the form and the admin, not in flat files"},
    overrides={"name": {"label": "Organisation"}},
    internal=NOTES,
)
MEMBER = declare(
    Member,
    overrides={"organisation": {"label": "Member"}},
    derived=[
        Column("organisation.country", "Country", name="country", kind="country"),
        Column("status", "Status", help="Current, or Former once the member has left."),
    ],
    internal=NOTES,
)
declare(Contact, internal=NOTES)
declare(CountryProfile, internal=NOTES)
declare(Sector)
