"""Add the portal's synthetic content to a registry bench database (bench/generate_registry.py
makes that first): 20,000 events, every one marked (SYNTHETIC in the title, `synthetic-` in
the slug), from a fixed seed. Refuses a database whose name lacks "bench".

    DATABASE_URL=sqlite:///bench/out/registry.sqlite3 python bench/generate_portal.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterportal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from generate_registry import refuse_unless_bench_database  # noqa: E402

from clusterportal.events.loading import load_seed_events  # noqa: E402
from clusterportal.events.models import Event  # noqa: E402
from clusterportal.regions.models import Region  # noqa: E402
from clusterportal.taxonomy.models import TechnologyField  # noqa: E402

KINDS = [kind for kind, _ in Event.Kind.choices]


def add_synthetic_events(count: int, seed: int) -> None:
    rng = random.Random(seed)
    regions = list(Region.objects.filter(kind=Region.Kind.REGION).values_list("pk", flat=True))
    fields = list(TechnologyField.objects.values_list("pk", flat=True))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    events = []
    for number in range(count):
        # Two thirds ahead, a third in the archive, over four years.
        start = now + datetime.timedelta(hours=rng.randint(-365 * 24 * 2, 365 * 24 * 4))
        events.append(
            Event(
                slug=f"synthetic-event-{number}",
                title=f"SYNTHETIC Veranstaltung {number}",
                kind=rng.choice(KINDS),
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=rng.randint(1, 8)),
                venue="SYNTHETIC Ort",
                region_id=rng.choice(regions),
                organiser=f"SYNTHETIC Veranstalter {rng.randint(1, 300)}",
                description="SYNTHETIC: generated for the benchmark.",
                status="published",
                registration_opens_at=now - datetime.timedelta(days=1)
                if rng.random() < 0.5
                else None,
                capacity=rng.choice([None, 50, 100, 400]),
            )
        )
    Event.objects.bulk_create(events, batch_size=1000)
    links = Event.technology_fields.through
    made = Event.objects.filter(slug__startswith="synthetic-event-").values_list("pk", flat=True)
    links.objects.bulk_create(
        [links(event_id=pk, technologyfield_id=rng.choice(fields)) for pk in made], batch_size=2000
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    refuse_unless_bench_database()
    call_command("migrate", verbosity=0)
    load_seed_events()
    Event.objects.filter(slug__startswith="synthetic-event-").delete()
    add_synthetic_events(args.events, args.seed)
    print(f"{Event.objects.count()} events")


if __name__ == "__main__":
    main()
