"""Speed of the content pages: the news list and an article page with 5,000 articles.

    .venv/bin/python bench/run_content.py                      # SQLite, 20 s per scenario
    .venv/bin/python bench/run_content.py --db postgres --duration 5
    .venv/bin/python bench/run_content.py --database-url sqlite:///bench/out/registry.sqlite3

With `--database-url` the articles go into that database instead (its address must contain
"bench"), e.g. the registry bench database with the portal's 20,000 events, so that the news
pages are measured beside the home page and the calendar on one database.

What it does:
1. makes a separate benchmark database if it is missing (bench/out/content.sqlite3, or the
   PostgreSQL database clusterportal_bench_content): migrate, load_data (the real shipped
   data), then 5,000 synthetic published articles, each titled "[SYNTHETIC] ..." with a
   slug "synthetic-<n>", tagged with real initiatives, fields and Regionen. They never
   reach the shipped data: the generator writes only to the benchmark database;
2. starts gunicorn with 2 workers (bench/run_registry.portal, the same settings as the
   registry benchmark), requests each path once (all must answer 200);
3. waits for a quiet machine and runs wrk (bench/urls.lua) per scenario: news list pages
   (with archive and tag filters) and article pages (with their atlas figures); prints
   p50/p95/p99 and compares p95 with the target of 30 ms; writes bench/out/content-<db>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SQLITE_FILE = OUT / "content.sqlite3"
POSTGRES_NAME = "clusterportal_bench_content"
POSTGRES_URL = f"postgres://postgres@127.0.0.1:5432/{POSTGRES_NAME}"
ARTICLES = 5_000
TARGET_P95_MS = 30.0
MARK = "[SYNTHETIC]"

sys.path.insert(0, str(ROOT / "bench"))
from run_registry import portal, run_scenarios  # noqa: E402  (the same server, wrk, method)

GENERATE = f"""
import datetime, random
from clusterportal.content.models import Article
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative
from clusterportal.taxonomy.models import TechnologyField

rng = random.Random(7)
if not Article.objects.filter(slug__startswith="synthetic-").exists():
    initiatives = list(ClusterInitiative.objects.values_list("pk", flat=True))
    fields = list(TechnologyField.objects.filter(parent=None).values_list("pk", flat=True))
    regions = list(Region.objects.filter(kind__in=["kreis", "region"]).values_list("pk", flat=True))
    body = "## Abschnitt\\n\\n" + "Ein **synthetischer** Absatz mit [Link](https://example.org). " * 40
    rows = [
        Article(
            slug=f"synthetic-{{n}}", kind="thema_des_monats" if n % 10 == 0 else "news",
            title=f"{MARK} Nachricht {{n}}", teaser=f"{MARK} Vorspann {{n}}", body=body,
            status="published", author_name="{MARK}",
            published_on=datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3650)),
        )
        for n in range({ARTICLES})
    ]
    Article.objects.bulk_create(rows, batch_size=500)
    Through = Article.initiatives.through, Article.technology_fields.through, Article.regions.through
    links = ([], [], [])
    for article in Article.objects.filter(slug__startswith="synthetic-"):
        links[0].extend([Through[0](article_id=article.pk, clusterinitiative_id=i) for i in rng.sample(initiatives, 2)])
        links[1].extend([Through[1](article_id=article.pk, technologyfield_id=f) for f in rng.sample(fields, 2)])
        links[2].extend([Through[2](article_id=article.pk, region_id=rng.choice(regions))])
    for model, rows in zip(Through, links):
        model.objects.bulk_create(rows, batch_size=2000)
print(Article.objects.filter(slug__startswith="synthetic-").count(), "synthetic articles")
"""


def database_url(db: str) -> str:
    return f"sqlite:///{SQLITE_FILE}" if db == "sqlite" else POSTGRES_URL


def ensure_database(url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    name = url.rsplit("/", 1)[-1]
    if "bench" not in url:
        raise SystemExit(f"refusing {url}: a benchmark database's address contains 'bench'")
    env = {**os.environ, "DATABASE_URL": url}
    if url.startswith("postgres"):
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=False)
    cli = [str(Path(sys.executable).parent / "clusterportal")]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    probe = (
        "from clusterportal.registry.models import ClusterInitiative as C; print(C.objects.count())"
    )
    count = subprocess.run([*cli, "shell", "--no-imports", "-c", probe], env=env, check=True, cwd=ROOT,
                           capture_output=True, text=True).stdout.split()[-1:]  # fmt: skip
    if count in ([], ["0"]):
        subprocess.run([*cli, "load_data"], env=env, check=True, cwd=ROOT)
    subprocess.run([*cli, "shell", "--no-imports", "-c", GENERATE], env=env, check=True, cwd=ROOT)


def scenarios(rng: random.Random) -> dict[str, list[str]]:
    lists = ["/nachrichten/"] + [f"/nachrichten/?page={rng.randrange(1, 200)}" for _ in range(100)]
    lists += [
        f"/nachrichten/?year={rng.randrange(2015, 2025)}&month={rng.randrange(1, 13)}"
        for _ in range(50)
    ]
    pages = [
        f"/nachrichten/synthetic-{n}/"
        for n in rng.sample([n for n in range(ARTICLES) if n % 10], 300)
    ]
    return {"news-list": lists, "article-page": pages}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--worker-class", default="sync")
    # Not 8011: `make run`'s port, where another server may already listen.
    parser.add_argument("--port", type=int, default=8034)
    parser.add_argument("--quiet", type=float, default=0.2, help="cores other programs may use")
    parser.add_argument("--quiet-wait", type=int, default=120, help="seconds to wait for that")
    parser.add_argument("--retries", type=int, default=1, help="runs again when disturbed")
    parser.add_argument(
        "--cache", choices=["on", "off"], default="on",
        help="the response cache as production has it (on) or every request rendered (off)",
    )  # fmt: skip
    parser.add_argument("--database-url", help="another bench database (default: by --db)")
    args = parser.parse_args()
    url = args.database_url or database_url(args.db)
    ensure_database(url)
    results = {}
    cache = args.cache == "on"
    print(f"{url}, cache {args.cache}, {args.connections} connections", flush=True)
    with portal(f"content-{args.db}", url, args.port, args, cache=cache) as server:
        # run_registry's method: every path once (each must answer 200), a warm-up, and
        # each scenario run again when other programs took the CPU meanwhile.
        results = run_scenarios(server, scenarios(random.Random(11)), args)
    (OUT / f"content-{args.db}.json").write_text(json.dumps(results, indent=2) + "\n")
    for name, result in results.items():
        p95 = next((v for k, v in result.items() if k.startswith("p95")), None)
        verdict = "meets" if p95 is not None and p95 < TARGET_P95_MS else "misses"
        print(f"{name}: p95 {p95} ms {verdict} the target of {TARGET_P95_MS} ms")


if __name__ == "__main__":
    main()
