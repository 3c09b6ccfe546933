"""Generate a SYNTHETIC registry at European scale for benchmarks.

    DATABASE_URL=sqlite:///bench/out/registry.sqlite3 python bench/generate_registry.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clusterportal_bench python bench/generate_registry.py

Migrates the target database, loads the real shipped data (regions, fields, the
102 real initiatives), then adds synthetic records: 3,000 initiatives,
150,000 organisations and 500,000 memberships by default. Every synthetic
record is marked: names start with "SYNTHETIC", slugs with "synthetic-", and
descriptions say so. Deterministic (fixed seed). Never run it against a
production database: it refuses unless the database name contains "bench".
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterportal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from clusterportal.regions.models import Region  # noqa: E402
from clusterportal.registry import search  # noqa: E402
from clusterportal.registry.models import (  # noqa: E402
    ClusterInitiative,
    Label,
    Membership,
    Organisation,
)
from clusterportal.taxonomy.models import TechnologyField  # noqa: E402

# Words for names and descriptions, so that searches hit realistic text.
TOPICS = [
    "Medizintechnik", "Biotechnologie", "Automotive", "Leichtbau", "Photonik", "Mikrosystemtechnik",
    "Kunststofftechnik", "Verpackungstechnik", "Logistik", "Energie", "Wasserstoff", "Umwelttechnik",
    "Softwareentwicklung", "Sensorik", "Oberflächentechnik", "Holzbau", "Kreativwirtschaft", "Robotik",
    "Präzisionstechnik", "Luftfahrt", "Textilien", "Batterietechnik", "Elektronik", "Gesundheitswirtschaft",
]  # fmt: skip
FORMS = [
    "Netzwerk",
    "Cluster",
    "Initiative",
    "Forum",
    "Allianz",
    "Verbund",
    "Plattform",
    "Kompetenzzentrum",
]
FILLER = (
    "Unternehmen Forschung Hochschulen Transfer Innovation Projekte Veranstaltungen Mittelstand "
    "Internationalisierung Fachkräfte Digitalisierung Wertschöpfung Kooperation Region Technologie "
    "Entwicklung Produktion Qualität Nachhaltigkeit Beratung Workshops Messen Förderung Partner"
).split()
ORG_KINDS = [k for k, _ in Organisation.Kind.choices]
ORG_WEIGHTS = [60, 10, 8, 8, 4, 5, 5]  # companies dominate, as in real clusters


def _description(rng: random.Random, topic: str) -> list[str]:
    """Mostly general words; the own topic and two others are mentioned, as in a
    real profile, so a topic search matches a realistic share of the registry."""
    words = [rng.choice(FILLER) for _ in range(rng.randint(40, 160))]
    for mention in [topic, *rng.sample(TOPICS, 2)]:
        words.insert(rng.randrange(len(words)), mention)
    return words


def refuse_unless_bench_database() -> None:
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        sys.exit(
            f"refusing to write synthetic data into {name!r}: the database name must contain 'bench'"
        )


def generate(initiatives: int, organisations: int, memberships: int, seed: int) -> None:
    rng = random.Random(seed)
    kreise = list(Region.objects.of_kind("kreis").without_boundaries())
    land = Region.objects.get(kind="land", code="08")
    fields = list(TechnologyField.objects.filter(parent__isnull=False).select_related("parent"))
    started = time.perf_counter()

    orgs = [
        Organisation(
            slug=f"synthetic-org-{i:06d}",
            name=f"SYNTHETIC {rng.choice(TOPICS)} {rng.choice(FILLER)} GmbH {i}",
            kind=rng.choices(ORG_KINDS, ORG_WEIGHTS)[0],
            size_class=rng.choice(["sme", "sme", "sme", "large", ""]),
            city=rng.choice(kreise).name,
            region=rng.choice(kreise),
        )
        for i in range(organisations)
    ]
    Organisation.objects.bulk_create(orgs, batch_size=5000)
    org_ids = list(
        Organisation.objects.filter(slug__startswith="synthetic-").values_list("pk", "kind")
    )
    print(f"{organisations:,} organisations in {time.perf_counter() - started:.1f} s")

    records = []
    for i in range(initiatives):
        topic = rng.choice(TOPICS)
        kreis = rng.choice(kreise)
        statewide = rng.random() < 0.2
        records.append(
            ClusterInitiative(
                slug=f"synthetic-{i:05d}",
                name=f"SYNTHETIC {topic}-{rng.choice(FORMS)} {kreis.name} {i}",
                short_name=f"SYN{i}",
                kind=rng.choices(
                    ["cluster_initiative", "statewide_network", "state_agency"], [75, 22, 3]
                )[0],
                status="published",
                region=land if statewide else kreis.parent,
                seat_kreis=kreis,
                city=kreis.name,
                latitude=kreis.centroid_lat,
                longitude=kreis.centroid_lon,
                website=f"https://synthetic-{i}.example",
                founded_year=rng.randint(1990, 2025),
                description="SYNTHETIC DATA for benchmarks. " + " ".join(_description(rng, topic)),
                services=" ".join(rng.choice(FILLER) for _ in range(20)),
                activities_per_year=rng.randint(0, 12),
                innovation_driven=rng.random() < 0.8,
                member_count=rng.randint(5, 400),
                member_count_year=2024,
            )
        )
    ClusterInitiative.objects.bulk_create(records, batch_size=1000)
    synthetic = list(ClusterInitiative.objects.filter(slug__startswith="synthetic-"))
    through = ClusterInitiative.technology_fields.through
    links = []
    for record in synthetic:
        for field in rng.sample(fields, rng.randint(1, 4)):
            links.append(through(clusterinitiative_id=record.pk, technologyfield_id=field.pk))
    through.objects.bulk_create(links, batch_size=5000)
    labels = [
        Label(
            initiative=record,
            kind=rng.choice(Label.Kind.values),
            awarded_year=rng.randint(2012, 2025),
        )
        for record in synthetic
        if rng.random() < 0.15
    ]
    Label.objects.bulk_create(labels, batch_size=5000)
    print(f"{initiatives:,} initiatives in {time.perf_counter() - started:.1f} s")

    pairs: set[tuple[int, int]] = set()
    initiative_ids = [r.pk for r in synthetic]
    while len(pairs) < memberships:
        pairs.add((rng.choice(initiative_ids), rng.choice(org_ids)[0]))
    Membership.objects.bulk_create(
        (
            Membership(initiative_id=i, organisation_id=o, since_year=rng.randint(1995, 2025))
            for i, o in pairs
        ),
        batch_size=10000,
    )
    print(f"{memberships:,} memberships in {time.perf_counter() - started:.1f} s")

    refresh_denormalised(synthetic, dict(org_ids))
    print(f"search text and member counts in {time.perf_counter() - started:.1f} s")


def refresh_denormalised(synthetic: list[ClusterInitiative], org_kind: dict[int, str]) -> None:
    """The same columns as refresh_search_text / refresh_member_counts, in bulk."""
    fields_of: dict[int, list[TechnologyField]] = {}
    for link in ClusterInitiative.technology_fields.through.objects.select_related(
        "technologyfield__parent"
    ).filter(clusterinitiative__slug__startswith="synthetic-"):
        fields_of.setdefault(link.clusterinitiative_id, []).append(link.technologyfield)
    counts: dict[int, list[int]] = {}
    for initiative_id, organisation_id in Membership.objects.filter(
        initiative__slug__startswith="synthetic-"
    ).values_list("initiative_id", "organisation_id"):
        entry = counts.setdefault(initiative_id, [0, 0])
        entry[0] += 1
        entry[1] += org_kind[organisation_id] == "company"
    regions = {r.pk: r for r in Region.objects.without_boundaries()}
    texts = []
    for record in synthetic:
        names = set()
        for field in fields_of.get(record.pk, []):
            names |= {field.name, field.name_en, field.parent.name, field.parent.name_en}
        places = [record.city, regions[record.region_id].name, regions[record.seat_kreis_id].name]
        columns = search.search_columns(
            name=record.name,
            short_name=record.short_name,
            field_names=names,
            places=places,
            texts=[record.description, record.goals, record.services, record.legal_form],
        )
        for column, value in columns.items():
            setattr(record, column, value)
        record.listed_members, record.listed_companies = counts.get(record.pk, [0, 0])
        texts += [columns[c] for c in search.WEIGHTS]
    columns = [*search.STORED_COLUMNS, "listed_members", "listed_companies"]
    with transaction.atomic():
        ClusterInitiative.objects.bulk_update(synthetic, columns, batch_size=500)
        search.index_words(texts)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--initiatives", type=int, default=3000)
    parser.add_argument("--organisations", type=int, default=150_000)
    parser.add_argument("--memberships", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    refuse_unless_bench_database()
    call_command("migrate", verbosity=0)
    call_command("load_data", verbosity=0)
    if ClusterInitiative.objects.filter(slug__startswith="synthetic-").exists():
        sys.exit("the database already holds synthetic records; start from an empty bench database")
    generate(args.initiatives, args.organisations, args.memberships, args.seed)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO registry_initiative_fts(registry_initiative_fts) VALUES ('optimize')"
            )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
