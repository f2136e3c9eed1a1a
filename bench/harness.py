"""What the benchmarks share: the product's own command, a free port, and gunicorn serving the
product with its production settings (config/gunicorn.py, as `openveiligheid serve` uses), started
in a process group of its own so that exactly what was started is stopped."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class BenchError(RuntimeError):
    """A failure that should stop the benchmark with a clear message."""


def log(message: str = "") -> None:
    print(message, flush=True)


def executable(name: str) -> str:
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BenchError(f"{name} not found next to {sys.executable} nor on PATH")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Runs `openveiligheid ARGS` and returns what it printed; a BenchError when it fails."""
    result = subprocess.run(
        [executable("openveiligheid"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        input=stdin,
    )
    if result.returncode:
        raise BenchError(f"openveiligheid {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


class Server:
    """gunicorn on a free port of 127.0.0.1, its output in log_path."""

    def __init__(self, env: dict[str, str], workers: int, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [
                executable("gunicorn"),
                # The product's gunicorn settings (gc.freeze() after start-up), as `serve` uses.
                "-c",
                "python:openveiligheid.config.gunicorn",
                "openveiligheid.config.wsgi:application",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--graceful-timeout",
                "10",
            ],
            env=env,
            cwd=REPO,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: we stop exactly what we started
        )

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        """Until GET path answers 200 (a page that needs the database, so that "ready" means
        the whole stack is)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.process.returncode}:\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", path)
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within {timeout} s:\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        # The whole process group, gunicorn and its workers.
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


class CpuMeter:
    """How much of the machine's CPU other work took while we measured: all busy time
    (/proc/stat) minus that of this process (and the children it waited for, such as wrk),
    gunicorn with its workers, and PostgreSQL. The machine may be shared, and figures taken while
    others compute are not comparable. Linux only; elsewhere every reading is None."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self._start: tuple[int, int, int] | None = None

    def _ours(self) -> int:
        ticks = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            comm = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            pid, ppid = int(entry.name), int(fields[1])
            ours = pid in (os.getpid(), self.server_pid) or ppid == self.server_pid
            if ours or comm == "postgres" or comm.startswith("postgres:"):
                ticks += int(fields[11]) + int(fields[12])  # utime + stime
            if pid == os.getpid():
                ticks += int(fields[13]) + int(fields[14])  # finished children
        return ticks

    def sample(self) -> tuple[int, int, int] | None:
        """(busy, idle, ours) in clock ticks so far; None where /proc cannot be read."""
        try:
            fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
            idle = fields[3] + fields[4]  # idle + iowait
            return sum(fields) - idle, idle, self._ours()
        except (OSError, ValueError, IndexError):
            return None

    @staticmethod
    def others_between(start, end) -> float | None:
        """Share of all CPU capacity that other work used between two samples."""
        if start is None or end is None:
            return None
        busy = end[0] - start[0]
        total = busy + end[1] - start[1]
        others = busy - (end[2] - start[2])
        return max(0.0, 100 * others / total) if total else None

    def start(self) -> None:
        self._start = self.sample()

    def others_percent(self) -> float | None:
        """Share of all CPU capacity used by other work since start()."""
        return self.others_between(self._start, self.sample())
