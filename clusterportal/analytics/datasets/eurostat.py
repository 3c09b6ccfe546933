"""Reader for Eurostat's bulk-download TSV files (here: ``sbs_r_nuts06_r2``).

A bulk file has one header line ``nace_r2,indic_sb,geo\\time<TAB>2015 <TAB>2014 ...`` and one
line per key: the comma-separated key, then one cell per year. A cell is a number or ``:``
(not available), optionally followed by a space and flag letters (``160445 ``, ``: c``,
``730167 d``, ``: cd``). The flags are Eurostat's and are kept with every cell, because they
say what a number can carry: ``c`` confidential, ``b`` break in the series, ``d`` definition
differs, ``e`` estimated, ``p`` provisional, ``u`` low reliability, and so on.

Anything else (an unknown flag, a cell count that does not match the header, a bad number)
stops the read with the line number and the column, so no cell is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .tables import SourceFormatError, open_text

#: Eurostat's flags (https://ec.europa.eu/eurostat/data/database/information, "Flags").
FLAGS: dict[str, str] = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "i": "see metadata",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}
NOT_AVAILABLE = ":"
CONFIDENTIAL = "c"

_CELL = re.compile(r"^(?P<value>:|-?\d+(?:\.\d+)?)(?: (?P<flags>[a-z]*))?\s*$")


@dataclass(frozen=True)
class Cell:
    """One published cell: the key fields, the year, the number (None for ``:``), the flags."""

    key: tuple[str, ...]
    year: int
    value: float | None
    flags: str

    @property
    def confidential(self) -> bool:
        return CONFIDENTIAL in self.flags


@dataclass(frozen=True)
class Header:
    key_names: tuple[str, ...]
    years: tuple[int, ...]


def parse_header(line: str, source: str) -> Header:
    fields = line.rstrip("\r\n").split("\t")
    key, _, last = fields[0].rpartition("\\")
    if not key or last != "time":
        raise SourceFormatError(f"{source}:1: expected a key column ending in '\\time'")
    try:
        years = tuple(int(field.strip()) for field in fields[1:])
    except ValueError:
        raise SourceFormatError(f"{source}:1: the time columns must be years") from None
    if not years:
        raise SourceFormatError(f"{source}:1: no time columns")
    return Header(tuple(key.split(",")), years)


def parse_cell(text: str, where: str) -> tuple[float | None, str]:
    """The number (None for ``:``) and the flags of one cell."""
    match = _CELL.match(text)
    if match is None:
        raise SourceFormatError(f"{where}: cannot read the cell {text[:40]!r}")
    flags = match["flags"] or ""
    unknown = sorted(set(flags) - set(FLAGS))
    if unknown:
        raise SourceFormatError(f"{where}: unknown flag(s) {''.join(unknown)!r} in {text!r}")
    raw = match["value"]
    return (None if raw == NOT_AVAILABLE else float(raw)), flags


def iter_cells(lines: Iterable[str], source: str) -> Iterator[Cell]:
    """Every cell of a bulk TSV given as lines (the header first)."""
    iterator = iter(lines)
    try:
        header = parse_header(next(iterator), source)
    except StopIteration:
        raise SourceFormatError(f"{source}: empty file") from None
    width = len(header.key_names)
    for number, line in enumerate(iterator, start=2):
        fields = line.rstrip("\r\n").split("\t")
        if fields == [""]:
            continue
        key = tuple(fields[0].split(","))
        if len(key) != width:
            raise SourceFormatError(
                f"{source}:{number}: key {fields[0]!r} has {len(key)} parts, "
                f"the header names {width}"
            )
        if len(fields) != len(header.years) + 1:
            raise SourceFormatError(
                f"{source}:{number}: {len(fields) - 1} cells, the header has "
                f"{len(header.years)} years"
            )
        for year, text in zip(header.years, fields[1:], strict=True):
            value, flags = parse_cell(text, f"{source}:{number}, year {year}")
            yield Cell(key, year, value, flags)


def read_bulk_tsv(path: Path) -> tuple[Header, list[Cell]]:
    """Header and all cells of a (gzipped) bulk TSV file."""
    with open_text(path) as handle:
        lines = handle.read().splitlines()
    if not lines:
        raise SourceFormatError(f"{path.name}: empty file")
    return parse_header(lines[0], path.name), list(iter_cells(lines, path.name))
