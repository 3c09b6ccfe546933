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
    table = pacsv.read_csv(
        emp_csv,
        convert_options=pacsv.ConvertOptions(
            column_types={"industry_code": pa.string(), "region_code": pa.string()}
        ),
    )
    path = tmp_path / "employment.parquet"
    pq.write_table(table, path, row_group_size=row_group_size)
    return path, clusters


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
