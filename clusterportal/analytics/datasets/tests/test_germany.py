"""Germany: SvB employees by Kreis and WZ 2008 section group, 2015-2020."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from clusterportal.analytics.datasets import germany
from clusterportal.analytics.datasets.tables import (
    SourceFormatError,
    read_csv,
    read_employment_parquet,
)

from .conftest import RAW

BW_LAND_TOTAL = {2015: 4_359_526, 2020: 4_726_571}


@pytest.fixture(scope="module")
def rows(built: tuple[Path, dict[str, Any]]) -> list[dict[str, Any]]:
    out, _ = built
    return read_employment_parquet(out / "de" / "svb_wz2008_sections_2015_2020.parquet")


def test_the_44_bw_kreise_add_up_exactly_to_the_land_row(
    svb_records: list[germany.SvbRecord],
) -> None:
    for year, expected in BW_LAND_TOTAL.items():
        kreise = [
            r
            for r in svb_records
            if r.year == year
            and r.level == "kreis"
            and r.ars.startswith("08")
            and r.section == "TOTAL"
        ]
        land = [r for r in svb_records if r.year == year and r.ars == "08" and r.section == "TOTAL"]
        assert len(kreise) == 44
        assert sum(r.total or 0 for r in kreise) == expected == land[0].total


def test_the_engine_rows_of_bw_kreise_add_up_to_the_land_total_too(
    rows: list[dict[str, Any]], svb_records: list[germany.SvbRecord]
) -> None:
    published = {r.ars: r.total for r in svb_records if r.year == 2020 and r.section == "TOTAL"}
    for year, expected in BW_LAND_TOTAL.items():
        bw = [
            r
            for r in rows
            if r["year"] == year
            and r["region_type"] == "kreis"
            and r["region_code"].startswith("08")
        ]
        by_kreis: dict[str, list[int]] = defaultdict(list)
        for r in bw:
            by_kreis[r["region_code"]].append(r["employment"])
        assert len(by_kreis) == 44
        incomplete = sorted(code for code, values in by_kreis.items() if len(values) < 12)
        if year == 2015:
            assert incomplete == [] and sum(r["employment"] for r in bw) == expected
        else:
            # Tübingen and Ulm have A, F and B-F suppressed in 2020: those cells are dropped.
            assert incomplete == ["08416", "08421"]
            complete = sum(sum(v) for c, v in by_kreis.items() if c not in incomplete)
            assert complete + sum(published[c] or 0 for c in incomplete) == expected


def test_the_partition_plus_unassigned_equals_the_published_total(
    rows: list[dict[str, Any]], svb_records: list[germany.SvbRecord]
) -> None:
    totals = {(r.year, r.ars): r.total for r in svb_records if r.section == "TOTAL"}
    totals.update(
        {
            (y, germany.CITY_STATES[a]): t
            for (y, a), t in list(totals.items())
            if a in germany.CITY_STATES
        }
    )
    sums: dict[tuple[int, str], int] = defaultdict(int)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for r in rows:
        sums[(r["year"], r["region_code"])] += r["employment"]
        counts[(r["year"], r["region_code"])] += 1
    complete = [key for key, n in counts.items() if n == 12 and key[1] != "03159"]
    assert len(complete) > 2300
    assert all(sums[key] == totals[key] for key in complete)


def test_every_year_covers_the_401_kreise_of_2021_with_berlin_and_hamburg(
    rows: list[dict[str, Any]], kreise: list[str]
) -> None:
    assert len(kreise) == 401
    for year in range(2015, 2021):
        codes = {
            r["region_code"] for r in rows if r["year"] == year and r["region_type"] == "kreis"
        }
        assert codes == set(kreise)
    berlin = [r for r in rows if r["year"] == 2020 and r["region_code"] == "11000"]
    assert sum(r["employment"] for r in berlin) == 1_539_285


def test_reference_rows_exist_for_germany_and_the_16_laender(rows: list[dict[str, Any]]) -> None:
    lands = {r["region_code"] for r in rows if r["region_type"] == "land"}
    assert lands == {f"{n:02d}" for n in range(1, 17)}
    germany_2020 = [r for r in rows if r["region_type"] == "bund" and r["year"] == 2020]
    assert {r["region_code"] for r in germany_2020} == {"DG"}
    assert sum(r["employment"] for r in germany_2020) == 33_322_952
    unassigned = next(r for r in germany_2020 if r["industry_code"] == "X")
    assert unassigned["employment"] == 1550


def test_goettingen_is_summed_from_its_two_former_kreise_in_2015_and_2016(
    rows: list[dict[str, Any]], svb_records: list[germany.SvbRecord]
) -> None:
    old = sum(
        r.total or 0
        for r in svb_records
        if r.year == 2015 and r.ars in ("03152", "03156") and r.section == "TOTAL"
    )
    new = sum(r["employment"] for r in rows if r["year"] == 2015 and r["region_code"] == "03159")
    assert new == old > 0


def test_former_kreise_are_dropped_and_listed(built: tuple[Path, dict[str, Any]]) -> None:
    out, report = built
    dropped = read_csv(out / "de" / "svb_dropped_former_kreise.csv")
    assert len(dropped) == 72 == report["de_svb"]["dropped_former_kreise"]
    assert {"03152", "13001"} <= {r["ars"] for r in dropped}


def test_suppressed_cells_are_derived_by_difference_when_one_part_is_missing() -> None:
    values: dict[str, int | None] = {
        "A": 10,
        "B-F": 100,
        "B-E": None,
        "C": 50,
        "F": 30,
        "G-U": 200,
        "G-I": 80,
        "J": 20,
        "K": 10,
        "L": 5,
        "M-N": 40,
        "O-Q": 30,
        "R-U": None,
        "TOTAL": 312,
    }
    result, how = germany.partition(values)
    assert result["BDE"] == 20 and "B-E = B-F - F" in how["BDE"]
    assert result["R-U"] == 15 and how["R-U"] == "R-U = G-U - G-I - J - K - L - M-N - O-Q"
    assert result["X"] == 2


def test_cells_that_cannot_be_derived_are_dropped_not_invented() -> None:
    values: dict[str, int | None] = {s: 1 for s in germany.PUBLISHED_SECTIONS}
    values.update({"B-F": None, "F": None, "TOTAL": 20})
    result, _ = germany.partition(values)
    assert result["F"] is None and result["X"] is None and result["BDE"] == 0


def test_a_negative_derived_value_is_an_error() -> None:
    values: dict[str, int | None] = {s: 1 for s in germany.PUBLISHED_SECTIONS}
    values.update({"B-F": 1, "B-E": 5, "F": None})
    with pytest.raises(SourceFormatError):
        germany.partition(values)


def test_the_cell_notes_list_every_dropped_cell(
    built: tuple[Path, dict[str, Any]], rows: list[dict[str, Any]]
) -> None:
    out, _ = built
    notes = read_csv(out / "de" / "svb_cell_notes.csv")
    dropped = [n for n in notes if n["status"] == "dropped"]
    kreis_years = 401 * 6 + 16 * 6 + 6
    assert len(rows) + len(dropped) == kreis_years * 12
    bw = sorted({(n["year"], n["region_code"]) for n in dropped if n["region_code"][:2] == "08"})
    assert bw == [("2020", "08416"), ("2020", "08421")]


def test_region_links_form_trees_for_germany_and_for_the_12_bw_regions(
    built: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = built
    de = read_csv(out / "de" / "region_links_kreis_land.csv")
    assert len(de) == 401 and len({r["child_code"] for r in de}) == 401
    assert {r["parent_code"] for r in de} == {f"{n:02d}" for n in range(1, 17)}
    bw = read_csv(out / "de" / "region_links_bw_kreis_region_land.csv")
    kreise = [r for r in bw if r["child_type"] == "kreis"]
    regions = [r for r in bw if r["child_type"] == "region"]
    assert len(kreise) == 44 and len(regions) == 12
    assert {r["parent_code"] for r in regions} == {"08"}
    stuttgart = {r["child_code"] for r in kreise if r["parent_code"] == "stuttgart"}
    assert stuttgart == {"08111", "08115", "08116", "08117", "08118", "08119"}
    assert {r["child_code"] for r in regions} >= {
        "heilbronn-franken",
        "rhein-neckar",
        "suedlicher-oberrhein",
        "ostwuerttemberg",
    }


def test_the_section_definition_has_eleven_groups_with_german_and_english_names(
    built: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = built
    rows = read_csv(out / "definitions" / "de_wz2008_section_groups.csv")
    assert [r["industry_code"] for r in rows] == list(germany.PARTITION)
    manufacturing = next(r for r in rows if r["industry_code"] == "C")
    assert manufacturing["type"] == "traded"
    assert manufacturing["cluster_name"] == "Manufacturing (C)"
    assert manufacturing["cluster_name_de"] == "Verarbeitendes Gewerbe (C)"


def test_region_names_and_boundaries_ship_for_all_401_kreise(
    built: tuple[Path, dict[str, Any]],
) -> None:
    import json

    out, _ = built
    names = read_csv(out / "de" / "regions.csv")
    assert len([r for r in names if r["region_type"] == "kreis"]) == 401
    geo = json.loads((out / "boundaries" / "de_kreise_vg5000_2021.geojson").read_text())
    assert len(geo["features"]) == 401
    assert geo["attribution"] == "© GeoBasis-DE / BKG 2021 (Daten verändert)"
    assert (out / "boundaries" / "BKG_quellenvermerk_datenlizenz_deutschland.txt").exists()
    assert (RAW / "de_kreise_vg5000_2021.geojson.gz").exists()
