"""The benchmark clusters carried over to WZ 2008 / NACE Rev. 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clusterportal.analytics.datasets import nace
from clusterportal.analytics.datasets.tables import read_csv

from .conftest import RAW


@pytest.fixture(scope="module")
def classes(built: tuple[Path, dict[str, Any]]) -> dict[str, dict[str, str]]:
    out, _ = built
    rows = read_csv(out / "definitions" / "benchmark_clusters_nace_rev2.csv")
    return {r["industry_code"]: r for r in rows}


def test_naics_automobile_manufacturing_ends_in_wz_29_10_automotive(
    classes: dict[str, dict[str, str]],
) -> None:
    concordance = read_csv(RAW / "naics2012_to_isic4_census.csv")
    assert {r["isic4"] for r in concordance if r["naics2012"] == "336111"} == {"2910"}
    nace_rows = read_csv(RAW / "nace_rev2_en_de.csv")
    assert nace.isic_to_nace(nace_rows)["2910"] == ["29.10"]
    assert classes["29.10"]["cluster_code"] == "4"
    assert classes["29.10"]["cluster_name"] == "Automotive"
    assert classes["29.10"]["title_de"] == "Herstellung von Kraftwagen und Kraftwagenmotoren"


@pytest.mark.parametrize(
    ("code", "cluster"),
    [
        ("21.10", "Biopharmaceuticals"),
        ("30.30", "Aerospace Vehicles and Defense"),
        ("32.50", "Medical Devices"),
        ("62.01", "Business Services"),
        ("72.11", "Education and Knowledge Creation"),
        ("29.32", "Automotive"),
    ],
)
def test_hand_checked_chains_reach_the_expected_cluster(
    classes: dict[str, dict[str, str]], code: str, cluster: str
) -> None:
    assert classes[code]["cluster_name"] == cluster


def test_each_class_is_in_one_cluster_and_shares_are_between_zero_and_one(
    classes: dict[str, dict[str, str]],
) -> None:
    assert len(classes) == 571
    assert all(0 < float(r["share_of_weight"]) <= 1 for r in classes.values())
    assert all(len(code) == 5 and code[2] == "." for code in classes)


def test_coverage_is_reported(built: tuple[Path, dict[str, Any]]) -> None:
    _, report = built
    coverage = report["nace_definition"]["classes"]
    assert (coverage["classes"], coverage["assigned"], coverage["unassigned"]) == (615, 571, 44)
    assert coverage["conflicts"] == 217
    assert coverage["total_weight"] == 115_591_806.0
    assert 7_000_000 < coverage["conflict_weight"] < 7_700_000


def test_unassigned_classes_are_farming_government_and_households(
    built: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = built
    rows = read_csv(out / "definitions" / "benchmark_clusters_nace_rev2_unassigned.csv")
    classes = {r["industry_code"] for r in rows if r["level"] == "class"}
    assert {"01.11", "84.22", "97.00", "98.10"} <= classes
    assert all(
        code[:2] in {"01", "03", "49", "53", "65", "84", "97", "98", "99"} for code in classes
    )


def test_the_division_variant_puts_division_29_into_automotive(
    built: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = built
    rows = {
        r["industry_code"]: r
        for r in read_csv(out / "definitions" / "benchmark_clusters_nace_rev2_divisions.csv")
    }
    assert rows["29"]["cluster_name"] == "Automotive"
    assert rows["21"]["cluster_name"] == "Biopharmaceuticals"
    assert len(rows) == 84


def test_the_main_concordance_link_carries_the_weight() -> None:
    links = {"2920": "custom fabrication of trailer bodies", "4520": "except custom fabrication"}
    assert nace.primary_links(links) == {"4520"}
    assert nace.primary_links({"2910": "", "2930": "fifth wheel assemblies"}) == {"2910"}
    assert nace.primary_links({"1": "part a", "2": "part b"}) == {"1", "2"}


def test_ties_go_to_the_lowest_cluster_code_and_no_cluster_loses_ties() -> None:
    contributions = nace.Contributions()
    contributions.employment.update({"40": 10.0, "4": 10.0, "": 10.0})
    result = nace.assign("99.99", contributions)
    assert result.cluster_code == "4" and result.runner_up == "40"
    assert result.share_of_weight == pytest.approx(1 / 3)
