"""The figures of the dashboard, aggregated in the database in a fixed number of queries.

Every figure carries the pipeline link (query parameters) that lists exactly its projects, so the
count a user sees on the chart is the count the pipeline shows.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.signals import post_delete, post_save
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from leadit.sections.bulk import records_changed
from leadit.sections.caching import cached_figures, data_state
from leadit.sections.models import not_verified
from leadit.sections.registry import viewname
from members import countries as classification
from members.models import CountryProfile, Member, Organisation, Sector

from . import iati
from .models import (
    BEFORE_FID,
    LADDER,
    TOTALS,
    Assistance,
    Engagement,
    Financing,
    ForumActivity,
    Partnership,
    Project,
    Stage,
    StageChange,
)

ZERO = Decimal("0")


def pipeline_url(**params) -> str:
    return reverse(viewname(Project, "list")) + ("?" + urlencode(params) if params else "")


def with_bars(rows: list[dict], *keys: str, shared: bool = False) -> list[dict]:
    """Add `<key>_share` (0-100) to each row, relative to the largest value of that key; with
    `shared`, relative to the largest of all the keys, for bars drawn in one chart."""
    tops = {key: max((row[key] or 0 for row in rows), default=0) for key in keys}
    if shared:
        tops = dict.fromkeys(keys, max(tops.values(), default=0))
    for key, top in tops.items():
        for row in rows:
            row[f"{key}_share"] = round(float(row[key] or 0) / float(top) * 100, 2) if top else 0
    return rows


EMPTY_TOTALS = {
    "count": 0,
    "capex": None,
    "gap": None,
    "secured": None,
    "abatement": None,
    "capex_undisclosed": 0,
    "abatement_undisclosed": 0,
}
SUMMED = tuple(TOTALS)


def pipeline_groups(projects) -> list[dict]:
    """One pass over the projects: sums per (stage, sector, country). Every breakdown of the
    dashboard is a roll-up of these groups (a few hundred), not of the projects; regions and
    EMDE status come from the published classification and the country profiles."""
    classified = classification.classify_all()
    # Seeking finance (ProjectQuerySet.seeking_finance) once its stage is before FID.
    seeking = Q(financing_gap_musd__gt=0) | Q(
        pk__in=Financing.objects.filter(status=Financing.Status.SOUGHT).values("project")
    )
    groups = list(
        projects.values("stage", "sector__slug", "sector__name", "sector__position", "country")
        .annotate(
            **TOTALS,
            seeking=Count("pk", filter=seeking),
            seeking_gap=Sum("financing_gap_musd", filter=seeking),
        )
        .order_by()
    )
    for group in groups:
        country = classified.get(group["country"], classification.NONE)
        group["region"], group["emde"] = country.region, country.is_emde
    return groups


def roll_up(groups: list[dict], key) -> dict:
    """Sum the groups by key(group); a sum stays None when every part is undisclosed."""
    totals: dict = {}
    for group in groups:
        entry = totals.setdefault(key(group), dict.fromkeys(SUMMED))
        for name in SUMMED:
            value = group[name]
            if value is not None:
                entry[name] = value if entry[name] is None else entry[name] + value
    for entry in totals.values():
        for name in ("count", "capex_undisclosed", "abatement_undisclosed"):
            entry[name] = entry[name] or 0
    return totals


def seeking_finance(groups) -> dict:
    """Projects before FID with a gap or a sought tranche: the pipeline's seeking_finance."""
    early = [g for g in groups if g["stage"] in BEFORE_FID]
    gaps = [g["seeking_gap"] for g in early if g["seeking_gap"] is not None]
    return {
        "count": sum(g["seeking"] for g in early),
        "gap": sum(gaps, ZERO) if gaps else None,
        "url": pipeline_url(seeking_finance="true"),
    }


def funnel(groups) -> list[dict]:
    by_stage = roll_up(groups, lambda g: g["stage"])
    rows = []
    for value, label in Stage.choices:
        row = by_stage.get(value, {"count": 0, "capex": None, "capex_undisclosed": 0})
        rows.append(
            {
                "key": value,
                "label": label,
                "count": row["count"],
                "capex": row["capex"],
                "capex_undisclosed": row["capex_undisclosed"],
                "url": pipeline_url(stage=value),
            }
        )
    return with_bars(rows, "count", "capex")


