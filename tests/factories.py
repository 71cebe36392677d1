import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from members.models import Contact, CountryProfile, FocalPoint, Member, Organisation, Sector
from partnerships.models import (
    Assistance,
    Engagement,
    Financing,
    ForumActivity,
    Participant,
    Partnership,
    Project,
    StageChange,
    Technology,
    WorkingGroup,
)


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class CountryProfileFactory(DjangoModelFactory):
    class Meta:
        model = CountryProfile
        django_get_or_create = ("country",)

    country = "IN"
    region = CountryProfile.Region.SOUTH_ASIA
    income_group = CountryProfile.IncomeGroup.LOWER_MIDDLE
    is_emde = True


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    org_type = Organisation.Type.PRIVATE
    country = "SE"


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Member.Kind.COMPANY
    joined_on = datetime.date(2019, 9, 23)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = "auth.User"

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")


class FocalPointFactory(DjangoModelFactory):
    """A focal point (members.FocalPoint) of one organisation; no role group (see the
    make_focal_point fixture for a user who logs in as one)."""

    class Meta:
        model = FocalPoint
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create:
            self.organisations.set(extracted or [OrganisationFactory()])


class TechnologyFactory(DjangoModelFactory):
    class Meta:
        model = Technology

    name = factory.Sequence(lambda n: f"Technology {n}")
    slug = factory.Sequence(lambda n: f"technology-{n}")


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class WorkingGroupFactory(DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Working group {n}")


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    sponsor = factory.SubFactory(OrganisationFactory)
    country = "IN"
    sector = factory.SubFactory(SectorFactory, slug="steel", name="Iron and steel")
    stage = Project.Stage.IDENTIFIED
    capex_musd = Decimal("100")
    abatement_tco2e = Decimal("1000")
    planned_commissioning_year = 2030


class FinancingFactory(DjangoModelFactory):
    class Meta:
        model = Financing

    project = factory.SubFactory(ProjectFactory)
    provider = factory.SubFactory(OrganisationFactory)
    instrument = Financing.Instrument.GRANT
    status = Financing.Status.COMMITTED
    amount_musd = Decimal("10")


class StageChangeFactory(DjangoModelFactory):
    class Meta:
        model = StageChange

    project = factory.SubFactory(ProjectFactory)
    from_stage = Project.Stage.IDENTIFIED
    to_stage = Project.Stage.FEASIBILITY


class EngagementFactory(DjangoModelFactory):
    class Meta:
        model = Engagement

    title = factory.Sequence(lambda n: f"Engagement {n}")
    provider = factory.SubFactory(OrganisationFactory)
    mode = Engagement.Mode.KNOWLEDGE_EXCHANGE


class AssistanceFactory(DjangoModelFactory):
    class Meta:
        model = Assistance

    title = factory.Sequence(lambda n: f"Assistance {n}")
    provider = factory.SubFactory(OrganisationFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    kind = Assistance.Kind.TECHNICAL_ASSISTANCE
    planned_start = datetime.date(2027, 1, 1)  # IATI needs a start date to publish it


class ForumActivityFactory(DjangoModelFactory):
    class Meta:
        model = ForumActivity

    title = factory.Sequence(lambda n: f"Forum activity {n}")
    kind = ForumActivity.Kind.WEBINAR
    starts_on = datetime.date(2024, 5, 1)
