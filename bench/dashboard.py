"""Performance benchmark: the plan dashboard at national scale, served by gunicorn on PostgreSQL.

    .venv/bin/python bench/dashboard.py [--municipalities 342] [--clients 16] [--requests N]
        [--database-url postgres://postgres@127.0.0.1:5432/ov_bench] [--reuse] [--profile]
        [--cache shared|per-process] [--warm all|clients] [--load-tool python|wrk] [--duration 20]
        [--server-time-plans 100] [--cold-target-ms 30] [--actions-target-ms 300]

1. (Re)creates the database, migrates it and fills it with bench/generate.py (342 municipalities,
   2.46 million measurements, 102,600 actions), unless --reuse finds the data already there.
2. Collects static files into a temporary STATIC_ROOT and starts gunicorn with 2 workers on a free
   port of 127.0.0.1.
3. Logs in (once through the login form, and with a session per municipality user created in the
   database) and loads three URLs in turn with N concurrent clients: the plan dashboard, the actions
   list and a static file. Prints p50/p95/p99 latency and requests per second for each, and the
   ratio dashboard p95 / static p95. Every response must be 200 and contain the expected text.
   The load comes from client threads in this process, or with --load-tool wrk from wrk (its own
   process; `apt-get install -y wrk`) for --duration seconds after a warm-up by the Python client.
4. Times the dashboard in this process, cold (built without cache) and warm (from the cache),
   side by side: the server time, without HTTP and queueing (--server-time-plans).
5. When the dashboard misses the p95 target (or with --profile), profiles one dashboard request
   in-process: number of queries, the slowest ones with their row counts, and where Python spends
   its time.

Only ever talks to 127.0.0.1. gunicorn is always stopped at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import html
import http.client
import io
import itertools
import math
import os
import platform
import pstats
import re
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import generate
from harness import REPO, BenchError, CpuMeter, Server, log, manage, percent

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ov_bench"
# The plan dashboard moved from the plans app to the dashboards app; either name will do.
DASHBOARD_URL_NAMES = ("dashboards:plan", "plans:dashboard")
ACTIONS_URL_NAMES = ("actions:plan-list",)
STATUS_LABELS = ("Gepland", "In uitvoering", "Afgerond", "Vertraagd", "Vervallen")


# -- database -------------------------------------------------------------------------------------


def admin_url(database_url: str) -> tuple[str, str]:
    """The URL of the maintenance database on the same server, and the bench database's name."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name or not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise BenchError(f"Unexpected database name in {database_url!r}")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_database(database_url: str) -> None:
    import psycopg

    url, name = admin_url(database_url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(database_url: str) -> bool:
    import psycopg

    url, name = admin_url(database_url)
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def data_present(municipalities: int) -> bool:
    from openveiligheid.actions.models import Action
    from openveiligheid.core.models import ChangeLogEntry
    from openveiligheid.indicators.models import IndicatorState, Measurement
    from openveiligheid.organisations.models import Organisation

    indicators = municipalities * generate.INDICATORS_PER_THEME * 6
    actions = municipalities * generate.ACTIONS_PER_PLAN
    return (
        Organisation.objects.filter(kind="municipality").count() == municipalities
        and Measurement.objects.count() == indicators * generate.MONTHS
        and IndicatorState.objects.count() == indicators
        and Action.objects.count() == actions
        and ChangeLogEntry.objects.filter(owner_organisation__isnull=False).count()
        == indicators + actions
    )


def print_database_summary() -> None:
    from django.apps import apps
    from django.db import connection

    tables = [
        ("organisations", "Organisation"),
        ("auth", "User"),
        ("plans", "Plan"),
        ("plans", "Theme"),
        ("indicators", "Indicator"),
        ("indicators", "Target"),
        ("indicators", "Measurement"),
        ("actions", "ActionPlan"),
        ("actions", "Action"),
        ("core", "ChangeLogEntry"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        log(f"Database size: {cursor.fetchone()[0]}")
        log(f"  {'table':<28} {'rows':>12} {'size (with indexes)':>22}")
        for app_label, model_name in tables:
            table = apps.get_model(app_label, model_name)._meta.db_table
            cursor.execute(
                f'SELECT count(*), pg_size_pretty(pg_total_relation_size(%s)) FROM "{table}"',
                [table],
            )
            rows, size = cursor.fetchone()
            log(f"  {table:<28} {rows:>12,} {size:>22}")


# -- sessions -------------------------------------------------------------------------------------


@dataclass
class Target:
    """One municipality: its plan and a session of its programme manager."""

    organisation: str
    cbs_code: str
    plan_slug: str
    plan_title: str
    cookie: str = ""


def make_targets(count: int) -> list[Target]:
    from openveiligheid.plans.models import Plan

    plans = (
        Plan.objects.filter(owner__kind="municipality", status="adopted")
        .select_related("owner")
        .order_by("owner__cbs_code")[:count]
    )
    return [Target(plan.owner.name, plan.owner.cbs_code, plan.slug, plan.title) for plan in plans]


def create_sessions(targets: list[Target]) -> list[str]:
    """A logged-in session per municipality user, written straight into the session store (the
    login form hashes the password, which is not what this benchmark measures)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
        load_backend,
    )

    store = import_module(settings.SESSION_ENGINE).SessionStore
    # The backend a login through the form records: the first that reads users (the lock-out
    # backend before it only refuses logins), as Django's test client picks it too.
    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    names = [generate.username(target.cbs_code) for target in targets]
    users = get_user_model().objects.in_bulk(names, field_name="username")
    keys = []
    for name, target in zip(names, targets, strict=True):
        user = users[name]
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        target.cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        keys.append(session.session_key)
    return keys


def delete_sessions(keys: list[str]) -> None:
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()


# -- the server -----------------------------------------------------------------------------------


# -- HTTP -----------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def fetch(conn: http.client.HTTPConnection, path: str, cookie: str = "", method="GET", body=None):
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return Response(response.status, response.headers, response.read())


def form_login(port: int, username: str, password: str, next_path: str) -> str:
    """Log in through the login form with its CSRF token; returns the session cookie."""
    from urllib.parse import urlencode

    from django.conf import settings
    from django.urls import reverse

    login_path = reverse("login")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    page = fetch(conn, login_path)
    if page.status != 200:
        raise BenchError(f"GET {login_path} gave {page.status}")
    cookies = {}
    for header in page.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not match or settings.CSRF_COOKIE_NAME not in cookies:
        raise BenchError("The login form has no CSRF token")
    form = urlencode(
        {
            "username": username,
            "password": password,
            "next": next_path,
            "csrfmiddlewaretoken": match.group(1),
        }
    )
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    result = fetch(conn, login_path, cookie, "POST", form)
    conn.close()
    session = None
    for header in result.headers.get_all("Set-Cookie") or []:
        if header.startswith(settings.SESSION_COOKIE_NAME + "="):
            session = header.split(";", 1)[0]
    if result.status != 302 or not session:
        raise BenchError(f"POST {login_path} gave {result.status} without a session cookie")
    return session


@dataclass
class Endpoint:
    name: str
    paths: list[tuple[str, str, tuple[str, ...]]]  # (path, cookie, any-of expected texts)
    exact_body: bytes | None = None  # for the static file


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    bytes: int = 0
    others: float | None = None  # % of CPU used by other work meanwhile

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def kb_per_response(self) -> float:
        return self.bytes / max(len(self.latencies), 1) / 1024


@dataclass
class WrkResult:
    """The figures wrk's `done` callback reported (latencies in microseconds)."""

    name: str
    figures: dict[str, float]
    others: float | None = None

    def percentile(self, p: float) -> float:
        return self.figures[f"p{p:g}_us"] / 1000

    @property
    def count(self) -> int:
        return int(self.figures["requests"])

    @property
    def rps(self) -> float:
        return self.figures["requests"] / (self.figures["duration_us"] / 1e6)

    @property
    def kb_per_response(self) -> float:
        # wrk counts the response headers as well (about 0.4 KB here).
        return self.figures["bytes"] / max(self.figures["requests"], 1) / 1024


def check(endpoint: Endpoint, expected: tuple[str, ...], path: str, response: Response) -> None:
    if response.status != 200:
        snippet = response.text[:500]
        raise BenchError(f"{endpoint.name}: GET {path} gave {response.status}:\n{snippet}")
    if endpoint.exact_body is not None:
        if response.body != endpoint.exact_body:
            raise BenchError(f"{endpoint.name}: GET {path} did not return the collected file")
        return
    text = response.text
    if not any(needle in text for needle in expected):
        raise BenchError(
            f"{endpoint.name}: GET {path} does not contain any of {expected!r}\n{text[:800]}"
        )


def load(endpoint: Endpoint, port: int, clients: int, requests: int, max_seconds: float):
    """`clients` threads, each on its own keep-alive connection, share `requests` requests."""
    result = Result(endpoint.name)
    counter = itertools.count()
    stop = threading.Event()
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                number = next(counter)
                if number >= requests:
                    return
                path, cookie, expected = endpoint.paths[number % len(endpoint.paths)]
                started = time.perf_counter()
                try:
                    response = fetch(conn, path, cookie)
                except (OSError, http.client.HTTPException) as error:
                    # A closed keep-alive connection is retried once on a fresh one.
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    try:
                        response = fetch(conn, path, cookie)
                    except (OSError, http.client.HTTPException):
                        with lock:
                            result.errors.append(f"GET {path}: {error!r}")
                        stop.set()
                        return
                elapsed = time.perf_counter() - started
                try:
                    check(endpoint, expected, path, response)
                except BenchError as error:
                    with lock:
                        result.errors.append(str(error))
                    stop.set()
                    return
                with lock:
                    result.latencies.append(elapsed)
                    result.bytes += len(response.body)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    if result.errors:
        raise BenchError(f"{len(result.errors)} failed request(s); first:\n{result.errors[0]}")
    return result


# -- wrk ------------------------------------------------------------------------------------------

WRK_INSTALL_HINT = "install it with `apt-get install -y wrk` (Debian/Ubuntu) and run again"
WRK_THREADS = 2

# Spreads the requests over the paths like the Python client (round-robin, each path with the
# session of its municipality's programme manager), checks every response and reports one
# parseable line. Responses cannot be matched to their path here (wrk's response() does not say
# which connection answered), so the page text is checked during the warm-up by the Python client;
# here the status must be 200 and a static file must have its exact size.
WRK_SCRIPT = """
local paths = {%(paths)s}
local expected_size = %(expected_size)s
local threads_total = %(threads)d
local created = {}

function setup(thread)
  thread:set("id", #created)
  table.insert(created, thread)
end

function init(args)
  counter = id
  non_200 = 0
  bad_size = 0
  first_bad = ""
end

function request()
  local entry = paths[(counter %% #paths) + 1]
  counter = counter + threads_total
  if entry[2] == "" then
    return wrk.format("GET", entry[1])
  end
  return wrk.format("GET", entry[1], {["Cookie"] = entry[2]})
end

function response(status, headers, body)
  if status ~= 200 then
    non_200 = non_200 + 1
    if first_bad == "" then first_bad = "status " .. status end
  elseif expected_size and #body ~= expected_size then
    bad_size = bad_size + 1
    if first_bad == "" then first_bad = "body of " .. #body .. " bytes" end
  end
end

function done(summary, latency, requests)
  local non_200_total, bad_size_total, first = 0, 0, ""
  for _, thread in ipairs(created) do
    non_200_total = non_200_total + thread:get("non_200")
    bad_size_total = bad_size_total + thread:get("bad_size")
    if first == "" then first = thread:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    "WRK-RESULT requests=%%d duration_us=%%d bytes=%%d p50_us=%%d p95_us=%%d p99_us=%%d " ..
    "non_2xx=%%d non_200=%%d bad_size=%%d connect=%%d read=%%d write=%%d timeout=%%d " ..
    "first_bad=%%s\\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status, non_200_total, bad_size_total, e.connect, e.read, e.write, e.timeout,
    first == "" and "-" or first:gsub(" ", "_")))
end
"""


def lua_string(text: str) -> str:
    """A Lua string literal; every byte outside printable ASCII as a decimal escape."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if 32 <= byte < 127 and char not in '"\\':
            out.append(char)
        else:
            out.append(f"\\{byte}")
    return '"' + "".join(out) + '"'


def wrk_executable() -> str:
    found = shutil.which("wrk")
    if not found:
        raise BenchError(f"--load-tool wrk: wrk is not installed; {WRK_INSTALL_HINT}")
    return found


def load_wrk(endpoint: Endpoint, port: int, clients: int, seconds: float, script: Path):
    """Load one URL kind with wrk (a separate process, written in C) for `seconds`; the Lua
    script is written to `script`."""
    paths = ", ".join(
        "{" + lua_string(path) + ", " + lua_string(cookie) + "}"
        for path, cookie, _expected in endpoint.paths
    )
    size = "nil" if endpoint.exact_body is None else str(len(endpoint.exact_body))
    threads = min(WRK_THREADS, clients)
    script.write_text(
        WRK_SCRIPT % {"paths": paths, "expected_size": size, "threads": threads}, "utf-8"
    )
    command = [
        wrk_executable(),
        f"-t{threads}",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "60s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}{endpoint.paths[0][0]}",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    match = re.search(r"^WRK-RESULT (.*)$", completed.stdout, re.MULTILINE)
    if completed.returncode or not match:
        raise BenchError(
            f"{endpoint.name}: wrk failed (exit code {completed.returncode}):\n"
            f"{completed.stdout}{completed.stderr}"
        )
    pairs = dict(item.split("=", 1) for item in match.group(1).split())
    first_bad = pairs.pop("first_bad")
    figures = {key: float(value) for key, value in pairs.items()}
    failures = {
        key: int(figures[key])
        for key in ("non_2xx", "non_200", "bad_size", "connect", "read", "write", "timeout")
        if figures[key]
    }
    if failures or not figures["requests"]:
        raise BenchError(
            f"{endpoint.name}: wrk saw failed requests {failures or 'none completed'} of "
            f"{int(figures['requests'])} (first: {first_bad.replace('_', ' ')})"
        )
    log(
        f"  wrk, {endpoint.name}: {int(figures['requests'])} requests in "
        f"{figures['duration_us'] / 1e6:.1f} s, all 200; wrk used {cpu:.1f} s of CPU "
        f"({100 * cpu / (figures['duration_us'] / 1e6):.0f}% of one core)"
    )
    return WrkResult(endpoint.name, figures)


# -- profiling ------------------------------------------------------------------------------------


def profile_request(path: str, username: str) -> None:
    """One request in-process: queries (count, slowest, rows, planning time) and where Python
    spends its time (cProfile of 5 requests)."""
    import warnings

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # whitenoise warns about the (unused) default STATIC_ROOT in this process.
    warnings.filterwarnings("ignore", message="No directory at")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    for _ in range(3):
        client.get(path)  # warm: templates compiled, connection open
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        total = time.perf_counter() - started
    sql_seconds = sum(float(q["time"]) for q in queries.captured_queries)
    log(f"\nProfile of GET {path} as {username} (status {response.status_code}):")
    log(
        f"  {total * 1000:.1f} ms in-process, {len(queries)} queries taking "
        f"{sql_seconds * 1000:.1f} ms, response {len(response.content):,} bytes"
    )
    log("  slowest queries (Django time; rows, planning and execution from EXPLAIN ANALYZE):")
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]
    with connection.cursor() as cursor:
        for query in slowest:
            sql = query["sql"]
            detail = ""
            if sql.lstrip().upper().startswith("SELECT"):
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else plan
                detail = (
                    f"{plan['Plan']['Actual Rows']} rows, planning "
                    f"{plan['Planning Time']:.1f} ms, execution {plan['Execution Time']:.1f} ms"
                )
            log(f"    {float(query['time']) * 1000:5.1f} ms  {detail}")
            log(f"        {sql[:400]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(path)
    profiler.disable()
    prefixes = (str(REPO / "src") + "/", sysconfig.get_paths()["purelib"] + "/")

    def short(text: str) -> str:
        for prefix in prefixes:
            text = text.replace(prefix, "")
        return text

    for title, order, restriction in (
        ("project functions by cumulative time", "cumulative", "openveiligheid/"),
        ("all functions by own time", "tottime", ""),
    ):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(order)
        stats.print_stats(*([restriction] if restriction else []), 15)
        lines = out.getvalue().splitlines()
        header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        log(f"  cProfile of 5 requests, {title}:")
        log("\n".join("    " + short(line) for line in lines[header:] if line.strip()))


# -- main -----------------------------------------------------------------------------------------


@dataclass
class ServerTimes:
    """Per request: wall time and CPU time of the Django handler in this process, in ms, and the
    number of queries."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def percentile(self, values: list[float], p: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def cold_and_warm(targets: list[Target], count: int) -> tuple[ServerTimes, ServerTimes]:
    """The server time of building a dashboard that is not cached (the first view of each plan
    in this process, with an empty cache: as after a write in that municipality) and of the
    same dashboard from the cache (the second view), in-process: no HTTP, no queueing, so the
    figures are the server's own time. One dashboard is built first to compile the templates."""
    import warnings

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    warnings.filterwarnings("ignore", message="No directory at")
    client = Client(SERVER_NAME="127.0.0.1")
    users = get_user_model().objects
    cold, warm = ServerTimes(), ServerTimes()
    cache.clear()
    executed = [0]
    # As in a gunicorn worker (config/gunicorn.py): what exists after start-up is moved out of
    # the garbage collector's way, so the figures are those of the server, not of this process's
    # own long-lived objects.
    from openveiligheid.config.gunicorn import post_worker_init

    post_worker_init(None)

    def count_query(execute, sql, params, many, context):
        executed[0] += 1
        return execute(sql, params, many, context)

    for index, target in enumerate(targets[: count + 1]):
        client.force_login(users.get(username=generate.username(target.cbs_code)))
        path = resolve(DASHBOARD_URL_NAMES, target.plan_slug, f"/plannen/{target.plan_slug}/")
        for times in (cold, warm):
            executed[0] = 0
            with connection.execute_wrapper(count_query):
                started, started_cpu = time.perf_counter(), time.thread_time()
                response = client.get(path)
                wall = (time.perf_counter() - started) * 1000
                cpu = (time.thread_time() - started_cpu) * 1000
            if response.status_code != 200:
                raise BenchError(f"{path}: status {response.status_code} in-process")
            if index:  # the first plan only warms the process up
                times.wall.append(wall)
                times.cpu.append(cpu)
                times.queries.append(executed[0])
    return cold, warm


def report_cold_and_warm(cold: ServerTimes, warm: ServerTimes, target_ms: float) -> bool:
    log(
        f"\nDashboard server time in-process, {len(cold.wall)} plans, each built without cache "
        "(cold) and then read from the cache (warm):"
    )
    log(
        f"{'':6} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8} {'queries':>8}"
        f"   {'':6} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8} {'queries':>8}"
    )

    def columns(times: ServerTimes) -> str:
        return (
            f"{times.percentile(times.wall, 50):>8.1f} {times.percentile(times.wall, 95):>8.1f} "
            f"{times.percentile(times.cpu, 50):>8.1f} {times.percentile(times.cpu, 95):>8.1f} "
            f"{max(times.queries):>8}"
        )

    log(f"{'cold':6} {columns(cold)}   {'warm':6} {columns(warm)}")
    cold_p50 = cold.percentile(cold.wall, 50)
    log(f"Ratio cold / warm server time (p50): {cold_p50 / warm.percentile(warm.wall, 50):.1f}")
    met = cold_p50 < target_ms
    log(
        f"Target cold dashboard < {target_ms:.0f} ms of server time (p50): "
        f"{'met' if met else 'MISSED'} ({cold_p50:.1f} ms)"
    )
    return met


def code_version() -> str:
    """The commit benchmarked, and whether the working tree differs from it (read-only git)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "src"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown (no git)"
    if not commit:
        return "unknown (not a git checkout)"
    return f"commit {commit}" + (" with uncommitted changes under src/" if dirty else "")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=342)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--requests", type=int, default=800, help="requests per URL kind (default 800)"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=120, help="time limit per URL kind (default 120)"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep the data if it is complete")
    parser.add_argument("--profile", action="store_true", help="always profile the dashboard")
    parser.add_argument("--target-ms", type=float, default=150, help="dashboard p95 target")
    parser.add_argument(
        "--cold-target-ms",
        type=float,
        default=30,
        help="target for the server time of a dashboard that is not cached (p50)",
    )
    parser.add_argument(
        "--actions-target-ms", type=float, default=300, help="actions list p95 target"
    )
    parser.add_argument(
        "--server-time-plans",
        type=int,
        default=100,
        help="plans whose dashboard is timed in-process, cold and warm (0: skip)",
    )
    parser.add_argument("--seed", type=int, default=342)
    parser.add_argument(
        "--cache",
        choices=("shared", "per-process"),
        default="shared",
        help="shared (default): one cache for all workers, CACHE_URL=file://<temporary "
        "directory>, as the README recommends for production; per-process: the memory cache "
        "of each worker (CACHE_URL unset)",
    )
    parser.add_argument(
        "--warm",
        choices=("all", "clients"),
        default="all",
        help="all (default): warm up with every URL once, a server that has shown every "
        "dashboard before; clients: 2 requests per client only, so most dashboards are built "
        "during the measurement (first views after a restart or a write)",
    )
    parser.add_argument(
        "--load-tool",
        choices=("python", "wrk"),
        default="python",
        help="python: client threads in this process (default); wrk: the wrk load generator "
        f"in its own process, {WRK_THREADS} threads ({WRK_INSTALL_HINT.split('; ')[0]})",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=20,
        help="seconds of measurement per URL kind with --load-tool wrk (default 20)",
    )
    return parser.parse_args(argv)


def resolve(names: tuple[str, ...], slug: str, fallback: str) -> str:
    """The URL by the first of its names that exists; the literal path otherwise."""
    from django.urls import NoReverseMatch, reverse

    for name in names:
        try:
            return reverse(name, args=[slug])
        except NoReverseMatch:
            continue
    log(f"  note: none of the URL names {names} resolves; using {fallback}")
    return fallback


def main(argv=None) -> int:
    args = parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise BenchError("The benchmark needs PostgreSQL (--database-url postgres://...)")
    if args.load_tool == "wrk":
        wrk_executable()  # fail before the long part when wrk is missing
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "OPENVEILIGHEID_ENV": "development",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Respect a settings module given in the environment (e.g. a local override).
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "openveiligheid.config.settings"
        ),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    log(
        f"Open Veiligheid dashboard benchmark - {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )

    log(f"Code: {code_version()}")
    reuse = args.reuse and database_exists(args.database_url)
    if not reuse:
        log(f"Recreating database {admin_url(args.database_url)[1]}")
        recreate_database(args.database_url)
    manage(env, "migrate", "--noinput", "--skip-checks")

    import django

    django.setup()
    from django.db import connection

    if reuse and data_present(args.municipalities):
        log("Reusing the existing data (--reuse)")
    else:
        if reuse:
            log("The existing data does not match; recreating")
            connection.close()
            recreate_database(args.database_url)
            manage(env, "migrate", "--noinput", "--skip-checks")
        log(f"Generating data for {args.municipalities} municipalities")
        started = time.perf_counter()
        generate.build(args.municipalities, seed=args.seed, log=log)
        log(f"Generation took {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        log(cursor.fetchone()[0].split(" on ")[0])
    print_database_summary()

    targets = make_targets(args.municipalities)
    if not targets:
        raise BenchError("No adopted municipal plans in the database")
    session_keys = create_sessions(targets)
    dashboard_paths, action_paths = [], []
    for target in targets:
        needles = (html.escape(target.plan_title), html.escape(target.organisation))
        needles += tuple(n.replace("&#x27;", "&#39;") for n in needles)
        dashboard = resolve(DASHBOARD_URL_NAMES, target.plan_slug, f"/plannen/{target.plan_slug}/")
        actions = resolve(
            ACTIONS_URL_NAMES, target.plan_slug, f"/plannen/{target.plan_slug}/acties/"
        )
        dashboard_paths.append((dashboard, target.cookie, needles))
        action_paths.append((actions, target.cookie, STATUS_LABELS))

    static_dir = Path(tempfile.mkdtemp(prefix="ov-bench-static-"))
    env["STATIC_ROOT"] = str(static_dir)
    lua_script = static_dir.parent / f"{static_dir.name}.lua"  # for wrk; not served
    cache_dir = None
    if args.cache == "shared":
        cache_dir = Path(tempfile.mkdtemp(prefix="ov-bench-cache-"))
        env["CACHE_URL"] = f"file://{cache_dir}"
    log(f"Cache: {env.get('CACHE_URL') or 'default (locmem://, one per worker process)'}")
    server = None
    try:
        manage(env, "collectstatic", "--noinput")
        static_file = static_dir / "openveiligheid" / "site.css"
        if not static_file.exists():
            static_file = next(p for p in sorted(static_dir.rglob("*.css")) if p.is_file())
        static_path = "/static/" + static_file.relative_to(static_dir).as_posix()
        endpoints = [
            Endpoint("dashboard", dashboard_paths),
            Endpoint("actions list", action_paths),
            Endpoint("static file", [(static_path, "", ())], exact_body=static_file.read_bytes()),
        ]

        server = Server(env, args.workers, static_dir.parent / f"{static_dir.name}.log")
        server.wait_ready(static_path)
        log(
            f"gunicorn: {args.workers} workers on 127.0.0.1:{server.port}; {args.clients} clients, "
            + (
                f"wrk -t{min(WRK_THREADS, args.clients)} -c{args.clients} for "
                f"{args.duration:.0f} s per URL kind (warm-up with the Python client)"
                if args.load_tool == "wrk"
                else f"up to {args.requests} requests or {args.max_seconds:.0f} s per URL kind"
            )
        )

        # The login form works (and is not what we measure: sessions are made in the database).
        # A municipality's programme manager: a superuser must also give a second factor.
        try:
            username = generate.username(targets[0].cbs_code)
            cookie = form_login(
                server.port, username, generate.USER_PASSWORD, dashboard_paths[0][0]
            )
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            path = dashboard_paths[0][0]
            check(endpoints[0], dashboard_paths[0][2], path, fetch(conn, path, cookie))
            conn.close()
            log(f"Login form: ok ({username} logged in through the form with its CSRF token)")
        except BenchError as error:
            log(f"Login form: NOT ok ({error}); continuing with sessions from the database")

        # The machine may be shared: other work makes the figures worse, so measure it.
        meter = CpuMeter(server.process.pid)
        meter.start()
        time.sleep(3)
        log(f"CPU used by other work just before the load: {percent(meter.others_percent())}")
        results = []
        for endpoint in endpoints:
            # Warm up: every worker imports, compiles templates and opens its connection.
            # With --warm all (the default) every URL is requested once: caches hold every page.
            warm = max(2 * args.clients, len(endpoint.paths) if args.warm == "all" else 0)
            load(endpoint, server.port, args.clients, warm, max(args.max_seconds, 300))
            meter.start()
            if args.load_tool == "wrk":
                result = load_wrk(endpoint, server.port, args.clients, args.duration, lua_script)
            else:
                result = load(endpoint, server.port, args.clients, args.requests, args.max_seconds)
            result.others = meter.others_percent()
            results.append(result)
    except BaseException:
        if server is not None:
            log(f"\nLast lines of the gunicorn log:\n{server.tail()}\n")
        raise
    finally:
        if server is not None:
            server.stop()
            log(f"gunicorn stopped (exit code {server.process.returncode})")
            Path(server.log_path).unlink(missing_ok=True)
        shutil.rmtree(static_dir, ignore_errors=True)
        lua_script.unlink(missing_ok=True)
        if cache_dir is not None:
            shutil.rmtree(cache_dir, ignore_errors=True)
        delete_sessions(session_keys)

    log("")
    log(
        f"{'URL kind':<14} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'req/s':>8} {'KB/resp':>8} {'other CPU':>10}"
    )
    for result in results:
        log(
            f"{result.name:<14} {result.count:>9} {result.percentile(50):>8.1f} "
            f"{result.percentile(95):>8.1f} {result.percentile(99):>8.1f} {result.rps:>8.1f} "
            f"{result.kb_per_response:>8.1f} "
            f"{percent(result.others):>10}"
        )
    if any((r.others or 0) > 10 for r in results):
        log("Warning: other work used more than 10% of the CPUs; the figures are pessimistic.")
    dashboard_p95 = results[0].percentile(95)
    ratio = dashboard_p95 / results[2].percentile(95)
    log(f"Ratio dashboard p95 / static p95: {ratio:.1f}")
    met = dashboard_p95 < args.target_ms
    log(
        f"Target dashboard p95 < {args.target_ms:.0f} ms: "
        f"{'met' if met else 'MISSED'} ({dashboard_p95:.1f} ms)"
    )
    actions_p95 = results[1].percentile(95)
    log(
        f"Target actions list p95 < {args.actions_target_ms:.0f} ms with {args.clients} clients: "
        f"{'met' if actions_p95 < args.actions_target_ms else 'MISSED'} ({actions_p95:.1f} ms)"
    )
    if args.server_time_plans:
        cold, warm = cold_and_warm(targets, args.server_time_plans)
        report_cold_and_warm(cold, warm, args.cold_target_ms)
    username = generate.username(targets[0].cbs_code)
    if args.profile or not met:
        profile_request(dashboard_paths[0][0], username)
    if args.profile or results[1].percentile(95) >= args.target_ms:
        profile_request(action_paths[0][0], username)
    return 0 if met else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"\nBENCHMARK FAILED: {error}", file=sys.stderr, flush=True)
        sys.exit(2)
