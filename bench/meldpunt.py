"""The public meldpunt under load, with its PostgreSQL stopped and started in the middle: the
sustained rate of reports, their latency, and proof that every report that got a receipt is in
the database.

    .venv/bin/python bench/meldpunt.py [--clients 8] [--workers 3] [--duration 60]
                                       [--outage-at 20] [--outage-seconds 5] [--keep]

1. Starts a PostgreSQL of its own: `initdb` in a temporary directory, a free port on 127.0.0.1,
   `pg_ctl start` (the binaries of the newest /usr/lib/postgresql/*/bin, or of the PATH; as root
   they run as the `postgres` user through runuser, since PostgreSQL refuses to run as root).
2. Creates the database, runs `openveiligheid migrate`, collects the static files and makes one
   municipality with its default meldpunt categories.
3. Starts gunicorn (the project's config/gunicorn.py, `--workers` sync workers) in production
   mode (OPENVEILIGHEID_ENV=production, DEBUG off, the privacy keys generated for the run) with
   `OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR` raised far above what the run sends: the per-client
   limit would otherwise stop the load after five reports.
4. `--clients` threads each fetch the form once (its CSRF cookie and token), then post reports
   for `--duration` seconds, as a resident's browser does: the form fields with the honeypot
   empty, then the receipt page the answer redirects to, which shows the report's reference. Each
   description carries a unique marker, so every answered request can be found in the database.
5. At `--outage-at` seconds it stops the PostgreSQL (`pg_ctl stop -m fast`: open connections are
   cut, transactions in flight roll back), waits `--outage-seconds` and starts it again. The
   clients keep posting all the time; answers are counted per phase (before, during, after).
   With `--idle-outage` the clients hold back from just before the stop until the start, as at
   a quiet moment: no worker notices the outage, and each one's first request afterwards meets
   the connection the restart cut (compare `--no-health-checks`).
6. Prints the sustained rate (reports with a receipt per second, before the outage and after it)
   and p50/p99 of the POST latency, the answers per phase, and the check: every POST answered with
   the redirect to the receipt must have its row (its marker in the database and, where the
   receipt was read, its reference) - `lost=0`. Reports stored while the answer was an error
   (committed, then the connection cut before the response) are counted too: the resident saw
   an error, nothing was lost. Service must resume after the restart (CONN_HEALTH_CHECKS: a
   worker's connection cut by the restart is noticed and replaced at the next request).

While the database is away the product answers 503 with Retry-After and a page that asks to try
again (core.errors); any answer other than the redirect and 503 counts as unclean.

Exit code 0 when nothing is lost, no answer claimed success without a row, every failure was a
clean 503 and after the restart reports succeed again; 1 otherwise; 2 when the benchmark itself
failed. The PostgreSQL and gunicorn are stopped and the temporary directory removed in every case
(`--keep` keeps the directory, with the PostgreSQL and gunicorn logs).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import glob
import http.client
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from harness import REPO, BenchError, CpuMeter, Server, free_port, log, manage, percent

SLUG = "meldstad"
MARKER = re.compile(r"bench-\d+-\d+")


# --------------------------------------------------------------------------------------------
# PostgreSQL of its own


def postgres_bin() -> Path:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    if candidates:
        return Path(candidates[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise BenchError("no PostgreSQL server binaries (initdb, pg_ctl); apt-get install postgresql")


class Postgres:
    def __init__(self, directory: Path):
        self.bin = postgres_bin()
        self.directory = directory
        self.data = directory / "pgdata"
        self.log_path = directory / "postgresql.log"
        self.port = free_port()
        # PostgreSQL will not run as root: run its programs as the postgres user, which must
        # then own the directory.
        self.as_user = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(directory, "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/ov_meldpunt"

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            [*self.as_user, *args], capture_output=True, text=True, cwd=self.directory
        )
        if result.returncode:
            raise BenchError(f"{' '.join(args)}:\n{result.stdout}{result.stderr}")
        return result.stdout

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c max_connections=100 -c fsync=on"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log_path),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def sql(self, statement: str) -> str:
        return self._run(
            str(self.bin / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "ov_meldpunt" if "CREATE DATABASE" not in statement else "postgres",
            "-At",
            "-c",
            statement,
        )


# --------------------------------------------------------------------------------------------
# The product


SETUP = f"""
from openveiligheid.organisations.models import Organisation
from openveiligheid.signals.services import ensure_default_categories
org = Organisation.objects.create(
    kind="municipality", name="Gemeente Meldstad", slug="{SLUG}", cbs_code="GM9999")
