"""Build the European edition's files: Eurostat SBS by NUTS-2 region and NACE division.

Called by ``build.py``; reads only ``data/atlas/raw``. See ``sbs`` for the estimates of
confidential cells, ``nuts`` for the NUTS versions and data/atlas/SOURCES.md for every file.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import nuts, sbs
from .eurostat import read_bulk_tsv
from .tables import Row, read_csv, write_csv, write_employment_parquet, write_json

SBS_FILE = "eurostat_sbs_r_nuts06_r2_2008_2015.tsv.gz"
NUTS2_OUTLINES = "NUTS_RG_03M_2021_4326_LEVL_2.geojson.gz"
MATRICES = {v: f"jrc_nuts2_cm_v{v}_v2021.csv" for v in ("2006", "2010", "2013")}
GISCO_ATTRIBUTION = "© EuroGeographics for the administrative boundaries"
DIGITS = 3  # about 100 m: enough for a map of Europe, a third of the bytes of 4 digits

#: Country names (German) of the 29 countries in the file; English on pages via gettext.
COUNTRIES = {
    "AT": "Österreich", "BE": "Belgien", "BG": "Bulgarien", "CY": "Zypern",
    "CZ": "Tschechien", "DE": "Deutschland", "DK": "Dänemark", "EE": "Estland",
    "EL": "Griechenland", "ES": "Spanien", "FI": "Finnland", "FR": "Frankreich",
    "HR": "Kroatien", "HU": "Ungarn", "IE": "Irland", "IT": "Italien", "LT": "Litauen",
    "LU": "Luxemburg", "LV": "Lettland", "MT": "Malta", "NL": "Niederlande",
    "NO": "Norwegen", "PL": "Polen", "PT": "Portugal", "RO": "Rumänien", "SE": "Schweden",
    "SI": "Slowenien", "SK": "Slowakei", "UK": "Vereinigtes Königreich",
}  # fmt: skip
EU28_NAME = "EU-28 (Summe der Staaten mit Daten)"


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DIGITS)
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def division_definition(
    divisions: Sequence[str], nace_rows: Sequence[Row], benchmark: Sequence[Row]
) -> list[tuple[str, ...]]:
    """Each NACE division its own cluster. Its traded/local type is that of the benchmark
    cluster the division goes to (definitions/benchmark_clusters_nace_rev2_divisions.csv)."""
    titles = {r["code"]: (r["title_en"], r["title_de"]) for r in nace_rows if r["level"] == "2"}
    kinds = {r["industry_code"]: r["type"] for r in benchmark}
    rows: list[tuple[str, ...]] = []
    for code in divisions:
        english, german = titles[code[1:]]
        rows.append(
            (code, code, f"{english.capitalize()} ({code})", kinds[code[1:]], f"{german} ({code})")
        )
    return rows


def benchmark_definition(
    divisions: Sequence[str],
    benchmark_divisions: Sequence[Row],
    benchmark_classes: Sequence[Row],
    names_de: dict[str, str],
) -> list[tuple[str, ...]]:
    """Benchmark clusters from the divisions the data has.

    A division goes whole to the cluster that carries most of its U.S. weight (the division
    definition); ``coverage`` is the share of the cluster's NACE classes (class definition)
    that lie in divisions of the data assigned to that same cluster: how much of the
    cluster's industry codes the division data can see.
    """
    present = {code[1:]: code for code in divisions}
    of_division = {r["industry_code"]: r for r in benchmark_divisions}
    classes: dict[str, list[str]] = defaultdict(list)
    for row in benchmark_classes:
        classes[row["cluster_code"]].append(row["industry_code"])
    rows: list[tuple[str, ...]] = []
    for number, code in sorted(present.items()):
        row = of_division[number]
        cluster = row["cluster_code"]
        seen = [
            c
            for c in classes[cluster]
            if c[:2] in present and of_division[c[:2]]["cluster_code"] == cluster
        ]
        coverage = len(seen) / len(classes[cluster]) if classes[cluster] else 0.0
        rows.append(
            (
                code,
                cluster,
                row["cluster_name"],
                row["type"],
                names_de[cluster],
                f"{coverage:.4f}",
                str(len(seen)),
                str(len(classes[cluster])),
            )
        )
    return rows


def build_europe(raw: Path, out: Path, report: dict[str, Any]) -> None:
    _header, cells = read_bulk_tsv(raw / SBS_FILE)
    panel = sbs.Panel.of(cells)
    records = sbs.engine_records(panel)
    eu = out / "eu"
    write_employment_parquet(eu / "sbs_nuts2_nace_divisions_2008_2015.parquet", records.rows)
    write_csv(
        eu / "sbs_estimated_cells.csv",
        (
            "year",
            "region_type",
            "region_code",
            "industry_code",
            "employment",
            "residual",
            "key",
            "shared_with",
        ),  # fmt: skip
        (
            (e.year, "nuts2", e.geo, e.division, e.employment, e.residual, e.key, e.shared_with)
            for e in records.estimated
        ),
    )
    write_csv(
        eu / "sbs_dropped_cells.csv",
        ("year", "region_code", "industry_code", "reason"),
        ((d.year, d.geo, d.division, d.reason) for d in records.dropped),
    )
    # The flags of every published cell the engine gets ("keeps the flags").
    write_csv(
        eu / "sbs_cell_flags.csv",
        ("year", "region_code", "industry_code", "flags"),
        (
            (year, geo, division, cell.flags)
            for (year, geo, division), cell in sorted(panel.employment.items())
            if cell.flags and (len(geo) in (2, 4))
        ),
    )
    _write_regions(raw, out, records.rows, report)
    divisions = sorted({str(r["industry_code"]) for r in records.rows})
    nace_rows = read_csv(raw / "nace_rev2_en_de.csv")
    benchmark_divisions = read_csv(
        out / "definitions" / "benchmark_clusters_nace_rev2_divisions.csv"
    )
    write_csv(
        out / "definitions" / "eu_nace_divisions.csv",
        ("industry_code", "cluster_code", "cluster_name", "type", "cluster_name_de"),
        division_definition(divisions, nace_rows, benchmark_divisions),
    )
    names_de = {
        r["cluster_code"]: r["cluster_name_de"]
        for r in read_csv(out / "definitions" / "us_benchmark_cluster_names_de.csv")
    }
    write_csv(
        out / "definitions" / "eu_benchmark_clusters_from_divisions.csv",
        (
            "industry_code",
            "cluster_code",
            "cluster_name",
            "type",
            "cluster_name_de",
            "coverage",
            "classes_covered",
            "classes",
        ),  # fmt: skip
        benchmark_definition(
            divisions,
            benchmark_divisions,
            read_csv(out / "definitions" / "benchmark_clusters_nace_rev2.csv"),
            names_de,
        ),
    )
    years = Counter(int(str(r["year"])) for r in records.rows if r["region_type"] == "nuts2")
    report["eu_sbs"] = {
        "rows": len(records.rows),
        "nuts2_rows_by_year": {str(k): v for k, v in sorted(years.items())},
        "divisions": len(divisions),
        "estimated_cells": len(records.estimated),
        "estimated_by_key": dict(sorted(Counter(e.key for e in records.estimated).items())),
        "dropped_cells": len(records.dropped),
        "dropped_by_reason": dict(
            sorted(Counter(d.reason.split(" (")[0].split(":")[0] for d in records.dropped).items())
        ),
    }


def _write_regions(
    raw: Path, out: Path, rows: Sequence[dict[str, object]], report: dict[str, Any]
) -> None:
    with gzip.open(raw / NUTS2_OUTLINES, "rt", encoding="utf-8") as handle:
        outlines = {f["properties"]["NUTS_ID"]: f for f in json.load(handle)["features"]}
    matrices = {v: nuts.links(read_csv(raw / name), v) for v, name in MATRICES.items()}
    codes = sorted({str(r["region_code"]) for r in rows if r["region_type"] == "nuts2"})
    mapped = nuts.map_codes(codes, matrices, outlines)
    write_csv(
        out / "eu" / "nuts2_versions.csv",
        ("code", "matrix_version", "code_2021", "share_out", "share_in", "drawn", "reason"),
        (
            (
                m.code,
                m.version,
                m.code_2021 or "",
                f"{m.share_out:.4f}",
                f"{m.share_in:.4f}",
                "yes" if m.code_2021 else "no",
                m.reason,
            )  # fmt: skip
            for m in mapped
        ),
    )
    features = []
    names: dict[str, str] = {}
    for m in mapped:
        if not m.code_2021:
            continue
        source = outlines[m.code_2021]
        names[m.code] = source["properties"]["NUTS_NAME"]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": m.code, "nuts_2021": m.code_2021, "name": names[m.code]},
                "geometry": {
                    "type": source["geometry"]["type"],
                    "coordinates": _round(source["geometry"]["coordinates"]),
                },
            }
        )
    write_json(
        out / "boundaries" / "eu_nuts2_2021.geojson",
        {"type": "FeatureCollection", "attribution": GISCO_ATTRIBUTION, "features": features},
    )
    countries = sorted({str(r["region_code"]) for r in rows if r["region_type"] == "country"})
    regions = [("eu", sbs.EU28_CODE, EU28_NAME, "")]
    regions += [
        ("country", c, COUNTRIES[c], sbs.EU28_CODE if c in sbs.EU28 else "") for c in countries
    ]
    regions += [("nuts2", c, names.get(c, f"NUTS-2 {c}"), c[:2]) for c in codes]
    write_csv(
        out / "eu" / "regions.csv", ("region_type", "region_code", "name", "parent_code"), regions
    )
    links = [("nuts2", c, "country", c[:2]) for c in codes]
    links += [("country", c, "eu", sbs.EU28_CODE) for c in countries if c in sbs.EU28]
    write_csv(
        out / "eu" / "region_links_nuts2_country_eu28.csv",
        ("child_type", "child_code", "parent_type", "parent_code"),
        links,
    )
    report["eu_nuts2"] = {
        "codes": len(codes),
        "drawn": len(features),
        "recoded": sum(1 for m in mapped if m.code_2021 and m.code_2021 != m.code),
        "not_drawn": {m.code: m.reason for m in mapped if not m.code_2021},
    }
