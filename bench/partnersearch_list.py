"""Speed of the partner-search list and its API at European scale: 20,000 public postings.

    .venv/bin/python bench/partnersearch_list.py                 # SQLite, bench/out/partnersearch.sqlite3
    .venv/bin/python bench/partnersearch_list.py --database-url postgres://postgres@127.0.0.1:5432/clusterportal_bench_partnersearch

What it does:
1. makes a separate benchmark database if it is missing (its address must contain "bench"):
   migrate and load_data (the real registry, taxonomy, regions and calls);
2. adds, once, 20,000 SYNTHETIC published postings (titles "[SYNTHETIC] …", author
   "synthetic-poster@bench.example"): random kind, purpose, one to three technology fields,
   a seat in a random BW Kreis, zero to three countries sought, an expiry within a year, and a
   description of 30 to 80 words drawn from a fixed German vocabulary (seed 7) — only in the
   benchmark database;
3. requests the list page and GET /api/v1/partner-search with six typical selections (none,
   a broad field, a word, kind and country, word + field + sort, a Region) through Django's
   test client, round after round (ROUNDS), with the garbage collector set as a `make run`
   worker sets it (clusterportal/gunicorn_conf.py);
4. prints the time to build the per-process index once (after a write), and median, p95 and
   max in milliseconds per selection; the target is p95 under 50 ms for each.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calls_eligibility import OUT, setup  # noqa: E402

POSTINGS = 20_000
ROUNDS = 30
TARGET_MS = 50.0
VOCABULARY = (
    "Sensorik Textilien Leichtbau Faserverbund Medizintechnik Implantate Photonik Laser "
    "Software Künstliche Intelligenz Digitalisierung Wasserstoff Brennstoffzelle Batterie "
    "Elektromobilität Automatisierung Robotik Kunststoff Recycling Kreislaufwirtschaft Holz "
    "Bioökonomie Biotechnologie Diagnostik Pharma Logistik Verpackung Oberflächen Beschichtung "
    "Mikrosystemtechnik Energieeffizienz Wärmepumpe Speicher Netze Gesundheitswirtschaft "
    "Forschung Entwicklung Projekt Partner Zusammenarbeit Pilotanlage Prototyp Prüfstand "
    "Qualifizierung Vertrieb Markt Export Kooperation Verbund Hochschule Institut Unternehmen"
).split()
SELECTIONS = {
    "all": "",
    "broad field": "field=medical-engineering",
    "word": "q=Sensorik",
    "kind + country": "kind=request&country=FR",
    "word + field + sort": "q=Laser&field=photonics&sort=expiry",
    "Region": "region=region-stuttgart",
}


def synthetic_postings() -> None:
    """The 20,000 postings, made once per benchmark database."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from clusterportal.lib.text import fold
    from clusterportal.partnersearch.models import Posting
    from clusterportal.regions.models import Region
    from clusterportal.taxonomy.models import TechnologyField

    if Posting.objects.filter(title__startswith="[SYNTHETIC]").count() >= POSTINGS:
        return
    started = time.perf_counter()
    rng = random.Random(7)
    author, _ = get_user_model().objects.get_or_create(
        username="synthetic-poster@bench.example", email="synthetic-poster@bench.example"
    )
    fields = list(TechnologyField.objects.exclude(parent=None))
    kreise = list(Region.objects.filter(kind=Region.Kind.KREIS, code__startswith="08"))
    countries = ["FR", "US", "CH", "AT", "IT", "FI", "BR", "SG", "KR", "NL", "DK", "BE", "CN"]
    today, now = timezone.localdate(), timezone.now()
    rows, chosen = [], []
    for number in range(POSTINGS):
        words = rng.choices(VOCABULARY, k=rng.randint(30, 80))
        picked = rng.sample(fields, rng.randint(1, 3))
        title = f"[SYNTHETIC] {' '.join(words[:4])} {number}"
        description = " ".join(words)
        names = " ".join(f"{f.name} {f.name_en}" for f in picked)
        rows.append(Posting(
            author=author, organisation_name=f"[SYNTHETIC] Organisation {number}",
            region=rng.choice(kreise), kind=rng.choice(["offer", "request"]),
            purpose=rng.choice(["rd_project", "business", "event_partner"]),
            title=title, description=description,
            countries_sought=rng.sample(countries, rng.randint(0, 3)),
            expires_on=today + datetime.timedelta(days=rng.randint(1, 360)),
            status="published", published_at=now - datetime.timedelta(minutes=number),
            search_text=fold(f"{title} {description} [SYNTHETIC] Organisation {number} {names}"),
        ))  # fmt: skip
        chosen.append(picked)
    with transaction.atomic():
        made = Posting.objects.bulk_create(rows, batch_size=2000)
        through = Posting.technology_fields.through
        through.objects.bulk_create(
            [through(posting_id=p.pk, technologyfield_id=f.pk)
             for p, picked in zip(made, chosen, strict=True) for f in picked],
            batch_size=5000,
        )  # fmt: skip
    print(f"made {POSTINGS:,} synthetic postings in {time.perf_counter() - started:.1f} s")


def timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def summary(name: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    verdict = "meets" if p95 < TARGET_MS else "MISSES"
    print(f"  {name:<28} median {statistics.median(ordered):6.1f}  p95 {p95:6.1f}  "
          f"max {ordered[-1]:6.1f} ms  ({verdict} p95 < {TARGET_MS:.0f} ms)")  # fmt: skip
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{OUT / 'partnersearch.sqlite3'}")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    setup(args.database_url)
    synthetic_postings()

    from django.test import Client

    from clusterportal.partnersearch import index
    from clusterportal.partnersearch.models import Posting

    # As a `make run` worker: the objects loaded at start frozen, fewer young collections.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    client = Client()
    index._cache.clear()
    started = time.perf_counter()
    index.current()
    print(f"index of {Posting.objects.public().count():,} public postings built in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms (once per process and data version)")  # fmt: skip
    worst = 0.0
    for kind, base in (("page", "/partnersuche/"), ("API", "/api/v1/partner-search")):
        print(f"{kind} ({args.rounds} rounds):")
        for name, query in SELECTIONS.items():
            url = f"{base}?{query}" if query else base
            timed(client, url)  # warm
            samples = [timed(client, url) for _ in range(args.rounds)]
            worst = max(worst, summary(name, samples))
    print(f"worst p95 {worst:.1f} ms: {'meets' if worst < TARGET_MS else 'MISSES'} the target")


if __name__ == "__main__":
    main()
