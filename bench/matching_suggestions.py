"""Speed of the partner suggestions at European scale, on SYNTHETIC data.

    .venv/bin/python bench/matching_suggestions.py                     # SQLite, /tmp/matching_bench.sqlite3
    .venv/bin/python bench/matching_suggestions.py --database-url postgres://postgres@127.0.0.1:5432/matching_bench

What it does:
1. makes its own benchmark database if it holds no synthetic records (its address must
   contain "bench"): bench/generate_registry.py migrates, loads the real data and adds
   3,000 SYNTHETIC initiatives, 150,000 SYNTHETIC organisations and 500,000 memberships
   (names "SYNTHETIC ...", slugs "synthetic-...", fixed seed);
2. writes, once, 20,000 SYNTHETIC published partner-search postings into that database
   (bench/partnersearch_list.py's generator: titles "[SYNTHETIC] ...", one to three
   technology fields, a seat in a random BW Kreis, 30 to 80 words from a fixed German
   vocabulary, seed 7); the partnersearch app's own source reads them into the index;
3. builds the matching index (all 173,000 profiles and more) from cold, three times;
4. asks for ten suggestions of every kind for QUERIES random initiatives and QUERIES random
   postings (engine.suggest and partnersearch.suggestions.for_posting, as the profile panel
   and the posting page do, with the data version read each time), and as many
   GET /api/v1/initiatives/{slug}/related and GET /api/v1/partner-search/{id}/suggestions
   through Django's test client, with the garbage collector set as a `make run` worker sets it;
5. prints the index build time and p50/p95/max in milliseconds, with the load average.
   Target: p95 under 50 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = 200
TARGET_MS = 50.0


def setup(database_url: str) -> None:
    if "bench" not in database_url:
        sys.exit("refusing a database whose address lacks 'bench'")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterportal.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from clusterportal.registry.models import ClusterInitiative

    if not ClusterInitiative.objects.filter(slug__startswith="synthetic-").exists():
        # A fresh database: generate_registry migrates, loads the real data and adds the
        # synthetic registry (it refuses a database that already has synthetic records).
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate_registry.py")],
            check=True,
            env={**os.environ, "DATABASE_URL": database_url},
        )


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    verdict = "met" if p95 < TARGET_MS else "NOT met"
    return (
        f"p50 {statistics.median(ordered):6.1f}  p95 {p95:6.1f}  max {ordered[-1]:6.1f} ms"
        f"  (n={len(ordered)}; target p95 < {TARGET_MS:.0f} ms {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="sqlite:////tmp/matching_bench.sqlite3")
    parser.add_argument("--queries", type=int, default=QUERIES)
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connection
    from django.test import Client

    from clusterportal.matching import engine, index, sources
    from clusterportal.partnersearch.models import Posting
    from clusterportal.partnersearch.suggestions import for_posting
    from clusterportal.registry.models import ClusterInitiative

    sys.path.insert(0, str(ROOT / "bench"))
    from partnersearch_list import synthetic_postings

    synthetic_postings()
    posting_ids = list(Posting.objects.public().values_list("pk", flat=True))
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    builds = []
    for _ in range(3):
        index._current = None
        started = time.perf_counter()
        built = index.current_index()
        builds.append(time.perf_counter() - started)
    counts = {k: int((built.kind_code == sources.KINDS.index(k)).sum()) for k in sources.KINDS}
    print(f"index: {len(built):,} profiles {counts}")
    print(f"index build (cold, 3 runs): {', '.join(f'{b:.1f}' for b in builds)} s")

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)  # as clusterportal/gunicorn_conf.py sets a worker
    rng = random.Random(11)
    initiative_keys = [p.key for p in built.profiles if p.kind == "initiative"]
    slugs = dict(ClusterInitiative.objects.values_list("pk", "slug"))
    results: dict[str, list[float]] = {
        "initiative": [],
        "posting": [],
        "api": [],
        "api_posting": [],
    }
    found = 0
    for _ in range(args.queries):
        key = rng.choice(initiative_keys)
        started = time.perf_counter()
        query = engine.profile_of("initiative", key)
        found += len(engine.suggest(query, limit=10))
        results["initiative"].append((time.perf_counter() - started) * 1000)
    for _ in range(args.queries):
        started = time.perf_counter()
        posting = Posting.objects.for_list().get(pk=rng.choice(posting_ids))
        found += len(for_posting(posting, limit=10))
        results["posting"].append((time.perf_counter() - started) * 1000)
    client = Client()
    for _ in range(args.queries):
        slug = slugs[rng.choice(initiative_keys)]
        started = time.perf_counter()
        response = client.get(f"/api/v1/initiatives/{slug}/related")
        results["api"].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
    for _ in range(args.queries):
        started = time.perf_counter()
        response = client.get(f"/api/v1/partner-search/{rng.choice(posting_ids)}/suggestions")
        results["api_posting"].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
    print(f"suggestions returned: {found:,} (10 per query expected)")
    print(f"suggest(initiative):              {percentiles(results['initiative'])}")
    print(f"for_posting (read + suggest):     {percentiles(results['posting'])}")
    print(f"GET .../initiatives/{{slug}}/related:   {percentiles(results['api'])}")
    print(f"GET .../partner-search/{{id}}/suggestions: {percentiles(results['api_posting'])}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
