"""make loadtest: many simulated officers against gunicorn and PostgreSQL, on loopback.

Sets up a PostgreSQL database with the demo data and extra generated projects, starts one or
more gunicorn instances on it (the production configuration: DEBUG off, whitenoise), and for a
bounded time drives them from concurrent simulated users, spread over the instances as a load
balancer would. Readers browse the pipeline, filter it with htmx, open projects, the dashboard
and the members; Secretariat users also edit projects and move their stage, throughout the run.
Each user waits a think time between clicks (--think, seconds on average, as an officer reading
a page; 0 sends the next request at once, a stress test rather than a day at the office).
Reports requests per second, the latency percentiles (p50, p95, p99) of each request type
against the target for list and record pages (p95 under --target-ms), the saves made in each
quarter of the run, and errors (anything but an expected answer): it exits non-zero on any
error (and on a missed target with --enforce-target). With --restart-db, PostgreSQL is restarted
halfway: requests during the restart must be clean 503s and the instances must recover by
themselves.

Only the standard library: the script measures the server, not a client framework.
"""

import argparse
import datetime
import html.parser
import http.cookiejar
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "leadit-demo"
EXPECTED = {200, 302, 409, 422}  # pages, redirects after a save, edit conflicts, refused input
# Request types held to the latency target (issue 18, goal 4): the list and record pages.
TARGETED = {
    "pipeline page": "list",
    "pipeline fragment": "list",
    "members": "list",
    "project page": "record",
}
SAVES = ("edit save", "stage change")  # what officers write while the others read
STAGES = ["identified", "pre_feasibility", "feasibility", "financing", "fid", "construction"]


# --- Set-up ---------------------------------------------------------------------------------------
def run(*args, env=None, quiet=True):
    result = subprocess.run(args, cwd=ROOT, env=env, text=True, capture_output=quiet, check=False)
    if result.returncode:
        sys.exit(f"failed: {' '.join(args)}\n{result.stdout or ''}{result.stderr or ''}")
    return result


def prepare_database(url: str, projects: int, env: dict) -> None:
    name = urllib.parse.urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    print(f"Database: a fresh '{name}' with the demo data and {projects:,} generated projects")
    run(
        "psql",
        admin,
        "-qc",
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        "-qc",
        f'CREATE DATABASE "{name}"',
    )
    setup = {**env, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    run(PYTHON, "manage.py", "migrate", "--noinput", env=setup)
    run(PYTHON, "manage.py", "setup_demo", env=setup)
    if projects:
        run(
            PYTHON,
            "manage.py",
            "generate_demo_data",
            "--projects",
            str(projects),
            "--seed",
            "7",
            env=setup,
        )


def shared_cache(url: str) -> str:
    if url == "none":
        return ""
    parts = urllib.parse.urlparse(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=2).close()
    except OSError:
        print(f"Cache: {url} does not answer; each process keeps its own cache")
        return ""
    print(f"Cache: shared by the instances at {url}")
    return url


def start_instances(count: int, first_port: int, workers: int, threads: int, env: dict):
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    instances = []
    for n in range(count):
        port = first_port + n
        log = open(ROOT / f"bench/gunicorn-{port}.log", "w")  # noqa: SIM115 (closed on exit)
        process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "leadit.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--worker-class",
                "gthread",
                "--no-control-socket",
                "--forwarded-allow-ips",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        instances.append((f"http://127.0.0.1:{port}", process, log))
    try:
        wait_for(instances)
    except BaseException:
        stop(instances)
        raise
    print(
        f"Serving: {count} gunicorn instance(s) x {workers} workers x {threads} threads: "
        + ", ".join(base for base, _, _ in instances)
    )
    return instances


def stop(instances) -> None:
    for _, process, log in instances:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_for(instances) -> None:
    for base, process, _ in instances:
        for _ in range(100):
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=10).status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
            if process.poll() is not None:
                sys.exit(f"gunicorn on {base} did not start; see bench/gunicorn-*.log")
        else:
            sys.exit(f"gunicorn on {base} did not answer /healthz")


# --- A simulated user -----------------------------------------------------------------------------
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # each request is measured on its own; a 302 is an answer


