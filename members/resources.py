from leadit.sections.imports import tracker_resource

from .models import Member, Organisation

OrganisationResource = tracker_resource(
    Organisation,
    [
        "name",
        "short_name",
        "org_type",
        "iati_ref",
        "country",
        "website",
        "source_url",
        "last_verified_on",
        "notes",
    ],
    natural_key=("name",),
)
MemberResource = tracker_resource(
    Member,
    [
        "organisation",
        "kind",
        "role",
        "joined_on",
        "joined_on_approximate",
        "joined_at_event",
        "left_on",
        "verified",
        "net_zero_target_year",
        "source_url",
        "last_verified_on",
        "notes",
    ],
    natural_key=("organisation",),
)
