"""Writes that span many rows: synthetic pipeline data for demos, tests and benchmarks."""

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django_countries import countries as all_countries

from leadit.roles import SECRETARIAT
from leadit.sections.search import fold
from members.models import Contact, CountryProfile, Member, Organisation, Sector
from partnerships import iati
from partnerships.models import (
    LADDER,
    Assistance,
    Engagement,
    Financing,
    ForumActivity,
    Partnership,
    Project,
    Stage,
    StageChange,
    Technology,
    WorkingGroup,
)

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


def add_rows(
    model,
    count: int,
    make: Callable[[int], object],
    *,
    batch_size: int,
    after: Callable[[list], None] | None = None,
    label: str = "",
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Add `count` rows of `model` in batches, each in one transaction: `make(i)` builds the
    i-th row (unsaved), the model's manager inserts a batch (`bulk_create`: primary keys set,
    a searchable model's search text filled), then `after(batch)` adds what hangs on those rows
    (stage history, financing, many-to-many links) or keeps what later lists point to."""
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        with transaction.atomic():
            batch = model.objects.bulk_create([make(done + i) for i in range(size)])
            if after:
                after(batch)
        done += size
        if progress:
            progress(label, done, count)
    return done


def generate_projects(
    count: int,
    *,
    batch_size: int = 5000,
    seed: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
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

    def make(_) -> Project:
        final = rng.choices(list(STAGE_WEIGHTS), weights=STAGE_WEIGHTS.values())[0]
        if final in (Stage.PAUSED, Stage.CANCELLED):
            path = LADDER[: rng.randint(1, 5)] + [final]
        else:
            path = LADDER[: LADDER.index(final) + 1]
            path = path[rng.randint(0, len(path) - 1) :] if rng.random() < 0.5 else path
        start = today - datetime.timedelta(days=rng.randint(200, 2500))
        dates = sorted(
            start + datetime.timedelta(days=rng.randint(0, (today - start).days)) for _ in path
        )
        planned = rng.randint(2024, 2035)
        revised = planned + rng.choice([0, 0, 0, 1, 1, 2, 3]) if rng.random() < 0.4 else None
        capex = Decimal(rng.randint(5, 400000)) / 100 if rng.random() < 0.8 else None
        tech = rng.choice(technologies)
        project = Project(
            name=f"{rng.choice(WORDS)} {rng.choice(PRODUCTS)} project {rng.randint(1, 999999):06d}",
            sponsor=rng.choice(sponsors),
            country=rng.choice(country_codes),
            site=rng.choice(SITES),
            sector=rng.choice(sectors),
            technology=tech,
            scale=rng.choice(Project.Scale.values),
            stage=path[-1],
            capex_musd=capex,
            financing_gap_musd=capex,
            abatement_tco2e=Decimal(rng.randint(1000, 5000000)) if rng.random() < 0.7 else None,
            planned_commissioning_year=planned,
            revised_commissioning_year=revised,
            confidence="low",
            description=SYNTHETIC,
            last_verified_on=dates[-1],
        )
        project.synthetic_history = (path, dates, planned, revised)  # for history_and_financing
        return project

    def history_and_financing(projects: list[Project]) -> None:
        changes, financing = [], []
        for project in projects:
            path, dates, planned, revised = project.synthetic_history
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

    return add_rows(
        Project,
        count,
        make,
        batch_size=batch_size,
        after=history_and_financing,
        label="projects",
        progress=progress,
    )


# --- Every other list, for benchmarks at a given size (generate_demo_data --rows-per-list) --------
# Places and names, some accented: a search must find them accent-blind ("bajio", "GALLIVARE").
PLACES = [
    "Bajío",
    "Gällivare",
    "Pecém",
    "Kraków",
    "Oxelösund",
    "São Paulo",
    "İzmit",
    "Jamshedpur",
    "Duisburg",
    "Pohang",
    "Monterrey",
    "Saldanha",
    "Luleå",
    "Dunkerque",
    "Ostrava",
    "Vitória",
]
COMPANY_WORDS = [
    "Acería",
    "Cementos",
    "Stålverk",
    "Hütte",
    "Çelik",
    "Aciers",
    "Metals",
    "Chemicals",
]
AGENCIES = ["Ministry of Industry", "Ministry of Climate", "Energy Agency", "Development Agency"]
# IATI organisation types of generated organisations (a government is a country member).
ORG_TYPES = {10: 30, 70: 30, 72: 14, 71: 8, 73: 4, 40: 4, 80: 4, 60: 3, 21: 3}
FIRST_NAMES = ["Åsa", "Björn", "José", "Zoë", "Priya", "Ngozi", "Chen", "Anna", "Lars", "Müge"]
LAST_NAMES = ["Núñez", "Öberg", "Müller", "Sharma", "Okafor", "Wang", "Lindqvist", "Dubois"]
JOB_TITLES = ["Head of sustainability", "Policy officer", "Programme manager", "Chief engineer"]
EVENTS = ["COP28, Dubai", "LeadIT Summit, Baku", "Industry Transition Dialogue, Gällivare", ""]
NEXT_STEPS = ["Send the term sheet", "Site visit", "Call with the provider", "Review the study"]
CURRENCIES = ["USD", "EUR", "SEK", "GBP", "JPY"]


def _weighted(rng: random.Random, values, *weights):
    """One of `values`, chosen with these weights."""
    return rng.choices(list(values), weights=weights)[0]


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def generate_lists(
    count: int,
    *,
    batch_size: int = 5000,
    seed: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Add `count` plausible rows to every list but the pipeline: organisations, members (one
    generated organisation each: a government is a country member, any other a company),
    contacts, partnerships (recipient countries, sectors, some working groups), engagements,
    assistance and forum activities, each valid as the models' clean() want them. Names are
    numbered past the rows already there, so a second run adds to the first."""
    rng = random.Random(seed)
    today = datetime.date.today()
    launch = datetime.date(2019, 1, 1)
    codes = [code for code, _ in all_countries]
    # In a fixed order, so that a seed repeats the data.
    sectors = list(Sector.objects.order_by("pk").values_list("pk", flat=True)) or [
        Sector.objects.create(name="Iron and steel", slug="steel").pk
    ]
    technologies = list(Technology.objects.order_by("pk").values_list("pk", flat=True))
    profiles = list(CountryProfile.objects.order_by("pk").values_list("pk", flat=True)) or [
        CountryProfile.for_countries(["IN"])[0].pk
    ]
    officers = list(
        get_user_model()
        .objects.filter(groups__name=SECRETARIAT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    added = {}
    organisations: list[tuple[int, int]] = []  # (pk, org_type) of the generated ones
    members: list[int] = []
    partnerships: list[int] = []
    groups: dict[int, list[int]] = {}  # partnership -> its working groups

    def add(model, label, make, after=None) -> None:
        """`make(n, i)`: the i-th new row, numbered n past every row already there."""
        first = model.objects.count()
        added[label] = add_rows(
            model,
            count,
            lambda i: make(first + i + 1, i),
            batch_size=batch_size,
            after=after,
            label=label,
            progress=progress,
        )

    def links(through, owner: str, target: str, pairs) -> None:
        """Many-to-many rows (owner pk, target pk), without duplicates."""
        rows = {(a, b) for a, b in pairs}
        through.objects.bulk_create(
            [through(**{f"{owner}_id": a, f"{target}_id": b}) for a, b in sorted(rows)]
        )

    # Organisations.
    def organisation(n, _):
        org_type = _weighted(rng, ORG_TYPES, *ORG_TYPES.values())
        country = rng.choice(codes)
        if org_type == Organisation.Type.GOVERNMENT:
            name = f"{rng.choice(AGENCIES)}, {all_countries.name(country)} {n:06d}"
        else:
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(PLACES)} {n:06d}"
        return Organisation(
            name=name,
            short_name=f"{name.split()[0][:3].upper()}{n}" if rng.random() < 0.3 else "",
            org_type=org_type,
            iati_ref=f"XI-SYN-{n:06d}" if rng.random() < 0.1 else "",
            country=country,
            notes=SYNTHETIC,
            last_verified_on=_day(rng, launch, today),
        )

    def organisation_sectors(batch):
        organisations.extend((o.pk, o.org_type) for o in batch)
        pairs = [(o.pk, rng.choice(sectors)) for o in batch for _ in range(rng.randint(0, 2))]
        links(Organisation.sectors.through, "organisation", "sector", pairs)

    add(Organisation, "organisations", organisation, organisation_sectors)

    # Members: the generated organisations, in turn.
    def member(n, i):
        pk, org_type = organisations[i]
        joined = _day(rng, launch, today)
        left = _day(rng, joined, today) if rng.random() < 0.1 else None
        return Member(
            organisation_id=pk,
            kind=Member.Kind.COUNTRY
            if org_type == Organisation.Type.GOVERNMENT
            else Member.Kind.COMPANY,
            role=Member.Role.CO_LEAD if rng.random() < 0.02 else Member.Role.MEMBER,
            joined_on=joined,
            joined_on_approximate=rng.random() < 0.1,
            joined_at_event=rng.choice(EVENTS),
            left_on=left,
            verified=rng.random() < 0.6,
            net_zero_target_year=rng.choice([None, 2040, 2045, 2050, 2050, 2060, 2070]),
            notes=SYNTHETIC,
            last_verified_on=_day(rng, joined, today),
        )

    add(Member, "members", member, lambda batch: members.extend(m.pk for m in batch))

    # Contacts: people at the generated organisations.
    def contact(n, _):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        return Contact(
            organisation_id=rng.choice(organisations)[0],
            name=f"{first} {last}",
            title=rng.choice(JOB_TITLES),
            email=f"{fold(first)}.{fold(last)}.{n}@example.org",
            phone=f"+46 70 {n:07d}" if rng.random() < 0.5 else "",
            is_focal_point=rng.random() < 0.15,
            notes=SYNTHETIC,
        )

    add(Contact, "contacts", contact)

    # Partnerships, with recipient countries, sectors and (for some) working groups.
    def partnership(n, _):
        launched = _day(rng, launch, today) if rng.random() < 0.7 else None
        return Partnership(
            name=f"{rng.choice(WORDS)} {rng.choice(PRODUCTS)} partnership, "
            f"{rng.choice(PLACES)} {n:06d}",
            kind=_weighted(rng, Partnership.Kind.values, 5, 3, 2, 1),
            pillar=rng.choice(Partnership.Pillar.values),
            status=_weighted(rng, Partnership.Status.values, 2, 2, 5, 2, 1),
            launched_on=launched,
            target_date=launched + datetime.timedelta(days=rng.randint(365, 3000))
            if launched and rng.random() < 0.5
            else None,
            objectives=f"Decarbonise {rng.choice(PRODUCTS)} production in {rng.choice(PLACES)}.",
            notes=SYNTHETIC,
            last_verified_on=_day(rng, launch, today),
        )

    def partnership_links(batch):
        partnerships.extend(p.pk for p in batch)
        countries = [(p.pk, rng.choice(profiles)) for p in batch for _ in range(rng.randint(1, 3))]
        links(Partnership.recipient_countries.through, "partnership", "countryprofile", countries)
        pairs = [(p.pk, rng.choice(sectors)) for p in batch]
        links(Partnership.sectors.through, "partnership", "sector", pairs)
        made = WorkingGroup.objects.bulk_create(
            WorkingGroup(partnership_id=p.pk, name=name)
            for p in batch
            if rng.random() < 0.2
            for name in rng.sample(["Steel", "Cement", "Finance", "Hydrogen"], rng.randint(1, 2))
        )
        for group in made:
            groups.setdefault(group.partnership_id, []).append(group.pk)

    add(Partnership, "partnerships", partnership, partnership_links)

    def partnership_and_group(share: float, with_group: bool = True) -> dict:
        """A generated partnership for `share` of the rows, and half the time one of its
        working groups when it has some (check_working_group: never another's)."""
        if rng.random() >= share:
            return {}
        pk = rng.choice(partnerships)
        own = groups.get(pk) if with_group else None
        group = rng.choice(own) if own and rng.random() < 0.5 else None
        return {"partnership_id": pk, **({"working_group_id": group} if with_group else {})}

    # Engagements: a provider, maybe a recipient, a next step for the open ones.
    signed = {"agreement_signed", "implementation", "completed"}

    def engagement(n, _):
        mode = rng.choice(Engagement.Mode.choices)
        stage = _weighted(rng, Engagement.Stage.values, 4, 3, 3, 3, 2, 3, 2, 1, 1)
        is_open = stage in Engagement.ACTIVE_STAGES
        return Engagement(
            title=f"{mode[1]}: {rng.choice(WORDS).lower()} {rng.choice(PRODUCTS)}, "
            f"{rng.choice(PLACES)}",
            provider_id=rng.choice(organisations)[0],
            recipient_id=rng.choice(organisations)[0] if rng.random() < 0.8 else None,
            recipient_country=rng.choice(codes),
            mode=mode[0],
            stage=stage,
            agreement_type=rng.choice(Engagement.Agreement.values) if stage in signed else "",
            agreement_date=_day(rng, launch, today) if stage in signed else None,
            trl_at_start=rng.randint(3, 9) if rng.random() < 0.6 else None,
            technology_id=rng.choice(technologies) if technologies and rng.random() < 0.7 else None,
            sector_id=rng.choice(sectors),
            next_step=rng.choice(NEXT_STEPS) if is_open else "",
            next_step_due=today + datetime.timedelta(days=rng.randint(-200, 300))
            if is_open and rng.random() < 0.8
            else None,
            owner_id=rng.choice(officers) if officers and rng.random() < 0.7 else None,
            notes=SYNTHETIC,
            last_verified_on=_day(rng, launch, today),
            **partnership_and_group(0.4),
        )

    add(Engagement, "engagements", engagement)

    # Assistance: financing and technical assistance through the generated partnerships.
    def assistance(n, _):
        kind = rng.choice(Assistance.Kind.choices)
        status = _weighted(rng, iati.ActivityStatus.values, 3, 4, 1, 2, 1, 1)
        planned = _day(rng, launch, today + datetime.timedelta(days=700))
        started = _day(rng, launch, today) if status in iati.STARTED else None
        ended = (
            _day(rng, started, today) if started and status == iati.ActivityStatus.CLOSED else None
        )
        amount = Decimal(rng.randint(1, 5000000)) / 100 if rng.random() < 0.85 else None
        currency = rng.choice(CURRENCIES)
        where = rng.choice(PLACES)
        return Assistance(
            title=f"{kind[1]} for {rng.choice(PRODUCTS)} in {where}",
            description=SYNTHETIC,
            iati_identifier=f"XI-SYN-A{n:06d}" if rng.random() < 0.3 else "",
            provider_id=rng.choice(organisations)[0],
            implementer_id=rng.choice(organisations)[0] if rng.random() < 0.5 else None,
            kind=kind[0],
            activity_status=status,
            finance_type=rng.choice([None, *iati.FinanceType.values]),
            flow_type=rng.choice([None, *iati.FlowType.values]),
            aid_type=rng.choice(["", *iati.AidType.values]),
            amount_musd=amount,
            amount_original=amount * 10 if amount is not None and currency != "USD" else None,
            currency=currency if amount is not None else "",
            recipient_country=rng.choice(codes),
            planned_start=planned,
            planned_end=planned + datetime.timedelta(days=rng.randint(180, 1500)),
            actual_start=started,
            actual_end=ended,
            last_verified_on=_day(rng, launch, today),
            **partnership_and_group(1),
        )

    add(Assistance, "assistance", assistance)

    # Forum activities, with participating members for some.
    def forum_activity(n, _):
        kind = rng.choice(ForumActivity.Kind.choices)
        starts = _day(rng, launch, today + datetime.timedelta(days=365))
        where = rng.choice(PLACES)
        return ForumActivity(
            title=f"{kind[1]}, {where} {starts.year}",
            kind=kind[0],
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=rng.randint(0, 3))
            if rng.random() < 0.6
            else None,
            location=where,
            cop_edition=f"COP{starts.year - 1994}" if kind[0] == "cop_side_event" else "",
            summary=SYNTHETIC,
            last_verified_on=_day(rng, launch, today),
            **partnership_and_group(0.2, with_group=False),
        )

    def forum_members(batch):
        pairs = [
            (f.pk, rng.choice(members)) for f in batch for _ in range(rng.choice([0, 0, 1, 3]))
        ]
        links(ForumActivity.members.through, "forumactivity", "member", pairs)

    add(ForumActivity, "forum activities", forum_activity, forum_members)
    return added
