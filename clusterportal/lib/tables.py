"""Reading uploaded tables (CSV or XLSX) into rows of strings with clear errors,
and writing tables for download.

No models here: the importers in the apps validate the rows. Row numbers are
the ones a user sees in a spreadsheet: the header is row 1, the first data
row is row 2.

Spreadsheet formula injection: a downloaded cell that starts with = + - @
(or a tab / carriage return) would run as a formula when opened in Excel or
LibreOffice. Writers prefix such text cells with an apostrophe, the
spreadsheet's own "this is text" marker; readers remove exactly that prefix
again, so an exported file imports back unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from clusterportal.lib.xlsx import MAX_CELL_CHARS, XlsxError, read_first_sheet

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Cell = str | int | float | bool | None


class TableError(ValueError):
    """The file as a whole cannot be read (size, format, encoding, header)."""


@dataclass(frozen=True)
class Table:
    filename: str
    header: list[str]
    rows: list[dict[str, str]]  # in file order; row number = index + 2
    encoding: str = "utf-8"


def number(value: int) -> str:
    """12345678 -> '12.345.678' in German, '12,345,678' in English (the active language)."""
    return formats.number_format(value, force_grouping=True)


def read_table(data: bytes, filename: str, max_bytes: int = MAX_BYTES) -> Table:
    if len(data) > max_bytes:
        raise TableError(
            _("%(file)s: Die Datei hat %(size)s Bytes; erlaubt sind höchstens %(limit)s Bytes.")
            % {"file": filename, "size": number(len(data)), "limit": number(max_bytes)}
        )
    if not data.strip():
        raise TableError(_("%(file)s: Die Datei ist leer.") % {"file": filename})
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data, filename)
    if filename.lower().endswith((".csv", ".txt")):
        return _read_csv(data, filename)
    raise TableError(
        _("%(file)s: Nur .csv- und .xlsx-Dateien können importiert werden.") % {"file": filename}
    )


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return sample.count(b"\x00") * 3 > len(sample)  # every other byte is zero in UTF-16 text


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(data):
        raise TableError(
            _("%(file)s: Die Datei ist UTF-16-kodiert; bitte als „CSV UTF-8“ speichern.")
            % {"file": filename}
        )
    if b"\x00" in data[:4096]:
        raise TableError(
            _("%(file)s: Die Datei ist binär, keine CSV-Textdatei.") % {"file": filename}
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        # Excel's "CSV (Trennzeichen-getrennt)" on German Windows writes cp1252.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise TableError(
                _(
                    "%(file)s: Zeile %(row)s: Die Datei ist weder UTF-8 noch Windows-1252 "
                    "(Byte %(byte)s); bitte als „CSV UTF-8“ speichern."
                )
                % {
                    "file": filename,
                    "row": data[: utf8_error.start].count(b"\n") + 1,
                    "byte": f"{data[utf8_error.start]:#04x}",
                }
            ) from None


def _read_csv(data: bytes, filename: str) -> Table:
    text, encoding = _decode(data, filename)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as error:
        reason = str(error)
        if "unexpected end of data" in reason:
            reason = _("ein Anführungszeichen wird nicht geschlossen")
        elif "expected after" in reason:
            reason = _("nach einem schließenden Anführungszeichen fehlt das Trennzeichen")
        elif "field larger than field limit" in reason:
            reason = _("Die Zelle hat mehr als %(limit)s Zeichen.") % {
                "limit": number(MAX_CELL_CHARS)
            }
        # The row of the record being read: where the open quote is, not the file's end.
        raise TableError(
            _("%(file)s: Zeile %(row)s: %(reason)s")
            % {"file": filename, "row": len(records) + 1, "reason": reason}
        ) from None
    return _to_table(filename, records, encoding)


def _read_xlsx(data: bytes, filename: str) -> Table:
    try:
        records = read_first_sheet(data, MAX_ROWS)
    except XlsxError as error:
        raise TableError(_("%(file)s: %(reason)s") % {"file": filename, "reason": error}) from None
    return _to_table(filename, records, "xlsx")


def _unneutralise(cell: str) -> str:
    """Remove the apostrophe a writer put before a formula-like text (see module doc)."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def _to_table(filename: str, records: list[list[str]], encoding: str) -> Table:
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()
    if not records:
        raise TableError(_("%(file)s: Die Datei hat keine Kopfzeile.") % {"file": filename})
    header = [cell.strip().lower() for cell in records[0]]
    while header and not header[-1]:
        header.pop()
    if not header or any(not name for name in header):
        raise TableError(
            _("%(file)s: Zeile 1: Die Kopfzeile hat eine Spalte ohne Namen.") % {"file": filename}
        )
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise TableError(
            _("%(file)s: Zeile 1: doppelte Spalten: %(columns)s")
            % {"file": filename, "columns": ", ".join(duplicates)}
        )
    if len(records) - 1 > MAX_ROWS:
        raise TableError(
            _("%(file)s: mehr als %(limit)s Zeilen") % {"file": filename, "limit": number(MAX_ROWS)}
        )
    rows = []
    _check_cells(filename, 1, records[0])
    for row_number, record in enumerate(records[1:], start=2):
        _check_cells(filename, row_number, record)
        extra = [cell for cell in record[len(header) :] if cell.strip()]
        if extra:
            raise TableError(
                _(
                    "%(file)s: Zeile %(row)s: %(cells)s Zellen, aber die Kopfzeile hat %(columns)s Spalten"
                )
                % {
                    "file": filename,
                    "row": row_number,
                    "cells": len(record),
                    "columns": len(header),
                }
            )
        padded = list(record[: len(header)]) + [""] * (len(header) - len(record))
        rows.append(
            {name: _unneutralise(cell.strip()) for name, cell in zip(header, padded, strict=True)}
        )
    return Table(filename, header, rows, encoding)


