"""LeadIT's work: technologies, the project pipeline, financing, stage history, technology-transfer
engagements, industry transition partnerships with their assistance, and Global Forum activity."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from leadit.roles import SECRETARIAT
from leadit.sections.dates import months_before
from leadit.sections.models import SourcedModel, TrackedModel, XmlSafeModel
from leadit.sections.ordering import ChoiceOrder, CountryOrder, CountryOrderDescending, ladder
from leadit.sections.search import Searchable, SearchableQuerySet, folded_name
from members import countries as classification
from members.models import CountryProfile, Member, Organisation, Sector

from . import iati

MONEY = {"max_digits": 14, "decimal_places": 2}  # USD million, to the nearest USD 10,000
NOT_NEGATIVE = [MinValueValidator(0, "Amounts cannot be negative.")]
ZERO = Decimal("0")
YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
# Where the tracker's records begin: the database refuses stage changes dated earlier.
EARLIEST_STAGE_CHANGE = datetime.date(1990, 1, 1)
EARLIEST_STAGE_CHANGE_MESSAGE = "The date cannot be before 1 Jan 1990, where the records begin."


def year_range_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": (1990, 2100)}),
        name=f"%(class)s_{field}_plausible",
    )


def not_negative_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
        name=f"%(class)s_{field}_not_negative",
    )


class Technology(Searchable, TrackedModel):
    search_text_fields = ("name",)
    objects = SearchableQuerySet.as_manager()

    class Category(models.TextChoices):
        H2_DRI = "h2_dri", "Hydrogen direct reduction (H-DRI)"
        NG_DRI_TO_H2 = "ng_dri_to_h2", "Gas DRI, switching to hydrogen"
        EAF_SCRAP = "eaf_scrap", "Scrap-based EAF"
        EAF_DRI = "eaf_dri", "DRI-fed EAF"
        ELECTROLYSIS = "electrolysis", "Molten oxide electrolysis / electrowinning"
        ELECTRIC_SMELTING = "electric_smelting", "Electric smelting"
        CCUS = "ccus", "Carbon capture, use and storage"
        BIOMASS_REDUCTANT = "biomass_reductant", "Biomass reductant"
        H2_PRODUCTION = "h2_production", "Green hydrogen production"
        CALCINED_CLAY = "calcined_clay", "Calcined clay (LC3)"
        ALT_BINDER = "alt_binder", "Alternative binders"
        SCM_BLENDING = "scm_blending", "Supplementary cementitious materials"
        ELECTRIFICATION = "fuel_switch_electrification", "Fuel switch / electrification"
        WASTE_HEAT = "waste_heat_recovery", "Waste-heat recovery"
        ENERGY_EFFICIENCY = "energy_efficiency", "Energy efficiency"
        INERT_ANODE = "inert_anode", "Inert anode smelting"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    category = models.CharField(max_length=32, choices=Category.choices, default=Category.OTHER)
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="technologies"
    )
    trl_typical = models.PositiveSmallIntegerField(
        "typical TRL",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
        help_text="IEA extended scale, 1-11.",
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = [folded_name()]
        verbose_name_plural = "technologies"
        constraints = [
            models.CheckConstraint(
                condition=Q(trl_typical__isnull=True) | Q(trl_typical__range=(1, 11)),
                name="technology_trl_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


@ladder
class PartnershipStatus(models.TextChoices):
    """A partnership's status, first to last (the order lists sort it in: `ChoiceOrder`)."""

    PROPOSED = "proposed", "Proposed"
    UNDER_NEGOTIATION = "under_negotiation", "Under negotiation"
    ACTIVE = "active", "Active"
    CONCLUDED = "concluded", "Concluded"
    DORMANT = "dormant", "Dormant"


