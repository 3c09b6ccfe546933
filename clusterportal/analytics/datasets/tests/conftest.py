"""Shared, session-wide inputs for the source tests: built once, read many times."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clusterportal.analytics.datasets import build, germany, naics
from clusterportal.analytics.datasets.tables import read_csv

RAW = build.RAW


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A full build from the raw copies into a temporary folder, and its report."""
    out = tmp_path_factory.mktemp("atlas")
    report = build.build(RAW, out)
    return out, report


@pytest.fixture(scope="session")
def titles() -> tuple[dict[str, str], dict[str, str]]:
    return (
        naics.six_digit_titles(read_csv(RAW / "naics2012_codes_en.csv"), "naics2012"),
        naics.six_digit_titles(read_csv(RAW / "naics2017_codes_en.csv"), "naics2017"),
    )


@pytest.fixture(scope="session")
def changed() -> list[tuple[str, str]]:
    return naics.changed_links_2012_to_2017(
        read_csv(RAW / "naics2012_to_naics2017_changed_links.csv")
    )


@pytest.fixture(scope="session")
def crosswalk(titles: Any, changed: Any) -> list[naics.CrosswalkLink]:
    return naics.build_crosswalk_2017_to_2012(titles[0], titles[1], changed)


@pytest.fixture(scope="session")
def definition(titles: Any, changed: Any) -> naics.DefinitionResult:
    return naics.build_us_definition(
        read_csv(RAW / "acr1_naics2012_to_benchmark_cluster.csv"),
        read_csv(RAW / "us_benchmark_clusters_identity.csv"),
        titles[0],
        changed,
    )


@pytest.fixture(scope="session")
def svb_records() -> list[germany.SvbRecord]:
    return germany.read_long(
        read_csv(RAW / "de_svb_arbeitsort_wz2008_sections_kreise_2015_2020.csv.gz")
    )


@pytest.fixture(scope="session")
def kreise() -> list[str]:
    import json

    from clusterportal.analytics.datasets.tables import open_text

    with open_text(RAW / "de_kreise_vg5000_2021.geojson.gz") as handle:
        return sorted(f["properties"]["ARS"] for f in json.load(handle)["features"])
