"""The GENESIS export parser gives the same engine rows as the long file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clusterportal.analytics.datasets import genesis, germany
from clusterportal.analytics.datasets.tables import SourceFormatError, read_employment_parquet

from .conftest import RAW

EXPORT = RAW / "regionalstatistik_13111-07-05-4_2020_raw_latin1.csv"


def test_parsing_a_fresh_genesis_download_gives_the_2020_rows_of_the_long_file(
    built: tuple[Path, dict[str, Any]], kreise: list[str]
) -> None:
    out, _ = built
    long_2020 = [
        r
        for r in read_employment_parquet(out / "de" / "svb_wz2008_sections_2015_2020.parquet")
        if r["year"] == 2020
    ]
    rows, _, dropped = germany.engine_records(genesis.parse_13111_07_05_4(EXPORT), kreise)
    assert len(dropped) == 72
    normalised = [
        {
            **r,
            "establishments": None,
            "payroll": None,
            "employment_reported": None,
            "employment_flag": None,
        }
        for r in rows
    ]
    assert normalised == long_2020


def test_it_reads_the_stichtag_keys_symbols_and_stops_at_the_footnotes() -> None:
    records = genesis.parse_13111_07_05_4(EXPORT)
    assert {r.year for r in records} == {2020}
    flensburg_a = next(r for r in records if r.ars == "01001" and r.section == "A")
    assert (flensburg_a.total, flensburg_a.symbol, flensburg_a.name) == (
        None,
        ".",
        "Flensburg, kreisfreie Stadt",
    )
    assert next(r for r in records if r.ars == "DG" and r.section == "TOTAL").total == 33_322_952
    assert {r.level for r in records} == {"bund", "land", "regierungsbezirk", "kreis", "gemeinde"}


def test_it_rejects_a_file_that_is_not_this_table(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_bytes("GENESIS-Tabelle: 12411-01-01-4\n".encode("iso-8859-1"))
    with pytest.raises(SourceFormatError):
        genesis.parse_13111_07_05_4(other)


def test_it_rejects_an_unknown_sector_label_with_the_line_number(tmp_path: Path) -> None:
    lines = EXPORT.read_bytes().decode("iso-8859-1").splitlines()
    lines[11] = lines[11].replace("Land- und Forstwirtschaft, Fischerei (A)", "Bergbau (B)")
    broken = tmp_path / "broken.csv"
    broken.write_bytes("\n".join(lines).encode("iso-8859-1"))
    with pytest.raises(SourceFormatError, match=":12: unknown sector label"):
        genesis.parse_13111_07_05_4(broken)
