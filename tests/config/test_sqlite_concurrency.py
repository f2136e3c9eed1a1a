"""Concurrent writers on the embedded SQLite database wait for each other instead of failing
with "database is locked" (the settings' WAL, IMMEDIATE transactions and busy timeout).

The writers run in a separate process on a database file, with the project's own settings:
the test database of pytest-django is an in-memory database with a shared cache, whose table
locks do not behave like a file's."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

# Each thread reads the counter and then writes it back, in one transaction, the pattern of every
# service (select, check, save). Under SQLite's default (DEFERRED) transactions two such
# transactions both hold a read lock and then both want the write lock: SQLite refuses one at
# once with "database is locked", whatever the timeout.
WRITERS = """
import json, sys, threading
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
    cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
connection.close()

THREADS, ROUNDS = 8, 25
errors = []
start = threading.Barrier(THREADS)

def write():
    start.wait()
    for _ in range(ROUNDS):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT value FROM counter WHERE id = 1")
                value = cursor.fetchone()[0]
                cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
        except Exception as error:
            errors.append(str(error))
    connection.close()

threads = [threading.Thread(target=write) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT value FROM counter WHERE id = 1")
    value = cursor.fetchone()[0]
print(json.dumps({"errors": errors, "value": value, "expected": THREADS * ROUNDS,
                  "journal_mode": journal_mode}))
"""


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="the SQLite settings only apply on SQLite",
)
def test_concurrent_writers_wait_instead_of_database_is_locked(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrent.sqlite3'}",
        "OPENVEILIGHEID_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "openveiligheid.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", WRITERS],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["value"] == outcome["expected"]
    assert outcome["journal_mode"] == "wal"
