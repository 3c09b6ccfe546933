"""Load the technology-field taxonomy (data/registry/technology_fields.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from clusterportal.lib.loading import LoadReport, upsert
from clusterportal.taxonomy.models import TechnologyField

FIELDS_FILE = "registry/technology_fields.csv"


@transaction.atomic
def load_technology_fields(data_dir: Path) -> LoadReport:
    report = LoadReport("technology fields")
    with open(data_dir / FIELDS_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_slug: dict[str, TechnologyField] = {}
    # Parents first, so children can point at them.
    for row in sorted(rows, key=lambda r: bool(r["parent"])):
        obj, created, changed = upsert(
            TechnologyField,
            {"slug": row["slug"]},
            {
                "name": row["name_de"],
                "name_en": row["name_en"],
                "name_source": row["name_source"],
                "parent": by_slug[row["parent"]] if row["parent"] else None,
            },
        )
        by_slug[row["slug"]] = obj
        report.count(created, changed)
    return report
