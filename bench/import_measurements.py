"""Benchmark: one million incident rows (Misdaad in kaart shape) aggregated into measurements.

    .venv/bin/python bench/import_measurements.py [--rows 1000000] [--repeat 3] [--seed 4]
                                                  [--python]

Generates the rows in memory (nothing is written to disk or committed): "Postcode,Datum,Soort"
with 4-digit postcodes, dates over three years, two burglary types and about 4% exact
duplicate rows, like the real scraped list. Then runs `read_table` on the bytes, exactly as an
upload or `openveiligheid import-measurements` does (format detection by content included), and
prints the time and rows per second. Target: under 10 s for a million rows. Exit code 1 when
the target is missed. `--python` measures the plain Python fallback instead of DuckDB.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from openveiligheid.imports.measurements import read_table  # noqa: E402
from openveiligheid.imports.measurements.formats import incidents  # noqa: E402

TARGET_SECONDS = 10.0
TYPES = ("Woninginbraak", "Poging tot woninginbraak")


def generate(rows: int, seed: int) -> tuple[bytes, int]:
    """CSV bytes with `rows` data rows, and the number of exact duplicates among them."""
    rng = random.Random(seed)
    postcodes = [str(code) for code in rng.sample(range(1000, 10000), 4000)]
    first_day = date(2023, 4, 1)
    days = [(first_day + timedelta(days=offset)).strftime("%d-%m-%Y") for offset in range(3 * 365)]
    lines = ["Postcode,Datum,Soort"]
    duplicates = 0
    seen: set[str] = set()
    for _ in range(rows):
        if len(lines) > 1 and rng.random() < 0.04:
            line = lines[rng.randrange(1, len(lines))]
        else:
            line = (
                f"{rng.choice(postcodes)},{rng.choice(days)},"
                f"{TYPES[0] if rng.random() < 0.8 else TYPES[1]}"
            )
        if line in seen:
            duplicates += 1
        else:
            seen.add(line)
        lines.append(line)
    return ("\n".join(lines) + "\n").encode(), duplicates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--python", action="store_true", help="force the plain Python path")
    args = parser.parse_args()
    incidents.USE_DUCKDB = not args.python
    path = "plain Python" if args.python or incidents.duckdb is None else "DuckDB"
    print(f"aggregation: {path}")

    started = time.perf_counter()
    content, duplicates = generate(args.rows, args.seed)
    print(
        f"generated {args.rows:,} rows ({len(content) / 1e6:.1f} MB, {duplicates:,} exact "
        f"duplicates) in {time.perf_counter() - started:.1f} s"
    )
    print(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]} (2 cores)")
    timings = []
    cpu_timings = []
    for run in range(1, args.repeat + 1):
        started, cpu_started = time.perf_counter(), time.process_time()
        table = read_table("incidenten.csv", content)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        timings.append(elapsed)
        cpu_timings.append(cpu)
        counted = sum(int(item.value) for item in table.observations)
        assert table.format == "incidents", table.format
        assert table.rows_read == args.rows, table.rows_read
        assert table.duplicates_dropped == duplicates, (table.duplicates_dropped, duplicates)
        assert counted == args.rows - duplicates, counted
        print(
            f"run {run}: {elapsed:.2f} s wall ({cpu:.2f} s CPU), "
            f"{args.rows / elapsed:,.0f} rows/s, "
            f"{len(table.observations):,} measurements (postcode x month x type)"
        )
    best = min(timings)
    print(
        f"best of {args.repeat}: {best:.2f} s wall, {min(cpu_timings):.2f} s CPU = "
        f"{args.rows / best:,.0f} rows/s (target < {TARGET_SECONDS:.0f} s): "
        f"{'OK' if best < TARGET_SECONDS else 'MISSED'}"
    )
    print(f"load average after: {Path('/proc/loadavg').read_text().split()[:3]}")
    return 0 if best < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