class FormReader(html.parser.HTMLParser):
    """The fields of the form with this id, as a browser would submit them, and the options of
    every select (the filter values a user can pick)."""

    def __init__(self, form_id: str | None = None):
        super().__init__()
        self.form_id, self.in_form, self.done = form_id, False, False
        self.fields, self.options = {}, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and self.form_id and a.get("id") == self.form_id:
            self.in_form = True
        elif tag == "select":
            self._select = a.get("name")
            self.options.setdefault(self._select, [])
        elif tag == "option" and self._select:
            self.options[self._select].append(a.get("value") or "")
            if self.in_form and "selected" in a:
                self.fields[self._select] = a.get("value") or ""
        if tag == "input" and a.get("type") in ("checkbox", "radio") and "name" in a:
            self.options.setdefault(a["name"], []).append(a.get("value") or "")
        if tag in ("form", "select", "option") or not self.in_form or "name" not in a:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


class User:
    def __init__(self, name: str, bases: list[str], stats: "Stats", rng: random.Random):
        self.name, self.bases, self.stats, self.rng = name, bases, stats, rng
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def base(self) -> str:
        return self.rng.choice(self.bases)  # a load balancer without sticky sessions

    def request(self, label, path, data=None, headers=None, base=None):
        url = (base or self.base()) + path
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        if body is not None:
            request.add_header("Referer", url)  # Django's CSRF check over https wants it
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, content = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, content = error.code, error.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            status, content = f"connection: {getattr(error, 'reason', error)}", b""
        self.stats.record(label, status, time.perf_counter() - started)
        return status, content.decode("utf-8", "replace")

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def log_in(self, username: str) -> bool:
        base = self.base()
        self.request("login form", "/accounts/login/", base=base)
        status, _ = self.request(
            "log in",
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
            base=base,
        )
        return status == 302


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (time, label, status, seconds)

    def record(self, label, status, seconds):
        with self.lock:
            self.samples.append((time.monotonic(), label, status, seconds))


def pause(user: User, think: float, stop_at: float) -> None:
    """A user's think time: between half and one and a half times `think` seconds."""
    if think > 0:
        time.sleep(min(user.rng.uniform(0.5, 1.5) * think, max(0.0, stop_at - time.monotonic())))


def browse(user: User, catalogue: dict, editor: bool, stop_at: float, think: float) -> None:
    rng = user.rng
    if think > 0:
        time.sleep(rng.uniform(0, think))  # users arrive over the first think time, not at once
    while time.monotonic() < stop_at:
        action = rng.choices(
            ["pipeline", "filter", "project", "dashboard", "members", "edit", "stage"],
            weights=[10, 30, 25, 5, 5, 15 if editor else 0, 10 if editor else 0],
        )[0]
        if action == "pipeline":
            user.request("pipeline page", "/pipeline/")
        elif action == "filter":
            params = rng.choice(
                [
                    {
                        "sector": rng.choice(catalogue["sector"]),
                        "stage": rng.choice(catalogue["stage"]),
                    },
                    {
                        "country": rng.choice(catalogue["country"]),
                        "capex_min": "100",
                        "capex_max": "2000",
                    },
                    {"q": rng.choice(["steel", "cement", "hydrogen", "green", "ammonia"])},
                    {
                        "sort": rng.choice(["-capex_musd", "name", "stage"]),
                        "page": rng.randint(1, 5),
                    },
                ]
            )
            user.request(
                "pipeline fragment",
                "/pipeline/?" + urllib.parse.urlencode(params),
                headers={"HX-Request": "true", "HX-Target": "results"},
            )
        elif action == "project":
            user.request("project page", f"/pipeline/{rng.choice(catalogue['projects'])}/")
        elif action == "dashboard":
            user.request("dashboard", "/")
        elif action == "members":
            user.request("members", "/members/")
        elif action == "edit":
            edit(user, rng.choice(catalogue["projects"]), think, stop_at)
        elif action == "stage":
            user.request(
                "stage change",
                f"/pipeline/{rng.choice(catalogue['projects'])}/stage/",
                {
                    "to_stage": rng.choice(STAGES),
                    "changed_on": datetime.date.today().isoformat(),
                    "note": f"load test, {user.name}",
                    "csrfmiddlewaretoken": user.csrf(),
                },
                headers={"HX-Request": "true", "HX-Target": "stage"},
            )
        pause(user, think, stop_at)


def edit(user: User, pk: int, think: float, stop_at: float) -> None:
    base = user.base()
    path = f"/pipeline/{pk}/edit/"
    status, page = user.request("edit form", path, base=base)
    if status != 200:
        return
    pause(user, think, stop_at)  # reading the form and typing
    if time.monotonic() >= stop_at:
        return
    form = FormReader("form")
    form.feed(page)
    fields = form.fields
    if "loaded_version" not in fields:
        user.stats.record("edit form unreadable", "no form", 0)
        return
    fields["description"] = f"Called the sponsor ({user.name}, {time.strftime('%H:%M:%S')})"
    user.request("edit save", path, fields, base=base)


