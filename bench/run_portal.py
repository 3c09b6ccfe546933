"""The portal's pages at European scale: the home page, the event calendar (several filters
and pages) and event pages, served by gunicorn with 2 workers and measured with wrk, as in
run_registry.py (same method, same helpers). Needs the registry bench database with the
portal's synthetic content (bench/generate_portal.py).

    .venv/bin/python bench/run_portal.py --db sqlite --duration 10
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_registry as rr  # noqa: E402

TARGET_P95_MS = 30


def paths(slugs: list[str], seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    calendar = ["/veranstaltungen/", "/veranstaltungen/?archive=on"]
    calendar += [f"/veranstaltungen/?page={rng.randint(1, 300)}" for _ in range(60)]
    calendar += [
        f"/veranstaltungen/?kind={k}" for k in ("workshop", "matchmaking", "cluster_forum")
    ]
    calendar += [f"/veranstaltungen/?region=region-{r}" for r in ("stuttgart", "neckar-alb", "mittlerer-oberrhein")]  # fmt: skip
    return {
        "home": ["/", "/en/"],
        "calendar": calendar,
        "event": [f"/veranstaltungen/{slug}/" for slug in rng.sample(slugs, 200)],
        "api-events": [f"/api/v1/events?page={rng.randint(1, 300)}" for _ in range(50)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quiet", type=float, default=0.2)
    parser.add_argument("--quiet-wait", type=int, default=120)
    parser.add_argument("--retries", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--cache", choices=["on", "off"], default="on",
        help="the response cache as production has it (on) or every request rendered (off)",
    )  # fmt: skip
    parser.add_argument("--only", nargs="*", help="scenarios to run (default: all)")
    parser.add_argument(
        "--postgres-url", default=rr.POSTGRES_URL,
        help="the PostgreSQL bench database (a helper's own copy, e.g. …/clusterportal_bench_speed)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.db == "sqlite":
        url = f"sqlite:///{rr.OUT / 'registry.sqlite3'}"
        with sqlite3.connect(rr.OUT / "registry.sqlite3") as db:
            slugs = [
                r[0] for r in db.execute("SELECT slug FROM events_event WHERE status='published'")
            ]
    else:
        import psycopg

        url = args.postgres_url
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
            slugs = [
                r[0] for r in db.execute("SELECT slug FROM events_event WHERE status='published'")
            ]
    print(f"{len(slugs)} published events")
    scenarios = paths(slugs, args.seed)
    if args.only:
        scenarios = {name: scenarios[name] for name in args.only}
    cache = args.cache == "on"
    with rr.portal(f"{args.db}-portal", url, rr.PORTS[args.db], args, cache=cache) as server:
        results = rr.run_scenarios(server, scenarios, args)
    print(f"\ncache {args.cache}, {args.connections} connections")
    print(
        f"\n| scenario | p50 ms | p95 ms | p99 ms | req/s | p95 < {TARGET_P95_MS} ms |\n|---|---|---|---|---|---|"
    )
    for name, r in results.items():
        met = "met" if r["p95_ms"] < TARGET_P95_MS else "**not met**"
        print(f"| {name} ({args.db}) | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['rps']:.0f} | {met} |")  # fmt: skip


if __name__ == "__main__":
    main()
