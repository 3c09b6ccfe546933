"""Parser for the GENESIS / Regionalstatistik export of table 13111-07-05-4.

This is what a user downloads from regionalstatistik.de ("Sozialversicherungspflichtig
Beschäftigte am Arbeitsort nach Geschlecht, Nationalität und Wirtschaftszweigen - Stichtag
30.06. - Kreise u. krfr. Städte") as CSV: ISO-8859-1, ``;``-separated, a header of title
lines and four column-header lines (11 lines in all), footnotes after a ``__________`` line,
region names indented with spaces, ``.`` for a suppressed cell and ``-`` for "nothing".
Only the first value column (all employees, men and women together) is used.
"""

from __future__ import annotations

import re
from pathlib import Path

from .germany import KNOWN_SYMBOLS, SvbRecord, level_of
from .tables import SourceFormatError

TABLE_ID = "13111-07-05-4"
#: The header (title, unit, Stichtag, four column-header lines) has 11 lines in the 2020
#: export; it is recognised by content, and must end within this many lines.
MAX_HEADER_LINES = 15
FOOTER_MARK = "__________"

#: GENESIS row labels of the economic sectors -> section codes of the long format.
SECTION_LABELS: dict[str, str] = {
    "Land- und Forstwirtschaft, Fischerei (A)": "A",
    "Produzierendes Gewerbe (B-F)": "B-F",
    "Produzierendes Gewerbe ohne Baugewerbe (B-E)": "B-E",
    "Verarbeitendes Gewerbe (C)": "C",
    "Baugewerbe (F)": "F",
    "Dienstleistungsbereiche (G-U)": "G-U",
    "Handel, Gastgewerbe, Verkehr (G-I)": "G-I",
    "Information und Kommunikation (J)": "J",
    "Erbringung von Finanz- und Vers.leistungen (K)": "K",
    "Grundstücks- und Wohnungswesen (L)": "L",
    "Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL": "M-N",
    "Öff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht": "O-Q",
    "Kunst, Unterhaltung, Erholung, Priv. Haush.,usw.": "R-U",
    "Insgesamt": "TOTAL",
}

_STICHTAG = re.compile(r"^Stichtag: \d{2}\.\d{2}\.(\d{4})")


def parse_13111_07_05_4(path: Path) -> list[SvbRecord]:
    """All data rows of the export as :class:`SvbRecord` (one per region and section)."""
    lines = path.read_bytes().decode("iso-8859-1").splitlines()
    if not lines or not lines[0].startswith(f"GENESIS-Tabelle: {TABLE_ID}"):
        raise SourceFormatError(f"{path.name}: not a GENESIS export of table {TABLE_ID}")
    year = None
    first_data = None
    for index, line in enumerate(lines[:MAX_HEADER_LINES]):
        match = _STICHTAG.match(line)
        if match:
            year = int(match.group(1))
        fields = line.split(";")
        # Title lines have only their first field, column headers leave the first one empty.
        if index > 0 and len(fields) == 9 and fields[0] and fields[1]:
            first_data = index
            break
    if year is None:
        raise SourceFormatError(f"{path.name}: no 'Stichtag' line in the header")
    if first_data is None:
        raise SourceFormatError(f"{path.name}: no data line after the header")
    records: list[SvbRecord] = []
    for number, line in enumerate(lines[first_data:], start=first_data + 1):
        if line.startswith(FOOTER_MARK):
            break
        fields = line.split(";")
        if len(fields) != 9:
            raise SourceFormatError(f"{path.name}:{number}: expected 9 fields, got {len(fields)}")
        key, name, label, total = fields[0], fields[1].strip(), fields[2], fields[3].strip()
        if label not in SECTION_LABELS:
            raise SourceFormatError(f"{path.name}:{number}: unknown sector label {label!r}")
        if total.isdigit():
            value, symbol = int(total), ""
        elif total in KNOWN_SYMBOLS:
            value, symbol = None, total
        else:
            raise SourceFormatError(f"{path.name}:{number}: unexpected value {total!r}")
        records.append(
            SvbRecord(
                year=year,
                ars=key,
                level=level_of(key),
                name=name,
                section=SECTION_LABELS[label],
                total=value,
                symbol=symbol,
            )
        )
    else:
        raise SourceFormatError(f"{path.name}: footnote mark {FOOTER_MARK!r} not found")
    return records