def by_sector(groups) -> list[dict]:
    by_slug = roll_up(
        groups, lambda g: (g["sector__position"], g["sector__name"], g["sector__slug"])
    )
    rows = [
        {**sums, "key": slug, "label": name, "url": pipeline_url(sector=slug)}
        for (_, name, slug), sums in sorted(by_slug.items())
    ]
    return with_bars(rows, "capex", "gap", "abatement", "count")


def by_region(groups) -> list[dict]:
    by_key = roll_up(groups, lambda g: g["region"])
    rows = [
        {
            **sums,
            "key": key,
            "label": classification.region_label(key),
            "url": pipeline_url(region=key),
        }
        for key, sums in sorted(by_key.items())
    ]
    return with_bars(rows, "capex", "gap", "count")


def by_emde(groups) -> list[dict]:
    # A country of unknown status (Antarctica) counts as not EMDE, as the emde=no filter does.
    by_key = roll_up(groups, lambda g: "yes" if g["emde"] else "no")
    empty = {
        name: (0 if name in ("count", "capex_undisclosed", "abatement_undisclosed") else None)
        for name in SUMMED
    }
    rows = [
        {
            **by_key.get("yes", empty),
            "key": "yes",
            "label": "EMDE",
            "url": pipeline_url(emde="yes"),
        },
        {
            **by_key.get("no", empty),
            "key": "no",
            "label": "Non-EMDE",
            "url": pipeline_url(emde="no"),
        },
    ]
    return with_bars(rows, "capex", "gap", "count")


def milestones_per_year() -> list[dict]:
    """Projects reaching FID and operation, per year of the stage change."""
    counts = (
        StageChange.objects.filter(to_stage__in=[Stage.FID, Stage.OPERATIONAL])
        .annotate(year=ExtractYear("changed_on"))
        .values("year", "to_stage")
        .annotate(projects=Count("project", distinct=True))
        .order_by("year")
    )
    years: dict[int, dict] = {}
    for row in counts:
        entry = years.setdefault(row["year"], {"year": row["year"], "fid": 0, "operational": 0})
        entry[row["to_stage"]] = row["projects"]
    rows = list(years.values())
    for row in rows:
        row["fid_url"] = pipeline_url(reached=Stage.FID, reached_year=row["year"])
        row["operational_url"] = pipeline_url(reached=Stage.OPERATIONAL, reached_year=row["year"])
        row["total"] = row["fid"] + row["operational"]
    # FID and operational bars sit in one chart: one scale, so 919 draws shorter than 2,065.
    return with_bars(with_bars(rows, "total"), "fid", "operational", shared=True)


def slippage(projects) -> list[dict]:
    """Projects by how many years their commissioning moved (planned vs revised)."""
    counts = dict(
        projects.with_slip()
        .filter(slip__isnull=False)
        .values_list("slip")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("slip", "n")
    )
    rows = []
    for years in (0, 1, 2):
        rows.append(
            {
                "label": "On time" if years == 0 else f"+{years} year{'s' if years > 1 else ''}",
                "count": counts.get(years, 0),
                "url": pipeline_url(slip_min=years, slip_max=years),
            }
        )
    rows.append(
        {
            "label": "+3 years or more",
            "count": sum(n for slip, n in counts.items() if slip >= 3),
            "url": pipeline_url(slip_min=3),
        }
    )
    earlier = sum(n for slip, n in counts.items() if slip < 0)
    if earlier:
        rows.insert(
            0, {"label": "Earlier than planned", "count": earlier, "url": pipeline_url(slip_max=-1)}
        )
    return with_bars(rows, "count")


PACE_SQL = """
WITH spells AS (
    SELECT to_stage AS stage, changed_on,
           LEAD(changed_on) OVER (PARTITION BY project_id ORDER BY changed_on, id) AS left_on
    FROM partnerships_stagechange
), durations AS (
    SELECT stage, {days} AS days FROM spells WHERE left_on IS NOT NULL
), ranked AS (
    SELECT stage, days,
           ROW_NUMBER() OVER (PARTITION BY stage ORDER BY days) AS position,
           COUNT(*) OVER (PARTITION BY stage) AS spells
    FROM durations
)
SELECT stage, AVG(days), MAX(spells) FROM ranked
WHERE position IN ((spells + 1) / 2, (spells + 2) / 2)
GROUP BY stage
"""