class Partnership(Searchable, SourcedModel):
    """An industry transition partnership, bilateral platform or multilateral programme."""

    search_text_fields = ("name", "short_name", "objectives")
    objects = SearchableQuerySet.as_manager()

    class Kind(models.TextChoices):
        ITP = "industry_transition_partnership", "Industry transition partnership"
        BILATERAL = "bilateral_platform", "Bilateral platform"
        MULTILATERAL = "multilateral_programme", "Multilateral programme"
        OTHER = "other", "Other"

    class Pillar(models.TextChoices):
        FORUM = "forum", "Global Forum"
        TECH_TRANSFER = "tech_transfer", "Technology transfer"
        ITP = "itp", "Industry Transition Partnerships"

    Status = PartnershipStatus

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.ITP)
    pillar = models.CharField(max_length=20, choices=Pillar.choices, default=Pillar.ITP)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    launched_on = models.DateField(null=True, blank=True)
    launch_event = models.CharField(max_length=120, blank=True)
    target_date = models.DateField(null=True, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    recipient_countries = models.ManyToManyField(
        CountryProfile, blank=True, related_name="partnerships"
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="partnerships")
    participants = models.ManyToManyField(
        Organisation, through="Participant", related_name="partnerships"
    )
    objectives = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = [folded_name()]
        indexes = [
            models.Index(folded_name(), "id", name="partnership_name_order"),
            models.Index(
                ChoiceOrder("status", PartnershipStatus.values),
                "id",
                name="partnership_status_order",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:partnership_detail", args=[self.pk])

    def assistance_mapping(self) -> dict:
        """Assistance grouped by provider, kind and instrument, with totals; undisclosed amounts
        are counted apart. Works on prefetched rows, so it costs no query."""
        rows = list(self.assistance.all())
        groups: dict[str, dict] = {}
        for label, key in (
            ("provider", lambda a: str(a.provider)),
            ("kind", lambda a: a.get_kind_display()),
            ("instrument", lambda a: a.get_finance_type_display() or "Not stated"),
        ):
            totals: dict[str, dict] = {}
            for row in rows:
                entry = totals.setdefault(key(row), {"count": 0, "amount": ZERO, "undisclosed": 0})
                entry["count"] += 1
                if row.amount_musd is None:
                    entry["undisclosed"] += 1
                else:
                    entry["amount"] += row.amount_musd
            groups[label] = dict(sorted(totals.items(), key=lambda item: -item[1]["amount"]))
        disclosed = [row.amount_musd for row in rows if row.amount_musd is not None]
        return {
            "groups": groups,
            "total": sum(disclosed, ZERO),
            "undisclosed": len(rows) - len(disclosed),
        }

    def pipeline_totals(self) -> dict:
        rows = list(self.projects.all())
        return {
            "capex": sum((p.capex_musd for p in rows if p.capex_musd is not None), ZERO),
            "gap": sum(
                (p.financing_gap_musd for p in rows if p.financing_gap_musd is not None), ZERO
            ),
            "capex_undisclosed": sum(1 for p in rows if p.capex_musd is None),
        }


class Participant(TrackedModel):
    """An organisation's role in a partnership."""

    class Role(models.TextChoices):
        CO_LEAD = "co_lead", "Co-lead"
        PARTNER = "partner", "Partner"
        FUNDER = "funder", "Funder"
        IMPLEMENTER = "implementer", "Implementer"
        KNOWLEDGE_PARTNER = "knowledge_partner", "Knowledge partner"
        OBSERVER = "observer", "Observer"
        SECRETARIAT = "secretariat_support", "Secretariat support"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=24, choices=Role.choices, default=Role.PARTNER)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "role", folded_name("organisation__")]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "role"], name="participant_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class WorkingGroupManager(models.Manager):
    def get_queryset(self):
        # Its name reads "<partnership>: <group>", so the partnership always comes along.
        return super().get_queryset().select_related("partnership")


class WorkingGroup(TrackedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PLANNED = "planned", "Planned"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="working_groups"
    )
    name = models.CharField(max_length=120)
    leads = models.ManyToManyField(Organisation, blank=True, related_name="working_groups_led")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    description = models.TextField(blank=True)

    objects = WorkingGroupManager()

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="working_group_unique")
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.name}"


def check_working_group(record) -> None:
    """Model validation (site forms, admin and imports alike): a record's working group belongs
    to its partnership. A working group chosen without a partnership brings its partnership
    along, as the officer means; one of another partnership is refused."""
    group = record.working_group if record.working_group_id else None
    if group is None:
        return
    if record.partnership_id is None:
        record.partnership = group.partnership
    elif record.partnership_id != group.partnership_id:
        raise ValidationError(
            {
                "working_group": f"“{group.name}” is a working group of {group.partnership}, "
                f"not of {record.partnership}: choose one of its own, or no working group."
            }
        )


class Stage(models.TextChoices):
    """The pipeline ladder, from idea to operation (the stages of the Green Steel Tracker and the
    MPP trackers); paused is a side state, cancelled is final."""

    IDENTIFIED = "identified", "Identified"
    PRE_FEASIBILITY = "pre_feasibility", "Pre-feasibility"
    FEASIBILITY = "feasibility", "Feasibility"
    FINANCING = "financing", "Financing"
    FID = "fid", "FID"
    CONSTRUCTION = "construction", "Construction"
    OPERATIONAL = "operational", "Operational"
    PAUSED = "paused", "Paused"
    CANCELLED = "cancelled", "Cancelled"


# The rungs in order, from idea to operation (paused and cancelled are off the ladder).
LADDER = [stage for stage in Stage if stage not in (Stage.PAUSED, Stage.CANCELLED)]
# Rungs before the final investment decision: where finance is still being raised.
BEFORE_FID = LADDER[: LADDER.index(Stage.FID)]
# FID and the rungs after it: reaching one of them means the money was decided.
FROM_FID = LADDER[LADDER.index(Stage.FID) :]

# Sorting by stage follows the ladder, not the alphabet.
# The commissioning year a project is expected in: the revised one if any, else the planned one
# (what the pipeline's "Comm." column shows, sorts and filters by).
EXPECTED_COMMISSIONING = Coalesce("revised_commissioning_year", "planned_commissioning_year")

