"""Writes that span many rows: synthetic pipeline data for demos, tests and benchmarks."""

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django_countries import countries as all_countries

from members.models import CountryProfile, Organisation, Sector
from partnerships.models import LADDER, Financing, Project, Stage, StageChange, Technology

# How often each final stage occurs: most projects sit early in the pipeline.
STAGE_WEIGHTS = {
    Stage.IDENTIFIED: 22,
    Stage.PRE_FEASIBILITY: 18,
    Stage.FEASIBILITY: 18,
    Stage.FINANCING: 12,
    Stage.FID: 6,
    Stage.CONSTRUCTION: 8,
    Stage.OPERATIONAL: 6,
    Stage.PAUSED: 6,
    Stage.CANCELLED: 4,
}
SITES = [
    "North works",
    "Port site",
    "Industrial park",
    "River plant",
    "Coastal hub",
    "Inland works",
]
WORDS = ["Green", "Clean", "Low-carbon", "Net-zero", "Hydrogen", "Circular", "Electric"]
PRODUCTS = ["steel", "cement", "ammonia", "aluminium", "iron"]
SYNTHETIC = "Synthetic record made by generate_demo_data."
SPONSOR_POOL = 300
# Industrial countries with no country profile in the demo data, so that generated projects
# also exercise the published classification (members.countries).
UNPROFILED = ["NG", "VN", "ID", "CL", "PK", "SA", "MA", "PL", "ES", "CA", "AU", "AE"]


def insert_rows(model, objects) -> None:
    """INSERT many rows with one prepared statement: bulk_create spends most of its time
    compiling SQL, which matters at 100,000 projects. Values still go through each field's
    get_db_prep_save, so they are stored exactly as the ORM would store them."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for field in fields:  # auto_now(_add) stamps, as save() would set them
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                setattr(obj, field.attname, now)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _sponsors(rng: random.Random, sectors: list[Sector]) -> list[Organisation]:
    existing = list(Organisation.objects.filter(name__startswith="Synthetic sponsor "))
    wanted = SPONSOR_POOL - len(existing)
    codes = [code for code, _ in all_countries]
    new = [
        Organisation(
            name=f"Synthetic sponsor {len(existing) + i + 1:03d}",
            org_type=70,
            country=rng.choice(codes),
            notes=SYNTHETIC,
        )
        for i in range(max(wanted, 0))
    ]
    return existing + Organisation.objects.bulk_create(new)


def generate_projects(
    count: int,
    *,
    batch_size: int = 5000,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add `count` plausible projects, each with a stage history and 0-3 financing rows."""
    rng = random.Random(seed)
    sectors = list(Sector.objects.all()) or [
        Sector.objects.create(name="Iron and steel", slug="steel")
    ]
    technologies = list(Technology.objects.all()) or [None]
    profiled = list(CountryProfile.objects.values_list("country", flat=True)) or ["IN"]
    country_codes = profiled + [code for code in UNPROFILED if code not in profiled]
    sponsors = _sponsors(rng, sectors)
    providers = sponsors[:40]
    today = datetime.date.today()
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        with transaction.atomic():
            projects, histories = [], []
            for _ in range(size):
                final = rng.choices(list(STAGE_WEIGHTS), weights=STAGE_WEIGHTS.values())[0]
                if final in (Stage.PAUSED, Stage.CANCELLED):
                    path = LADDER[: rng.randint(1, 5)] + [final]
                else:
                    path = LADDER[: LADDER.index(final) + 1]
                    path = path[rng.randint(0, len(path) - 1) :] if rng.random() < 0.5 else path
                start = today - datetime.timedelta(days=rng.randint(200, 2500))
                dates = sorted(
                    start + datetime.timedelta(days=rng.randint(0, (today - start).days))
                    for _ in path
                )
                planned = rng.randint(2024, 2035)
                revised = (
                    planned + rng.choice([0, 0, 0, 1, 1, 2, 3]) if rng.random() < 0.4 else None
                )
                capex = Decimal(rng.randint(5, 400000)) / 100 if rng.random() < 0.8 else None
                tech = rng.choice(technologies)
                projects.append(
                    Project(
                        name=f"{rng.choice(WORDS)} {rng.choice(PRODUCTS)} project "
                        f"{rng.randint(1, 999999):06d}",
                        sponsor=rng.choice(sponsors),
                        country=rng.choice(country_codes),
                        site=rng.choice(SITES),
                        sector=rng.choice(sectors),
                        technology=tech,
                        scale=rng.choice(Project.Scale.values),
                        stage=path[-1],
                        capex_musd=capex,
                        financing_gap_musd=capex,
                        abatement_tco2e=(
                            Decimal(rng.randint(1000, 5000000)) if rng.random() < 0.7 else None
                        ),
                        planned_commissioning_year=planned,
                        revised_commissioning_year=revised,
                        confidence="low",
                        description=SYNTHETIC,
                        last_verified_on=dates[-1],
                    )
                )
                histories.append((path, dates, planned, revised))
            Project.objects.bulk_create(projects)
            changes, financing = [], []
            for project, (path, dates, planned, revised) in zip(projects, histories, strict=True):
                previous = ""
                for position, (stage, on) in enumerate(zip(path, dates, strict=True)):
                    year = revised if revised and position == len(path) - 1 else planned
                    changes.append(
                        StageChange(
                            project=project,
                            from_stage=previous,
                            to_stage=stage,
                            changed_on=on,
                            commissioning_year=year,
                        )
                    )
                    previous = stage
                for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                    amount = Decimal(rng.randint(100, 50000)) / 100 if rng.random() < 0.85 else None
                    financing.append(
                        Financing(
                            project=project,
                            provider=rng.choice(providers),
                            instrument=rng.choice(Financing.Instrument.values),
                            status=rng.choice(Financing.Status.values),
                            amount_musd=amount,
                        )
                    )
            insert_rows(StageChange, changes)
            insert_rows(Financing, financing)
            Project.objects.filter(pk__in=[p.pk for p in projects]).refresh_financing()
        done += size
        if progress:
            progress(done, count)
    return done