def pace() -> list[dict]:
    """Median days a project spends in each stage, over completed spells.

    Computing them reads every stage change, and they move only when stage changes do: they are
    cached under the stage history's state, apart from the rest of the dashboard, which changes
    with every edit.
    """
    return cached_figures("pace", (StageChange,), _pace)


def _pace() -> list[dict]:
    if connection.vendor == "postgresql":
        days = "(left_on - changed_on)"
    else:
        days = "(julianday(left_on) - julianday(changed_on))"
    with connection.cursor() as cursor:
        cursor.execute(PACE_SQL.format(days=days))
        medians = {stage: (float(median), spells) for stage, median, spells in cursor.fetchall()}
    rows = []
    for value in [*LADDER[:-1], Stage.PAUSED]:
        median, spells = medians.get(value, (None, 0))
        rows.append(
            {
                "key": value,
                "label": Stage(value).label,
                "median_days": median,
                "months": round(median / 30.44, 1) if median is not None else None,
                "spells": spells,
            }
        )
    return with_bars(rows, "median_days")


def stuck(projects, months: int, limit: int = 10) -> dict:
    queryset = projects.stuck(months=months)
    last_change = Subquery(
        StageChange.objects.filter(project=OuterRef("pk"))
        .order_by("-changed_on", "-pk")
        .values("changed_on")[:1]
    )
    rows = list(
        queryset.select_related("sponsor")
        .annotate(last_change=last_change)
        .order_by("last_change", "pk")[:limit]
    )
    return {
        "count": queryset.count(),
        "rows": rows,
        "months": months,
        "url": pipeline_url(stuck_months=months),
    }


def key_figures(today: datetime.date) -> dict:
    members = Member.objects.current().aggregate(
        countries=Count("pk", filter=Q(kind=Member.Kind.COUNTRY)),
        companies=Count("pk", filter=Q(kind=Member.Kind.COMPANY)),
    )
    engagements = Engagement.objects.aggregate(
        active=Count("pk", filter=Q(stage__in=Engagement.ACTIVE_STAGES)),
        overdue=Count("pk", filter=Q(stage__in=Engagement.ACTIVE_STAGES, next_step_due__lt=today)),
    )
    engagements["active_url"] = (
        reverse(viewname(Engagement, "list"))
        + "?"
        + urlencode([("stage", stage) for stage in Engagement.ACTIVE_STAGES])
    )
    assistance = Assistance.objects.aggregate(
        count=Count("pk"),
        amount=Sum("amount_musd"),
        undisclosed=Count("pk", filter=Q(amount_musd__isnull=True)),
    )
    forum = ForumActivity.objects.aggregate(
        this_year=Count("pk", filter=Q(starts_on__year=today.year)),
        total=Count("pk"),
    )
    partnerships = Partnership.objects.aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(status=Partnership.Status.ACTIVE))
    )
    return {
        "members": members,
        "engagements": engagements,
        "assistance": assistance,
        "forum": forum,
        "partnerships": partnerships,
    }


REVIEWED = [
    # (model, how many to list)
    (Project, 8),
    (Engagement, 4),
    (Partnership, 4),
    (Assistance, 4),
]


def review_queue(today: datetime.date) -> dict:
    """Records not verified for 12 months (or never), oldest first, per kind of record."""
    stale = not_verified(12, today)
    never_first = Coalesce("last_verified_on", Value(datetime.date(1900, 1, 1)))
    kinds = []
    for model, limit in REVIEWED:
        queue = model.objects.filter(stale)
        kinds.append(
            {
                "label": model._meta.verbose_name_plural.capitalize(),
                "count": queue.count(),
                "rows": list(queue.order_by(never_first, "pk")[:limit]),
                "url": reverse(viewname(model, "list")) + "?unverified_months=12",
                "verify_url_name": viewname(model, "verify"),
            }
        )
    return {
        "kinds": kinds,
        "count": sum(kind["count"] for kind in kinds),
        "url": pipeline_url(unverified_months=12),
    }


