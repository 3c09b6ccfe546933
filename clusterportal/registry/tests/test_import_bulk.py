"""The initiative import writes in bulk, in one short transaction after all the reading.

The bulk path must give exactly what the import gave when it saved row by row
(records, search text, vocabulary, relations, history): `row_by_row` below is that
earlier import, kept here as the reference. And it must hold the write lock only
for its writes: validation and preparation run outside any transaction, and the
number of queries does not grow with the rows (it was 18 per row).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from clusterportal.lib.tables import Table, read_table
from clusterportal.registry import importing, imports
from clusterportal.registry.models import (
    ClusterInitiative,
    InternationalPartnership,
    Label,
    SearchWord,
    SourceReference,
)
from clusterportal.taxonomy.models import TechnologyField

pytestmark = pytest.mark.django_db

SHIPPED = settings.DATA_DIR / "registry" / "bw_clusters.csv"


def shipped(count: int, rename: str = "", **changes: str) -> Table:
    """The first rows of the shipped research table (labels, partners, sources, fields),
    renamed to be new records, or changed to update the loaded ones."""
    table = read_table(SHIPPED.read_bytes(), SHIPPED.name)
    rows = []
    for raw in table.rows[:count]:
        row = {**raw, "status": "published", **changes}
        if rename:
            row["name"], row["short_name"] = f"{rename} {raw['name']}", ""
        rows.append(row)
    return replace(table, header=[*table.header, "status", *changes], rows=rows)


def row_by_row(table: Table, *, update: bool = False) -> None:
    """The import as it was before the bulk path: a model save per row, then its relations."""
    rows = importing.validate(table)
    with transaction.atomic():
        existing = {
            i.slug: i for i in ClusterInitiative.objects.filter(slug__in=[r.slug for r in rows])
        }
        for row in rows:
            initiative = existing.get(row.slug)
            if initiative is None:
                initiative = ClusterInitiative()
            elif importing.snapshot(initiative, set(row.values)) == row.snapshot():
                continue
            elif not update:
                continue
            for key, value in row.values.items():
                setattr(initiative, key, value)
            initiative.full_clean(exclude=["region", "seat_kreis", "management_organisation"])
            initiative.save()
            initiative.technology_fields.set(
                TechnologyField.objects.filter(slug__in=row.field_slugs)
            )
            initiative.labels.all().delete()
            Label.objects.bulk_create(
                Label(
                    initiative=initiative,
                    kind=f.kind,
                    awarded_on=f.awarded_on,
                    awarded_year=f.awarded_year,
                    note=f.note[:500],
                )
                for f in row.labels
            )
            # Partnerships with a source of their own are not the import's (loading.py).
            initiative.partnerships.filter(source_url="").delete()
            InternationalPartnership.objects.bulk_create(
                InternationalPartnership(initiative=initiative, country=p.name[:100], note=p.note)
                for p in row.partners
            )
            initiative.sources.all().delete()
            SourceReference.objects.bulk_create(
                SourceReference(initiative=initiative, url=url, position=index)
                for index, url in enumerate(row.sources)
            )


SKIP = {"id", "created_at", "updated_at", "history_id", "history_date", "initiative_id"}


def values(record) -> dict:
    return {k: v for k, v in vars(record).items() if not k.startswith("_") and k not in SKIP}


def state(slugs: list[str]) -> dict:
    """Everything the import wrote for these initiatives, without keys and clock times."""
    records = ClusterInitiative.objects.filter(slug__in=slugs).order_by("slug")
    result = {}
    for initiative in records.prefetch_related(*importing.RELATIONS):
        result[initiative.slug] = {
            "record": values(initiative),
            "fields": sorted(f.slug for f in initiative.technology_fields.all()),
            "labels": sorted(str(values(label)) for label in initiative.labels.all()),
            "partners": [values(p) for p in initiative.partnerships.all()],
            "sources": [values(s) for s in initiative.sources.all()],
            "history": [
                values(h) for h in initiative.history.order_by("history_date", "history_id")
            ],
        }
    result["vocabulary"] = set(SearchWord.objects.values_list("variant", "word"))
    return result


def both_ways(run) -> tuple[dict, dict]:
    """The state after `run(import_function)` with the bulk path and with the reference,
    each rolled back afterwards."""
    outcomes = []
    for importer in (importing.import_initiatives, row_by_row):
        with transaction.atomic():
            slugs = run(importer)
            outcomes.append(state(slugs))
            transaction.set_rollback(True)
    return outcomes[0], outcomes[1]


def test_new_records_are_written_as_row_by_row_saves_wrote_them():
    table = shipped(25, rename="Neu")

    def run(importer):
        importer(table)
        return [r.slug for r in importing.validate(table)]

    bulk, reference = both_ways(run)
    assert len(bulk) == 26  # 25 initiatives and the vocabulary
    assert bulk == reference
    some = next(v for k, v in bulk.items() if k != "vocabulary" and v["labels"])
    assert some["record"]["search_fields"] and some["sources"]
    assert [h["history_type"] for h in some["history"]] == ["+"]


def test_updated_records_are_written_as_row_by_row_saves_wrote_them():
    table = shipped(25, legal_form="eingetragener Verein", international_focus="Frankreich")

    def run(importer):
        importer(table, update=True)
        return [r.slug for r in importing.validate(table)]

    bulk, reference = both_ways(run)
    assert bulk == reference
    record = bulk["biopro"]
    assert record["record"]["legal_form"] == "eingetragener Verein"
    assert [p["country"] for p in record["partners"]] == ["Frankreich"]
    assert [h["history_type"] for h in record["history"]] == ["+", "~"]


def test_validation_and_preparation_run_outside_any_transaction(monkeypatch):
    """On SQLite a transaction holds the write lock (IMMEDIATE): reading and checking
    50,000 rows inside one froze every other writer of the site for minutes."""
    table = shipped(5, rename="Frei")
    seen = []
    validate, full_clean = importing.validate, ClusterInitiative.full_clean

    def watching(function):
        def wrapper(*args, **kwargs):
            seen.append(len(connection.atomic_blocks))
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(importing, "validate", watching(validate))
    monkeypatch.setattr(ClusterInitiative, "full_clean", watching(full_clean))
    # pytest-django runs each test in a transaction of its own: count the ones on top.
    outside = len(connection.atomic_blocks)
    outcome = imports.run_import(importing.import_initiatives, _csv(table), "neu.csv")
    assert outcome.report is not None and len(outcome.report.created) == 5
    assert seen == [outside] * 6  # validate once, the model's validation per row


def _csv(table: Table) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.header)
    writer.writeheader()
    writer.writerows(table.rows)
    return buffer.getvalue().encode()


def test_the_queries_of_an_import_do_not_grow_with_its_rows():
    counted = {}
    for count in (10, 100):
        table = shipped(count, rename=f"Mehr{count}")
        with CaptureQueriesContext(connection) as queries:
            report = importing.import_initiatives(table)
        assert len(report.created) == count
        counted[count] = len(queries)
    # Lookups, existing records, vocabulary, four statements per staged table (six
    # tables), the write's few statements, on SQLite the full-text index's catch-up
    # (per 2,000 records); it was 18 queries per row.
    assert counted[10] == counted[100] <= 60
