"""How long does a new installation take to fill its database? (`migrate`, then `load_data`)

    .venv/bin/python bench/first_load.py                       # SQLite (bench/out/)
    .venv/bin/python bench/first_load.py --skip-sqlite \
        --postgres-url postgres://postgres@127.0.0.1:5432/first_load_bench

For each database and each of --repeat rounds: a fresh, empty database, `migrate`, then
`load_data` with the real shipped data, each timed. The eight atlas editions are most of
`load_data`; their part is timed on its own (the command's call of load_editions, wrapped
here). `make run` does exactly this the first time, and so do the test suite (once per
worker) and the browser tests' portal. The PostgreSQL database must exist; it is emptied first: its name
must contain "bench".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from import_speed import OUT, ROOT, database_targets, fresh_database

STEPS = ("migrate", "load_data", "of which atlas editions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # internal: one database
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    targets = database_targets(args, "first_load")
    results = {}
    for url in targets:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "clusterportal.settings",
        }
        runs = []
        for _ in range(args.repeat):
            done = subprocess.run(
                [sys.executable, __file__, "--worker", url], env=env, capture_output=True, text=True
            )
            if done.returncode:
                sys.exit(done.stderr)
            run = json.loads(done.stdout.strip().splitlines()[-1])
            runs.append(run)
            print(f"{run['database']:10} " + ", ".join(f"{s} {run[s]:5.1f} s" for s in STEPS))
        medians = {step: statistics.median(run[step] for run in runs) for step in STEPS}
        print(
            f"{runs[0]['database']:10} medians: "
            + ", ".join(f"{s} {medians[s]:.1f} s" for s in STEPS)
        )
        print(f"{'':10} atlas rows written: {runs[0]['atlas rows']:,}")
        results[runs[0]["database"]] = {"runs": runs, "medians": medians}
    (OUT / "first_load.json").write_text(json.dumps(results, indent=2))


def worker(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from clusterportal.atlas.models import Density, Growth, Relatedness, Result
    from clusterportal.management.commands import load_data

    fresh_database(url)
    connection.close()
    editions_seconds = []
    load_editions = load_data.load_editions

    def timed_editions(*args, **kwargs):
        started = time.perf_counter()
        report = load_editions(*args, **kwargs)
        editions_seconds.append(time.perf_counter() - started)
        return report

    load_data.load_editions = timed_editions  # type: ignore[assignment]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    call_command("load_data", verbosity=0)
    loaded = time.perf_counter()
    rows = sum(model.objects.count() for model in (Result, Growth, Relatedness, Density))
    run = {
        "database": connection.vendor,
        "migrate": migrated - started,
        "load_data": loaded - migrated,
        "of which atlas editions": editions_seconds[0],
        "atlas rows": rows,
    }
    print(json.dumps(run))


if __name__ == "__main__":
    main()