def gap_matching(project: Project) -> list[dict]:
    """Who financed or assisted comparable projects (same sector, same country or region):
    providers and instruments with amounts, to see who to approach to close the gap."""
    if hasattr(project, "profile_region"):  # annotated by the project page: no query
        region = project.profile_region or classification.published_region(project.country.code)
    else:
        region = classification.classify(project.country.code).region
    comparable = Q(project__sector=project.sector_id) & (
        Q(project__country=project.country) | classification.in_region("project__country", region)
    )
    rows = (
        Financing.objects.filter(comparable, status__in=Financing.SECURED)
        .exclude(project=project)
        .values("provider", "provider__name", "instrument")
        .annotate(
            projects=Count("project", distinct=True),
            amount=Sum("amount_musd"),
            undisclosed=Count("pk", filter=Q(amount_musd__isnull=True)),
            in_country=Count("pk", filter=Q(project__country=project.country)),
        )
        .order_by("-in_country", "-amount", "provider__name")
    )
    labels = dict(Financing.Instrument.choices)
    matches = [
        {
            **row,
            "source": "Financing",
            "instrument_label": labels.get(row["instrument"], row["instrument"]),
        }
        for row in rows[:12]
    ]
    # Assistance to comparable projects counts too: technical help is often the first step.
    assisted = Q(supported_projects__sector=project.sector_id) & (
        Q(supported_projects__country=project.country)
        | classification.in_region("supported_projects__country", region)
    )
    comparable_ids = (
        Assistance.objects.filter(assisted).exclude(supported_projects=project).values("pk")
    )
    finance_labels = dict(iati.FinanceType.choices)
    kind_labels = dict(Assistance.Kind.choices)
    rows = (
        Assistance.objects.filter(pk__in=comparable_ids)
        .values("provider", "provider__name", "kind", "finance_type")
        .annotate(
            activities=Count("pk"),
            amount=Sum("amount_musd"),
            undisclosed=Count("pk", filter=Q(amount_musd__isnull=True)),
        )
        .order_by("-amount", "provider__name")
    )
    for row in rows[:12]:
        matches.append(
            {
                **row,
                "source": "Assistance",
                "projects": row["activities"],
                "in_country": None,
                "instrument_label": finance_labels.get(row["finance_type"])
                or kind_labels.get(row["kind"], ""),
            }
        )
    return matches


# Every model whose data the dashboard shows: a change to any of them recomputes it.
DASHBOARD_MODELS = (
    Project,
    StageChange,
    Financing,
    Engagement,
    Assistance,
    Partnership,
    ForumActivity,
    Member,
    Organisation,
    CountryProfile,
    Sector,
)


def dashboard(stuck_months: int = 12, today: datetime.date | None = None) -> dict:
    """The whole dashboard, recomputed only when the data (or the day) has changed: a visit
    then costs one query for the data's state instead of some twenty aggregates."""
    today = today or datetime.date.today()
    return cached_figures(
        "dashboard",
        DASHBOARD_MODELS,
        lambda: compute_dashboard(stuck_months, today),
        today,
        stuck_months,
        classification.data_version(),
    )


# --- Kept current by the background worker -----------------------------------------------------
# A write queues a recomputation once its transaction commits (it never waits for it); a visit
# reads the stored figures and the data's state (two queries) and never recomputes, except once
# on a fresh database. Changes that send no signal (bulk inserts, raw SQL) are noticed by the
# next visit, which queues the recomputation itself.
STORED_AS = "dashboard"
DEFAULT_STUCK_MONTHS = 12


def _state_key(state: str, today: datetime.date) -> str:
    return f"{state}|{today.isoformat()}"


def store_dashboard(state: str, today: datetime.date) -> dict:
    from leadit.jobs.models import StoredFigures

    figures = compute_dashboard(DEFAULT_STUCK_MONTHS, today)
    stored = StoredFigures(name=STORED_AS)
    stored.figures = figures
    # update_or_create: two first visits to a fresh database may store at the same moment.
    StoredFigures.objects.update_or_create(
        name=STORED_AS,
        defaults={
            "data_state": state,
            "computed_on": today,
            "computed_at": timezone.now(),
            "requested_state": "",
            "payload": stored.payload,
        },
    )
    return figures


