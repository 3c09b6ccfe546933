"""Loads data/international/bw_exports_by_partner_country_2010_2025.csv (Destatis 51000-0032).

All or nothing: every row is checked first (the columns, the Land, the year, the numbers
and their status, duplicates); a bad row is reported with its line number and reason, and
nothing is changed. Idempotent: rows are matched by (label, year); a second run changes
nothing and says so. Every label that maps to no country is reported (country_names.py).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from clusterportal.international.country_names import UNMAPPED, iso_code
from clusterportal.international.models import FIRST_YEAR, LAST_YEAR, ExportValue
from clusterportal.lib.loading import LoadReport

FILE = Path("international/bw_exports_by_partner_country_2010_2025.csv")
COLUMNS = [
    "year", "bundesland", "partner_country_de", "export_weight_t", "weight_status",
    "export_value_teur", "value_status",
]  # fmt: skip
STATUSES = {"e", "p", "0", ""}
FIELDS = ["country", "value_teur", "value_status", "weight_t", "weight_status"]


@dataclass
class ExportReport(LoadReport):
    # label -> why it names no country ("new" if it is not in country_names.UNMAPPED)
    unmapped: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [super().__str__()]
        lines += [f"  no country code: {label!r} ({why})" for label, why in self.unmapped.items()]
        return "\n".join(lines)


def _status(value: str, status: str, name: str) -> str | None:
    if status not in STATUSES:
        return f"{name} status {status!r} is not one of e, p, 0 or empty"
    if (value == "") != (status == ""):
        return f"{name} {value!r} and its status {status!r} must both be given or both be empty"
    return None


def parse_row(row: dict[str, str]) -> ExportValue:
    """One checked row; ValueError with the reason."""
    if row.get("bundesland") != "Baden-Württemberg":
        raise ValueError(f"Land {row.get('bundesland')!r} is not Baden-Württemberg")
    try:
        year = int(row["year"])
    except ValueError:
        raise ValueError(f"year {row['year']!r} is not a whole number") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    label = row["partner_country_de"].strip()
    if not label:
        raise ValueError("the partner country is empty")
    for name, value_key, status_key in (("value", "export_value_teur", "value_status"),
                                        ("weight", "export_weight_t", "weight_status")):  # fmt: skip
        if problem := _status(row[value_key], row[status_key], name):
            raise ValueError(problem)
    value = row["export_value_teur"]
    if value and (not value.isdigit()):
        raise ValueError(f"value {value!r} is not a whole number of thousand EUR ≥ 0")
    weight = None
    if row["export_weight_t"]:
        try:
            weight = Decimal(row["export_weight_t"])
        except InvalidOperation:
            raise ValueError(f"weight {row['export_weight_t']!r} is not a number") from None
        if weight < 0:
            raise ValueError(f"weight {weight} is negative")
    return ExportValue(
        label=label, country=iso_code(label) or "", year=year,
        value_teur=int(value) if value else None, value_status=row["value_status"],
        weight_t=weight, weight_status=row["weight_status"],
    )  # fmt: skip


def read(path: Path) -> tuple[list[ExportValue], list[str]]:
    """The rows of the file and the errors (line number and reason)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            return [], [f"line 1: the columns are {reader.fieldnames}, expected {COLUMNS}"]
        rows, errors, seen = [], [], set()
        for line, raw in enumerate(reader, start=2):
            try:
                row = parse_row(raw)
            except (ValueError, KeyError, TypeError) as error:
                errors.append(f"line {line}: {error}")
                continue
            if (row.label, row.year) in seen:
                errors.append(f"line {line}: {row.label!r} {row.year} is given twice")
                continue
            seen.add((row.label, row.year))
            rows.append(row)
    return rows, errors


def load_exports(data_dir: Path) -> ExportReport:
    report = ExportReport("BW exports by partner country")
    rows, report.rejected = read(data_dir / FILE)
    if report.rejected:
        return report
    for row in rows:
        if not row.country and row.label not in report.unmapped:
            report.unmapped[row.label] = str(UNMAPPED.get(row.label, "new: not in country_names"))
    existing = {(e.label, e.year): e for e in ExportValue.objects.all()}
    created, changed = [], []
    for row in rows:
        old = existing.pop((row.label, row.year), None)
        if old is None:
            created.append(row)
        elif any(getattr(old, name) != getattr(row, name) for name in FIELDS):
            for name in FIELDS:
                setattr(old, name, getattr(row, name))
            changed.append(old)
    with transaction.atomic():
        ExportValue.objects.bulk_create(created, batch_size=500)
        ExportValue.objects.bulk_update(changed, FIELDS, batch_size=500)
        # Rows the file no longer has: the file is the source.
        ExportValue.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
    report.created, report.updated = len(created), len(changed) + len(existing)
    report.unchanged = len(rows) - len(created) - len(changed)
    return report
