"""Crosswalks, overrides, withheld cells and region links, on the "three Kreise" example."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from clusterportal.analytics import compute
from clusterportal.analytics.tests.factories import (
    CLUSTERS,
    HEADER,
    employment_rows,
    rows_by_key,
    three_kreise,
    write,
)


@pytest.mark.parametrize("crosswalk_as", ["file", "Arrow table"])
def test_it_splits_employment_by_crosswalk_shares(tmp_path: Path, crosswalk_as: str) -> None:
    emp, cl = three_kreise(tmp_path)
    # Old code 112 splits 75 % into 111 (Machines) and 25 % into 211 (Software);
    # old 211 becomes new 211. K1: 112 has 40 employees, 4 establishments, payroll
    # 2,400: T1 = 60 + 30 = 90, T2 = 50 + 10 = 60; establishments 6 + 3 and 5 + 1.
    xw = write(
        tmp_path / "crosswalk.csv",
        "from_code,to_code,share\n111,111,1\n112,111,0.75\n112,211,0.25\n211,211,1\n911,911,1\n",
    )
    # A registered Arrow table is seen only by its own connection, and the industries are
    # mapped on a second one beside the employment scan: the crosswalk must be copied.
    source: Path | pa.Table = xw
    if crosswalk_as == "Arrow table":
        codes = {"from_code": pa.string(), "to_code": pa.string()}
        source = pacsv.read_csv(xw, convert_options=pacsv.ConvertOptions(column_types=codes))
    result = compute(emp, cl, method="cmp", industry_crosswalk=source)
    rows = rows_by_key(result.region_clusters, "region_code", "cluster_code")
    assert rows[("K1", "T1")]["employment"] == pytest.approx(90)
    assert rows[("K1", "T2")]["employment"] == pytest.approx(60)
    assert rows[("K1", "T1")]["establishments"] == pytest.approx(9)
    assert rows[("K1", "T2")]["establishments"] == pytest.approx(6)
    # wage: (3000 + 0.75 * 2400) / (60 + 30) = 53.33; (4000 + 600) / (50 + 10) = 76.67
    assert rows[("K1", "T1")]["wage"] == pytest.approx(4800 / 90)
    assert rows[("K1", "T2")]["wage"] == pytest.approx(4600 / 60)
    # Regional totals do not change: a crosswalk only moves employment.
    summary = rows_by_key(result.region_summary, "region_code")
    assert summary[("K1",)]["total_employment"] == pytest.approx(300)


def test_it_reports_codes_the_crosswalk_sends_to_no_cluster(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path)
    xw = write(
        tmp_path / "crosswalk.csv",
        "from_code,to_code,share\n111,111,1\n112,111,0.5\n112,999,0.5\n211,211,1\n911,911,1\n",
    )
    result = compute(emp, cl, method="cmp", industry_crosswalk=xw, allow_unmapped=True)
    assert [(u.code, u.stage, u.rows, u.employment) for u in result.unmapped] == [
        ("999", "clusters", 1, 20.0)
    ]
    rows = rows_by_key(result.region_clusters, "region_code", "cluster_code")
    assert rows[("K1", "T1")]["employment"] == pytest.approx(80)


def test_it_imputes_withheld_cells_by_class_midpoint_and_applies_overrides(
    tmp_path: Path,
) -> None:
    # K2 211 withheld with class C (100-249 employees -> 175), K3 211 with B
    # (20-99 -> 60) and then overridden with 90 by the analyst.
    rows = [line + "," for line in employment_rows()]
    rows[5] = "2020,kreis,K2,211,0,12,,C"
    rows[8] = "2020,kreis,K3,211,0,9,,B"
    emp = write(tmp_path / "employment.csv", "\n".join([HEADER + ",employment_flag", *rows]))
    cl = write(tmp_path / "clusters.csv", CLUSTERS)
    plain = compute(emp, cl, method="cmp")
    got = rows_by_key(plain.region_clusters, "region_code", "cluster_code")
    assert got[("K2", "T2")]["employment"] == 175
    assert got[("K3", "T2")]["employment"] == 60
    # Wages use reported employment only: the withheld cell has no payroll.
    assert got[("K2", "T2")]["wage"] is None
    ov = write(
        tmp_path / "overrides.csv",
        "year,region_type,region_code,industry_code,employment\n2020,kreis,K3,211,90\n",
    )
    overridden = compute(emp, cl, method="cmp", overrides=ov)
    got = rows_by_key(overridden.region_clusters, "region_code", "cluster_code")
    assert got[("K3", "T2")]["employment"] == 90
    assert got[("K2", "T2")]["employment"] == 175
    assert overridden.manifest["inputs"]["overrides"]["rows"] == 1


def test_it_uses_reported_employment_for_wages(tmp_path: Path) -> None:
    header = HEADER + ",employment_reported"
    rows = [line + ",60" if i == 0 else line + "," for i, line in enumerate(employment_rows())]
    rows[0] = "2020,kreis,K1,111,60,6,3000,50"  # 10 of 60 employees imputed upstream
    rows[1] = "2020,kreis,K1,112,40,4,2400,40"
    emp = write(tmp_path / "employment.csv", "\n".join([header, *rows]))
    cl = write(tmp_path / "clusters.csv", CLUSTERS)
    got = rows_by_key(compute(emp, cl, method="cmp").region_clusters, "region_code", "cluster_code")
    assert got[("K1", "T1")]["wage"] == pytest.approx(5400 / 90)
    assert got[("K1", "T1")]["employment"] == 100


def test_it_leaves_establishments_empty_where_a_row_does_not_know_them(tmp_path: Path) -> None:
    rows = employment_rows()
    rows[1] = "2020,kreis,K1,112,40,,2400"  # K1's second T1 industry: establishments unknown
    emp = write(tmp_path / "employment.csv", "\n".join([HEADER, *rows]))
    cl = write(tmp_path / "clusters.csv", CLUSTERS)
    got = rows_by_key(compute(emp, cl, method="cmp").region_clusters, "region_code", "cluster_code")
    assert got[("K1", "T1")]["establishments"] is None
    assert got[("K1", "T1")]["employment"] == 100
    assert got[("K2", "T1")]["establishments"] == 3
    # Unknown establishments fail "est > P25(est)": K1 T1 (LQ 2.0) is no longer strong.
    assert got[("K1", "T1")]["strong"] is False


def test_it_computes_wages_over_the_rows_that_know_their_payroll(tmp_path: Path) -> None:
    rows = employment_rows()
    rows[1] = "2020,kreis,K1,112,40,4,"  # payroll of K1 industry 112 unknown
    emp = write(tmp_path / "employment.csv", "\n".join([HEADER, *rows]))
    cl = write(tmp_path / "clusters.csv", CLUSTERS)
    got = rows_by_key(compute(emp, cl, method="cmp").region_clusters, "region_code", "cluster_code")
    # K1 T1: only industry 111 counts, 3,000 / 60 = 50 (not 3,000 / 100).
    assert got[("K1", "T1")]["wage"] == pytest.approx(50.0)
    assert got[("K1", "T1")]["employment"] == 100
    assert got[("K2", "T2")]["wage"] == pytest.approx(80.0)


LINKS = """child_type,child_code,parent_type,parent_code
kreis,K1,region,R1
kreis,K2,region,R1
kreis,K3,region,R2
region,R1,land,L
region,R2,land,L
"""


def test_it_aggregates_regions_upward_over_several_levels(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path)
    links = write(tmp_path / "regions.csv", LINKS)
    result = compute(emp, cl, method="cmp", regions=links, reference="land:L")
    rows = rows_by_key(result.region_clusters, "region_type", "region_code", "cluster_code")
    # R1 = K1 + K2: T1 130, T2 220, establishments 13 and 17; the Land sums all three.
    assert rows[("region", "R1", "T1")]["employment"] == 130
    assert rows[("region", "R1", "T2")]["establishments"] == 17
    assert rows[("land", "L", "T2")]["employment"] == 300
    # With the Land as reference the Kreis LQs equal the sum-of-regions benchmark.
    assert rows[("kreis", "K1", "T1")]["lq"] == pytest.approx(2.0)
    # Regions are compared among regions: R1 vs R2 with the Land as benchmark.
    # R1 T1: (130 / 350) / (150 / 450) = 1.1143
    assert rows[("region", "R1", "T1")]["lq"] == pytest.approx((130 / 350) / (150 / 450))
    summary = rows_by_key(result.region_summary, "region_type", "region_code")
    assert summary[("land", "L")]["total_employment"] == 1100


def test_it_keeps_a_parent_given_in_the_input(tmp_path: Path) -> None:
    # The Land has its own (survey) rows: they win over the sum of its children.
    rows = employment_rows() + [
        "2020,land,L,111,200,20,",
        "2020,land,L,112,45,5,",
        "2020,land,L,211,310,30,",
        "2020,land,L,911,700,140,",
    ]
    emp = write(tmp_path / "employment.csv", "\n".join([HEADER, *rows]))
    cl = write(tmp_path / "clusters.csv", CLUSTERS)
    links = write(tmp_path / "regions.csv", LINKS)
    result = compute(emp, cl, method="cmp", regions=links, reference="land:L")
    got = rows_by_key(result.region_clusters, "region_type", "region_code", "cluster_code")
    assert got[("land", "L", "T1")]["employment"] == 245
    assert got[("region", "R1", "T1")]["employment"] == 130


def test_it_reads_parquet_and_arrow_inputs_like_csv(tmp_path: Path) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    emp, cl = three_kreise(tmp_path)
    from_csv = compute(emp, cl, method="cmp").region_clusters
    convert = pacsv.ConvertOptions(
        column_types={"region_code": "string", "industry_code": "string"}
    )
    table = pacsv.read_csv(emp, convert_options=convert)
    pq.write_table(table, tmp_path / "employment.parquet")
    from_parquet = compute(tmp_path / "employment.parquet", cl, method="cmp").region_clusters
    from_arrow = compute(table, cl, method="cmp").region_clusters
    assert from_parquet.equals(from_csv)
    assert from_arrow.equals(from_csv)


def test_it_keeps_leading_zeros_in_codes(tmp_path: Path) -> None:
    emp = write(
        tmp_path / "employment.csv",
        HEADER + "\n2020,land,08,0111,5,1,\n2020,land,09,0111,5,1,\n",
    )
    cl = write(
        tmp_path / "clusters.csv",
        "industry_code,cluster_code,cluster_name,type\n0111,01,Farming,traded\n",
    )
    rows = compute(emp, cl, method="cmp").region_clusters.to_pylist()
    assert [(r["region_code"], r["cluster_code"]) for r in rows] == [("08", "01"), ("09", "01")]


def test_it_sorts_every_table_by_year_region_and_cluster_whatever_the_input_order(
    tmp_path: Path,
) -> None:
    # Two years, three region types (Kreise, Regionen, Land), rows in reverse order.
    rows = list(reversed(employment_rows((2020, 2022))))
    emp = write(tmp_path / "employment.csv", "\n".join([HEADER, *rows]))
    cl = write(tmp_path / "clusters.csv", CLUSTERS)
    links = write(tmp_path / "regions.csv", LINKS)
    result = compute(emp, cl, method="cmp", regions=links, reference="land:L")
    keys = ["year", "region_type", "region_code", "cluster_code"]
    got = [tuple(r[k] for k in keys) for r in result.region_clusters.to_pylist()]
    assert got == sorted(got)
    # 2 years x (3 Kreise + 2 Regionen + 1 Land) x 3 clusters (T1, T2, L1).
    assert len(got) == 2 * 6 * 3
    assert got[0] == (2020, "kreis", "K1", "L1")
    assert got[-1] == (2022, "region", "R2", "T2")
    summary = [tuple(r[k] for k in keys[:3]) for r in result.region_summary.to_pylist()]
    assert summary == sorted(summary) and len(summary) == 12
