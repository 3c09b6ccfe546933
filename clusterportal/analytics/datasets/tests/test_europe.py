"""Eurostat SBS by NUTS-2 and NACE division: the reader, the estimates, the NUTS versions.

Every figure here was read off the raw file by hand (data/atlas/raw/
eurostat_sbs_r_nuts06_r2_2008_2015.tsv.gz, the persons-employed line V16110 and the
local-units line V11210 of the division and region named).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from clusterportal.analytics import compute
from clusterportal.analytics.datasets import build, eurostat, sbs
from clusterportal.analytics.datasets.tables import SourceFormatError

EU = build.ATLAS / "eu"
PARQUET = EU / "sbs_nuts2_nace_divisions_2008_2015.parquet"


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def panel() -> pa.Table:
    return pq.read_table(PARQUET)


def _value(table: pa.Table, year: int, code: str, division: str) -> dict[str, object]:
    mask = pc.and_(
        pc.and_(pc.equal(table["year"], year), pc.equal(table["region_code"], code)),
        pc.equal(table["industry_code"], division),
    )
    [row] = table.filter(mask).to_pylist()
    return row


def test_a_cell_keeps_its_number_and_its_flags() -> None:
    assert eurostat.parse_cell("160445 ", "x") == (160445.0, "")
    assert eurostat.parse_cell("730167 d", "x") == (730167.0, "d")
    assert eurostat.parse_cell(": c", "x") == (None, "c")
    assert eurostat.parse_cell(": cd", "x") == (None, "cd")
    assert eurostat.parse_cell(":", "x") == (None, "")
    assert eurostat.parse_cell("-0.1 p", "x") == (-0.1, "p")


def test_an_unknown_flag_stops_the_read_with_line_and_year() -> None:
    lines = ["nace_r2,indic_sb,geo\\time\t2015 \t2014 ", "C29,V16110,DE11\t160445 \t12 q"]
    with pytest.raises(SourceFormatError, match=r"sbs\.tsv:2, year 2014: unknown flag"):
        list(eurostat.iter_cells(lines, "sbs.tsv"))


def test_a_line_with_a_missing_cell_stops_the_read_with_its_number() -> None:
    lines = ["nace_r2,indic_sb,geo\\time\t2015 \t2014 ", "C29,V16110,DE11\t160445 "]
    with pytest.raises(SourceFormatError, match=r"sbs\.tsv:2: 1 cells, the header has 2"):
        list(eurostat.iter_cells(lines, "sbs.tsv"))


def test_a_header_without_years_is_refused() -> None:
    with pytest.raises(SourceFormatError, match="time"):
        list(eurostat.iter_cells(["nace_r2,indic_sb,geo\t2015"], "sbs.tsv"))


def test_stuttgart_employs_160445_persons_in_motor_vehicles_in_2015(panel: pa.Table) -> None:
    row = _value(panel, 2015, "DE11", "C29")
    assert row["employment"] == 160_445
    assert row["employment_reported"] == 160_445  # published, not estimated
    assert row["region_type"] == "nuts2"


def test_a_confidential_cell_is_estimated_from_the_country_residual_by_local_units() -> None:
    # C21 (pharmaceuticals), Austria, 2014: AT = 14,000; published AT11 141, AT12 939,
    # AT13 5,075, AT21 638, AT22 1,173, AT31 1,700 (sum 9,666); AT32, AT33, AT34 are "c".
    # Residual 14,000 - 9,666 = 4,334, split by local units 7 : 13 : 1 (of 21):
    # 1,444.67 / 2,682.86 / 206.38 -> largest remainders 1,445 / 2,683 / 206.
    rows = {
        r["region_code"]: r
        for r in _csv(EU / "sbs_estimated_cells.csv")
        if (r["year"], r["industry_code"]) == ("2014", "C21") and r["region_code"][:2] == "AT"
    }
    assert {code: int(r["employment"]) for code, r in rows.items()} == {
        "AT32": 1_445,
        "AT33": 2_683,
        "AT34": 206,
    }
    assert {r["residual"] for r in rows.values()} == {"4334"}
    assert {r["key"] for r in rows.values()} == {"local_units"}


def test_estimated_cells_are_marked_as_not_reported(panel: pa.Table) -> None:
    row = _value(panel, 2014, "AT33", "C21")
    assert row["employment"] == 2_683
    assert row["employment_reported"] is None


def test_the_residual_is_split_so_that_it_adds_up_exactly() -> None:
    assert sbs.split_largest_remainder(4_334, [7, 13, 1]) == [1_445, 2_683, 206]
    assert sum(sbs.split_largest_remainder(10, [1, 1, 1])) == 10


def test_cells_that_cannot_be_estimated_are_listed_with_the_reason() -> None:
    dropped = _csv(EU / "sbs_dropped_cells.csv")
    assert dropped
    assert all(r["reason"] for r in dropped)
    reasons = {r["reason"].split(" (")[0].split(":")[0].rsplit(" ", 2)[0] for r in dropped}
    assert "country value" in {reason[:13] for reason in reasons}


def test_flags_of_published_cells_are_kept() -> None:
    flags = {
        (r["year"], r["region_code"], r["industry_code"]): r["flags"]
        for r in _csv(EU / "sbs_cell_flags.csv")
    }
    # "C29,V16110,DE11 ... 129101 d" in 2009 (definition differs), "': c" for DE91 in 2015.
    assert flags[("2009", "DE11", "C29")] == "d"
    assert flags[("2015", "DE91", "C29")] == "c"


def test_stuttgarts_location_quotient_in_motor_vehicles_against_germany_in_2015(
    panel: pa.Table,
) -> None:
    # By hand from the file, 2015, persons employed, the 68 divisions:
    #   DE11: published divisions 1,601,280 + 7 estimated confidential cells (C19 526, C30 787,
    #   D35 5,734, E36 821, E37 1,112, E38 3,832, E39 115 = 12,927) = 1,614,207;
    #   DE: all divisions published, 27,736,353; C29: DE11 160,445, DE 924,459.
    #   LQ = (160,445 / 1,614,207) / (924,459 / 27,736,353) = 0.0993956 / 0.0333302 = 2.982144
    germany = panel.filter(
        pc.and_(pc.equal(panel["year"], 2015), pc.starts_with(panel["region_code"], "DE"))
    )
    definition = pa.table(
        {
            "industry_code": sorted(set(germany["industry_code"].to_pylist())),
        }
    )
    clusters = definition.append_column("cluster_code", definition["industry_code"])
    clusters = clusters.append_column("cluster_name", definition["industry_code"])
    clusters = clusters.append_column("type", pa.array(["traded"] * definition.num_rows))
    result = compute(germany, clusters, method="eco", reference="country:DE", threads=1)
    rows = result.region_clusters.to_pylist()
    [de11] = [r for r in rows if r["region_code"] == "DE11" and r["cluster_code"] == "C29"]
    assert de11["employment"] == 160_445
    assert round(de11["lq"], 6) == 2.982144
    # Without the estimated cells DE11's total is 1,601,280: LQ 3.006219.
    published = germany.filter(pc.is_valid(germany["employment_reported"]))
    result = compute(published, clusters, method="eco", reference="country:DE", threads=1)
    [de11] = [
        r
        for r in result.region_clusters.to_pylist()
        if r["region_code"] == "DE11" and r["cluster_code"] == "C29"
    ]
    assert round(de11["lq"], 6) == 3.006219


def test_older_nuts_codes_map_to_2021_outlines_only_where_the_region_did_not_change() -> None:
    versions = {r["code"]: r for r in _csv(EU / "nuts2_versions.csv")}
    # Champagne-Ardenne: FR21 in NUTS 2013, recoded FRF2 in 2016 with the same boundary.
    assert (versions["FR21"]["code_2021"], versions["FR21"]["drawn"]) == ("FRF2", "yes")
    assert versions["DE11"]["code_2021"] == "DE11"
    # Lithuania's one region of 2013 was split in two in 2016.
    assert versions["LT00"]["drawn"] == "no"
    assert versions["LT00"]["reason"].startswith("split in NUTS 2021: LT02 71.2 %, LT01 28.8 %")
    # Brandenburg's two NUTS 2006 regions were merged into DE40.
    assert versions["DE41"]["reason"].startswith("boundary changed")
    outlines = {
        line.split('"code":"')[1].split('"')[0]
        for line in (build.ATLAS / "boundaries" / "eu_nuts2_2021.geojson")
        .read_text(encoding="utf-8")
        .split('"properties":{')[1:]
    }
    assert {"DE11", "DE12", "DE13", "DE14", "FR21"} <= outlines
    assert "LT00" not in outlines
