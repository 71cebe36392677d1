"""Who LeadIT works with: organisations, memberships, focal points and country profiles.

This app imports nothing from `partnerships`; the dependency runs the other way.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField

from leadit.sections.models import SourcedModel, TrackedModel
from leadit.sections.ordering import CountryOrder, CountryOrderDescending
from leadit.sections.search import Searchable, SearchableQuerySet, folded_name


class Sector(TrackedModel):
    """An industrial sector, e.g. Iron and steel; `slug` is what the filters take."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(default=100, help_text="Order in lists and charts.")
    dac_code = models.CharField(
        "OECD DAC sector",
        max_length=5,
        blank=True,
        help_text="5-digit CRS purpose code used in IATI exports, e.g. 32169 basic metals.",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CountryProfile(TrackedModel):
    """Facts about a country the Secretariat works with, member or recipient. Its region,
    income group and EMDE status override the published classification (members.countries),
    which covers every other country."""

    class Region(models.TextChoices):
        EAST_ASIA_PACIFIC = "east_asia_pacific", "East Asia and Pacific"
        EUROPE_CENTRAL_ASIA = "europe_central_asia", "Europe and Central Asia"
        LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean", "Latin America and Caribbean"
        # Named so by the World Bank since July 2025, when Afghanistan and Pakistan joined it.
        MIDDLE_EAST_NORTH_AFRICA = (
            "middle_east_north_africa",
            "Middle East, North Africa, Afghanistan and Pakistan",
        )
        NORTH_AMERICA = "north_america", "North America"
        SOUTH_ASIA = "south_asia", "South Asia"
        SUB_SAHARAN_AFRICA = "sub_saharan_africa", "Sub-Saharan Africa"

    class IncomeGroup(models.TextChoices):
        LOW = "low", "Low income"
        LOWER_MIDDLE = "lower_middle", "Lower-middle income"
        UPPER_MIDDLE = "upper_middle", "Upper-middle income"
        HIGH = "high", "High income"

    class NetZeroStatus(models.TextChoices):
        LAW = "law", "In law"
        POLICY = "policy", "In policy document"
        PLEDGE = "pledge", "Declaration / pledge"
        PROPOSED = "proposed", "Proposed"
        NONE = "none", "No target"

    country = CountryField(unique=True)
    region = models.CharField(max_length=32, choices=Region.choices, db_index=True)
    income_group = models.CharField(max_length=16, choices=IncomeGroup.choices)
    is_emde = models.BooleanField(
        "EMDE", default=False, help_text="Emerging market or developing economy."
    )
    net_zero_year = models.PositiveSmallIntegerField(null=True, blank=True)
    net_zero_status = models.CharField(
        max_length=10, choices=NetZeroStatus.choices, default=NetZeroStatus.NONE
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.CheckConstraint(
                condition=Q(net_zero_year__isnull=True) | Q(net_zero_year__range=(2030, 2100)),
                name="countryprofile_net_zero_year_plausible",
            )
        ]

    def __str__(self) -> str:
        return str(self.country.name)

    @classmethod
    def for_countries(cls, codes) -> list["CountryProfile"]:
        """The profiles of these countries, made from the published classification (region,
        income group, EMDE: members.countries) for those the Secretariat has none of yet."""
        from . import countries

        existing = {
            profile.country.code: profile for profile in cls.objects.filter(country__in=codes)
        }
        for code in codes:
            if code not in existing:
                known = countries.published().get(code, countries.NONE)
                existing[code] = cls.objects.create(
                    country=code,
                    region=known.region,
                    income_group=known.income_group,
                    is_emde=known.is_emde,
                    notes=f"Made from the published classification ({known.source}).",
                )
        return [existing[code] for code in codes]


def country_classification(country_field: str = "country") -> dict:
    """Region, income group and EMDE status of the country in `country_field`, as query
    annotations (country_region, country_income_group, country_is_emde): see members.countries."""
    from . import countries

    return countries.annotations(country_field)


class Organisation(Searchable, SourcedModel):
    """Any body the Secretariat deals with: government, company, MDB, fund, research institute."""

    search_text_fields = ("name", "short_name", "iati_ref")
    objects = SearchableQuerySet.as_manager()

    class Type(models.IntegerChoices):
        # IATI OrganisationType codelist (v2.03).
        GOVERNMENT = 10, "Government"
        LOCAL_GOVERNMENT = 11, "Local government"
        OTHER_PUBLIC = 15, "Other public sector"
        INTERNATIONAL_NGO = 21, "International NGO"
        NATIONAL_NGO = 22, "National NGO"
        REGIONAL_NGO = 23, "Regional NGO"
        PARTNER_COUNTRY_NGO = 24, "Partner country based NGO"
        PUBLIC_PRIVATE = 30, "Public private partnership"
        MULTILATERAL = 40, "Multilateral"
        FOUNDATION = 60, "Foundation"
        PRIVATE = 70, "Private sector"
        PRIVATE_PROVIDER_COUNTRY = 71, "Private sector in provider country"
        PRIVATE_RECIPIENT_COUNTRY = 72, "Private sector in aid recipient country"
        PRIVATE_THIRD_COUNTRY = 73, "Private sector in third country"
        ACADEMIC = 80, "Academic, training and research"
        OTHER = 90, "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    org_type = models.PositiveSmallIntegerField(
        "organisation type", choices=Type.choices, default=Type.PRIVATE
    )
    iati_ref = models.CharField(
        "IATI identifier",
        max_length=100,
        blank=True,
        help_text="{agency}-{number}, e.g. SE-ON-2021004243 or XM-DAC-41301.",
    )
    country = CountryField(blank=True, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations")
    website = models.URLField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = [folded_name()]
        indexes = [
            models.Index(folded_name(), "id", name="organisation_name_order"),
            models.Index(CountryOrder("country"), "id", name="organisation_country_asc"),
            models.Index(CountryOrderDescending("country"), "id", name="organisation_country_desc"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["iati_ref"], condition=~Q(iati_ref=""), name="organisation_iati_ref_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organisation_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def member_status(self) -> str:
        """'Current member', 'Former member' or 'Not a member' (select_related("membership")
        spares the query)."""
        membership = getattr(self, "membership", None)
        if membership is None:
            return "Not a member"
        return f"{membership.status} member"


class MemberQuerySet(SearchableQuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or datetime.date.today()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=on))

    def former(self, on: datetime.date | None = None):
        on = on or datetime.date.today()
        return self.filter(left_on__lte=on)

    def for_list(self):
        return self.select_related("organisation").order_by("kind", folded_name("organisation__"))


class Member(Searchable, SourcedModel):
    """A LeadIT membership, with its history: joined and (perhaps) left."""

    # Not the notes: they are the Secretariat's own (members.declarations), and a search must
    # not find a membership by what the reader may not see.
    search_text_fields = ("joined_at_event",)

    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        COMPANY = "company", "Company"

    class Role(models.TextChoices):
        CO_LEAD = "co_lead", "Co-lead"
        MEMBER = "member", "Member"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="membership"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(null=True, blank=True, db_index=True)
    joined_on_approximate = models.BooleanField(
        "join date approximate",
        default=False,
        help_text="The source gives only the year or a 'by' date.",
    )
    joined_at_event = models.CharField(max_length=200, blank=True)
    left_on = models.DateField(null=True, blank=True)
    # Not confirmed until someone ticks it and cites the source (MemberForm checks both).
    verified = models.BooleanField(
        default=False,
        help_text="Tick when the membership is confirmed in the source cited below; "
        "unticked means still to verify.",
    )
    net_zero_target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    interim_target = models.CharField(max_length=300, blank=True)
    scope3_included = models.BooleanField("scope 3 included", null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["kind", folded_name("organisation__")]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True) | Q(joined_on__gte=datetime.date(2019, 1, 1)),
                name="member_joined_after_launch",
            ),
            models.CheckConstraint(
                condition=Q(net_zero_target_year__isnull=True)
                | Q(net_zero_target_year__range=(2030, 2100)),
                name="member_net_zero_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    def get_absolute_url(self) -> str:
        return reverse("members:member_detail", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.left_on is None or self.left_on > datetime.date.today()

    @property
    def status(self) -> str:
        return "Current" if self.is_current else "Former"


class Contact(Searchable, TrackedModel):
    """A person at an organisation; focal points are the Secretariat's first call."""

    search_text_fields = ("name", "title", "email")
    objects = SearchableQuerySet.as_manager()

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(max_length=120)
    title = models.CharField("job title", max_length=160, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_focal_point = models.BooleanField("LeadIT focal point", default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = [folded_name("organisation__"), folded_name()]
        # The list's order (ContactListView): its first page read from the index, not a sort
        # of every row joined to its organisation (100,000 contacts: 290 -> 1 ms on SQLite).
        indexes = [
            models.Index(folded_name(), "id", name="contact_name_order"),
            models.Index(fields=["title", "id"], name="contact_title_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def get_absolute_url(self) -> str:
        return reverse("members:contact_detail", args=[self.pk])

    @property
    def focal_point_label(self) -> str:
        return "Focal point" if self.is_focal_point else ""


class FocalPoint(TrackedModel):
    """A user who speaks for one or more organisations (a member's own, or e.g. a development
    bank's): they propose changes to those organisations' records and the Secretariat reviews
    them. Which records are theirs: `members.ownership` and `partnerships.ownership`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focal_point"
    )
    organisations = models.ManyToManyField(Organisation, related_name="focal_points")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = "focal point"

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
