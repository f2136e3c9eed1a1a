"""Production settings pass Django's deployment checks and `openveiligheid serve` serves."""

import base64
import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
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
        "OPENVEILIGHEID_AUDIT_KEY": secrets.token_urlsafe(48),
        "OPENVEILIGHEID_PSEUDONYM_KEY": secrets.token_urlsafe(48),
        "OPENVEILIGHEID_IDENTITY_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "OPENVEILIGHEID_PUBLIC_BASE_URL": "https://veiligheid.example.nl",
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


def test_check_deploy_passes_with_the_documented_production_variables(tmp_path):
    """The variables of README "Deployment" step 3, as an operator would set them: PostgreSQL,
    a shared file cache, SMTP mail and the site's origin; any warning fails."""
    env = production_env(tmp_path)
    env.update(
        {
            "DATABASE_URL": "postgres://ov:geheim@db.example.nl:5432/openveiligheid",
            "ALLOWED_HOSTS": "veiligheid.example.nl",
            "CSRF_TRUSTED_ORIGINS": "https://veiligheid.example.nl",
            "CACHE_URL": f"file://{tmp_path / 'cache'}",
            "EMAIL_HOST": "smtp.example.nl",
            "EMAIL_PORT": "587",
            "EMAIL_USE_TLS": "true",
            "DEFAULT_FROM_EMAIL": "veiligheid@example.nl",
        }
    )
    result = subprocess.run(
        [*OPENVEILIGHEID, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(env: dict, *arguments: str):
    """`openveiligheid serve` on a free loopback port; yields the base URL once it answers."""
    port = _free_port()
    server = subprocess.Popen(
        [*OPENVEILIGHEID, "serve", "--migrate", "--bind", f"127.0.0.1:{port}", *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    output = server.stdout.read().decode() if server.poll() is not None else ""
                    pytest.fail(f"serve did not come up: {output}")
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, headers: dict | None = None):
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        return opener.open(urllib.request.Request(url, headers=headers or {}))
    except urllib.error.HTTPError as error:
        return error


def test_serve_runs_gunicorn_with_static_files(tmp_path):
    env = production_env(tmp_path)
    env["SECURE_SSL_REDIRECT"] = "false"
    with serving(env, "--workers", "1") as base:
        body = _get(f"{base}/accounts/login/").read().decode()
        assert "Inloggen" in body
        css = next(
            line.split('href="')[1].split('"')[0]
            for line in body.splitlines()
            if "site" in line and ".css" in line and 'href="' in line
        )
        static = _get(f"{base}{css}")
        assert static.status == 200
        assert "max-age" in static.headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("trusted_proxies", "redirected"), [("127.0.0.1,::1", False), ("192.0.2.1", True)]
)
def test_forwarded_proto_is_believed_only_from_a_configured_proxy(
    tmp_path, trusted_proxies, redirected
):
    env = production_env(tmp_path)
    with serving(env, "--workers", "1", "--forwarded-allow-ips", trusted_proxies) as base:
        response = _get(f"{base}/accounts/login/", {"X-Forwarded-Proto": "https"})
    if redirected:
        assert response.status == 301
        assert response.headers["Location"].startswith("https://")
    else:
        assert response.status == 200


def test_missing_secret_key_is_one_clear_line(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [*OPENVEILIGHEID, "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith("openveiligheid: SECRET_KEY ontbreekt")
    assert "Traceback" not in result.stderr
