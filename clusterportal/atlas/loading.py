"""Compute the shipped atlas editions with the engine and store them (load_atlas).

An edition is recomputed only when its fingerprint changes: the sha256 of every
input file and the parameters of the run. Results are written in bulk while the
edition is a draft; then it is published and frozen. A published edition whose
inputs changed is kept as it is unless `replace` is given (its citation date
changes then, so that is the operator's decision).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from django.db import connection, transaction

from clusterportal.analytics import ENGINE_VERSION, Result, compute
from clusterportal.atlas import sources
from clusterportal.atlas.editions import EDITIONS, EditionSpec
from clusterportal.atlas.models import (
    AtlasRegion,
    Cluster,
    Density,
    Edition,
    Growth,
    Relatedness,
)
from clusterportal.atlas.models import RegionSummary as SummaryRow
from clusterportal.atlas.models import Result as ResultRow
from clusterportal.lib.loading import LoadReport
from clusterportal.regions.models import Region

# Part of every fingerprint: a change to how editions are stored recomputes them.
LOADER_VERSION = "1"
BATCH = 2000
# Region types of the atlas data that are also kinds of the registry's regions.
REGISTRY_KINDS = {
    "kreis": Region.Kind.KREIS,
    "region": Region.Kind.REGION,
    "land": Region.Kind.LAND,
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_files(spec: EditionSpec) -> list[str]:
    paths = [spec.employment, spec.clusters, spec.names_de, spec.region_links, spec.crosswalk]
    paths += list(spec.region_names) + [o.path for o in spec.outlines] + [spec.estimates]
    return sorted({p for p in paths if p})


def fingerprint(spec: EditionSpec, data_dir: Path) -> tuple[str, dict[str, str]]:
    files = {path: _sha256(data_dir / path) for path in input_files(spec)}
    key = {
        "spec": dataclasses.asdict(spec),
        "files": files,
        "engine": ENGINE_VERSION,
        "loader": LOADER_VERSION,
    }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()
    return digest, files


def _estimated_cells(spec: EditionSpec, data_dir: Path) -> dict[tuple[int, str, str, str], float]:
    """(year, region type, region code, industry) -> estimated employment of that cell."""
    if not spec.estimates:
        return {}
    return {
        (int(r["year"]), r["region_type"], r["region_code"], r["industry_code"]): float(
            r["employment"]
        )
        for r in _read_csv(data_dir / spec.estimates)
    }


def _employment(spec: EditionSpec, data_dir: Path) -> Path | pa.Table:
    path = data_dir / spec.employment
    if not (spec.keep or spec.years or spec.leave_out_estimates):
        return path
    table = pq.read_table(path)
    if spec.years:
        table = table.filter(pc.is_in(table["year"], pa.array(spec.years, pa.int32())))
    if spec.leave_out_estimates:
        estimated = set(_estimated_cells(spec, data_dir))
        cells = zip(
            table["year"].to_pylist(),
            table["region_type"].to_pylist(),
            table["region_code"].to_pylist(),
            table["industry_code"].to_pylist(),
            strict=True,
        )
        table = table.filter(pa.array([cell not in estimated for cell in cells]))
    if not spec.keep:
        return table
    keep = None
    for region_type, prefix in spec.keep:
        match = pc.and_(
            pc.equal(table["region_type"], region_type),
            pc.starts_with(table["region_code"], prefix),
        )
        keep = match if keep is None else pc.or_(keep, match)
    return table.filter(keep)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _clusters(spec: EditionSpec, data_dir: Path) -> Path | pa.Table:
    path = data_dir / spec.clusters
    if not spec.extra_clusters:
        return path
    options = pa_csv.ConvertOptions(
        column_types={"industry_code": pa.string(), "cluster_code": pa.string()}
    )
    table = pa_csv.read_csv(path, convert_options=options)
    columns = ["industry_code", "cluster_code", "cluster_name", "type"]
    extra = pa.table(
        {name: [row[i] for row in spec.extra_clusters] for i, name in enumerate(columns)}
    )
    return pa.concat_tables([table.select(columns), extra])


def run_engine(spec: EditionSpec, data_dir: Path) -> Result:
    return compute(
        _employment(spec, data_dir),
        _clusters(spec, data_dir),
        method=spec.method,  # type: ignore[arg-type]
        reference=spec.reference,
        regions=data_dir / spec.region_links if spec.region_links else None,
        industry_crosswalk=data_dir / spec.crosswalk if spec.crosswalk else None,
        allow_unmapped=spec.allow_unmapped,
        growth=spec.growth,
        threads=2,
    )


@dataclasses.dataclass
class _Store:
    """Writes one computed edition: clusters and regions first, then the result rows."""

    spec: EditionSpec
    data_dir: Path
    edition: Edition
    result: Result
    clusters: dict[str, Cluster] = dataclasses.field(default_factory=dict)
    regions: dict[tuple[str, str], AtlasRegion] = dataclasses.field(default_factory=dict)

    def run(self) -> None:
        self.store_clusters()
        self.store_regions()
        self.store_results()

    def store_clusters(self) -> None:
        definition = _read_csv(self.data_dir / self.spec.clusters)
        rows = [
            {
                "cluster_code": r["cluster_code"],
                "cluster_name": r["cluster_name"],
                "type": r["type"],
                "coverage": float(r["coverage"]) if r.get("coverage") else None,
            }
            for r in definition
        ] + [
            {"cluster_code": code, "cluster_name": name, "type": kind, "coverage": None}
            for _industry, code, name, kind, _de in self.spec.extra_clusters
        ]
        names_de = {code: de for _i, code, _n, _k, de in self.spec.extra_clusters}
        if self.spec.names_de:
            for row in _read_csv(self.data_dir / self.spec.names_de):
                names_de[row["cluster_code"]] = row["cluster_name_de"]
        unique = {row["cluster_code"]: row for row in rows}

        def order(code: str) -> tuple[int, float, str]:
            # Numeric codes (1–51 traded, 101–116 local) in numeric order, others as given.
            return (0, float(code), "") if code.isdigit() else (1, 0.0, code)

        codes = sorted(unique, key=lambda c: (unique[c]["type"] != "traded", order(c)))
        objects = [
            Cluster(
                edition=self.edition,
                code=code,
                name=unique[code]["cluster_name"],
                name_de=names_de.get(code, ""),
                type=unique[code]["type"],
                coverage=unique[code]["coverage"],
                position=index,
            )
            for index, code in enumerate(codes)
        ]
        for cluster in Cluster.objects.bulk_create(objects):
            self.clusters[cluster.code] = cluster

    def _names(self) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], tuple[str, str]]]:
        names: dict[tuple[str, str], str] = {}
        for path in self.spec.region_names:
            for row in _read_csv(self.data_dir / path):
                names[(row["region_type"], row["region_code"])] = row["name"]
        for region_type, code, name in self.spec.extra_names:
            names[(region_type, code)] = name
        parents: dict[tuple[str, str], tuple[str, str]] = {}
        if self.spec.region_links:
            for row in _read_csv(self.data_dir / self.spec.region_links):
                parents[(row["child_type"], row["child_code"])] = (
                    row["parent_type"],
                    row["parent_code"],
                )
        return names, parents

    def _outlines(self) -> dict[tuple[str, str], dict]:
        outlines: dict[tuple[str, str], dict] = {}
        for spec in self.spec.outlines:
            with open(self.data_dir / spec.path, encoding="utf-8") as handle:
                for feature in json.load(handle)["features"]:
                    key = (spec.region_type, str(feature["properties"][spec.code_property]))
                    outlines[key] = feature["geometry"]
        return outlines

    def store_regions(self) -> None:
        summary = self.result.region_summary
        keys = sorted(
            set(
                zip(
                    summary["region_type"].to_pylist(),
                    summary["region_code"].to_pylist(),
                    strict=True,
                )
            )
        )
        names, parents = self._names()
        outlines = self._outlines()
        registry = {
            (kind, region.code): region
            for kind, region_kind in REGISTRY_KINDS.items()
            for region in Region.objects.of_kind(region_kind).filter(
                code__in=[code for t, code in keys if t == kind]
            )
        }
        objects = []
        for region_type, code in keys:
            linked = registry.get((region_type, code))
            boundary = outlines.get((region_type, code))
            if (
                boundary is None
                and linked is not None
                and region_type in self.spec.registry_outlines
            ):
                boundary = linked.boundary
            objects.append(
                AtlasRegion(
                    edition=self.edition,
                    type=region_type,
                    code=code,
                    name=names.get((region_type, code)) or f"{region_type.upper()} {code}",
                    region=linked,
                    is_reference=(region_type, code)
                    == (self.spec.reference_type, self.spec.reference_code),
                    boundary=boundary,
                )
            )
        for region in AtlasRegion.objects.bulk_create(objects):
            self.regions[(region.type, region.code)] = region
        children = []
        for key, region in self.regions.items():
            parent = self.regions.get(parents.get(key, ("", "")))
            if parent is not None:
                region.parent = parent
                children.append(region)
        AtlasRegion.objects.bulk_update(children, ["parent"], batch_size=BATCH)

    def _insert(self, model: type, table: pa.Table, columns: dict[str, str]) -> None:
        """Rows of an engine table as rows of `model`: COPY on PostgreSQL, executemany on
        SQLite.

        `columns` maps model fields to table columns; `region` and `cluster`
        (and `related_cluster`) are looked up by code. Django's bulk_create
        builds a model instance per row, which costs seconds for the 75,000
        rows of an edition; the rows here are plain values the engine checked.
        """
        data = {name: table[column].to_pylist() for name, column in columns.items()}
        count = table.num_rows
        if "region" in data:
            types = table["region_type"].to_pylist()
            data["region"] = [
                self.regions[(t, c)].pk for t, c in zip(types, data["region"], strict=True)
            ]
        for name in ("cluster", "related_cluster"):
            if name in data:
                data[name] = [self.clusters[code].pk for code in data[name]]
        data["edition"] = [self.edition.pk] * count
        quote = connection.ops.quote_name
        table_name = quote(model._meta.db_table)
        names = ", ".join(quote(model._meta.get_field(name).column) for name in data)
        rows = list(zip(*data.values(), strict=True))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY, PostgreSQL's bulk load: the shipped editions (849,000 rows) loaded
                # in 76 s with INSERTs through executemany, in 25 s with COPY
                # (bench/first_load.py). The values go as text, floats with every bit
                # (test_editions.py compares each stored value with the engine's).
                with cursor.copy(f"COPY {table_name} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            sql = f"INSERT INTO {table_name} ({names}) VALUES ({', '.join(['%s'] * len(data))})"
            for start in range(0, count, BATCH * 10):
                cursor.executemany(sql, rows[start : start + BATCH * 10])

    def estimated_shares(self, table: pa.Table) -> pa.Array | None:
        """Per result row: the share of its employment that comes from estimated cells."""
        cells = _estimated_cells(self.spec, self.data_dir)
        if not cells or self.spec.leave_out_estimates:
            return None
        cluster_of = {
            r["industry_code"]: r["cluster_code"]
            for r in _read_csv(self.data_dir / self.spec.clusters)
        }
        estimated: dict[tuple[int, str, str, str], float] = {}
        for (year, kind, code, industry), value in cells.items():
            key = (year, kind, code, cluster_of[industry])
            estimated[key] = estimated.get(key, 0.0) + value
        rows = zip(
            table["year"].to_pylist(),
            table["region_type"].to_pylist(),
            table["region_code"].to_pylist(),
            table["cluster_code"].to_pylist(),
            table["employment"].to_pylist(),
            strict=True,
        )
        return pa.array(
            [estimated.get((y, t, c, k), 0.0) / e if e else None for y, t, c, k, e in rows],
            pa.float64(),
        )

    def store_results(self) -> None:
        for model, table, columns in self.result_tables():
            self._insert(model, table, columns)

    def result_tables(self) -> list[tuple[type, pa.Table, dict[str, str]]]:
        """What store_results writes: each model, the engine table its rows come from, and
        which column of the table fills which field (_insert)."""
        result = self.result
        region_clusters = _plain_texts(result.region_clusters)
        shares = self.estimated_shares(region_clusters)
        same = ["year", "employment", "establishments", "wage", "share", "reference_share", "lq"]
        same += ["strong"]
        flags = ["qualifying", "significant", "strong10", "size_star", "specialisation_star"]
        flags += ["focus_star", "stars"]
        columns = {"region": "region_code", "cluster": "cluster_code"}
        columns |= {name: name for name in same + flags if name in region_clusters.column_names}
        table = region_clusters
        if shares is not None:
            table = table.append_column("estimated_share", shares)
            columns["estimated_share"] = "estimated_share"
        tables: list[tuple[type, pa.Table, dict[str, str]]] = [(ResultRow, table, columns)]
        summary = ["year", "total_employment", "traded_employment", "local_employment"]
        summary += ["strong_clusters", "strong_employment", "strong_employment_share", "portfolio"]
        tables.append(
            (
                SummaryRow,
                result.region_summary.set_column(
                    result.region_summary.column_names.index("portfolio"),
                    "portfolio",
                    pc.fill_null(result.region_summary["portfolio"], ""),
                ),
                {"region": "region_code"} | {name: name for name in summary},
            )
        )
        if result.cluster_growth is not None:
            growth = ["year_from", "year_to", "employment_from", "employment_to"]
            growth += ["employment_change", "employment_cagr", "lq_from", "lq_to"]
            tables.append(
                (
                    Growth,
                    result.cluster_growth,
                    {"region": "region_code", "cluster": "cluster_code"} | {n: n for n in growth},
                )
            )
        related = ["year", "region_type", "regions", "correlation", "relatedness"]
        tables.append(
            (
                Relatedness,
                result.cluster_relatedness,
                {"cluster": "cluster_code", "related_cluster": "related_cluster_code"}
                | {name: name for name in related},
            )
        )
        density = {"year": "year", "region": "region_code", "cluster": "cluster_code"}
        tables.append((Density, result.region_density, density | {"density": "density"}))
        return tables


def _plain_texts(table: pa.Table) -> pa.Table:
    """The engine's dictionary text columns as plain text columns (one cast in Arrow):
    to_pylist() on a dictionary column is about 13 times slower, 1.8 s per million values."""
    schema = pa.schema(
        [
            f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f
            for f in table.schema
        ]
    )
    return table.cast(schema)


def _manifest(result: Result, spec: EditionSpec, files: dict[str, str]) -> dict[str, Any]:
    """The engine's run manifest plus the files this loader read (with sha256)."""
    manifest = dict(result.manifest)
    manifest.pop("timings_seconds", None)
    manifest["files"] = {f"data/{path}": digest for path, digest in files.items()}
    manifest["edition_filter"] = [f"{t}:{prefix}*" for t, prefix in spec.keep]
    manifest["extra_clusters"] = [list(row) for row in spec.extra_clusters]
    manifest["years"] = list(spec.years)
    manifest["estimates"] = (
        None if not spec.estimates else ("left out" if spec.leave_out_estimates else "included")
    )
    return manifest


