"""Relevance of the initiative search on the shipped data: mean reciprocal rank and the share of
queries with an expected entry in the top three, per kind of query, on SQLite and PostgreSQL.

    .venv/bin/python bench/search_relevance.py                  # both databases
    .venv/bin/python bench/search_relevance.py --db sqlite      # one

The set is clusterportal/registry/tests/relevance_queries.csv (how it was made: its header).
Each database is a fresh test database, as the test suite makes it (`test_` + the configured
name; for SQLite a file in a temporary directory): migrate, load_data, run the set through the
list page's ranking (`InitiativeFilter`), drop the database. The figures are in docs/search.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/clusterportal_relevance"


def measure(write_rankings: bool) -> None:
    """In a process of its own (Django is set up once per database): print the report."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterportal.settings")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from clusterportal.registry.tests import relevance

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("load_data", verbosity=0, stdout=StringIO())
        outcomes = relevance.run(relevance.load_queries())
        print(relevance.report(outcomes))
        if write_rankings:
            relevance.write_rankings(outcomes)
            print(f"rankings written to {relevance.RANKINGS}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument(
        "--write-rankings",
        action="store_true",
        help="write what each query finds (count, top three) for the test that both databases agree",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.write_rankings)
        return
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"sqlite": f"sqlite:///{tmp}/relevance.sqlite3", "postgres": args.postgres_url}
        for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
            print(f"== {db}", flush=True)
            env = {**os.environ, "DATABASE_URL": urls[db]}
            command = [sys.executable, __file__, "--measure"]
            if args.write_rankings and db == "sqlite":  # the test compares PostgreSQL to it
                command.append("--write-rankings")
            subprocess.run(command, env=env, check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