print(" ".join(str(category.pk) for category in ensure_default_categories(org)))
"""


# --------------------------------------------------------------------------------------------
# The load


@dataclass
class Outcome:
    marker: str
    started: float  # seconds since the start of the load
    seconds: float  # the POST's latency
    status: int | str  # HTTP status, or the name of a connection error
    reference: str = ""  # from the receipt page, when the POST redirected there and it answered

    @property
    def succeeded(self) -> bool:
        return self.status == 302


@dataclass
class Run:
    port: int
    categories: list[str]
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    # --idle-outage: set while the clients hold back (a restart at a quiet moment).
    paused: threading.Event = field(default_factory=threading.Event)
    started: float = 0.0
    cpu: CpuMeter | None = None


def request(port: int, method: str, path: str, cookies: dict, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
    finally:
        conn.close()
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    return response.status, response.headers, data


def client(run: Run, number: int) -> None:
    form_path = f"/meldpunt/{SLUG}/"
    cookies: dict = {}
    token = ""
    sequence = 0
    while not run.stop.is_set():
        if run.paused.is_set():
            time.sleep(0.05)
            continue
        if not token:
            # The form page needs the database too (the categories): retry until it answers.
            try:
                status, _headers, page = request(run.port, "GET", form_path, cookies)
            except OSError:
                status, page = 0, ""
            match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if status != 200 or not match:
                time.sleep(0.2)
                continue
            token = match.group(1)
        sequence += 1
        marker = f"bench-{number}-{sequence}"
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "category": run.categories[sequence % len(run.categories)],
                "description": f"Elke avond wordt er bij het speelveld gedeald ({marker}).",
                "postcode": "7311 AB",
                "house_number": str(sequence % 200 + 1),
                "location_description": "",
                "occurred_on": "",
                "contact_name": "",
                "contact_phone": "",
                "contact_email": "",
                "website": "",  # the honeypot, empty as a person leaves it
            }
        )
        started = time.perf_counter()
        try:
            status, headers, _page = request(
                run.port,
                "POST",
                form_path,
                cookies,
                body,
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
        except OSError as error:
            status, headers = type(error).__name__, {}
        outcome = Outcome(marker, started - run.started, time.perf_counter() - started, status)
        if status == 302:
            location = headers.get("Location", "")
            if not location.endswith(f"/meldpunt/{SLUG}/ontvangen/"):
                outcome.status = f"302 to {location}"
            else:
                with contextlib.suppress(OSError):
                    receipt_status, _h, receipt = request(run.port, "GET", location, cookies)
                    found = re.search(r'id="reference">([A-Z0-9-]+)<', receipt)
                    if receipt_status == 200 and found:
                        outcome.reference = found.group(1)
        elif status == 403:
            token = ""  # fetch the form (and its CSRF token) again
        with run.lock:
            run.outcomes.append(outcome)


def outage(
    run: Run, postgres: Postgres, at: float, seconds: float, times: dict, idle: bool
) -> None:
    if run.stop.wait(at):
        return
    if idle:
        # Let the requests in flight finish: the workers keep their connections, now idle.
        run.paused.set()
        time.sleep(1)
    times["stop"] = time.perf_counter() - run.started
    times["cpu_stop"] = run.cpu.sample()
    postgres.stop("fast")
    times["stopped"] = time.perf_counter() - run.started
    log(f"  {times['stopped']:5.1f} s  PostgreSQL stopped (pg_ctl stop -m fast)")
    time.sleep(seconds)
    times["start"] = time.perf_counter() - run.started
    postgres.start()
    times["started"] = time.perf_counter() - run.started
    times["cpu_started"] = run.cpu.sample()
    run.paused.clear()
    log(f"  {times['started']:5.1f} s  PostgreSQL started again")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# --------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (threads)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--outage-at", type=float, default=20, help="seconds into the load")
    parser.add_argument("--outage-seconds", type=float, default=5, help="how long it is down")
    parser.add_argument(
        "--idle-outage",
        action="store_true",
        help="the clients hold back while PostgreSQL is down (a restart at a quiet moment): "
        "each worker's first request afterwards meets a connection the restart cut",
    )
    parser.add_argument(
        "--health-checks",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="DATABASE_CONN_HEALTH_CHECKS of the server (--no-health-checks to compare)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="ov-meldpunt-"))
    scratch.chmod(0o755)
    postgres = Postgres(scratch)
    server = None
    log(
        f"Open Veiligheid meldpunt intake - {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{os.cpu_count()} CPUs, PostgreSQL {postgres.bin.parent.name} on 127.0.0.1:"
        f"{postgres.port}, scratch {scratch}"
    )
    try:
        postgres.init()
        postgres.start()
        postgres.sql("CREATE DATABASE ov_meldpunt")
        env = {
            **os.environ,
            "OPENVEILIGHEID_ENV": "production",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "OPENVEILIGHEID_AUDIT_KEY": secrets.token_urlsafe(48),
            "OPENVEILIGHEID_PSEUDONYM_KEY": secrets.token_urlsafe(48),
            "OPENVEILIGHEID_IDENTITY_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": postgres.url,
            "OPENVEILIGHEID_VAR_DIR": str(scratch),
            "OPENVEILIGHEID_UPLOAD_DIR": str(scratch / "uploads"),
            "STATIC_ROOT": str(scratch / "static"),
            "OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR": "1000000",
            "DATABASE_CONN_HEALTH_CHECKS": "true" if args.health_checks else "false",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "openveiligheid.config.settings",
            # The code of this checkout, also when the venv points at another one.
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])
            ),
        }
        log("Preparing the database and static files")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        categories = manage(env, "shell", "-c", SETUP).strip().splitlines()[-1].split()
        server = Server(env, args.workers, scratch / "gunicorn.log")
        server.wait_ready(f"/meldpunt/{SLUG}/")
        log(
            f"gunicorn: {args.workers} workers on 127.0.0.1:{server.port}, production settings, "
            f"{args.clients} clients for {args.duration:.0f} s, PostgreSQL down at "
            f"{args.outage_at:.0f} s for {args.outage_seconds:.0f} s, connection health checks "
            f"{'on' if args.health_checks else 'off'}"
        )
        run = Run(server.port, categories, cpu=CpuMeter(server.process.pid))
        times: dict = {"cpu_begin": run.cpu.sample()}
        run.started = time.perf_counter()
        threads = [
            threading.Thread(target=client, args=(run, number), daemon=True)
            for number in range(args.clients)
        ]
        threads.append(
            threading.Thread(
                target=outage,
                args=(run, postgres, args.outage_at, args.outage_seconds, times, args.idle_outage),
                daemon=True,
            )
        )
        for thread in threads:
            thread.start()
        run.stop.wait(args.duration)
        times["cpu_end"] = run.cpu.sample()
        run.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        if not postgres.running():
            raise BenchError("PostgreSQL did not come back")
        stored = {}
        for line in postgres.sql("SELECT reference, description FROM signals_report").splitlines():
            reference, _, description = line.partition("|")
            found = MARKER.search(description)
            if found:
                stored[found.group(0)] = reference
        return report(run.outcomes, stored, times, args.duration)
    except BenchError as error:
        log(f"\nBenchmark failed: {error}")
        return 2
    finally:
        if server is not None:
            server.stop()
        if postgres.running():
            with contextlib.suppress(BenchError):
                postgres.stop("fast")
        if args.keep:
            log(f"Kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def report(outcomes: list[Outcome], stored: dict, times: dict, duration: float) -> int:
    down_from, up_at = times.get("stop", duration), times.get("started", duration)

    def phase(outcome: Outcome) -> str:
        ended = outcome.started + outcome.seconds
        if ended < down_from:
            return "before"
        if outcome.started > up_at:
            return "after"
        return "during"

    log("\nAnswers to the POST per phase (302 = redirect to the receipt):")
    for name in ("before", "during", "after"):
        counts = Counter(str(o.status) for o in outcomes if phase(o) == name)
        log(f"  {name:7} {dict(sorted(counts.items()))}")

    succeeded = [o for o in outcomes if o.succeeded]
    for name, window, cpu in (
        ("before the outage", (0.0, down_from), ("cpu_begin", "cpu_stop")),
        ("after the restart", (up_at, duration), ("cpu_started", "cpu_end")),
    ):
        inside = [o for o in succeeded if window[0] <= o.started and phase(o) != "during"]
        inside = [o for o in inside if o.started + o.seconds <= window[1]]
        seconds = max(window[1] - window[0], 1e-9)
        others = CpuMeter.others_between(times.get(cpu[0]), times.get(cpu[1]))
        latencies = [o.seconds * 1000 for o in inside]
        log(
            f"Sustained {name}: {len(inside) / seconds:.1f} reports/s over {seconds:.1f} s, "
            f"POST p50 {percentile(latencies, 0.5):.0f} ms, p99 {percentile(latencies, 0.99):.0f} "
            f"ms (n={len(inside)}), other CPU {percent(others)}"
        )
        if others is not None and others > 10:
            log("  WARNING: other work took more than 10% of the CPU; run again on a quiet machine")
    all_latencies = [o.seconds * 1000 for o in succeeded]
    log(
        f"Whole run: {len(succeeded)} reports with a receipt in {duration:.0f} s "
        f"({len(succeeded) / duration:.1f}/s), p50 {percentile(all_latencies, 0.5):.0f} ms, "
        f"p99 {percentile(all_latencies, 0.99):.0f} ms, mean "
        f"{statistics.fmean(all_latencies) if all_latencies else float('nan'):.0f} ms"
    )
    if "stopped" in times:
        failing = [o for o in outcomes if not o.succeeded]
        resumed = [o for o in succeeded if o.started >= times["start"]]
        first = min((o.started for o in resumed), default=float("nan"))
        log(
            f"Outage: stopped {times['stop']:.1f}-{times['stopped']:.1f} s, started "
            f"{times['start']:.1f}-{times['started']:.1f} s; {len(failing)} requests answered "
            f"without success; first receipt after the restart at {first:.1f} s, "
            f"{first - times['start']:.1f} s after the start command"
        )

    lost = [o for o in succeeded if o.marker not in stored]
    wrong_reference = [
        o for o in succeeded if o.reference and stored.get(o.marker) not in (None, o.reference)
    ]
    unread_receipts = sum(1 for o in succeeded if not o.reference)
    stored_without_success = [o for o in outcomes if not o.succeeded and o.marker in stored]
    log(
        f"\nCheck: {len(succeeded)} successes, {len(stored)} rows with a bench marker; "
        f"lost={len(lost)}, reference mismatches={len(wrong_reference)}, receipts not read "
        f"(the receipt page itself failed)={unread_receipts}, stored although the answer was an "
        f"error={len(stored_without_success)}"
    )
    if stored_without_success:
        counts = Counter(str(o.status) for o in stored_without_success)
        log(f"  stored although the answer was an error, by answer: {dict(counts)}")
    for outcome in lost[:20]:
        log(f"  LOST {outcome.marker} at {outcome.started:.2f} s, reference {outcome.reference}")
    # A failure is clean when it says so: 503 with the "try again" page, or no connection at all.
    unclean = Counter(
        str(o.status) for o in outcomes if isinstance(o.status, int) and o.status not in (302, 503)
    )
    if unclean:
        log(f"  answers that are neither a receipt nor 503: {dict(unclean)}")
    resumed_ok = "started" not in times or any(o.started > times["started"] for o in succeeded)
    ok = not lost and not wrong_reference and resumed_ok and not unclean
    log(
        f"Result: {'OK' if ok else 'FAILED'} (service resumed after the restart: {resumed_ok}, "
        f"every failure a clean 503: {not unclean})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
