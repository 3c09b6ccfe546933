"""The engine reproduces the published U.S. Cluster Mapping figures for the 50 states, 2016.

Inputs: data/reference/ (County Business Patterns 2016 aggregated to the 67
benchmark clusters, with U.S. totals as the reference region; see SOURCES.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clusterportal.analytics import Result, compute
from clusterportal.analytics.tests.factories import rows_by_key

REFERENCE = Path(__file__).resolve().parents[3] / "data" / "reference"


@pytest.fixture(scope="module")
def us_states() -> Result:
    return compute(
        REFERENCE / "us_states_2016_cluster_inputs.csv",
        REFERENCE / "us_benchmark_clusters_identity.csv",
        method="cmp",
        reference="country:US",
    )


def test_it_totals_us_traded_and_local_employment(us_states: Result) -> None:
    us = rows_by_key(us_states.region_summary, "region_type", "region_code")[("country", "US")]
    assert us["traded_employment"] == 45_242_109
    assert us["local_employment"] == 81_486_213


def test_it_reproduces_michigan_automotive_lq(us_states: Result) -> None:
    rows = rows_by_key(us_states.region_clusters, "region_code", "cluster_code")
    assert round(rows[("26", "4")]["lq"], 6) == 5.805291
    assert rows[("26", "4")]["strong"] is True


def test_it_reproduces_the_automotive_percentiles_and_strong_states(us_states: Result) -> None:
    auto = [
        r
        for r in us_states.region_clusters.to_pylist()
        if r["cluster_code"] == "4" and r["region_type"] == "state" and r["employment"] > 0
    ]
    assert len(auto) == 50
    assert round(float(np.percentile([r["lq"] for r in auto], 75)), 6) == 1.010171
    assert np.percentile([r["employment"] for r in auto], 25) == 1423.5
    assert np.percentile([r["establishments"] for r in auto], 25) == 35.75
    assert sum(r["strong"] for r in auto) == 12


def test_it_finds_512_strong_state_traded_cluster_pairs(us_states: Result) -> None:
    strong = [r for r in us_states.region_clusters.to_pylist() if r["strong"]]
    assert len(strong) == 512
    assert {r["cluster_type"] for r in strong} == {"traded"}
    assert {r["region_type"] for r in strong} == {"state"}


def test_it_gives_the_reference_region_lq_one_and_no_flags(us_states: Result) -> None:
    us = [r for r in us_states.region_clusters.to_pylist() if r["region_type"] == "country"]
    assert len(us) == 67
    assert all(r["lq"] == pytest.approx(1.0) for r in us)
    assert not any(r["qualifying"] or r["strong"] for r in us)


def test_it_computes_the_textbook_location_quotient() -> None:
    # e_ij = 1,714 in the industry and region, e_j = 79,006 all industries in the
    # region, e_i = 879,213 the industry nationally, e = 15,593,224 all nationally:
    # LQ = (1714 / 79006) / (879213 / 15593224) = 0.3847623.
    import pyarrow as pa

    employment = pa.table(
        {
            "year": [2020] * 4,
            "region_type": ["county", "county", "country", "country"],
            "region_code": ["A", "A", "X", "X"],
            "industry_code": ["i", "other", "i", "other"],
            "employment": [1714.0, 79006.0 - 1714, 879213.0, 15593224.0 - 879213],
            "establishments": [None, None, None, None],
        },
        schema=pa.schema(
            [
                ("year", pa.int32()),
                ("region_type", pa.string()),
                ("region_code", pa.string()),
                ("industry_code", pa.string()),
                ("employment", pa.float64()),
                ("establishments", pa.float64()),
            ]
        ),
    )
    clusters = pa.table(
        {
            "industry_code": ["i", "other"],
            "cluster_code": ["1", "2"],
            "cluster_name": ["Industry i", "Everything else"],
            "type": ["traded", "traded"],
        }
    )
    result = compute(employment, clusters, method="eco", reference="country:X")
    rows = rows_by_key(result.region_clusters, "region_code", "cluster_code")
    assert round(rows[("A", "1")]["lq"], 7) == 0.3847623
