"""Production settings pass Django's deployment checks and `openveiligheid serve` serves."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

OPENVEILIGHEID = [sys.executable, "-m", "openveiligheid"]


def production_env(tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "OPENVEILIGHEID_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,veiligheid.example.nl",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "OPENVEILIGHEID_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = subprocess.run(
        [*OPENVEILIGHEID, "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [*OPENVEILIGHEID, "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_gunicorn_with_static_files(tmp_path):
    env = production_env(tmp_path)
    env["SECURE_SSL_REDIRECT"] = "false"
    port = _free_port()
    server = subprocess.Popen(
        [*OPENVEILIGHEID, "serve", "--migrate", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as page:
                    body = page.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    output = server.stdout.read().decode() if server.poll() is not None else ""
                    pytest.fail(f"serve did not come up: {output}")
                time.sleep(0.5)
        assert "Inloggen" in body
        css = next(
            line.split('href="')[1].split('"')[0]
            for line in body.splitlines()
            if "site" in line and ".css" in line and 'href="' in line
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css}") as static:
            assert static.status == 200
            assert "max-age" in static.headers.get("Cache-Control", "")
    finally:
        server.terminate()
        server.wait(timeout=30)
