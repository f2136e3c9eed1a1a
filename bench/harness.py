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