STAGE_RANK = Case(
    *[When(stage=value, then=Value(rank)) for rank, value in enumerate(Stage.values)],
    output_field=models.IntegerField(),
)


# What the pipeline sums (its summary line, the dashboard's figures and each group of them).
TOTALS = {
    "count": models.Count("pk"),
    "capex": Sum("capex_musd"),
    "secured": Sum("financing_secured_musd"),
    "gap": Sum("financing_gap_musd"),
    "abatement": Sum("abatement_tco2e"),
    "capex_undisclosed": models.Count("pk", filter=Q(capex_musd__isnull=True)),
    "abatement_undisclosed": models.Count("pk", filter=Q(abatement_tco2e__isnull=True)),
}


class ProjectQuerySet(SearchableQuerySet):
    def for_list(self):
        """What the pipeline table shows, in a fixed number of queries (a column a reader adds
        brings its own related records: leadit.sections.columns.Declaration.for_columns)."""
        return (
            self.select_related("sponsor", "sector")
            .annotate(stage_rank=STAGE_RANK, expected_commissioning_year=EXPECTED_COMMISSIONING)
            .order_by(folded_name(), "pk")
        )

    # Regions, income groups and EMDE status: the published classification with the country
    # profiles on top (members.countries), in SQL.
    def in_region(self, region: str):
        return self.filter(classification.in_region("country", region))

    def in_income_group(self, income_group: str):
        return self.filter(classification.in_income_group("country", income_group))

    def emde(self, is_emde: bool = True):
        emde = classification.is_emde("country")
        return self.filter(emde) if is_emde else self.exclude(emde)

    def reached(self, stage: str | None, year: int | None):
        """Projects that entered `stage` (any stage if None) in `year` (any year if None)."""
        changes = StageChange.objects.all()
        if stage:
            changes = changes.filter(to_stage=stage)
        if year:
            changes = changes.filter(changed_on__year=year)
        return self.filter(pk__in=changes.values("project"))

    def with_slip(self):
        """Annotate `slip`: revised minus planned commissioning year (NULL when either is)."""
        return self.annotate(slip=F("revised_commissioning_year") - F("planned_commissioning_year"))

    def active(self):
        """Still moving along the ladder: not operational, not cancelled."""
        return self.exclude(stage__in=[Stage.OPERATIONAL, Stage.CANCELLED])

    def stuck(self, months: int, today: datetime.date | None = None):
        """Active projects with no stage change for `months` months."""
        cutoff = months_before(today or datetime.date.today(), months)
        recent = StageChange.objects.filter(changed_on__gt=cutoff).values("project")
        return self.active().exclude(pk__in=recent)

    def seeking_finance(self):
        """Before FID, with a tranche still sought or a gap above zero (the pipeline's
        "Seeking finance" filter and the dashboard's figure)."""
        sought = Financing.objects.filter(status=Financing.Status.SOUGHT).values("project")
        return self.filter(stage__in=BEFORE_FID).filter(
            Q(financing_gap_musd__gt=0) | Q(pk__in=sought)
        )

    def totals(self) -> dict:
        """Sums over the set; undisclosed (NULL) figures are left out and counted apart."""
        return self.order_by().aggregate(**TOTALS)

    def refresh_financing(self) -> int:
        """Recompute the cached secured amount and gap of these projects in one UPDATE."""
        secured = (
            Financing.objects.filter(
                project=OuterRef("pk"), status__in=Financing.SECURED, amount_musd__isnull=False
            )
            .order_by()
            .values("project")
            .annotate(total=Sum("amount_musd"))
            .values("total")
        )
        money = DecimalField(**MONEY)
        secured_expr = Coalesce(
            Subquery(secured, output_field=money), Value(ZERO), output_field=money
        )
        updated = self.update(financing_secured_musd=secured_expr)
        self.update(
            financing_gap_musd=Case(
                When(capex_musd__isnull=True, then=Value(None)),
                default=Greatest(F("capex_musd") - F("financing_secured_musd"), Value(ZERO)),
                output_field=money,
            )
        )
        return updated


