"""Load the shipped BW registry (data/registry/) through the normal import.

bw_clusters.csv is the research table of real initiatives. Two small curated
tables add what its free-text notes say: the status of an entry
(bw_cluster_status.csv: historical, listing unconfirmed) and the Kreis of each
seat city (bw_city_kreis.csv). All rows are published.

international_partnerships.csv adds partnerships with a source each (the research table's
international_focus has one note per initiative and no source of its own); it is loaded
right after the initiatives, see load_partnerships.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django_countries import countries

from clusterportal.lib.loading import LoadReport
from clusterportal.lib.tables import read_table
from clusterportal.registry.importing import ImportFailed, import_initiatives
from clusterportal.registry.models import ClusterInitiative, InternationalPartnership

CLUSTERS_FILE = "registry/bw_clusters.csv"
STATUS_FILE = "registry/bw_cluster_status.csv"
CITY_FILE = "registry/bw_city_kreis.csv"
PARTNERSHIPS_FILE = "registry/international_partnerships.csv"
PARTNERSHIP_COLUMNS = [
    "initiative", "country_code", "country", "partner_region", "note", "source_name",
    "source_url",
]  # fmt: skip


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_bw_initiatives(data_dir: Path, *, update: bool = False) -> LoadReport:
    table = read_table((data_dir / CLUSTERS_FILE).read_bytes(), CLUSTERS_FILE)
    status = {row.pop("name"): row for row in _read(data_dir / STATUS_FILE)}
    kreis_of_city = {row["city"]: row["kreis_ags"] for row in _read(data_dir / CITY_FILE)}
    report = RegistryReport("cluster initiatives")
    unknown = sorted(set(status) - {row["name"] for row in table.rows})
    if unknown:
        report.rejected = [f"{STATUS_FILE}: no initiative named {name!r}" for name in unknown]
        return report
    for row in table.rows:
        row["status"] = "published"
        row["kreis"] = kreis_of_city.get(row["city"], "")
        row.update(status.get(row["name"], {}))
    header = list(dict.fromkeys([*table.header, "status", "kreis", *next(iter(status.values()))]))
    try:
        result = import_initiatives(replace(table, header=header), update=update)
    except ImportFailed as failure:
        report.rejected = [str(error) for error in failure.errors]
        return report
    report.created, report.updated = len(result.created), len(result.updated)
    report.unchanged, report.kept = len(result.unchanged), len(result.kept)
    # After the import, which rewrites the partnerships of the initiatives it changes.
    report.partnerships = load_partnerships(data_dir)
    report.rejected = report.partnerships.rejected
    return report


@dataclass
class RegistryReport(LoadReport):
    """The initiatives, and the partnerships file loaded after them."""

    partnerships: LoadReport | None = None

    def __str__(self) -> str:
        if self.partnerships is None:
            return super().__str__()
        # The partnerships are loaded only after every initiative was: their rejections
        # are the partnerships file's, and counted on its line.
        initiatives = LoadReport.__str__(replace(self, rejected=[], partnerships=None))
        return f"{initiatives}\n{self.partnerships}"


def _partnership_row(
    row: dict[str, str], initiatives: dict[str, list[int]]
) -> tuple[dict[str, object], str]:
    """One checked row of the partnerships file as the model's values, and its country code;
    ValueError naming the column and the reason."""
    values = {key: (row.get(key) or "").strip() for key in PARTNERSHIP_COLUMNS}
    found = initiatives.get(values["initiative"], [])
    if len(found) != 1:
        reason = "no initiative has this name" if not found else "several initiatives have it"
        raise ValueError(f"initiative {values['initiative']!r}: {reason}")
    code = values["country_code"]
    if code not in countries:
        raise ValueError(f"country_code {code!r} is not an ISO 3166-1 alpha-2 country code")
    limits = {"country": 100, "partner_region": 200, "note": 300, "source_name": 300}
    for key in ("country", "source_name", "source_url"):
        if not values[key]:
            raise ValueError(f"{key} is empty")
    for key, limit in limits.items():
        if len(values[key]) > limit:
            raise ValueError(f"{key} is longer than {limit} characters")
    try:
        URLValidator(schemes=["http", "https"])(values["source_url"])
    except ValidationError:
        raise ValueError(f"source_url {values['source_url']!r} is not a web address") from None
    model_values = {key: values[key] for key in PARTNERSHIP_COLUMNS[2:]}
    return {"initiative_id": found[0], **model_values}, code


def read_partnerships(path: Path) -> tuple[list[tuple[int, dict[str, object]]], list[str]]:
    """The checked rows of the partnerships file with their line numbers, and the errors
    (file, line, reason)."""
    initiatives: dict[str, list[int]] = {}
    for pk, name in ClusterInitiative.objects.values_list("pk", "name"):
        initiatives.setdefault(name, []).append(pk)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != PARTNERSHIP_COLUMNS:
            columns = reader.fieldnames
            return [], [f"{PARTNERSHIPS_FILE}, line 1: the columns are {columns}, expected "
                        f"{PARTNERSHIP_COLUMNS}"]  # fmt: skip
        rows, errors, seen = [], [], set()
        for line, raw in enumerate(reader, start=2):
            try:
                values, code = _partnership_row(raw, initiatives)
            except ValueError as error:
                errors.append((line, str(error)))
                continue
            key = (values["initiative_id"], code)
            if key in seen:
                errors.append((line, f"{raw['initiative']!r} with {code} is given twice"))
                continue
            seen.add(key)
            rows.append((line, values))
    # The research table's partnerships (no source) belong to its import, which rewrites
    # them: a row of this file may not take one over (an import would add it again).
    research = set(
        InternationalPartnership.objects.filter(
            initiative_id__in={values["initiative_id"] for _line, values in rows}, source_url=""
        ).values_list("initiative_id", "country")
    )
    for line, values in rows:
        if (values["initiative_id"], values["country"]) in research:
            errors.append((line, (
                f"{values['country']!r} is already a partnership of this initiative in "
                f"{CLUSTERS_FILE} (international_focus); take it out there to give it a "
                "source here"
            )))  # fmt: skip
    return rows, [f"{PARTNERSHIPS_FILE}, line {line}: {why}" for line, why in sorted(errors)]


def load_partnerships(data_dir: Path) -> LoadReport:
    """The partnerships of international_partnerships.csv, each with its source.

    All or nothing: every row is checked first (the initiative by its exact name, the
    country code with django-countries, the source's name and web address, no pair twice,
    none the research table already names), and a bad row is reported with its line and
    reason; then nothing is changed. A row updates the initiative's sourced partnership
    with the same country name, else adds one; a second run changes nothing. The import of
    the research table leaves sourced partnerships alone (importing.related_snapshots,
    import_write._delete_relations)."""
    report = LoadReport("international partnerships with sources")
    rows, report.rejected = read_partnerships(data_dir / PARTNERSHIPS_FILE)
    if report.rejected:
        return report
    with transaction.atomic():
        for _line, values in rows:
            existing = (
                InternationalPartnership.objects.filter(
                    initiative_id=values["initiative_id"], country=values["country"]
                )
                .exclude(source_url="")
                .first()
            )
            obj = existing or InternationalPartnership()
            changed = any(getattr(obj, key) != value for key, value in values.items())
            if changed:
                for key, value in values.items():
                    setattr(obj, key, value)
                # The file is input like any other: it must pass the model's validation.
                obj.full_clean()
                obj.save()
            report.count(existing is None, changed)
    return report