@task(priority=10)  # before exports queued meanwhile: a refresh takes a second or two
def refresh_dashboard() -> str:
    """Compute and store the dashboard's figures, unless they are already current."""
    from leadit.jobs.models import StoredFigures

    today = datetime.date.today()
    # Read before computing: a change made during the computation queues another run.
    state = data_state(*DASHBOARD_MODELS)
    stored = StoredFigures.objects.filter(name=STORED_AS).only("data_state", "computed_on")
    current = stored.first()
    if current and (current.data_state, current.computed_on) == (state, today):
        return "current"
    store_dashboard(state, today)
    return "computed"


def request_refresh(state: str, today: datetime.date, *, stored=None) -> None:
    """Queue a recomputation, unless one was already queued for this state of the data (one
    UPDATE decides, so concurrent requests queue it once)."""
    from leadit.jobs.models import StoredFigures

    key = _state_key(state, today)
    if stored is not None and stored.requested_state == key:
        return
    figures = StoredFigures.objects.filter(name=STORED_AS)
    with transaction.atomic():  # one commit for the mark and the queue (SQLite syncs each)
        claimed = figures.exclude(requested_state=key).update(requested_state=key)
        if claimed or (stored is None and not figures.exists()):
            refresh_dashboard.enqueue()


def _enqueue_refresh() -> None:
    # Marked as requested here, so that the visits until the worker has run only read.
    request_refresh(data_state(*DASHBOARD_MODELS), datetime.date.today())


def queue_refresh(**kwargs) -> None:
    """Signal receiver: queue one recomputation per transaction, once it has committed."""
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _enqueue_refresh for _, callback, _ in pending):
        # robust: a queue that is down must not turn a committed save into an error page
        transaction.on_commit(_enqueue_refresh, robust=True)


def connect_refresh() -> None:
    for model in DASHBOARD_MODELS:
        uid = f"dashboard-refresh-{model._meta.label}"
        post_save.connect(queue_refresh, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(queue_refresh, sender=model, dispatch_uid=uid + "-delete")
        # Bulk changes from a list write with bulk_update: no post_save, this signal instead.
        records_changed.connect(queue_refresh, sender=model, dispatch_uid=uid + "-bulk")


def current_dashboard(today: datetime.date | None = None) -> dict:
    """What a visit shows: the stored figures, and when they were computed. Stale figures (the
    data or the day changed, and the worker has not caught up yet) are shown as they are, and
    a recomputation is queued unless one already is for this state of the data."""
    from leadit.jobs.models import StoredFigures

    today = today or datetime.date.today()
    stored = StoredFigures.objects.filter(name=STORED_AS).first()
    state = data_state(*DASHBOARD_MODELS)
    figures = stored.figures if stored else None
    if figures is None:
        # A fresh database (or figures stored by an older version): computed once, here.
        figures = store_dashboard(state, today)
        return {**figures, "computed": {"at": timezone.now(), "current": True, "first": True}}
    current = (stored.data_state, stored.computed_on) == (state, today)
    if not current:  # changed without a signal (bulk inserts, SQL), or another day
        request_refresh(state, today, stored=stored)
    return {**figures, "computed": {"at": stored.computed_at, "current": current}}


def compute_dashboard(stuck_months: int, today: datetime.date) -> dict:
    projects = Project.objects.order_by()
    overdue = (
        Engagement.objects.filter(stage__in=Engagement.ACTIVE_STAGES, next_step_due__lt=today)
        .select_related("owner")
        .order_by("next_step_due", "pk")
    )
    groups = pipeline_groups(projects)
    return {
        "today": today,
        "totals": roll_up(groups, lambda g: "all").get("all", EMPTY_TOTALS),
        "figures": {**key_figures(today), "seeking": seeking_finance(groups)},
        "funnel": funnel(groups),
        "sectors": by_sector(groups),
        "regions": by_region(groups),
        "emde": by_emde(groups),
        "milestones": milestones_per_year(),
        "slippage": slippage(projects),
        "pace": pace(),
        "stuck": stuck(projects, stuck_months),
        "overdue": list(overdue[:10]),
        "review": review_queue(today),
        "links": {"pipeline": pipeline_url()},
    }