class Project(Searchable, SourcedModel):
    """A low-carbon industrial project in the pipeline the Secretariat helps bring to finance."""

    search_text_fields = ("name", "site", "gst_id", "gem_plant_id", "mpp_ref")

    Stage = Stage

    class Scale(models.TextChoices):
        RND = "rnd", "R&D"
        PILOT = "pilot", "Pilot"
        DEMONSTRATION = "demonstration", "Demonstration"
        FULL_SCALE = "full_scale", "Full scale"

    class Product(models.TextChoices):
        CRUDE_STEEL = "crude_steel", "Crude steel"
        DRI_HBI = "dri_hbi", "DRI / HBI (green iron)"
        CLINKER = "clinker", "Clinker"
        CEMENT = "cement", "Cement"
        ALUMINIUM = "aluminium", "Aluminium"
        AMMONIA = "ammonia", "Ammonia"
        METHANOL = "methanol", "Methanol"
        HYDROGEN = "hydrogen", "Hydrogen"
        OTHER = "other", "Other"

    class CapacityUnit(models.TextChoices):
        MTPA = "mtpa", "Mt per year"
        KTPA = "ktpa", "kt per year"
        TPD = "tpd", "t per day"
        MW_ELECTROLYSER = "mw_electrolyser", "MW electrolyser"

    class StatusBasis(models.TextChoices):
        OWNER = "reported_by_owner", "Reported by owner"
        THIRD_PARTY = "reported_by_third_party", "Reported by third party"
        INFERRED = "inferred", "Inferred (no recent updates)"

    class Offtake(models.TextChoices):
        NONE = "none", "None"
        IN_DISCUSSION = "in_discussion", "In discussion"
        MOU = "mou", "MoU"
        BINDING = "binding", "Binding"

    class Confidence(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low (illustrative or unverified)"

    name = models.CharField(max_length=200, db_index=True)
    sponsor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sponsored_projects"
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    country = CountryField(db_index=True)
    site = models.CharField(max_length=200, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="projects")
    technology = models.ForeignKey(
        Technology, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    specific_equipment = models.CharField(max_length=200, blank=True)
    product = models.CharField(max_length=16, choices=Product.choices, blank=True)
    scale = models.CharField(max_length=16, choices=Scale.choices, blank=True, db_index=True)
    stage = models.CharField(
        max_length=16, choices=Stage.choices, default=Stage.IDENTIFIED, db_index=True
    )
    status_basis = models.CharField(
        max_length=24, choices=StatusBasis.choices, default=StatusBasis.THIRD_PARTY
    )
    capacity = models.DecimalField(
        validators=NOT_NEGATIVE, max_digits=12, decimal_places=3, null=True, blank=True
    )
    capacity_unit = models.CharField(max_length=16, choices=CapacityUnit.choices, blank=True)
    capex_musd = models.DecimalField(
        "capex (USD million)",
        validators=NOT_NEGATIVE,
        **MONEY,
        null=True,
        blank=True,
        db_index=True,
        help_text="Total investment in USD million; leave empty when not disclosed.",
    )
    capex_note = models.CharField(
        "capex as reported",
        max_length=200,
        blank=True,
        help_text="Original amount and currency, e.g. 'EUR 6.5 bn total financing (2024)'.",
    )
    abatement_tco2e = models.DecimalField(
        "abatement (t CO2e per year)",
        validators=NOT_NEGATIVE,
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        db_index=True,
        help_text="Expected; leave empty when not disclosed.",
    )
    abatement_basis = models.CharField(max_length=200, blank=True)
    planned_fid_year = models.PositiveSmallIntegerField(
        "planned FID year", null=True, blank=True, validators=YEAR_VALIDATORS
    )
    planned_commissioning_year = models.PositiveSmallIntegerField(
        null=True, blank=True, db_index=True, validators=YEAR_VALIDATORS
    )
    revised_commissioning_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=YEAR_VALIDATORS
    )
    actual_start_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=YEAR_VALIDATORS
    )
    offtake_status = models.CharField(max_length=16, choices=Offtake.choices, blank=True)
    gst_id = models.CharField(
        "Green Steel Tracker ID", max_length=20, blank=True, help_text="e.g. GST-016"
    )
    gem_plant_id = models.CharField("GEM plant ID", max_length=20, blank=True)
    mpp_ref = models.CharField("MPP tracker reference", max_length=40, blank=True)
    qualified = models.BooleanField(
        null=True, blank=True, help_text="Meets the tracker's eligibility test (GST-style)."
    )
    qualification_reason = models.CharField(max_length=200, blank=True)
    confidence = models.CharField(max_length=8, choices=Confidence.choices, default="medium")
    description = models.TextField(blank=True)
    # Cached from the financing rows (committed + disbursed) so the pipeline can filter, sort
    # and sum by them at 100,000 rows; kept in step by Financing.save/delete and refresh_financing.
    financing_secured_musd = models.DecimalField(
        "secured (USD million)", **MONEY, default=ZERO, editable=False
    )
    financing_gap_musd = models.DecimalField(
        "financing gap (USD million)",
        **MONEY,
        null=True,
        blank=True,
        editable=False,
        db_index=True,
    )

    objects = ProjectQuerySet.as_manager()

    # The project's History tab shows its financing tranches' changes too.
    history_parts = ("financing",)

    class Meta:
        ordering = [folded_name()]
        constraints = [
            not_negative_check("capex_musd"),
            not_negative_check("abatement_tco2e"),
            not_negative_check("capacity"),
            not_negative_check("financing_gap_musd"),
            models.CheckConstraint(
                condition=Q(financing_secured_musd__gte=0), name="project_secured_not_negative"
            ),
            year_range_check("planned_fid_year"),
            year_range_check("planned_commissioning_year"),
            year_range_check("revised_commissioning_year"),
            year_range_check("actual_start_year"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | ~Q(capacity_unit=""),
                name="project_capacity_has_unit",
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="project_stage_valid"),
            models.UniqueConstraint(
                fields=["gst_id"], condition=~Q(gst_id=""), name="project_gst_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["sector", "stage"], name="project_sector_stage"),
            models.Index(folded_name(), "id", name="project_name_order"),
            models.Index(CountryOrder("country"), "id", name="project_country_asc"),
            models.Index(CountryOrderDescending("country"), "id", name="project_country_desc"),
            models.Index(fields=["financing_secured_musd", "id"], name="project_secured_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_stage = instance.__dict__.get("stage")
        return instance

    def get_absolute_url(self) -> str:
        return reverse("partnerships:project_detail", args=[self.pk])

    @property
    def commissioning_year(self) -> int | None:
        """The year now expected: the revised one if any, else the planned one."""
        return self.revised_commissioning_year or self.planned_commissioning_year

    @property
    def ladder(self) -> list[tuple[str, str]]:
        """(value, label) of each rung, for the page's stage ladder."""
        return [(stage.value, stage.label) for stage in LADDER]

    @property
    def slippage_years(self) -> int | None:
        if self.planned_commissioning_year and self.revised_commissioning_year:
            return self.revised_commissioning_year - self.planned_commissioning_year
        return None

    def clean(self):
        super().clean()
        check_working_group(self)
        previous = getattr(self, "_loaded_stage", None)
        if previous == Stage.CANCELLED and self.stage != Stage.CANCELLED:
            raise ValidationError({"stage": "A cancelled project cannot move to another stage."})
        if self.capacity is not None and not self.capacity_unit:
            raise ValidationError({"capacity_unit": "Give the unit of the capacity."})

    def compute_gap(self) -> Decimal | None:
        if self.capex_musd is None:
            return None
        return max(self.capex_musd - (self.financing_secured_musd or ZERO), ZERO)

    def save(self, *args, **kwargs):
        adding = self._state.adding
        previous = getattr(self, "_loaded_stage", None)
        if previous is None and self.pk is not None:
            # Built by hand or from a history row (admin revert): read the stored stage.
            previous = Project.objects.filter(pk=self.pk).values_list("stage", flat=True).first()
            adding = previous is None
        self.financing_gap_musd = self.compute_gap()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if adding or previous != self.stage:
                self._record_stage_change("" if adding else previous)
        self._loaded_stage = self.stage

    def _record_stage_change(self, from_stage: str) -> None:
        details = getattr(self, "_stage_change_details", None) or {}
        self._stage_change_details = None
        StageChange.objects.create(
            project=self,
            from_stage=from_stage,
            to_stage=self.stage,
            changed_on=details.get("on") or datetime.date.today(),
            note=details.get("note", ""),
            source_url=details.get("source_url", ""),
            commissioning_year=self.commissioning_year,
            recorded_by=details.get("by") or _current_user(),
        )

    def move_to_stage(
        self, stage: str, *, on: datetime.date, note: str = "", by=None, source_url: str = ""
    ) -> "StageChange":
        """Move the project along the ladder, writing the StageChange; safe under concurrency."""
        with transaction.atomic():
            locked = Project.objects.select_for_update().get(pk=self.pk)
            if stage not in Stage.values:
                raise ValidationError({"stage": "Choose a valid stage."})
            if locked.stage == stage:
                raise ValidationError(
                    {"stage": f"The project is already at {locked.get_stage_display()}."}
                )
            if locked.stage == Stage.CANCELLED:
                raise ValidationError(
                    {"stage": "A cancelled project cannot move to another stage."}
                )
            if on < EARLIEST_STAGE_CHANGE:
                raise ValidationError({"on": EARLIEST_STAGE_CHANGE_MESSAGE})
            last = locked.stage_changes.order_by("-changed_on", "-pk").first()
            if last and on < last.changed_on:
                when = f"{last.changed_on:%d %b %Y}"
                raise ValidationError(
                    {"on": f"The date cannot be before the last stage change ({when})."}
                )
            locked.stage = stage
            locked._stage_change_details = {
                "on": on,
                "note": note,
                "by": by,
                "source_url": source_url,
            }
            locked.save()
        self.stage, self.version = locked.stage, locked.version
        self._loaded_stage = locked.stage
        return locked.stage_changes.order_by("-pk").first()

    def stage_timeline(self) -> list[dict]:
        """Stage changes oldest first, each with the slip of the expected commissioning year."""
        entries, previous_year = [], None
        for change in self.stage_changes.all():
            year = change.commissioning_year
            slip = (
                year - previous_year if year and previous_year and year != previous_year else None
            )
            entries.append({"change": change, "slip": slip})
            previous_year = year or previous_year
        return entries

    @property
    def stage_before_pause(self) -> str | None:
        """Paused keeps the stage it left, so it can resume there."""
        if self.stage != Stage.PAUSED:
            return None
        change = self.stage_changes.filter(to_stage=Stage.PAUSED).order_by("-pk").first()
        return change.from_stage if change else None

    def refresh_financing(self) -> None:
        Project.objects.filter(pk=self.pk).refresh_financing()
        self.financing_secured_musd, self.financing_gap_musd = (
            Project.objects.filter(pk=self.pk)
            .values_list("financing_secured_musd", "financing_gap_musd")
            .get()
        )


def _current_user():
    """The user of the request being served, when there is one (admin edits)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class StageChange(XmlSafeModel):
    """One step of a project along the ladder: the series behind pace and slippage."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    changed_on = models.DateField(
        default=datetime.date.today,
        validators=[MinValueValidator(EARLIEST_STAGE_CHANGE, EARLIEST_STAGE_CHANGE_MESSAGE)],
    )
    commissioning_year = models.PositiveSmallIntegerField(
        "expected commissioning",
        null=True,
        blank=True,
        help_text="The commissioning year expected at the time of the change.",
    )
    note = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "changed_on", "pk"]
        get_latest_by = ["changed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_stage=models.F("to_stage")), name="stagechange_moves"
            ),
            models.CheckConstraint(
                condition=Q(changed_on__gte=EARLIEST_STAGE_CHANGE),
                name="stagechange_date_plausible",
                violation_error_message=EARLIEST_STAGE_CHANGE_MESSAGE,
            ),
            year_range_check("commissioning_year"),
        ]
        indexes = [
            models.Index(fields=["to_stage", "changed_on"], name="stagechange_to_on"),
            # A project's changes in order: pace (window over each project), last change, stuck.
            models.Index(fields=["project", "changed_on", "id"], name="stagechange_project_on"),
        ]

    def __str__(self) -> str:
        start = self.get_from_stage_display() or "entered"
        return f"{self.project}: {start} → {self.get_to_stage_display()} ({self.changed_on})"


