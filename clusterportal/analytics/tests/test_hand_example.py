"""The "three Kreise" example (factories.py), computed by hand in the comments.

Percentiles are numpy's default (linear): for n sorted values v0..v(n-1) the
q-percentile sits at index (n - 1) * q; with n = 3, P25 is halfway between v0
and v1, P50 = v1, P75 halfway between v1 and v2, P90 = v1 + 0.8 * (v2 - v1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from clusterportal.analytics import EcoThresholds, compute
from clusterportal.analytics.relatedness import density, proximity
from clusterportal.analytics.tests.factories import rows_by_key, three_kreise


def cmp_rows(tmp_path: Path) -> dict[tuple[Any, ...], dict[str, Any]]:
    emp, cl = three_kreise(tmp_path)
    result = compute(emp, cl, method="cmp")
    return rows_by_key(result.region_clusters, "region_code", "cluster_code")


def test_it_computes_cmp_location_quotients_over_traded_employment(tmp_path: Path) -> None:
    rows = cmp_rows(tmp_path)
    # Traded totals K1 150, K2 200, K3 100; benchmark T1 150, T2 300 of 450 traded.
    # K1 T1: (100 / 150) / (150 / 450) = 2.0    K1 T2: (50 / 150) / (300 / 450) = 0.5
    # K2 T1: (30 / 200) / (1 / 3) = 0.45         K2 T2: (170 / 200) / (2 / 3) = 1.275
    # K3 T1: (20 / 100) / (1 / 3) = 0.6          K3 T2: (80 / 100) / (2 / 3) = 1.2
    expected = {
        ("K1", "T1"): 2.0,
        ("K1", "T2"): 0.5,
        ("K2", "T1"): 0.45,
        ("K2", "T2"): 1.275,
        ("K3", "T1"): 0.6,
        ("K3", "T2"): 1.2,
    }
    for key, lq in expected.items():
        assert rows[key]["lq"] == pytest.approx(lq, rel=1e-12)
    # Local clusters use local employment: L1 is every Kreis's whole local economy.
    assert rows[("K3", "L1")]["lq"] == pytest.approx(1.0)
    # share = of the region's traded employment; reference_share = of the benchmark.
    assert rows[("K2", "T2")]["share"] == pytest.approx(0.85)
    assert rows[("K2", "T2")]["reference_share"] == pytest.approx(170 / 300)
    # wage = payroll / employment: K1 T1 (3000 + 2400) / (60 + 40) = 54.
    assert rows[("K1", "T1")]["wage"] == pytest.approx(54.0)
    assert rows[("K1", "T1")]["establishments"] == 10


def test_it_flags_cmp_clusters_by_hand_computed_percentiles(tmp_path: Path) -> None:
    rows = cmp_rows(tmp_path)
    flags = ("qualifying", "significant", "strong", "strong10")
    # T1: LQ sorted 0.45, 0.6, 2.0 -> P25 0.525, P50 0.6, P75 1.3, P90 1.72;
    #     employment 20, 30, 100 -> P25 25; establishments 2, 3, 10 -> P25 2.5.
    #     K1 (LQ 2.0, 100, 10) passes all four; K2 fails LQ > P25; K3 fails emp > 25.
    assert [rows[("K1", "T1")][f] for f in flags] == [True, True, True, True]
    assert [rows[("K2", "T1")][f] for f in flags] == [False] * 4
    assert [rows[("K3", "T1")][f] for f in flags] == [False] * 4
    # T2: LQ 0.5, 1.2, 1.275 -> P25 0.85, P50 1.2, P75 1.2375, P90 1.26;
    #     employment 50, 80, 170 -> P25 65; establishments 5, 9, 12 -> P25 7.
    #     K2 (1.275, 170, 12) passes all; K3 (1.2, 80, 9) qualifies but 1.2 > 1.2 fails.
    assert [rows[("K2", "T2")][f] for f in flags] == [True, True, True, True]
    assert [rows[("K3", "T2")][f] for f in flags] == [True, False, False, False]
    assert [rows[("K1", "T2")][f] for f in flags] == [False] * 4
    # Local clusters get no flags.
    assert not any(rows[(k, "L1")][f] for k in ("K1", "K2", "K3") for f in flags)


def test_it_summarises_each_region(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path)
    summary = rows_by_key(compute(emp, cl, method="cmp").region_summary, "region_code")
    k1 = summary[("K1",)]
    assert (k1["total_employment"], k1["traded_employment"], k1["local_employment"]) == (
        300,
        150,
        150,
    )
    # K1 is strong in T1 only: 100 of 150 traded employees.
    assert k1["strong_clusters"] == 1
    assert k1["strong_employment_share"] == pytest.approx(100 / 150)
    assert k1["portfolio"] == "T1"
    assert summary[("K2",)]["portfolio"] == "T2"
    assert summary[("K3",)]["strong_clusters"] == 0
    assert summary[("K3",)]["portfolio"] == ""


def test_it_awards_eco_stars_with_default_thresholds(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path)
    rows = rows_by_key(
        compute(emp, cl, method="eco").region_clusters, "region_code", "cluster_code"
    )
    # LQ over total employment (K1 300, K2 400, K3 400; benchmark 1,100):
    # K1 T1 (100 / 300) / (150 / 1100) = 2.4444; K2 T2 (170 / 400) / (300 / 1100) = 1.5583.
    assert rows[("K1", "T1")]["lq"] == pytest.approx(22 / 9)
    assert rows[("K2", "T2")]["lq"] == pytest.approx(1.558333333)
    # Size: employment >= P90: T1 (20, 30, 100) -> 86, T2 (50, 80, 170) -> 152.
    # Focus: share of total >= P90: T1 (0.05, 0.075, 0.3333) -> 0.2817,
    #        T2 (0.1667, 0.2, 0.425) -> 0.38. Specialisation: LQ >= 2.
    k1t1, k2t2 = rows[("K1", "T1")], rows[("K2", "T2")]
    assert (k1t1["size_star"], k1t1["specialisation_star"], k1t1["focus_star"]) == (
        True,
        True,
        True,
    )
    assert k1t1["stars"] == 3 and k1t1["strong"] is True
    assert (k2t2["size_star"], k2t2["specialisation_star"], k2t2["focus_star"]) == (
        True,
        False,
        True,
    )
    assert k2t2["stars"] == 2 and k2t2["strong"] is True
    others = [r for k, r in rows.items() if k not in {("K1", "T1"), ("K2", "T2")}]
    assert all(r["stars"] == 0 for r in others)


def test_it_awards_eco_stars_with_custom_thresholds(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path)
    thresholds = EcoThresholds(size_top=0.5, specialisation_lq=1.5, focus_top=0.5, strong_stars=3)
    rows = rows_by_key(
        compute(emp, cl, method="eco", eco=thresholds).region_clusters,
        "region_code",
        "cluster_code",
    )
    # Now P50: T1 employment 30 and share 0.075, T2 employment 80 and share 0.2;
    # specialisation at LQ >= 1.5 (K1 T1 2.44, K2 T2 1.56).
    stars = {k: r["stars"] for k, r in rows.items() if k[1] != "L1"}
    assert stars == {
        ("K1", "T1"): 3,
        ("K2", "T1"): 2,  # 30 >= 30 and 0.075 >= 0.075; LQ 0.55
        ("K3", "T1"): 0,
        ("K1", "T2"): 0,
        ("K2", "T2"): 3,
        ("K3", "T2"): 2,  # 80 >= 80 and 0.2 >= 0.2; LQ 0.73
    }
    strong = sorted(k for k, r in rows.items() if r["strong"])
    assert strong == [("K1", "T1"), ("K2", "T2")]


def test_it_computes_growth_and_cagr(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path, years=(2020, 2022))
    result = compute(emp, cl, method="cmp", growth=(2020, 2022))
    assert result.cluster_growth is not None
    rows = rows_by_key(result.cluster_growth, "region_code", "cluster_code")
    # K1 T1 grows from 100 to 121 over two years: +21, CAGR sqrt(1.21) - 1 = 10 %.
    k1t1 = rows[("K1", "T1")]
    assert (k1t1["year_from"], k1t1["year_to"]) == (2020, 2022)
    assert k1t1["employment_change"] == 21
    assert k1t1["employment_cagr"] == pytest.approx(0.10)
    assert rows[("K2", "T2")]["employment_cagr"] == pytest.approx(0.0)
    assert k1t1["lq_from"] == pytest.approx(2.0)


def test_it_finds_no_relatedness_between_opposite_clusters(tmp_path: Path) -> None:
    emp, cl = three_kreise(tmp_path)
    result = compute(emp, cl, method="cmp")
    rel = rows_by_key(result.cluster_relatedness, "cluster_code", "related_cluster_code")
    # T1 LQs (2.0, 0.45, 0.6) deviate from their mean by exactly -2 times T2's
    # (0.5, 1.275, 1.2): Pearson r = -1, clipped to relatedness 0, so no density.
    assert rel[("T1", "T2")]["correlation"] == pytest.approx(-1.0)
    assert rel[("T1", "T2")]["relatedness"] == 0.0
    assert rel[("T1", "T2")]["regions"] == 3
    dens = rows_by_key(result.region_density, "region_code", "cluster_code")
    assert set(dens) == {("K1", "T2"), ("K2", "T1"), ("K3", "T1"), ("K3", "T2")}
    assert dens[("K1", "T2")]["density"] is None


def test_it_computes_relatedness_and_density_by_hand() -> None:
    # Regions x clusters LQ: c1 = (3, 1, 0), c2 = (2, 1, 0), c3 = (0, 1, 1).
    # Deviations: c1 (5, -1, -4) / 3, c2 (1, 0, -1), c3 (-2, 1, 1) / 3.
    # r(c1, c2) = 3 / (sqrt(42) / 3 * sqrt(2)) = 9 / sqrt(84) = 0.981981
    # r(c1, c3) = (-5 / 3) / (sqrt(42) / 3 * sqrt(6) / 3) = -15 / sqrt(252) = -0.944911 -> 0
    # r(c2, c3) = -1 / (sqrt(2) * sqrt(6) / 3) = -3 / sqrt(12) = -0.866025 -> 0
    lq = np.array([[3.0, 2.0, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 1.0]])
    corr, phi = proximity(lq)
    assert corr[0, 1] == pytest.approx(9 / np.sqrt(84))
    assert corr[0, 2] == pytest.approx(-15 / np.sqrt(252))
    assert corr[1, 2] == pytest.approx(-3 / np.sqrt(12))
    assert phi[0, 1] == pytest.approx(0.981981, abs=1e-6)
    assert phi[0, 2] == phi[1, 2] == phi[0, 0] == 0.0
    # Region 1 strong in c1, region 3 in c3. Density of c2 in region 1:
    # phi(c2, c1) * 1 / (phi(c2, c1) + phi(c2, c3)) = 0.98 / 0.98 = 1; c3 relates to
    # nothing (0 / 0: undefined); region 2 is strong nowhere: 0.
    strong = np.array([[1, 0, 0], [0, 0, 0], [0, 0, 1]], dtype=bool)
    d = density(phi, strong)
    assert d[0, 1] == pytest.approx(1.0)
    assert np.isnan(d[0, 2])
    assert d[1, 0] == 0.0 and d[1, 1] == 0.0
