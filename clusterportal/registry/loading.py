"""Load the shipped BW registry (data/registry/) through the normal import.

bw_clusters.csv is the research table of real initiatives. Two small curated
tables add what its free-text notes say: the status of an entry
(bw_cluster_status.csv: historical, listing unconfirmed) and the Kreis of each
seat city (bw_city_kreis.csv). All rows are published.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from clusterportal.lib.loading import LoadReport
from clusterportal.lib.tables import read_table
from clusterportal.registry.importing import ImportFailed, import_initiatives

CLUSTERS_FILE = "registry/bw_clusters.csv"
STATUS_FILE = "registry/bw_cluster_status.csv"
CITY_FILE = "registry/bw_city_kreis.csv"


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_bw_initiatives(data_dir: Path, *, update: bool = False) -> LoadReport:
    table = read_table((data_dir / CLUSTERS_FILE).read_bytes(), CLUSTERS_FILE)
    status = {row.pop("name"): row for row in _read(data_dir / STATUS_FILE)}
    kreis_of_city = {row["city"]: row["kreis_ags"] for row in _read(data_dir / CITY_FILE)}
    report = LoadReport("cluster initiatives")
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
    return report