class Financing(TrackedModel):
    """One slice of a project's capital stack."""

    class Instrument(models.TextChoices):
        GRANT = "grant", "Grant"
        REIMBURSABLE_GRANT = "reimbursable_grant", "Reimbursable grant"
        CONCESSIONAL_LOAN = "concessional_loan", "Concessional loan"
        COMMERCIAL_LOAN = "commercial_loan", "Commercial loan"
        SUBORDINATED_LOAN = "subordinated_loan", "Subordinated loan"
        MEZZANINE = "mezzanine", "Mezzanine"
        EQUITY = "equity", "Equity"
        GUARANTEE = "guarantee", "Guarantee"
        GREEN_BOND = "green_bond", "Green bond"
        DESIGN_GRANT = "design_grant", "Project-preparation grant"
        TECHNICAL_ASSISTANCE = "technical_assistance", "Technical assistance"

    class ProviderKind(models.TextChoices):
        PUBLIC_BILATERAL = "public_bilateral", "Public bilateral"
        MULTILATERAL = "multilateral_mdb", "Multilateral / MDB"
        CLIMATE_FUND = "climate_fund", "Climate fund"
        PRIVATE = "private", "Private"
        PHILANTHROPIC = "philanthropic", "Philanthropic"

    class Status(models.TextChoices):
        SOUGHT = "sought", "Sought"
        INDICATIVE = "indicative", "Indicative"
        COMMITTED = "committed", "Committed"
        DISBURSED = "disbursed", "Disbursed"
        DECLINED = "declined", "Declined"

    SECURED = (Status.COMMITTED, Status.DISBURSED)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="financing")
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="financing_provided"
    )
    instrument = models.CharField(max_length=24, choices=Instrument.choices)
    provider_kind = models.CharField(max_length=20, choices=ProviderKind.choices, blank=True)
    concessional = models.BooleanField(default=False)
    amount_musd = models.DecimalField(
        "amount (USD million)",
        validators=NOT_NEGATIVE,
        **MONEY,
        null=True,
        blank=True,
        help_text="Leave empty when not disclosed.",
    )
    amount_note = models.CharField(
        "amount as reported", max_length=120, blank=True, help_text="e.g. 'EUR 31.2 million'"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SOUGHT)
    decided_on = models.DateField(null=True, blank=True)
    assistance = models.ForeignKey(
        "Assistance", null=True, blank=True, on_delete=models.PROTECT, related_name="financing"
    )
    source_url = models.URLField(max_length=500, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["project", "-amount_musd", "pk"]
        verbose_name_plural = "financing"
        constraints = [not_negative_check("amount_musd")]

    def __str__(self) -> str:
        return f"{self.provider} – {self.get_instrument_display()} ({self.get_status_display()})"

    @property
    def is_secured(self) -> bool:
        return self.status in self.SECURED

    def get_absolute_url(self) -> str:
        # A tranche has no page of its own: it lives in its project's financing panel.
        return self.project.get_absolute_url() + "#financing"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.project.refresh_financing()

    def delete(self, *args, **kwargs):
        project = self.project
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            project.refresh_financing()
        return result


@ladder
class EngagementStage(models.TextChoices):
    """An engagement's stage, first to last (the order lists sort it in: `ChoiceOrder`)."""

    IDENTIFIED = "identified", "Identified"
    SCOPING = "scoping", "Scoping"
    MATCHMAKING = "matchmaking", "Matchmaking"
    NEGOTIATION = "negotiation", "Negotiation"
    AGREEMENT_SIGNED = "agreement_signed", "Agreement signed"
    IMPLEMENTATION = "implementation", "Implementation"
    COMPLETED = "completed", "Completed"
    STALLED = "stalled", "Stalled"
    DISCONTINUED = "discontinued", "Discontinued"


class Engagement(Searchable, SourcedModel):
    """A technology-transfer engagement (pillar 2): a provider, a recipient, a next step."""

    search_text_fields = ("title", "next_step")
    objects = SearchableQuerySet.as_manager()

    class Mode(models.TextChoices):
        LICENSING = "licensing", "Licensing"
        JOINT_VENTURE = "joint_venture", "Joint venture"
        CO_DEVELOPMENT = "co_development", "Co-development (joint R&D)"
        DEMONSTRATION = "demonstration_pilot", "Demonstration / pilot"
        EQUIPMENT_TRAINING = "equipment_with_training", "Equipment with training"
        KNOWLEDGE_EXCHANGE = "knowledge_exchange", "Knowledge exchange"
        CAPACITY = "institutional_capacity", "Institutional capacity"
        STANDARDS = "standards_certification", "Standards and certification"

    Stage = EngagementStage

    ACTIVE_STAGES = (
        Stage.IDENTIFIED,
        Stage.SCOPING,
        Stage.MATCHMAKING,
        Stage.NEGOTIATION,
        Stage.AGREEMENT_SIGNED,
        Stage.IMPLEMENTATION,
    )

    class Agreement(models.TextChoices):
        MOU = "mou", "MoU"
        LOI = "loi", "Letter of intent"
        NDA = "nda", "NDA"
        LICENCE = "licence", "Licence"
        CONTRACT = "contract", "Contract"
        JV = "jv_agreement", "JV agreement"

    title = models.CharField(max_length=250)
    technology = models.ForeignKey(
        Technology, null=True, blank=True, on_delete=models.PROTECT, related_name="engagements"
    )
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="engagements"
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="engagements_provided"
    )
    recipient = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements_received",
    )
    recipient_country = CountryField(blank=True, db_index=True)
    mode = models.CharField(max_length=24, choices=Mode.choices)
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED, db_index=True
    )
    agreement_type = models.CharField(max_length=14, choices=Agreement.choices, blank=True)
    agreement_date = models.DateField(null=True, blank=True)
    trl_at_start = models.PositiveSmallIntegerField(
        "TRL at start",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
    )
    ip_arrangement = models.TextField("IP arrangement", blank=True)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="engagements"
    )
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="engagements"
    )
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        help_text="The pipeline project this engagement feeds, if any.",
    )
    next_step = models.CharField(max_length=250, blank=True)
    next_step_due = models.DateField(null=True, blank=True, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements",
        help_text="The Secretariat officer following it up.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = [folded_name()]
        # The list's order (EngagementListView): its first page read from the index, not a sort
        # of every row joined to its provider, recipient and owner (100,000: 550 -> 1.4 ms).
        indexes = [
            models.Index(folded_name(), "id", name="engagement_title_order"),
            models.Index(
                ChoiceOrder("stage", EngagementStage.values), "id", name="engagement_stage_order"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(trl_at_start__isnull=True) | Q(trl_at_start__range=(1, 11)),
                name="engagement_trl_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        check_working_group(self)
        # Followed up by the Secretariat: the site's form offers only its officers, and the
        # admin and imports are held to the same.
        if self.owner_id and not self.owner.groups.filter(name=SECRETARIAT).exists():
            raise ValidationError(
                {"owner": f"“{self.owner}” is not a Secretariat officer; choose one who is."}
            )

    def get_absolute_url(self) -> str:
        return reverse("partnerships:engagement_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return (
            self.next_step_due is not None
            and self.next_step_due < datetime.date.today()
            and self.stage in self.ACTIVE_STAGES
        )


class Assistance(Searchable, SourcedModel):
    """Technical or financial assistance mapped to a partnership, shaped like an IATI activity."""

    search_text_fields = ("title", "iati_identifier", "description")
    objects = SearchableQuerySet.as_manager()

    class Kind(models.TextChoices):
        TECHNICAL_ASSISTANCE = "technical_assistance", "Technical assistance"
        CAPACITY_BUILDING = "capacity_building", "Capacity building"
        POLICY_SUPPORT = "policy_support", "Policy support"
        PROJECT_PREPARATION = "project_preparation", "Project preparation"
        KNOWLEDGE_EXCHANGE = "knowledge_exchange", "Knowledge exchange"
        FINANCING = "financing", "Financing"

    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    iati_identifier = models.CharField(
        "IATI identifier",
        max_length=120,
        blank=True,
        help_text="Only when the funder publishes the activity to IATI.",
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assistance_provided",
        help_text="The funding / reporting organisation.",
    )
    implementer = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_implemented",
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="assistance"
    )
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="assistance"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    activity_status = models.PositiveSmallIntegerField(
        "IATI activity status",
        choices=iati.ActivityStatus.choices,
        default=iati.ActivityStatus.PIPELINE,
    )
    finance_type = models.PositiveSmallIntegerField(
        "finance type", choices=iati.FinanceType.choices, null=True, blank=True
    )
    flow_type = models.PositiveSmallIntegerField(
        "flow type", choices=iati.FlowType.choices, null=True, blank=True
    )
    aid_type = models.CharField(max_length=4, choices=iati.AidType.choices, blank=True)
    climate_mitigation = models.PositiveSmallIntegerField(
        "climate mitigation marker",
        choices=iati.PolicySignificance.choices,
        default=iati.PolicySignificance.PRINCIPAL,
    )
    amount_musd = models.DecimalField(
        "amount (USD million)",
        validators=NOT_NEGATIVE,
        **MONEY,
        null=True,
        blank=True,
        help_text="Leave empty when not disclosed.",
    )
    # 15 digits: what SQLite stores exactly (its NUMERIC keeps a REAL); the form, the admin and
    # the import refuse longer amounts with Django's own message.
    amount_original = models.DecimalField(
        validators=NOT_NEGATIVE, max_digits=15, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217, e.g. SEK")
    recipient_country = CountryField(blank=True)
    planned_start = models.DateField(
        null=True, blank=True, help_text="IATI needs a planned start for an activity in pipeline."
    )
    planned_end = models.DateField(null=True, blank=True)
    actual_start = models.DateField(
        null=True, blank=True, help_text="Needed once the activity is in implementation or later."
    )
    actual_end = models.DateField(null=True, blank=True)
    supported_projects = models.ManyToManyField(Project, blank=True, related_name="assistance")

    class Meta:
        ordering = ["partnership", folded_name()]
        # Counted as activities, as IATI does: "507 assistance activities", not "507 assistance".
        verbose_name = "assistance activity"
        verbose_name_plural = "assistance activities"
        # The list's order (AssistanceListView), as Engagement's (100,000: 390 -> 1.7 ms).
        indexes = [
            models.Index(folded_name(), "id", name="assistance_title_order"),
            models.Index(fields=["amount_musd", "id"], name="assistance_amount_order"),
        ]
        constraints = [
            not_negative_check("amount_musd"),
            not_negative_check("amount_original"),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="assistance_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="assistance_actual_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_started(self) -> bool:
        return self.activity_status in iati.STARTED

    def clean(self):
        super().clean()
        check_working_group(self)
        errors = {}
        today = datetime.date.today()
        # IATI: actual dates are facts, so never in the future; a started activity has one.
        for name in ("actual_start", "actual_end"):
            day = getattr(self, name)
            if day and day > today:
                errors[name] = "An actual date cannot be in the future."
        if self.has_started and not self.actual_start:
            errors["actual_start"] = (
                f"The status is {self.get_activity_status_display()}: the activity has started, "
                "give its actual start date."
            )
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = "The end cannot be before the start."
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("partnerships:assistance_detail", args=[self.pk])


class ForumActivity(Searchable, SourcedModel):
    """Global Forum (pillar 1): summits, dialogues, COP side events, publications."""

    search_text_fields = ("title", "location", "summary")
    objects = SearchableQuerySet.as_manager()

    class Kind(models.TextChoices):
        SUMMIT = "leadit_summit", "LeadIT Summit"
        DIALOGUE = "industry_transition_dialogue", "Industry Transition Dialogue"
        MINISTERIAL = "ministerial", "Ministerial"
        ROUNDTABLE = "roundtable", "Roundtable"
        COP_SIDE_EVENT = "cop_side_event", "COP side event"
        MULTILATERAL = "g20_g7_cem_engagement", "G20 / G7 / CEM engagement"
        WEBINAR = "webinar", "Webinar"
        PUBLICATION = "publication", "Publication"
        TRACKER_UPDATE = "tracker_update", "Tracker update"

    title = models.CharField(max_length=250)
    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    starts_on = models.DateField(db_index=True)
    ends_on = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=160, blank=True)
    cop_edition = models.CharField("COP edition", max_length=8, blank=True, help_text="e.g. COP28")
    hosts = models.ManyToManyField(Organisation, blank=True, related_name="forum_activities_hosted")
    members = models.ManyToManyField(
        Member, blank=True, related_name="forum_activities", verbose_name="participating members"
    )
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_activities",
    )
    outputs_url = models.URLField("outputs", max_length=500, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", folded_name()]
        verbose_name_plural = "forum activities"
        indexes = [models.Index(folded_name(), "id", name="forum_title_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="forumactivity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__gte=datetime.date(2019, 1, 1)),
                name="forumactivity_after_launch",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:forumactivity_detail", args=[self.pk])