def _check_cells(filename: str, row_number: int, record: list[str]) -> None:
    """NUL (which PostgreSQL cannot store) and over-long cells, named by row and column."""
    for index, cell in enumerate(record, start=1):
        if "\x00" in cell:
            reason = _("Die Zelle enthält ein NUL-Zeichen (Byte 0x00).")
        elif len(cell) > MAX_CELL_CHARS:
            reason = _("Die Zelle hat mehr als %(limit)s Zeichen.") % {
                "limit": number(MAX_CELL_CHARS)
            }
        else:
            continue
        raise TableError(
            _("%(file)s: Zeile %(row)s, Spalte %(column)s: %(reason)s")
            % {"file": filename, "row": row_number, "column": index, "reason": reason}
        )


def require_columns(table: Table, required: set[str], allowed: set[str]) -> None:
    missing = sorted(required - set(table.header))
    unknown = sorted(set(table.header) - allowed)
    problems = []
    if missing:
        problems.append(_("fehlende Spalten: %(columns)s") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(
            _("unbekannte Spalten: %(columns)s (erlaubt sind: %(allowed)s)")
            % {"columns": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )
    if problems:
        raise TableError(
            _("%(file)s: Zeile 1: %(problems)s")
            % {"file": table.filename, "problems": "; ".join(problems)}
        )


# Writing


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula gets the apostrophe text marker."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """RFC 4180 CSV (comma, CRLF, quotes where needed), UTF-8 with a byte-order mark.

    The BOM makes Excel read UTF-8 (umlauts) correctly; every CSV library skips it.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(_csv_cell(cell)) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: Cell) -> Cell:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same float
    return value


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Cell]], title: str) -> bytes:
    """One sheet, header row frozen; numbers stay numbers, text never becomes a formula."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(list(header))
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, str):
        return neutralise(_ILLEGAL_XML.sub("", value))
    return value


def quote(value: str) -> str:
    """A value from a user's file as it appears in a message: „value“ (in English “value”)."""
    return _("„%(value)s“") % {"value": value}
