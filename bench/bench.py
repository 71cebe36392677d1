"""make bench: the tracker's pages at 100,000 projects, side by side with the Django admin.

For each database (SQLite, then PostgreSQL) it builds a database with the demo data,
100,000 generated projects (financing and stage history included) and 100,000 generated rows
in every other list (organisations, members, contacts, partnerships, engagements, assistance,
forum activities: `generate_demo_data --rows-per-list`), then times, in the process
(Django's test client: the whole middleware stack, no network), with warm-up runs and the
median of several:

- the pipeline page and its htmx fragment, unfiltered and with typical filters, against the
  Django admin's changelist showing the same rows with the same filters;
- the dashboard, a project page, and the CSV export of every project (time, rows per second,
  and peak Python memory for the whole export and for a tenth of it: flat means streaming);
- the Excel export of every project: its time as a multiple of the CSV's, and its peak memory;
- the SQL queries of each request;
- text search: the scan it was (LIKE over every row) against the index (FTS5, pg_trgm), as a ratio.
- every section's list (leadit.sections.registry), unfiltered, with one filter and sorted: its
  htmx results against the bare replay of the very SQL they ran (captured, then run again on
  the driver's cursor with every row fetched), issue 18's goal 1.

It ends with issue 18's goals, one figure each (`summary`): goal 1 from the lists, goal 2 from
results["search"] when measured, goal 3 from the dashboard's visits; goal 4 is `make loadtest`'s.

Usage: python bench/bench.py [--projects N] [--rows-per-list N] [--runs N]
                           [--databases sqlite,postgres] [--reuse] [--no-exports]
--rows-per-list is --projects unless given: every list at the same size.
The measuring half runs in a child process per database (`--measure`), with DEBUG off.
BENCH_SQLITE_URL and BENCH_POSTGRES_URL move the databases it builds.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where the benchmark builds its databases (BENCH_SQLITE_URL / BENCH_POSTGRES_URL to move them,
# e.g. when several copies of the tracker are measured on one machine).
DATABASES = {
    "sqlite": os.environ.get("BENCH_SQLITE_URL", "sqlite:////tmp/leadit-bench.sqlite3"),
    "postgres": os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/leadit_bench"
    ),
}
HTMX = {"HX-Request": "true", "HX-Target": "results"}


def scenarios(ids: dict) -> list[tuple[str, str, str]]:
    """(name, pipeline query, admin changelist query) showing the same rows."""
    return [
        ("unfiltered", "", ""),
        (
            "sector + stage",
            f"sector={ids['sector_slug']}&stage=feasibility",
            f"sector__id__exact={ids['sector_id']}&stage__exact=feasibility",
        ),
        (
            "country + capex range",
            f"country={ids['country']}&capex_min=100&capex_max=2000",
            f"country={ids['country']}&capex_musd__gte=100&capex_musd__lte=2000",
        ),
        ("text search", "q=steel", "q=steel"),
    ]


# Issue 18, goal 1: each list's htmx results against the bare replay of its own SQL, every list
# holding --rows-per-list generated rows. Per section: one typical filter (a query string, or a
# field name: filtered by the value most rows have, 11-70% of the generated rows) and one sort
# on a column of its own or a related name, indexed (joined_on, country, next_step_due) or not
# (the others). A section missing here is still measured, unfiltered and by its first sort field.
LIST_CASES = {
    "pipeline": ("sector=steel&stage=feasibility", "-capex_musd"),  # the filter case
    "members": ("kind", "joined_on"),
    "organisations": ("org_type", "country"),
    "contacts": ("focal_point=yes", "organisation"),
    "engagements": ("stage", "next_step_due"),
    "partnerships": ("status", "launched_on"),
    "assistance": ("kind", "-amount_musd"),
    "forum": ("kind", "title"),
}
GOAL_RATIO = 2.0  # goal 1: a list's results within twice the time of its own SQL


# --- Set-up (parent process) ----------------------------------------------------------------------
def manage(url: str, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=url, DJANGO_DEBUG="1")
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(name: str, url: str, projects: int, rows_per_list: int, reuse: bool) -> None:
    wanted = {"pipeline": projects}  # every other list: rows_per_list
    existing = existing_rows(url)
    if reuse and existing and all(n >= wanted.get(k, rows_per_list) for k, n in existing.items()):
        print(
            f"[{name}] reusing the database ({projects:,}+ projects, {rows_per_list:,}+ rows "
            "in every other list)",
            flush=True,
        )
        return
    print(
        f"[{name}] building the database: demo data + {projects:,} projects + "
        f"{rows_per_list:,} rows in every other list",
        flush=True,
    )
    if name == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        admin = url.rsplit("/", 1)[0] + "/postgres"
        db = url.rsplit("/", 1)[1]
        subprocess.run(
            [
                "psql",
                admin,
                "-qc",
                f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)',
                "-qc",
                f'CREATE DATABASE "{db}"',
            ],
            check=True,
        )
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "setup_demo")
    started = time.perf_counter()
    manage(
        url,
        "generate_demo_data",
        "--projects",
        str(projects),
        "--rows-per-list",
        str(rows_per_list),
        "--seed",
        "8",
    )
    print(f"[{name}] generated in {time.perf_counter() - started:.0f} s", flush=True)
    if name == "postgres":
        subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)


def existing_rows(url: str) -> dict[str, int]:
    """The rows of every section's list in the database at `url` (empty if it has none)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=url, DJANGO_DEBUG="1")  # as manage(): outside make too
    code = (
        "import json; from leadit.sections.registry import sections; "
        "print(json.dumps({s.name: s.model.objects.count() for s in sections()}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {}


# --- Measuring (child process) --------------------------------------------------------------------
def measure(runs: int, exports: bool = True) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.models import Sector
    from partnerships import dashboard
    from partnerships.filtersets import ProjectFilterSet
    from partnerships.models import Project

    user = get_user_model().objects.get(username="secretariat")
    client = Client()
    client.force_login(user)
    sector = Sector.objects.get(slug="steel")
    country = (
        Project.objects.filter(sector=sector).values_list("country", flat=True).first() or "IN"
    )
    ids = {"sector_slug": sector.slug, "sector_id": sector.pk, "country": country}

    def timed(path: str, headers=None, consume=False, before=None) -> dict:
        headers = headers or {}

        def once() -> float:
            if before:
                before()
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            if consume:
                for _ in response.streaming_content:
                    pass
            assert response.status_code == 200, (path, response.status_code)
            return time.perf_counter() - started

        for _ in range(2):
            once()  # warm-up: caches, the database's pages, Python's imports
        times = [once() for _ in range(runs)]
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, headers=headers)
            if consume:
                for _ in response.streaming_content:
                    pass
        return {"ms": statistics.median(times) * 1000, "queries": len(queries)}

    results = {"pipeline": [], "pages": {}}
    for name, ours, admin in scenarios(ids):
        page = timed(f"/pipeline/?{ours}")
        fragment = timed(f"/pipeline/?{ours}", HTMX)
        changelist = timed(f"/admin/partnerships/project/?{admin}")
        rows = ProjectFilterSet(QueryDict(ours), queryset=Project.objects.all()).qs.count()
        results["pipeline"].append(
            {"filter": name, "rows": rows, "page": page, "fragment": fragment, "admin": changelist}
        )
        print(
            f"  {name}: {rows:,} rows; fragment {fragment['ms']:.0f} ms, "
            f"admin {changelist['ms']:.0f} ms",
            flush=True,
        )

    results["lists"] = measure_lists(client, runs)  # goal 1
    # What any request costs before a list does anything: the same middleware and session
    # for the logged-in user, one `SELECT 1` (the health check). A list whose SQL takes less
    # than half of this cannot be within 2x of it, however it renders.
    floor_ms, floor_cpu = median_ms(lambda: client.get("/healthz"), runs)
    results["floor"] = {"ms": floor_ms, "cpu_ms": floor_cpu}

    project = Project.objects.order_by("-pk").first()
    results["pages"]["dashboard"] = timed("/")

    def change():
        # A save, as an officer makes it: it queues the figures' recomputation for the worker.
        project.notes = f"bench {time.perf_counter()}"
        project.save()

    # The first visit after a change: the stored figures, never a recomputation (issue 18).
    results["pages"]["dashboard, first visit after a change"] = timed("/", before=change)
    started = time.perf_counter()
    dashboard.refresh_dashboard.call()  # what the worker then does, apart from any request
    results["pages"]["dashboard figures, recomputed by the worker"] = {
        "ms": (time.perf_counter() - started) * 1000,
        "queries": "—",
    }
    results["pages"]["project page"] = timed(f"/pipeline/{project.pk}/")
    results["pages"]["project edit form"] = timed(f"/pipeline/{project.pk}/edit/")

    total = Project.objects.count()
    if exports:  # most of the run's time at 100,000 projects (--no-exports leaves them out)
        export = timed("/pipeline/export.csv", consume=True)
        export["rows"] = total
        export["rows_per_second"] = total / (export["ms"] / 1000)
        for label, query in (("all", ""), ("tenth", "?capex_max=150")):
            tracemalloc.start()
            response = client.get(f"/pipeline/export.csv{query}")
            rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
            export[f"peak_mb_{label}"] = tracemalloc.get_traced_memory()[1] / 2**20
            export[f"rows_{label}"] = rows
            tracemalloc.stop()
        results["export"] = export

        # The Excel export of the same rows: time against the CSV's, and flat memory.
        excel = timed("/pipeline/export.xlsx", consume=True)
        excel["ratio_to_csv"] = excel["ms"] / export["ms"]
        for label, query in (("all", ""), ("tenth", "?capex_max=150")):
            tracemalloc.start()
            response = client.get(f"/pipeline/export.xlsx{query}")
            excel[f"mb_{label}"] = sum(len(chunk) for chunk in response.streaming_content) / 2**20
            excel[f"peak_mb_{label}"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        results["excel"] = excel
    results["search"] = measure_search(client, runs)
    results["projects"] = total
    results["database"] = connection.vendor
    results["database_version"] = (
        ".".join(map(str, connection.Database.sqlite_version_info))
        if (connection.vendor == "sqlite")
        # pg_version is e.g. 150020 for 15.20
        else f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
    )
    return results


# --- Text search: today's scan against the index (issue 18, goal 2) -----------------------------
def scanned_text_search(model, fields, value):
    """Text search as it was before the index (issue 18): LIKE on every row's search_text, OR
    related records' ids; every word of the search, as the indexed search takes them."""
    from django.db.models import Q

    from leadit.sections.search import search_words

    query = Q()
    relations = {field.partition("__")[0] for field in fields if "__" in field}
    for needle in search_words(value):
        matches = Q(pk__in=[])
        if any("__" not in field for field in fields):
            matches |= Q(search_text__contains=needle)
        for relation in sorted(relations):
            related = model._meta.get_field(relation).related_model
            found = related._default_manager.filter(search_text__contains=needle).values("pk")
            matches |= Q(**{f"{relation}__in": found})
        query &= matches
    return query


@contextmanager
def scanning():
    """The search as before the index: its query (scanned_text_search), in the list's own order,
    without the trigram indexes (dropped in a transaction rolled back after)."""
    from unittest import mock

    from django.db import connection, transaction

    from leadit.sections import search, views

    with (
        mock.patch.object(views, "text_search", scanned_text_search),
        mock.patch.object(views, "by_relevance", lambda queryset, fields, value: queryset),
        mock.patch.object(views, "in_two_passes", lambda queryset: queryset),
        transaction.atomic(),
    ):
        if connection.vendor == "postgresql":
            for model in search.searchable_models():
                search.drop_search_index(connection, model)
        yield
        transaction.set_rollback(True)


def measure_search(client, runs: int) -> list[dict]:
    """The pipeline's text search, scanned and indexed: its SQL (what the list's htmx results
    ran for it, captured and replayed bare: the related records' matches, the count and totals,
    the first page) and the htmx fragment."""
    from django.http import QueryDict

    from partnerships.filtersets import ProjectFilterSet
    from partnerships.models import Project

    number = Project.objects.order_by("-pk").values_list("name", flat=True)[0].split()[-1]
    terms = [
        ("a word in a fifth of the names", "steel"),
        ("two words", "hydrogen steel"),
        ("part of a project's number", number[:5]),
    ]

    def wall_ms(run) -> float:
        return median_ms(run, runs)[0]

    def sql(q: str):
        """The queries of the search, replayed bare: those the htmx results ran but the
        session's and the user's."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        found = ProjectFilterSet(QueryDict(f"q={q}"), queryset=Project.objects.all()).qs.count()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/pipeline/", {"q": q}, headers=HTMX).status_code == 200
        statements = [
            query["sql"]
            for query in captured
            if '"django_session"' not in query["sql"] and '"auth_' not in query["sql"]
        ]

        def run():
            replay(connection, statements)
            return found

        return run

    def fragment(q: str):
        return lambda: client.get("/pipeline/", {"q": q}, headers=HTMX)

    rows = []
    for label, q in terms:
        row = {"label": label, "term": q, "sql": wall_ms(sql(q))}
        row["fragment"] = wall_ms(fragment(q))
        rows_found = sql(q)()
        with scanning():
            row["sql_scan"] = wall_ms(sql(q))
            row["fragment_scan"] = wall_ms(fragment(q))
            assert sql(q)() == rows_found, q  # the same records either way
        row["rows"] = rows_found
        rows.append(row)
        print(
            f"  search {q!r}: {rows_found:,} rows; SQL {row['sql_scan']:.0f} -> {row['sql']:.0f} "
            f"ms, fragment {row['fragment_scan']:.0f} -> {row['fragment']:.0f} ms",
            flush=True,
        )
    return rows


def report_search(rows: list[dict]) -> list[str]:
    lines = [
        "",
        "| text search | rows | search SQL: scan → index | ratio | "
        "htmx fragment: scan → index | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| `{row['term']}` ({row['label']}) | {row['rows']:,} | "
            f"{row['sql_scan']:.0f} → {row['sql']:.0f} ms | {row['sql'] / row['sql_scan']:.2f}× | "
            f"{row['fragment_scan']:.0f} → {row['fragment']:.0f} ms | "
            f"{row['fragment'] / row['fragment_scan']:.2f}× |"
        )
    return lines


# --- Goal 1: each list's results against its own SQL (child process) -----------------------------
def median_ms(once, runs: int) -> tuple[float, float]:
    """The median wall-clock and CPU times of `runs` calls after two warm-ups, in milliseconds.
    The CPU time is this thread's: on SQLite it includes the database's work (it runs in the
    process), and other work on a shared machine does not inflate it."""
    for _ in range(2):
        once()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        once()
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def list_cases(section) -> list[tuple[str, str]]:
    """(case, query string) of a section's list: unfiltered, one filter (LIST_CASES), a sort."""
    from django.db.models import Count

    filterset = section.list_view.filterset_class
    spec, sort = LIST_CASES.get(section.name, (None, None))
    cases = [("unfiltered", "")]
    if spec and "=" in spec:
        cases.append((spec, spec))
    elif spec:  # the value most rows have, as the data stands
        common = (
            section.model.objects.values(spec).annotate(n=Count("pk")).order_by("-n", spec).first()
        )
        query = f"{spec}={common[spec] if common else ''}"
        cases.append((query, query))
    sort = sort or next(iter(filterset.sort_fields), None)
    if sort:
        cases.append((f"sort {sort}", f"sort={sort}"))
    return cases


def replay(connection, statements: list[str]) -> None:
    """The SQL a request ran, replayed on the driver's own cursor, every row fetched: what the
    request would cost if the rendering were free."""
    connection.ensure_connection()
    raw = connection.connection
    for sql in statements:
        cursor = raw.cursor()
        cursor.execute(sql)
        cursor.fetchall()
        cursor.close()


def measure_lists(client, runs: int) -> list[dict]:
    """Goal 1: every section's htmx results (unfiltered, filtered, sorted) against the bare
    replay of the exact SQL they ran (captured with CaptureQueriesContext)."""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from leadit.sections.registry import sections, url_of

    rows = []
    for section in sections():
        view = section.list_view
        list_url = url_of(section.model, "list")
        for case, query in list_cases(section):
            path = f"{list_url}?{query}"

            def fragment(path=path):
                response = client.get(path, headers=HTMX)
                assert response.status_code == 200, (path, response.status_code)

            fragment_ms, fragment_cpu = median_ms(fragment, runs)
            with CaptureQueriesContext(connection) as captured:
                fragment()
            statements = [q["sql"] for q in captured.captured_queries]
            sql_ms, sql_cpu = median_ms(lambda s=statements: replay(connection, s), runs)
            base = view.queryset if view.queryset is not None else section.model.objects.all()
            matching = view.filterset_class(QueryDict(query), queryset=base.all()).qs.count()
            row = {
                "section": section.name,
                "case": case,
                "path": path,
                "rows": matching,
                "queries": len(statements),
                "fragment_ms": fragment_ms,
                "sql_ms": sql_ms,
                "ratio": fragment_ms / sql_ms,
                # SQLite works in this process: CPU times compare the same work, unswayed by
                # other load on the machine (not so for a database server in another process).
                "fragment_cpu_ms": fragment_cpu,
                "sql_cpu_ms": sql_cpu,
                "cpu_ratio": fragment_cpu / sql_cpu if sql_cpu else None,
            }
            rows.append(row)
            print(
                f"  {section.name}, {case}: {matching:,} rows, {len(statements)} queries; "
                f"results {fragment_ms:.1f} ms, bare SQL {sql_ms:.1f} ms: {row['ratio']:.1f}x "
                f"(CPU {fragment_cpu:.1f} / {sql_cpu:.1f} ms)",
                flush=True,
            )
    return rows


# --- Report ---------------------------------------------------------------------------------------
def report(all_results: list[dict]) -> str:
    import django

    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, Django {django.__version__}",
        "",
    ]
    for results in all_results:
        lines += [
            f"### {results['database']} {results['database_version']}: "
            f"{results['projects']:,} projects",
            "",
            "| filter | rows | pipeline page | htmx fragment | admin changelist | "
            "admin ÷ fragment | queries: page / fragment / admin |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for row in results["pipeline"]:
            ratio = row["admin"]["ms"] / row["fragment"]["ms"]
            lines.append(
                f"| {row['filter']} | {row['rows']:,} | {row['page']['ms']:.0f} ms | "
                f"{row['fragment']['ms']:.0f} ms | {row['admin']['ms']:.0f} ms | {ratio:.1f}× | "
                f"{row['page']['queries']} / {row['fragment']['queries']} / "
                f"{row['admin']['queries']} |"
            )
        lines += report_search(results.get("search", []))
        lines += ["", "| page | median | queries |", "|---|---:|---:|"]
        for name, page in results["pages"].items():
            lines.append(f"| {name} | {page['ms']:.0f} ms | {page['queries']} |")
        lines += lists_table(results)
        export = results.get("export")
        if export:
            lines += [
                "",
                f"CSV export of all {export['rows']:,} projects: {export['ms'] / 1000:.2f} s, "
                f"{export['rows_per_second']:,.0f} rows/s, {export['queries']} queries; "
                f"peak Python memory {export['peak_mb_all']:.1f} MB for "
                f"{export['rows_all']:,} rows vs "
                f"{export['peak_mb_tenth']:.1f} MB for {export['rows_tenth']:,} rows.",
                "",
            ]
        excel = results.get("excel")
        if excel:
            lines += [
                f"Excel export of the same rows: {excel['ms'] / 1000:.2f} s, "
                f"{excel['ratio_to_csv']:.1f}× the CSV's time, {excel['mb_all']:.1f} MB file; "
                f"peak Python memory {excel['peak_mb_all']:.1f} MB for all rows vs "
                f"{excel['peak_mb_tenth']:.1f} MB for a tenth.",
                "",
            ]
    return "\n".join(lines)


def lists_table(results: dict) -> list[str]:
    """Goal 1's table: each list's htmx results against the bare replay of their SQL."""
    rows = results.get("lists")
    if not rows:
        return []
    cpu = results["database"] == "sqlite"  # the database works in the measured process
    lines = [
        "",
        "Each list's htmx results against the bare replay of their own SQL (issue 18, goal 1)"
        + ("; CPU: this process's CPU time, which includes SQLite's work" if cpu else "")
        + ":",
        "",
        "| list | case | rows | queries | results | bare SQL | results ÷ SQL |"
        + (" CPU ÷ CPU |" if cpu else ""),
        "|---|---|---:|---:|---:|---:|---:|" + ("---:|" if cpu else ""),
    ]
    for row in rows:
        line = (
            f"| {row['section']} | {row['case']} | {row['rows']:,} | {row['queries']} | "
            f"{row['fragment_ms']:.1f} ms | {row['sql_ms']:.1f} ms | {row['ratio']:.1f}× |"
        )
        if cpu:
            line += f" {row['cpu_ratio']:.1f}× |" if row.get("cpu_ratio") else " — |"
        lines.append(line)
    return lines


# --- Issue 18's goals, one figure each ------------------------------------------------------------
def summary(all_results: list[dict]) -> str:
    """The last lines of `make bench`: each goal of issue 18 as a ratio or a figure."""
    lines = ["", "## Issue 18: speed close to the database's own", ""]
    for results in all_results:
        lines.append(
            f"{results['database']} {results['database_version']}, "
            f"{results['projects']:,} projects:"
        )
        lines += ["  " + line for line in goal_rendering(results)]
        lines += ["  " + line for line in goal_search(results)]
        lines += ["  " + line for line in goal_dashboard(results)]
        lines.append("")
    lines.append(
        "Goal 4 (pages under load: p95 under 300 ms for list and record pages at 40 users while "
        "officers save, no error) is measured by `make loadtest` (gunicorn on PostgreSQL), not "
        "here: see docs/performance.md."
    )
    return "\n".join(lines)


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def goal_rendering(results: dict) -> list[str]:
    """Goal 1: every list's results within GOAL_RATIO x the bare replay of their own SQL, each
    list holding as many rows as the bench generated (`--rows-per-list`, the pipeline
    `--projects`): one line per list, its three cases."""
    rows = results.get("lists") or []
    if not rows:
        return ["Goal 1 (results ÷ their bare SQL ≤ 2): not measured"]
    cpu = results["database"] == "sqlite"
    lines = [
        f"Goal 1 (every list's results ÷ their bare SQL ≤ {GOAL_RATIO:g}"
        + ("; CPU time in brackets" if cpu else "")
        + f"): {met(all(row['ratio'] <= GOAL_RATIO for row in rows))}"
    ]
    for section in dict.fromkeys(row["section"] for row in rows):
        cases = [row for row in rows if row["section"] == section]
        figures = ", ".join(
            f"{row['case']} {row['ratio']:.1f}×"
            + (f" ({row['cpu_ratio']:.1f}×)" if cpu and row.get("cpu_ratio") else "")
            # The times it divides: a ratio that moves shows whether the rendering or the SQL did.
            + f" [{row['fragment_ms']:.1f} / {row['sql_ms']:.1f} ms]"
            for row in cases
        )
        most = max(row["rows"] for row in cases)
        lines.append(f"  {section} ({most:,} rows): {figures}")
    floor = results.get("floor")
    if floor:
        lines.append(
            f"  a request's floor (the health check through the same middleware and session): "
            f"{floor['ms']:.1f} ms (CPU {floor['cpu_ms']:.1f} ms)"
        )
    return lines


def goal_search(results: dict) -> list[str]:
    """Goal 2: a text search from an index, at most 0.2x the scan it was (`measure_search`:
    the search's own SQL, indexed against scanned, per term)."""
    rows = results.get("search")
    if not rows:
        return ["Goal 2 (search from an index ≤ 0.2× the scan): not measured in this run"]
    ratios = [(row["term"], row["sql"] / row["sql_scan"]) for row in rows]
    figures = ", ".join(f"{term!r} {ratio:.2f}×" for term, ratio in ratios)
    return [
        f"Goal 2 (search from an index ≤ 0.2× the scan, the search's SQL): {figures}: "
        f"{met(all(ratio <= 0.2 for _, ratio in ratios))}"
    ]


def goal_dashboard(results: dict) -> list[str]:
    """Goal 3: every dashboard visit, the first after a change too, ≤ 10 queries and 100 ms."""
    pages = results.get("pages", {})
    first = pages.get("dashboard, first visit after a change")
    if not first:
        return ["Goal 3 (dashboard ≤ 10 queries, ≤ 100 ms): not measured"]
    repeat = pages.get("dashboard", {})
    worker = pages.get("dashboard figures, recomputed by the worker", {})
    return [
        f"Goal 3 (dashboard ≤ 10 queries, ≤ 100 ms, first visit after a change included): "
        f"first visit after a change {first['ms']:.0f} ms, {first['queries']} queries; repeat "
        f"visit {repeat.get('ms', 0):.0f} ms, {repeat.get('queries', '?')} queries "
        f"(the worker's recomputation, apart from any visit: {worker.get('ms', 0):.0f} ms): "
        f"{met(first['ms'] <= 100 and first['queries'] <= 10)}"
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument(
        "--rows-per-list", type=int, default=None, help="rows of every other list (--projects)"
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs after two warm-ups")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--reuse", action="store_true", help="keep a database already built")
    parser.add_argument(
        "--no-exports", action="store_true", help="leave out the CSV and Excel exports (quicker)"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    options = parser.parse_args()

    if options.measure:  # the child: settings come from the environment
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadit.settings")
        Path(options.out).write_text(
            json.dumps(measure(options.runs, exports=not options.no_exports))
        )
        return 0

    all_results = []
    for name in options.databases.split(","):
        url = DATABASES[name]
        rows_per_list = options.projects if options.rows_per_list is None else options.rows_per_list
        prepare(name, url, options.projects, rows_per_list, options.reuse)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DATABASE_URL=url,
            DJANGO_DEBUG="0",
            DJANGO_LOCAL_HTTP="1",
            DJANGO_ALLOWED_HOSTS="testserver",
            DJANGO_SECRET_KEY="bench-" + "x" * 50,
            DJANGO_LOG_LEVEL="WARNING",
            # The exports themselves are measured, as the background worker makes them: no
            # hand-over to a job above the inline limit.
            LEADIT_EXPORT_INLINE_MAX_ROWS=str(10**9),
            IATI_REPORTING_ORG_REF="XI-LEADIT-BENCH",
        )
        # Production's static files (hashed names) for the pages' {% static %} tags.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"[{name}] measuring ({options.runs} runs after 2 warm-ups)", flush=True)
        partial = Path(f"{options.out}.{name}")
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                "--runs",
                str(options.runs),
                "--out",
                str(partial),
                *(["--no-exports"] if options.no_exports else []),
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
        if child.returncode:
            return 1
        all_results.append(json.loads(partial.read_text()))
        partial.unlink()
    Path(options.out).write_text(json.dumps(all_results, indent=1))
    print()
    print(report(all_results))
    print(summary(all_results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
