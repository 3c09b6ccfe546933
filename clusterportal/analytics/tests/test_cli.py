"""`clusterportal atlas compute` end to end into a temporary directory."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from clusterportal.analytics import compute
from clusterportal.analytics.cli import main
from clusterportal.analytics.engine import (
    CLASSIFICATION_COLUMNS,
    GROWTH_COLUMNS,
    REGION_CLUSTER_COLUMNS,
    REGION_SUMMARY_COLUMNS,
)
from clusterportal.analytics.relatedness import DENSITY_SCHEMA, RELATEDNESS_SCHEMA
from clusterportal.analytics.tests.factories import HEADER, employment_rows, three_kreise, write


def compute_argv(emp: Path, cl: Path, out: Path, *extra: str) -> list[str]:
    return ["compute", "--employment", str(emp), "--clusters", str(cl), "--out", str(out), *extra]


def header_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_it_writes_every_output_with_documented_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emp, cl = three_kreise(tmp_path, years=(2020, 2022))
    out = tmp_path / "atlas"
    code = main(
        compute_argv(
            emp, cl, out, "--method", "cmp", "--growth-from", "2020", "--growth-to", "2022"
        )
    )
    assert code == 0
    expected = {
        "region_clusters": list(REGION_CLUSTER_COLUMNS + CLASSIFICATION_COLUMNS["cmp"]),
        "region_summary": list(REGION_SUMMARY_COLUMNS),
        "cluster_relatedness": RELATEDNESS_SCHEMA.names,
        "region_density": DENSITY_SCHEMA.names,
        "cluster_growth": list(GROWTH_COLUMNS),
    }
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{stem}.{ext}" for stem in expected for ext in ("csv", "parquet")] + ["run.json"]
    )
    for stem, columns in expected.items():
        assert header_of(out / f"{stem}.csv") == columns
        assert pq.read_schema(out / f"{stem}.parquet").names == columns
    with (out / "region_clusters.csv").open(encoding="utf-8") as handle:
        k1t1 = next(r for r in csv.DictReader(handle) if r["region_code"] == "K1")
    assert (k1t1["cluster_code"], k1t1["lq"], k1t1["strong"]) == ("L1", "1", "false")
    # progress goes to stderr, stage by stage
    err = capsys.readouterr().err
    assert "atlas: load employment" in err and "atlas: total" in err


def test_it_records_the_run_in_a_manifest(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path)
    out = tmp_path / "atlas"
    assert main(compute_argv(emp, cl, out, "--method", "eco", "--quiet")) == 0
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["method"] == "eco"
    assert manifest["engine_version"]
    assert manifest["parameters"]["eco"] == {
        "size_top": 0.1,
        "specialisation_lq": 2.0,
        "focus_top": 0.1,
        "strong_stars": 2,
    }
    digest = hashlib.sha256(emp.read_bytes()).hexdigest()
    assert manifest["inputs"]["employment"] == {"path": str(emp), "sha256": digest, "rows": 10}
    assert manifest["outputs"]["region_clusters"] == 9
    assert manifest["unmapped"] == []


def test_it_drops_and_reports_unmapped_codes_when_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = employment_rows() + ["2020,kreis,K1,999,7,1,", "2020,kreis,K2,999,5,1,"]
    emp = write(tmp_path / "employment.csv", "\n".join([HEADER, *rows]))
    _, cl = three_kreise(tmp_path / "..")
    out = tmp_path / "atlas"
    assert main(compute_argv(emp, cl, out, "--method", "cmp", "--allow-unmapped", "--quiet")) == 0
    err = capsys.readouterr().err
    assert (
        "dropped industry code '999' (not in the cluster definitions): 2 row(s), employment 12"
        in err
    )
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["unmapped"] == [
        {"code": "999", "stage": "clusters", "rows": 2, "employment": 12.0, "first_row": 12}
    ]


def test_it_takes_eco_thresholds_from_flags(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path)
    out = tmp_path / "atlas"
    flags = ["--eco-size-top", "0.5", "--eco-specialisation-lq", "1.5"]
    flags += ["--eco-focus-top", "0.5", "--eco-strong-stars", "3", "--quiet"]
    assert main(compute_argv(emp, cl, out, "--method", "eco", *flags)) == 0
    table = pq.read_table(out / "region_clusters.parquet").to_pylist()
    stars = {(r["region_code"], r["cluster_code"]): r["stars"] for r in table}
    assert stars[("K2", "T1")] == 2 and stars[("K3", "T2")] == 2 and stars[("K2", "T2")] == 3
    assert header_of(out / "region_clusters.csv")[-5:] == list(CLASSIFICATION_COLUMNS["eco"])


def test_it_replaces_its_own_earlier_output(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path, years=(2020, 2022))
    out = tmp_path / "atlas"
    grow = ["--growth-from", "2020", "--growth-to", "2022", "--quiet"]
    assert main(compute_argv(emp, cl, out, "--method", "cmp", *grow)) == 0
    assert main(compute_argv(emp, cl, out, "--method", "eco", "--quiet")) == 0
    assert json.loads((out / "run.json").read_text())["method"] == "eco"
    assert not (out / "cluster_growth.csv").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_console_script_dispatches_to_the_engine(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path)
    out = tmp_path / "atlas"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "clusterportal.cli",
            "atlas",
            "compute",
            "--employment",
            str(emp),
            "--clusters",
            str(cl),
            "--method",
            "cmp",
            "--out",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "region_summary.parquet").exists()


def test_the_engine_imports_no_django() -> None:
    code = "import sys, clusterportal.analytics; assert 'django' not in sys.modules, 'django'"
    done = subprocess.run(
        [sys.executable, "-c", code + "; import clusterportal.analytics.cli"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_a_whole_run_of_the_cli_imports_no_pandas(tmp_path: Path) -> None:
    """pyarrow's NumPy conversions load pandas, a quarter of a second of every run:
    the engine hands NumPy arrays to DuckDB and builds its Arrow tables there."""
    emp, cl = three_kreise(tmp_path, years=(2020, 2022))
    argv = compute_argv(emp, cl, tmp_path / "out", "--method", "cmp", "--quiet")
    argv += ["--growth-from", "2020", "--growth-to", "2022"]
    code = (
        "import sys; from clusterportal.analytics.cli import main; "
        f"assert main({argv!r}) == 0; assert 'pandas' not in sys.modules, 'pandas'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "cluster_relatedness.parquet").exists()


def test_text_columns_are_dictionaries_in_memory_and_plain_in_the_files(tmp_path: Path) -> None:
    """The engine keeps each region and cluster text once (dictionary columns); a reader of
    the Parquet file finds plain text columns, with the same values as the CSV."""
    emp, cl = three_kreise(tmp_path)
    out = tmp_path / "atlas"
    assert main(compute_argv(emp, cl, out, "--method", "cmp", "--quiet")) == 0
    texts = ["region_type", "region_code", "cluster_code", "cluster_name", "cluster_type"]
    schema = pq.read_schema(out / "region_clusters.parquet")
    assert [str(schema.field(name).type) for name in texts] == ["string"] * 5
    in_memory = compute(str(emp), str(cl)).region_clusters
    assert all(pa.types.is_dictionary(in_memory.schema.field(name).type) for name in texts)
    rows = pq.read_table(out / "region_clusters.parquet", columns=texts).to_pylist()
    assert rows == in_memory.select(texts).to_pylist()
    assert rows[0] == {
        "region_type": "kreis",
        "region_code": "K1",
        "cluster_code": "L1",
        "cluster_name": "Retail",
        "cluster_type": "local",
    }


def test_the_parquet_files_keep_statistics_for_the_key_columns_only(tmp_path: Path) -> None:
    """Readers select rows by year, region and cluster: those columns keep their min and
    max per row group; numbers and flags, whose statistics rule nothing out in a file
    sorted by its keys, are written without."""
    emp, cl = three_kreise(tmp_path)
    out = tmp_path / "atlas"
    assert main(compute_argv(emp, cl, out, "--method", "cmp", "--quiet")) == 0
    group = pq.read_metadata(out / "region_clusters.parquet").row_group(0)
    stats = {
        group.column(i).path_in_schema: group.column(i).statistics for i in range(group.num_columns)
    }
    assert (stats["year"].min, stats["year"].max) == (2020, 2020)
    assert (stats["region_code"].min, stats["region_code"].max) == ("K1", "K3")
    assert (stats["cluster_code"].min, stats["cluster_code"].max) == ("L1", "T2")
    assert stats["employment"] is None and stats["lq"] is None and stats["strong"] is None


def test_the_quotient_columns_are_stored_uncompressed(tmp_path: Path) -> None:
    """wage, share, reference_share and lq do not shrink under snappy; the others do."""
    emp, cl = three_kreise(tmp_path)
    out = tmp_path / "atlas"
    assert main(compute_argv(emp, cl, out, "--method", "cmp", "--quiet")) == 0
    group = pq.read_metadata(out / "region_clusters.parquet").row_group(0)
    codecs = {group.column(i).path_in_schema: group.column(i).compression for i in range(16)}
    quotients = {codecs[name] for name in ("wage", "share", "reference_share", "lq")}
    assert quotients == {"UNCOMPRESSED"}
    assert codecs["employment"] == codecs["region_code"] == "SNAPPY"