def load_edition(spec: EditionSpec, data_dir: Path, *, position: int, replace: bool) -> str:
    """Compute and store one edition; returns created, updated, unchanged or kept."""
    digest, files = fingerprint(spec, data_dir)
    existing = Edition.objects.filter(slug=spec.slug).first()
    if existing is not None and existing.fingerprint == digest:
        return "unchanged"
    if existing is not None and existing.is_published and not replace:
        return "kept"
    result = run_engine(spec, data_dir)
    with transaction.atomic():
        if existing is not None:
            existing.delete(force=True)
        edition = Edition.objects.create(
            slug=spec.slug,
            title=spec.title,
            title_en=spec.title_en,
            summary=spec.summary,
            summary_en=spec.summary_en,
            limitations=spec.limitations,
            limitations_en=spec.limitations_en,
            method=spec.method,
            reference_type=spec.reference_type,
            reference_code=spec.reference_code,
            years=sorted(set(result.region_summary["year"].to_pylist())),
            growth_from=spec.growth[0] if spec.growth else None,
            growth_to=spec.growth[1] if spec.growth else None,
            definition=spec.definition,
            definition_title=spec.definition_title,
            sources=sources.entries(spec.sources),
            manifest=_manifest(result, spec, files),
            fingerprint=digest,
            position=position,
        )
        _Store(spec, data_dir, edition, result).run()
        edition.publish()
    return "created" if existing is None else "updated"


def load_editions(
    data_dir: Path, *, only: Iterable[str] | None = None, replace: bool = False
) -> LoadReport:
    report = LoadReport(
        "atlas editions", kept_note="published with changed inputs kept (use load_atlas --replace)"
    )
    wanted = set(only) if only is not None else None
    for position, spec in enumerate(EDITIONS):
        if wanted is not None and spec.slug not in wanted:
            continue
        outcome = load_edition(spec, data_dir, position=position, replace=replace)
        if outcome == "kept":
            report.kept += 1
        else:
            report.count(outcome == "created", outcome == "updated")
    return report