def catalogue_of(user: User) -> dict:
    _, page = user.request("pipeline page", "/pipeline/?per_page=100&sort=-capex_musd")
    reader = FormReader()
    reader.feed(page)
    values = {
        name: [v for v in reader.options.get(name, []) if v]
        for name in ("sector", "stage", "country")
    }
    values["projects"] = sorted({int(pk) for pk in re.findall(r'href="/pipeline/(\d+)/"', page)})
    if not all(values.values()):
        found = {name: len(v) for name, v in values.items()}
        sys.exit(f"could not read the pipeline's filters and projects: {found}")
    return values


# --- The run --------------------------------------------------------------------------------------
def restart_database(at: float, log: dict) -> None:
    time.sleep(max(0.0, at - time.monotonic()))
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    log["restart_started"] = time.monotonic()
    result = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
        capture_output=True,
        text=True,
    )
    log["restart_done"] = time.monotonic()
    log["restart_result"] = result.returncode, result.stderr.strip()


def percentile(values, p):
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0
    )


def report(
    stats: Stats, started: float, ended: float, restart: dict, target_ms: float, enforce: bool
) -> int:
    samples = [s for s in stats.samples if started <= s[0] <= ended]
    fault_from = restart.get("restart_started")
    # Requests in the restart window (and the seconds after it that recovery takes) are judged
    # apart: there a 503 is the right answer.
    recovered = None
    if fault_from:
        after = [s for s in samples if s[0] >= restart["restart_done"] and s[2] in (200, 302)]
        recovered = min((s[0] for s in after), default=None)
    in_fault = lambda s: fault_from and fault_from <= s[0] <= (recovered or ended)  # noqa: E731
    normal = [s for s in samples if not in_fault(s)]
    fault = [s for s in samples if in_fault(s)]
    seconds = ended - started
    if not normal:
        print("\nno requests were answered")
        return 1
    times = [s[3] for s in normal]
    print(
        f"\n{len(samples):,} requests in {seconds:.0f} s: {len(samples) / seconds:.1f} requests/s"
    )
    print(
        f"latency{' (outside the restart)' if fault_from else ''}: "
        f"median {statistics.median(times) * 1000:.0f} ms, "
        f"p90 {percentile(times, 90) * 1000:.0f} ms, p99 {percentile(times, 99) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms"
    )
    print(
        f"\n{'request':<22}{'count':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}"
        f"  {'target':<22}answers"
    )
    by_label = {}
    for s in normal:
        by_label.setdefault(s[1], []).append(s)
    missed = []
    for label, rows in sorted(by_label.items()):
        durations = [r[3] * 1000 for r in rows]
        answers = ", ".join(
            f"{k}: {v}" for k, v in sorted(Counter(str(r[2]) for r in rows).items())
        )
        p95 = percentile(durations, 95)
        target = ""
        if label in TARGETED:
            met = p95 < target_ms
            target = f"{TARGETED[label]}: {'ok' if met else 'MISSED'}"
            if not met:
                missed.append(label)
        print(
            f"{label:<22}{len(rows):>7}{statistics.median(durations):>8.0f}{p95:>8.0f}"
            f"{percentile(durations, 99):>8.0f}{max(durations):>8.0f}  {target:<22}{answers}"
        )
    absent = sorted(set(TARGETED) - set(by_label))
    print(
        f"\np95 under {target_ms:.0f} ms for list and record pages "
        f"({', '.join(sorted(TARGETED))}): "
        + ("met" if not missed and not absent else "NOT met")
        + (f" (over: {', '.join(missed)})" if missed else "")
        + (f" (not requested: {', '.join(absent)})" if absent else "")
    )
    # Officers save throughout the run, not only at its start: saves in each quarter of it.
    quarters = [0, 0, 0, 0]
    for s in samples:
        if s[1] in SAVES and s[2] in (200, 302):
            quarters[min(3, int((s[0] - started) / seconds * 4))] += 1
    print(f"saves (edits and stage moves) in each quarter of the run: {quarters}")
    errors = [s for s in normal if s[2] not in EXPECTED]
    print(f"\nerrors: {len(errors)}" + (f" {Counter(str(s[2]) for s in errors)}" if errors else ""))
    failed = bool(errors) or (enforce and bool(missed or absent))
    if fault_from:
        code, stderr = restart["restart_result"]
        if code:
            print(f"database restart FAILED to run: {stderr}")
            return 1
        answers = Counter(str(s[2]) for s in fault)
        bad = {k: v for k, v in answers.items() if k not in {"503", *map(str, EXPECTED)}}
        took = restart["restart_done"] - fault_from
        print(f"database restart: took {took:.1f} s; answers meanwhile: {dict(answers)}")
        if recovered is None:
            print("NOT RECOVERED: no successful answer after the restart")
            failed = True
        else:
            print(
                f"recovered {recovered - restart['restart_done']:.1f} s after the database was back"
            )
        if bad:
            print(f"unclean answers during the restart: {bad}")
            failed = True
    print("\nRESULT:", "FAILED" if failed else "passed")
    return int(failed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=40, help="concurrent simulated users")
    parser.add_argument("--editors", type=float, default=0.25, help="share of them who edit")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument(
        "--think",
        type=float,
        default=3.0,
        help="seconds a user waits between clicks, on average (0: none, a stress test)",
    )
    parser.add_argument(
        "--target-ms", type=float, default=300, help="p95 target of list and record pages"
    )
    parser.add_argument(
        "--enforce-target", action="store_true", help="also fail when the p95 target is missed"
    )
    parser.add_argument("--instances", type=int, default=2, help="gunicorn instances")
    parser.add_argument("--workers", type=int, default=2, help="workers per instance")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--port", type=int, default=8101, help="first instance's port")
    parser.add_argument("--projects", type=int, default=5000, help="generated projects")
    parser.add_argument("--restart-db", action="store_true", help="restart PostgreSQL halfway")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/leadit_loadtest"
        ),
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("LOADTEST_CACHE_URL", "redis://127.0.0.1:6379/1"),
        help="the instances' shared cache (DJANGO_CACHE_URL); 'none' for one per process",
    )
    options = parser.parse_args()
    if not options.database_url.startswith("postgres"):
        sys.exit("The load test runs on PostgreSQL (LOADTEST_DATABASE_URL).")
    if options.restart_db and not shutil.which("pg_ctlcluster"):
        sys.exit("--restart-db needs pg_ctlcluster (Debian's PostgreSQL) on this machine.")

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    prepare_database(options.database_url, options.projects, env)
    serve_env = {
        **env,
        "DATABASE_URL": options.database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_LOCAL_HTTP": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECRET_KEY": "loadtest-" + os.urandom(24).hex(),
        "DJANGO_CACHE_URL": shared_cache(options.cache_url),
    }  # the instances' own (JSON) logs go to bench/gunicorn-<port>.log
    instances = start_instances(
        options.instances, options.port, options.workers, options.threads, serve_env
    )
    bases = [base for base, _, _ in instances]
    try:
        stats = Stats()
        editors = max(1, round(options.users * options.editors))
        users = [User(f"user{n}", bases, stats, random.Random(n)) for n in range(options.users)]
        print(
            f"Users: {options.users} ({editors} Secretariat editors, the rest viewers), logging in"
        )
        for n, user in enumerate(users):
            if not user.log_in("secretariat" if n < editors else "viewer"):
                sys.exit(f"{user.name} could not log in")
        catalogue = catalogue_of(users[0])
        stats.samples.clear()
        started = time.monotonic()
        stop_at = started + options.duration
        restart = {}
        threads = [
            threading.Thread(
                target=browse, args=(u, catalogue, n < editors, stop_at, options.think)
            )
            for n, u in enumerate(users)
        ]
        if options.restart_db:
            threads.append(
                threading.Thread(
                    target=restart_database, args=(started + options.duration / 2, restart)
                )
            )
        print(
            f"Load: {options.duration:.0f} s, "
            + (
                f"{options.think:g} s think time between a user's clicks on average"
                if options.think > 0
                else "no think time (each user clicks again as soon as answered)"
            )
            + (", PostgreSQL restarted halfway" if options.restart_db else "")
        )
        load_before = os.getloadavg()[0]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # Other work on the machine shows in the latencies: say how busy it was.
        print(
            f"machine load (1-minute average, {os.cpu_count()} cores): {load_before:.1f} before "
            f"the run, {os.getloadavg()[0]:.1f} at its end"
        )
        return report(
            stats, started, time.monotonic(), restart, options.target_ms, options.enforce_target
        )
    finally:
        stop(instances)


if __name__ == "__main__":
    sys.exit(main())
