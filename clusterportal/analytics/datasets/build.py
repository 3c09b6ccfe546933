"""Rebuild every prepared file in ``data/atlas`` from the raw copies in ``data/atlas/raw``.

    python -m clusterportal.analytics.datasets.build [--raw DIR] [--out DIR]

Reads nothing outside the project. Writes the same bytes on every run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import europe, genesis, germany, nace, naics, topojson
from .cluster_names_de import NAMES_DE, TRANSLATION_NOTE
from .tables import (
    open_text,
    read_csv,
    write_csv,
    write_employment_parquet,
    write_json,
)

ROOT = Path(__file__).resolve().parents[3]
ATLAS = ROOT / "data" / "atlas"
RAW = ATLAS / "raw"

COORDINATE_DIGITS = 4
GENERATED_FOLDERS = ("boundaries", "de", "definitions", "eu", "us")
US_TERRITORIES = frozenset({"60", "66", "69", "72", "78"})
GENESIS_FILE = "regionalstatistik_13111-07-05-4_2020_raw_latin1.csv"
BKG_ATTRIBUTION = "© GeoBasis-DE / BKG 2021 (Daten verändert)"


@dataclass
class UsOutputs:
    crosswalk: list[naics.CrosswalkLink]
    definition: naics.DefinitionResult
    records: list[dict[str, object]]
    titles_2017: dict[str, str]


def _six(value: float) -> str:
    return f"{value:.6f}"


def build_us(raw: Path, out: Path, report: dict[str, Any]) -> UsOutputs:
    titles_2012 = naics.six_digit_titles(read_csv(raw / "naics2012_codes_en.csv"), "naics2012")
    titles_2017 = naics.six_digit_titles(read_csv(raw / "naics2017_codes_en.csv"), "naics2017")
    changed = naics.changed_links_2012_to_2017(
        read_csv(raw / "naics2012_to_naics2017_changed_links.csv")
    )
    crosswalk = naics.build_crosswalk_2017_to_2012(titles_2012, titles_2017, changed)
    write_csv(
        out / "us" / "naics2017_to_naics2012.csv",
        ("from_code", "to_code", "share"),
        ((link.from_code, link.to_code, _six(link.share)) for link in crosswalk),
    )
    report["us_crosswalk"] = {
        "rows": len(crosswalk),
        "relations": dict(sorted(Counter(link.relation for link in crosswalk).items())),
    }

    acr1 = read_csv(raw / "acr1_naics2012_to_benchmark_cluster.csv")
    identity = read_csv(raw / "us_benchmark_clusters_identity.csv")
    definition = naics.build_us_definition(acr1, identity, titles_2012, changed)
    definitions = out / "definitions"
    write_csv(
        definitions / "us_benchmark_clusters_naics2012.csv",
        naics.DEFINITION_HEADER,
        naics.definition_rows(definition.assignments),
    )
    write_csv(
        definitions / "us_benchmark_clusters_naics2012_provenance.csv",
        ("industry_code", "cluster_code", "origin", "acr1_codes"),
        (
            (a.industry_code, a.cluster_code, a.origin, a.source_codes)
            for a in sorted(definition.assignments, key=lambda a: a.industry_code)
        ),
    )
    write_csv(
        definitions / "us_benchmark_clusters_acr1_excluded.csv",
        ("naics", "emsi_nonstandard", "cluster", "subcluster", "description", "reason"),
        (
            (
                r["naics"],
                r["emsi_nonstandard"],
                r["cluster"],
                r["subcluster"],
                r["description"],
                r["reason"],
            )
            for r in sorted(definition.excluded, key=lambda r: (r["naics"], r["reason"]))
        ),
    )
    codes = naics.cluster_codes_by_name(identity)
    missing_de = sorted(set(codes) - set(NAMES_DE))
    if missing_de:
        raise SystemExit(f"German names missing for clusters: {missing_de}")
    write_csv(
        definitions / "us_benchmark_cluster_names_de.csv",
        ("cluster_code", "cluster_name", "type", "cluster_name_de", "translation"),
        (
            (code, name, kind, NAMES_DE[name], TRANSLATION_NOTE)
            for name, (code, kind) in sorted(codes.items(), key=lambda item: int(item[1][0]))
        ),
    )
    linkage = read_csv(raw / "acr1_cluster_linkage.csv")
    write_csv(
        definitions / "us_benchmark_cluster_linkage.csv",
        (
            "core_cluster_code",
            "core_cluster_name",
            "linked_cluster_code",
            "linked_cluster_name",
            "strength",
        ),
        (
            (
                codes[r["core_cluster"]][0],
                r["core_cluster"],
                codes[r["linked_cluster"]][0],
                r["linked_cluster"],
                r["strength"],
            )
            for r in linkage
        ),
    )
    origins = Counter(a.origin for a in definition.assignments)
    report["us_definition"] = {
        "industries": len(definition.assignments),
        "clusters": len({a.cluster_code for a in definition.assignments}),
        "origins": dict(sorted(origins.items())),
        "acr1_rows": len(acr1),
        "acr1_excluded": dict(sorted(Counter(r["reason"] for r in definition.excluded).items())),
        "linkage_rows": len(linkage),
    }

    cbp = read_csv(raw / "us_cbp2019_cbsa_naics2017_emp_estab.csv.gz")
    records = naics.cbp_employment_records(cbp)
    write_employment_parquet(out / "us" / "cbp2019_cbsa_naics2017.parquet", records)
    cluster_of = {a.industry_code: a.cluster_code for a in definition.assignments}
    unmapped = naics.unmapped_report(records, crosswalk, cluster_of, titles_2017)
    # The same report for a definition without the industries restored from flagged rows.
    strict = {
        a.industry_code: a.cluster_code
        for a in definition.assignments
        if a.origin != "via_2017_flagged"
    }
    strict_unmapped = naics.unmapped_report(records, crosswalk, strict, titles_2017)
    write_csv(
        out / "us" / "cbp2019_unmapped_naics2017.csv",
        ("definition", "naics2017", "title", "employment", "establishments", "unmapped_share"),
        [
            (variant, u.naics2017, u.title, u.employment, u.establishments, _six(u.unmapped_share))
            for variant, report_rows in (
                ("shipped", unmapped),
                ("without_flagged_restorations", strict_unmapped),
            )
            for u in report_rows
        ],
    )
    cbsa_rows = [r for r in records if r["region_type"] == "cbsa"]
    totals_00 = sum(int(r["emp"]) for r in cbp if r["naics2017"] == "00")
    report["us_cbp2019"] = {
        "rows": len(records),
        "cbsa_rows": len(cbsa_rows),
        "reference_rows": len(records) - len(cbsa_rows),
        "cbsas": len({r["region_code"] for r in cbsa_rows}),
        "naics2017_codes": len({r["industry_code"] for r in cbsa_rows}),
        "employment_6digit": sum(int(str(r["employment"])) for r in cbsa_rows),
        "employment_all_sectors_00": totals_00,
        "rows_with_zero_employment_and_establishments": sum(
            1 for r in cbsa_rows if r["employment"] == 0 and int(str(r["establishments"])) > 0
        ),
        "unmapped_codes": len(unmapped),
        "unmapped_employment": sum(u.employment * u.unmapped_share for u in unmapped),
        "unmapped_if_flagged_rows_not_restored": {
            "codes": len(strict_unmapped),
            "employment": sum(u.employment * u.unmapped_share for u in strict_unmapped),
        },
    }
    _write_us_regions(raw, out, cbsa_rows, report)
    return UsOutputs(crosswalk, definition, records, titles_2017)


def _write_us_regions(
    raw: Path, out: Path, cbsa_rows: Sequence[dict[str, object]], report: dict[str, Any]
) -> None:
    states = {
        r["region_code"]: r["region_name"]
        for r in read_csv(raw / "us_states_2016_cluster_inputs.csv")
        if r["region_type"] == "state"
    }
    topology = json.loads((raw / "us_counties_10m_us-atlas-3.0.1.topojson.json").read_text())
    features = topojson.object_to_features(topology, "states", COORDINATE_DIGITS)
    kept: list[dict[str, Any]] = []
    for feature in sorted(features, key=lambda f: str(f["id"])):
        code = str(feature["id"])
        if code in US_TERRITORIES:
            continue
        name = states.get(code, feature["properties"]["name"])
        kept.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": feature["geometry"],
            }
        )
    write_json(
        out / "boundaries" / "us_states.geojson", {"type": "FeatureCollection", "features": kept}
    )
    write_csv(
        out / "us" / "regions.csv",
        ("region_type", "region_code", "name"),
        [
            (
                "country",
                naics.US_REFERENCE_CODE,
                "United States, sum of the CBSAs in CBP 2019 (not the U.S. total)",
            )
        ]
        + [("state", f["properties"]["code"], f["properties"]["name"]) for f in kept],
    )
    names_path = raw / "cbsa_names_tiger.csv"
    if names_path.exists():
        names = {r["cbsa_code"]: r for r in read_csv(names_path)}
        codes = sorted({str(r["region_code"]) for r in cbsa_rows})
        write_csv(
            out / "us" / "cbsa_names.csv",
            ("region_type", "region_code", "name", "kind"),
            (("cbsa", c, names[c]["name"], names[c]["kind"]) for c in codes if c in names),
        )
        report["us_cbsa_names"] = {
            "cbsas": len(codes),
            "named": sum(c in names for c in codes),
            "without_name": [c for c in codes if c not in names],
        }
    report["us_states_geojson"] = {
        "features": len(kept),
        "from_oracle_names": sum(f["properties"]["code"] in states for f in kept),
    }


def build_germany(raw: Path, out: Path, report: dict[str, Any]) -> None:
    with open_text(raw / "de_kreise_vg5000_2021.geojson.gz") as handle:
        kreise_geo = json.load(handle)
    kreise = sorted(f["properties"]["ARS"] for f in kreise_geo["features"])
    records = germany.read_long(
        read_csv(raw / "de_svb_arbeitsort_wz2008_sections_kreise_2015_2020.csv.gz")
    )
    rows, notes, dropped = germany.engine_records(records, kreise)
    write_employment_parquet(out / "de" / "svb_wz2008_sections_2015_2020.parquet", rows)
    write_csv(
        out / "de" / "svb_cell_notes.csv",
        ("year", "region_type", "region_code", "industry_code", "status", "detail"),
        (
            (n.year, n.region_type, n.region_code, n.industry_code, n.status, n.detail)
            for n in notes
        ),
    )
    write_csv(out / "de" / "svb_dropped_former_kreise.csv", ("ars", "name"), dropped)
    write_csv(
        out / "de" / "region_links_kreis_land.csv",
        ("child_type", "child_code", "parent_type", "parent_code"),
        germany.region_links_kreis_land(kreise),
    )
    bw_kreise = read_csv(raw / "bw_kreise.csv")
    write_csv(
        out / "de" / "region_links_bw_kreis_region_land.csv",
        ("child_type", "child_code", "parent_type", "parent_code"),
        germany.region_links_bw(bw_kreise),
    )
    _write_de_regions(out, kreise_geo, records, bw_kreise)
    wz = read_csv(raw / "wz2008_nace_rev2_de_en.csv")
    write_csv(
        out / "definitions" / "de_wz2008_section_groups.csv",
        ("industry_code", "cluster_code", "cluster_name", "type", "cluster_name_de"),
        germany.section_definition(wz),
    )
    genesis_rows, _, _ = germany.engine_records(
        genesis.parse_13111_07_05_4(raw / GENESIS_FILE), kreise
    )
    long_2020 = [r for r in rows if r["year"] == 2020]
    if genesis_rows != long_2020:
        raise SystemExit("GENESIS export and long file disagree for 2020")
    _write_boundaries_de(raw, out, kreise_geo)
    status = Counter((n.status, n.region_type) for n in notes)
    bw_total = {
        year: sum(
            r.total or 0
            for r in records
            if r.year == year
            and r.level == "kreis"
            and r.ars.startswith("08")
            and r.section == "TOTAL"
        )
        for year in sorted({r.year for r in records})
    }
    report["de_svb"] = {
        "rows": len(rows),
        "by_region_type": dict(sorted(Counter(str(r["region_type"]) for r in rows).items())),
        "years": sorted({int(str(r["year"])) for r in rows}),
        "kreise": len(kreise),
        "cell_notes": {f"{k[0]}:{k[1]}": v for k, v in sorted(status.items())},
        "dropped_former_kreise": len(dropped),
        "bw_kreise_total_by_year": {str(k): v for k, v in bw_total.items()},
        "genesis_2020_rows_equal_long_file": True,
    }


def _write_de_regions(
    out: Path,
    kreise_geo: dict[str, Any],
    records: Sequence[germany.SvbRecord],
    bw_kreise: Sequence[dict[str, str]],
) -> None:
    laender = {r.ars: r.name.removesuffix(", Land") for r in records if r.level == "land"}
    rows: list[tuple[str, str, str, str]] = [("bund", "DG", "Deutschland", "")]
    rows += [("land", code, name, "DG") for code, name in sorted(laender.items())]
    regions = sorted({(germany.region_slug(r["region"]), r["region"]) for r in bw_kreise})
    rows += [("region", slug, f"Region {name}", "08") for slug, name in regions]
    for feature in sorted(kreise_geo["features"], key=lambda f: f["properties"]["ARS"]):
        props = feature["properties"]
        rows.append(("kreis", props["ARS"], f"{props['GEN']} ({props['BEZ']})", props["ARS"][:2]))
    write_csv(
        out / "de" / "regions.csv", ("region_type", "region_code", "name", "parent_code"), rows
    )


def _round_coordinates(value: Any, digits: int) -> Any:
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, list):
        return [_round_coordinates(v, digits) for v in value]
    return value


def _write_boundaries_de(raw: Path, out: Path, kreise_geo: dict[str, Any]) -> None:
    features = []
    for feature in sorted(kreise_geo["features"], key=lambda f: f["properties"]["ARS"]):
        geometry = feature["geometry"]
        features.append(
            {
                "type": "Feature",
                "properties": feature["properties"],
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _round_coordinates(geometry["coordinates"], COORDINATE_DIGITS),
                },
            }
        )
    collection = {
        "type": "FeatureCollection",
        "attribution": BKG_ATTRIBUTION,
        "license": "dl-de/by-2-0 (Datenlizenz Deutschland – Namensnennung – Version 2.0)",
        "features": features,
    }
    write_json(out / "boundaries" / "de_kreise_vg5000_2021.geojson", collection)
    shutil.copyfile(
        raw / "BKG_quellenvermerk_datenlizenz_deutschland.txt",
        out / "boundaries" / "BKG_quellenvermerk_datenlizenz_deutschland.txt",
    )


def build_nace(raw: Path, out: Path, us: UsOutputs, report: dict[str, Any]) -> None:
    concordance = read_csv(raw / "naics2012_to_isic4_census.csv")
    nace_rows = read_csv(raw / "nace_rev2_en_de.csv")
    clusters = {a.industry_code: a for a in us.definition.assignments}
    weights = naics.crosswalk_weights_2012(us.records, us.crosswalk)
    contributions = nace.contributions_by_class(concordance, nace_rows, clusters, weights)
    names = {a.cluster_code: (a.cluster_name, a.type) for a in us.definition.assignments}
    subnames = {a.subcluster_code: a.subcluster_name for a in us.definition.assignments}
    titles = {r["code"]: (r["title_de"], r["title_en"]) for r in nace_rows}
    header = (
        *naics.DEFINITION_HEADER,
        "share_of_weight",
        "weight_basis",
        "weight",
        "source_naics",
        "clusters_reached",
        "runner_up_cluster_code",
        "runner_up_share",
        "title_de",
        "title_en",
    )

    def rows(assignments: Sequence[nace.NaceAssignment]) -> list[tuple[object, ...]]:
        return [
            (
                a.code,
                a.cluster_code,
                names[a.cluster_code][0],
                names[a.cluster_code][1],
                a.subcluster_code,
                subnames.get(a.subcluster_code, ""),
                f"{a.share_of_weight:.4f}",
                a.basis,
                f"{a.weight:.1f}",
                a.n_naics,
                a.clusters_reached,
                a.runner_up,
                f"{a.runner_up_share:.4f}",
                titles[a.code][0],
                titles[a.code][1],
            )
            for a in assignments
            if a.cluster_code
        ]

    classes = nace.assign_classes(contributions, nace_rows)
    divisions = nace.assign_divisions(contributions, nace_rows)
    definitions = out / "definitions"
    write_csv(definitions / "benchmark_clusters_nace_rev2.csv", header, rows(classes))
    write_csv(definitions / "benchmark_clusters_nace_rev2_divisions.csv", header, rows(divisions))
    write_csv(
        definitions / "benchmark_clusters_nace_rev2_unassigned.csv",
        (
            "industry_code",
            "level",
            "weight_basis",
            "weight",
            "source_naics",
            "title_de",
            "title_en",
        ),
        [
            (
                a.code,
                level,
                a.basis,
                f"{a.weight:.1f}",
                a.n_naics,
                titles[a.code][0],
                titles[a.code][1],
            )
            for level, group in (("class", classes), ("division", divisions))
            for a in group
            if not a.cluster_code
        ],
    )
    report["nace_definition"] = {
        "classes": _coverage_dict(nace.coverage(classes)),
        "divisions": _coverage_dict(nace.coverage(divisions)),
        "us_weight_total": round(sum(weights.values()), 1),
    }


def _coverage_dict(value: nace.Coverage) -> dict[str, object]:
    return {key: round(v, 1) if isinstance(v, float) else v for key, v in vars(value).items()}


def _file_table(out: Path) -> list[dict[str, object]]:
    table = []
    for path in sorted(out.rglob("*")):
        generated = path.relative_to(out).parts[0] in GENERATED_FOLDERS
        if path.is_file() and generated:
            table.append({"path": str(path.relative_to(out)), "bytes": path.stat().st_size})
    return table


def build(raw: Path = RAW, out: Path = ATLAS) -> dict[str, Any]:
    """Build everything; returns the report that is also written to ``build_report.json``."""
    report: dict[str, Any] = {}
    us = build_us(raw, out, report)
    build_germany(raw, out, report)
    build_nace(raw, out, us, report)
    # After the NACE definitions: the European edition's cluster types come from them.
    europe.build_europe(raw, out, report)
    report["files"] = _file_table(out)
    write_json(out / "build_report.json", report)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--raw", type=Path, default=RAW, help="folder with the raw copies")
    parser.add_argument("--out", type=Path, default=ATLAS, help="folder for the prepared files")
    args = parser.parse_args(argv)
    if args.out.resolve() != args.raw.resolve().parent and args.out != ATLAS:
        args.out.mkdir(parents=True, exist_ok=True)
    report = build(args.raw, args.out)
    grouped: dict[str, int] = defaultdict(int)
    for entry in report["files"]:
        grouped[str(entry["path"]).split("/")[0]] += int(entry["bytes"])
    for folder, size in sorted(grouped.items()):
        print(f"{folder:<14} {size:>12,d} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
