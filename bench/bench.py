"""make bench: the tracker's pages at 100,000 projects, side by side with the Django admin.

For each database (SQLite, then PostgreSQL) it builds a database with the demo data and
100,000 generated projects (financing and stage history included), then times, in the
process (Django's test client: the whole middleware stack, no network), with warm-up runs and
the median of several:

- the pipeline page and its htmx fragment, unfiltered and with typical filters, against the
  Django admin's changelist showing the same rows with the same filters;
- the dashboard, a project page, and the CSV export of every project (time, rows per second,
  and peak Python memory for the whole export and for a tenth of it: flat means streaming);
- the Excel export of every project: its time as a multiple of the CSV's, and its peak memory;
- the SQL queries of each request;
- text search: the scan it was (LIKE over every row) against the index (FTS5, pg_trgm), as a ratio.

Usage: python bench/bench.py [--projects N] [--runs N] [--databases sqlite,postgres] [--reuse]
The measuring half runs in a child process per database (`--measure`), with DEBUG off.
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
DATABASES = {
    "sqlite": "sqlite:////tmp/leadit-bench.sqlite3",
    "postgres": "postgres://postgres@127.0.0.1:5432/leadit_bench",
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


# --- Set-up (parent process) ----------------------------------------------------------------------
def manage(url: str, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=url, DJANGO_DEBUG="1")
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(name: str, url: str, projects: int, reuse: bool) -> None:
    if reuse and existing_projects(url) >= projects:
        print(f"[{name}] reusing the database ({projects:,}+ projects)", flush=True)
        return
    print(f"[{name}] building the database: demo data + {projects:,} projects", flush=True)
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
    manage(url, "generate_demo_data", "--projects", str(projects), "--seed", "8")
    print(f"[{name}] generated in {time.perf_counter() - started:.0f} s", flush=True)
    if name == "postgres":
        subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)


def existing_projects(url: str) -> int:
    env = {**os.environ, "DATABASE_URL": url}
    code = "from partnerships.models import Project; print(Project.objects.count())"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    try:
        return int(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return 0


# --- Measuring (child process) --------------------------------------------------------------------
def measure(runs: int) -> dict:
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
        else str(connection.pg_version)
    )
    return results


# --- Text search: today's scan against the index (issue 18, goal 2) -----------------------------
def scanned_text_search(model, fields, value):
    """Text search as it was before the index (issue 18): LIKE on every row's search_text, OR
    related records' ids."""
    from django.db.models import Q

    from leadit.sections.search import fold

    needle = fold(value)
    query = Q()
    relations = {field.partition("__")[0] for field in fields if "__" in field}
    if any("__" not in field for field in fields):
        query |= Q(search_text__contains=needle)
    for relation in sorted(relations):
        related = model._meta.get_field(relation).related_model
        matches = related._default_manager.filter(search_text__contains=needle).values("pk")
        query |= Q(**{f"{relation}__in": matches})
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
        transaction.atomic(),
    ):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in search.searchable_models():
                    cursor.execute(f'DROP INDEX IF EXISTS "{model._meta.db_table}_search_trgm"')
        yield
        transaction.set_rollback(True)


def measure_search(client, runs: int) -> list[dict]:
    """The pipeline's text search, scanned and indexed: its SQL (the count and the first page,
    what the list asks for, replayed bare) and the htmx fragment."""
    from django.http import QueryDict

    from partnerships.filtersets import ProjectFilterSet
    from partnerships.models import Project

    number = Project.objects.order_by("-pk").values_list("name", flat=True)[0].split()[-1]
    terms = [
        ("a word in a fifth of the names", "steel"),
        ("two words", "hydrogen steel"),
        ("part of a project's number", number[:5]),
    ]

    def median_ms(run) -> float:
        for _ in range(2):
            run()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000

    def sql(q: str):
        """The queries of the search (the count and the first page), replayed bare."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        queryset = ProjectFilterSet(QueryDict(f"q={q}"), queryset=Project.objects.all()).qs
        with CaptureQueriesContext(connection) as captured:
            found = queryset.count()
            list(queryset.values_list("pk", flat=True)[:25])
        statements = [query["sql"] for query in captured]

        def run():
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
                    cursor.fetchall()
            return found

        return run

    def fragment(q: str):
        return lambda: client.get("/pipeline/", {"q": q}, headers=HTMX)

    rows = []
    for label, q in terms:
        row = {"label": label, "term": q, "sql": median_ms(sql(q))}
        row["fragment"] = median_ms(fragment(q))
        rows_found = sql(q)()
        with scanning():
            row["sql_scan"] = median_ms(sql(q))
            row["fragment_scan"] = median_ms(fragment(q))
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
        export = results["export"]
        lines += [
            "",
            f"CSV export of all {export['rows']:,} projects: {export['ms'] / 1000:.2f} s, "
            f"{export['rows_per_second']:,.0f} rows/s, {export['queries']} queries; peak Python "
            f"memory {export['peak_mb_all']:.1f} MB for {export['rows_all']:,} rows vs "
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="timed runs after two warm-ups")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--reuse", action="store_true", help="keep a database already built")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    options = parser.parse_args()

    if options.measure:  # the child: settings come from the environment
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadit.settings")
        Path(options.out).write_text(json.dumps(measure(options.runs)))
        return 0

    all_results = []
    for name in options.databases.split(","):
        url = DATABASES[name]
        prepare(name, url, options.projects, options.reuse)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
