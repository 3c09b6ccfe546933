"""How fast does `clusterportal import_initiatives` import 50,000 rows? (issue 11, finding 2)

    .venv/bin/python bench/import_speed.py                      # SQLite (bench/out/)
    .venv/bin/python bench/import_speed.py --postgres-url postgres://postgres@127.0.0.1:5432/himports_bench
    .venv/bin/python bench/import_speed.py --rows 5000 --skip-sqlite --postgres-url ...

For each database: a fresh database (migrate, the real shipped data), then a SYNTHETIC
import file of --rows rows in the project's import format (every name starts with
"SYNTHETIC", every description says so; fixed seed), imported by the command three
times: new records, the same file again (all unchanged), and a changed file with
--update. Prints seconds, rows per second, queries per row and how long the one write
transaction lasted and, on SQLite, the longest of the short transactions that index the
written records afterwards (on SQLite: how long other writers wait at most) for each. The PostgreSQL
database is emptied first: its name must contain "bench".
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
HEADER = [
    "name", "kind", "status", "region", "kreis", "city", "postcode", "technology_fields",
    "website", "founded", "members", "staff", "labels", "international_focus", "source_url",
    "description", "contact_email",
]  # fmt: skip
TOPICS = ["Sensorik", "Leichtbau", "Wasserstoff", "Medizintechnik", "Robotik", "Holzbau"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # internal: one database
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.rows)
    targets = database_targets(args, "import_speed")
    results = []
    for url in targets:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "clusterportal.settings",
        }
        command = [sys.executable, __file__, "--rows", str(args.rows), "--worker", url]
        output = subprocess.run(command, env=env, capture_output=True, text=True)
        if output.returncode:
            sys.exit(output.stderr)
        result = json.loads(output.stdout.strip().splitlines()[-1])
        results.append(result)
        for run in result["runs"]:
            print(
                f"{result['database']:10} {run['what']:26} {run['rows']:>7} rows "
                f"{run['seconds']:7.1f} s {run['rows'] / run['seconds']:8.0f} rows/s "
                f"{run['queries'] / run['rows']:6.3f} queries/row, "
                f"write transaction {run['write transaction seconds']:5.1f} s, then "
                f"{run['index transactions']} index transactions of at most "
                f"{run['longest index transaction seconds']:4.2f} s"
            )
    (OUT / "import_speed.json").write_text(json.dumps(results, indent=2))


def database_targets(args: argparse.Namespace, name: str) -> list[str]:
    """The databases to fill: bench/out/<name>.sqlite3 unless --skip-sqlite, and the
    PostgreSQL database of --postgres-url, which is emptied first (so it must say "bench")."""
    OUT.mkdir(parents=True, exist_ok=True)
    targets = [] if args.skip_sqlite else [f"sqlite:///{OUT / f'{name}.sqlite3'}"]
    if args.postgres_url:
        if "bench" not in args.postgres_url.rsplit("/", 1)[-1]:
            sys.exit("the PostgreSQL database is emptied first: its name must contain 'bench'")
        targets.append(args.postgres_url)
    return targets


def fresh_database(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def synthetic_file(path: Path, rows: int, seed: int, changed: bool = False) -> None:
    """Rows the validator accepts, with every kind of value it checks: regions by name,
    Kreise by AGS, fields by name, counts, labels, partner countries, sources."""
    from clusterportal.regions.models import Region
    from clusterportal.taxonomy.models import TechnologyField

    regions = list(Region.objects.filter(kind=Region.Kind.REGION).values_list("name", flat=True))
    kreise = list(Region.objects.filter(kind=Region.Kind.KREIS).values_list("code", flat=True))
    fields = list(TechnologyField.objects.exclude(parent=None).values_list("name", flat=True))
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            topic = rng.choice(TOPICS)
            members = rng.randint(20, 400)
            writer.writerow(
                [
                    f"SYNTHETIC {topic}-Netzwerk {number:06d}",
                    "cluster_initiative",
                    "published",
                    rng.choice(regions),
                    rng.choice(kreise),
                    f"Stadt {number % 997}",
                    f"{70000 + number % 9999:05d}",
                    ";".join(rng.sample(fields, rng.randint(1, 3))),
                    f"https://synthetic-{number}.example.org",
                    str(rng.randint(1990, 2024)),
                    f"{members} ({rng.randint(2010, 2024)})",
                    f"{rng.randint(1, 12)} (2023)",
                    "Cluster-Exzellenz Baden-Württemberg (2022)" if number % 7 == 0 else "",
                    "Frankreich; Schweiz" if number % 5 == 0 else "",
                    f"https://synthetic-{number}.example.org/quelle",
                    f"SYNTHETIC record for the import benchmark: {topic} "
                    f"{'geändert ' if changed else ''}im Land, Netzwerk Nummer {number}.",
                    f"kontakt{number}@example.org",
                ]
            )


def timed_command(path: Path, rows: int, what: str, *options: str) -> dict:
    from django.core.management import call_command
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    from clusterportal.registry import import_write, sqlite_index

    holds: dict[str, list[float]] = {"write": [], "index": []}

    def timed(function, kind: str):  # how long each transaction lasts (SQLite: the lock)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                holds[kind].append(time.perf_counter() - start)

        return wrapper

    write, some = import_write._write_transaction, sqlite_index._catch_up_some
    import_write._write_transaction = timed(write, "write")
    sqlite_index._catch_up_some = timed(some, "index")
    with connection.execute_wrapper(count):
        start = time.perf_counter()
        call_command("import_initiatives", str(path), *options, stdout=open(os.devnull, "w"))
        seconds = time.perf_counter() - start
    import_write._write_transaction, sqlite_index._catch_up_some = write, some
    return {
        "what": what,
        "rows": rows,
        "seconds": round(seconds, 2),
        "queries": queries,
        "write transaction seconds": round(sum(holds["write"]), 2),
        # SQLite: the index of the records written, after the commit, in short transactions
        "index transactions": len(holds["index"]),
        "longest index transaction seconds": round(max(holds["index"], default=0.0), 2),
    }


def worker(url: str, rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    fresh_database(url)
    connection.close()
    call_command("migrate", verbosity=0)
    call_command("load_data", verbosity=0)
    path = OUT / f"import_speed_{connection.vendor}.csv"
    changed = OUT / f"import_speed_{connection.vendor}_changed.csv"
    synthetic_file(path, rows, seed=11)
    synthetic_file(changed, rows, seed=11, changed=True)
    runs = [
        timed_command(path, rows, "new records"),
        timed_command(path, rows, "same file again (unchanged)"),
        timed_command(changed, rows, "changed file, --update", "--update"),
    ]
    print(json.dumps({"database": connection.vendor, "runs": runs}))


if __name__ == "__main__":
    main()
