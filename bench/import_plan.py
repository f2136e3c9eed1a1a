"""Benchmark: import a generated regional programme of 5,000 actions (DOCX) in under 10 s.

    .venv/bin/python bench/import_plan.py [--actions 5000] [--database-url URL] [--target 10]

Generates a Veluwe-Noord style programme as DOCX (tests/imports/plans/documents.py: ten
speerpunten with Trekker | Onderwerp | Actie | Wanneer tables, bullets in cells, a year calendar
of the driehoek with per-lead cells and 50 unplanned actions), then times what
`openveiligheid import-plan PATH --region veluwe-noord` does: reading the DOCX, extracting the
tables and matching the leads (the dry run), and writing plan, themes, topics, actions, meetings
and agenda items through the services in one transaction (the actions and the agenda items in
one batch each: actions.services.create_actions, meetings.services.schedule_actions).

The database is a fresh SQLite file in a temporary directory unless --database-url is given
(that database is migrated and written to; use an empty one). Exit code 0 when the total is
under the target, 1 when not.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--target", type=float, default=10.0, help="seconds")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="ov-bench-import-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openveiligheid.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from openveiligheid.actions.models import Action
    from openveiligheid.imports.plans.services import import_plan, read_plan
    from openveiligheid.meetings.models import AgendaItem
    from openveiligheid.organisations.models import Organisation
    from openveiligheid.organisations.services import upsert_organisation
    from tests.imports.plans.documents import MUNICIPALITIES, POLICE, programme_docx

    region = upsert_organisation(kind=Organisation.Kind.REGION, name="Veluwe-Noord")
    for code, name in MUNICIPALITIES.items():
        region.members.add(
            upsert_organisation(kind=Organisation.Kind.MUNICIPALITY, name=name, cbs_code=code)
        )
    region.members.add(
        upsert_organisation(
            kind=Organisation.Kind.PARTNER,
            name=POLICE,
            partner_type=Organisation.PartnerType.POLICE,
        )
    )

    started = time.perf_counter()
    content = programme_docx(actions=args.actions)
    generated = time.perf_counter() - started
    path = Path(workdir) / "programma.docx"
    path.write_bytes(content)
    print(f"Generated {path} ({len(content) / 1024:.0f} kB) in {generated:.1f} s")

    from django.db import connection

    # Counted, not captured: CaptureQueriesContext keeps only the last 9,000 queries.
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    started, cpu = time.perf_counter(), time.process_time()
    extracted = read_plan(path.read_bytes(), path.name, organisation=region)
    read_seconds = time.perf_counter() - started
    read_cpu = time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        result = import_plan(extracted, organisation=region, file_name=path.name)
    write_seconds = time.perf_counter() - started
    write_cpu = time.process_time() - cpu
    total = read_seconds + write_seconds

    actions = Action.objects.filter(action_plan=result.action_plan).count()
    items = AgendaItem.objects.filter(action__action_plan=result.action_plan).count()
    print(
        f"Read and extracted: {len(extracted.actions)} actions, {len(extracted.meetings)} "
        f"meetings, {len(extracted.unparsed)} unparsed in {read_seconds:.2f} s"
    )
    print(
        f"Written: {actions} actions, {result.meetings} meetings, {items} agenda items "
        f"in {write_seconds:.2f} s ({queries[0]} queries)"
    )
    # On a shared machine the wall-clock time includes waiting for the CPU; the process CPU
    # time is what the import itself costs (SQLite runs in-process).
    print(
        f"CPU time: read {read_cpu:.2f} s, write {write_cpu:.2f} s, "
        f"total {read_cpu + write_cpu:.2f} s; load average {os.getloadavg()[0]:.1f}"
    )
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    verdict = "met" if total < args.target else "MISSED"
    print(
        f"Total import of {actions} actions ({database}): {total:.2f} s "
        f"(target < {args.target:.0f} s: {verdict})"
    )
    if actions != len(extracted.actions) or len(extracted.actions) < args.actions:
        print("Not every action was imported.")
        return 1
    return 0 if total < args.target else 1


if __name__ == "__main__":
    sys.exit(main())
