"""A Parquet file whose row groups are too big to share out is read in parts side by side:
the results, the row numbers in errors and the output order must not depend on that."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from clusterportal.analytics import compute
from clusterportal.analytics.engine import connect
from clusterportal.analytics.errors import InputError
from clusterportal.analytics.inputs import load_employment
from clusterportal.analytics.tests.factories import three_kreise


def _parquet(tmp_path: Path, row_group_size: int | None = None) -> tuple[Path, Path]:
    """The "three Kreise" example (10 rows, three years: 30 rows) as a Parquet file."""
    emp_csv, clusters = three_kreise(tmp_path, years=(2020, 2021, 2022))
    return _as_parquet(emp_csv, row_group_size), clusters


def _as_parquet(emp_csv: Path, row_group_size: int | None = None) -> Path:
    table = pacsv.read_csv(
        emp_csv,
        convert_options=pacsv.ConvertOptions(
            column_types={"industry_code": pa.string(), "region_code": pa.string()}
        ),
    )
    path = emp_csv.with_suffix(".parquet")
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def _parts(con: duckdb.DuckDBPyConnection) -> int:
    """How many parts the employment view reads the file in."""
    [(sql,)] = con.execute(
        "SELECT sql FROM duckdb_views() WHERE view_name = 'employment__src'"
    ).fetchall()
    return int(sql.count("UNION ALL")) + 1


@pytest.mark.parametrize(
    "threads, row_group_size, parts",
    [
        (1, None, 1),  # one thread: nothing to share out
        (3, None, 3),  # one group of 30 rows, three threads: three parts
        (2, 10, 1),  # three groups of 10 rows keep two threads busy
        (3, 10, 1),  # each thread one group
        (3, 20, 3),  # a group of 20 rows is more than a third of 30
    ],
)
def test_the_file_is_read_in_parts_only_when_a_row_group_is_too_big_to_share(
    tmp_path: Path, threads: int, row_group_size: int | None, parts: int
) -> None:
    path, _ = _parquet(tmp_path, row_group_size)
    con = connect(threads)
    emp = load_employment(con, str(path))
    assert _parts(con) == parts
    assert emp.rows == 30
    # every row once, with its own row number
    assert con.execute(
        "SELECT count(DISTINCT rid), min(rid), max(rid) FROM employment"
    ).fetchall() == [(30, 0, 29)]


def test_parts_or_not_the_results_are_the_same(tmp_path: Path) -> None:
    path, clusters = _parquet(tmp_path)
    whole = compute(path, clusters, method="cmp", threads=1)
    in_parts = compute(path, clusters, method="cmp", threads=3)
    assert in_parts.region_clusters.equals(whole.region_clusters)
    assert in_parts.region_summary.equals(whole.region_summary)
    # K1 in 2022: 81 + 40 machine employees (the example's hand-computed figure)
    rows = whole.region_clusters.to_pylist()
    k1_2022 = [
        r for r in rows if (r["year"], r["region_code"], r["cluster_code"]) == (2022, "K1", "T1")
    ]
    assert k1_2022[0]["employment"] == 121


def test_a_bad_value_in_the_last_part_is_named_by_its_row(tmp_path: Path) -> None:
    path, clusters = _parquet(tmp_path)
    table = pq.read_table(path)
    employment = table["employment"].to_pylist()
    employment[27] = -5  # data row 28: spreadsheet row 29, in the third of three parts
    pq.write_table(table.set_column(4, "employment", pa.array(employment, pa.float64())), path)
    with pytest.raises(InputError) as caught:
        compute(path, clusters, method="cmp", threads=3)
    assert caught.value.row == 29
    assert "employment" in str(caught.value)


def test_empty_cells_counted_on_the_whole_file_give_the_csv_results(tmp_path: Path) -> None:
    """Empty values are counted on the whole file (its statistics answer that) while the
    rows are read in parts: the results must be those of the same data as CSV."""
    emp_csv, clusters = three_kreise(tmp_path)
    lines = emp_csv.read_text(encoding="utf-8").splitlines()
    # K1 112 without establishments, K2 211 without payroll
    lines[2] = "2020,kreis,K1,112,40,,2400"
    lines[6] = "2020,kreis,K2,211,170,12,"
    emp_csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = _as_parquet(emp_csv)
    from_csv = compute(emp_csv, clusters, method="cmp", threads=3)
    from_parquet = compute(path, clusters, method="cmp", threads=3)
    assert from_parquet.region_clusters.equals(from_csv.region_clusters)
    rows = {(r["region_code"], r["cluster_code"]): r for r in from_csv.region_clusters.to_pylist()}
    assert rows[("K1", "T1")]["establishments"] is None  # one of its rows does not know
    assert rows[("K2", "T2")]["wage"] is None  # its only row has no payroll
