"""Reading uploaded tables (CSV or XLSX) into rows of strings, with clear errors.

No models here: the importers in the apps validate the rows. Row numbers are
the ones a user sees in a spreadsheet: the header is row 1, the first data
row is row 2.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000


class TableError(ValueError):
    """The file as a whole cannot be read (size, format, encoding, header)."""


@dataclass(frozen=True)
class Table:
    filename: str
    header: list[str]
    rows: list[dict[str, str]]  # in file order; row number = index + 2
    encoding: str = "utf-8"


def read_table(data: bytes, filename: str, max_bytes: int = MAX_BYTES) -> Table:
    if len(data) > max_bytes:
        raise TableError(
            f"{filename}: the file has {len(data):,} bytes; the limit is {max_bytes:,} bytes"
        )
    if not data.strip():
        raise TableError(f"{filename}: the file is empty")
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data, filename)
    if filename.lower().endswith((".csv", ".txt")):
        return _read_csv(data, filename)
    raise TableError(f"{filename}: only .csv and .xlsx files can be imported")


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(f"{filename}: the file is UTF-16; save it as CSV UTF-8")
    if b"\x00" in data[:4096]:
        raise TableError(f"{filename}: the file is binary, not a CSV text file")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        # Excel's "CSV (Trennzeichen-getrennt)" on German Windows writes cp1252.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise TableError(
                f"{filename}: the file is neither UTF-8 nor Windows-1252 "
                f"(byte {data[utf8_error.start]:#04x} at position {utf8_error.start}); "
                "save it as CSV UTF-8"
            ) from None


def _read_csv(data: bytes, filename: str) -> Table:
    text, encoding = _decode(data, filename)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        raise TableError(f"{filename}: row {reader.line_num}: {error}") from None
    return _to_table(filename, records, encoding)


def _read_xlsx(data: bytes, filename: str) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(f"{filename}: not a readable XLSX workbook ({error})") from None
    sheet = workbook.worksheets[0]
    records = [
        ["" if cell is None else _cell_text(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)
    ]
    workbook.close()
    return _to_table(filename, records, "xlsx")


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _to_table(filename: str, records: list[list[str]], encoding: str) -> Table:
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()
    if not records:
        raise TableError(f"{filename}: the file has no header row")
    header = [cell.strip().lower() for cell in records[0]]
    while header and not header[-1]:
        header.pop()
    if not header or any(not name for name in header):
        raise TableError(f"{filename}: row 1: the header has an empty column name")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise TableError(f"{filename}: row 1: duplicate columns: {', '.join(duplicates)}")
    if len(records) - 1 > MAX_ROWS:
        raise TableError(f"{filename}: more than {MAX_ROWS:,} rows")
    rows = []
    for number, record in enumerate(records[1:], start=2):
        extra = [cell for cell in record[len(header) :] if cell.strip()]
        if extra:
            raise TableError(
                f"{filename}: row {number}: {len(record)} cells but the header has {len(header)} columns"
            )
        padded = list(record[: len(header)]) + [""] * (len(header) - len(record))
        rows.append({name: cell.strip() for name, cell in zip(header, padded, strict=True)})
    return Table(filename, header, rows, encoding)


def require_columns(table: Table, required: set[str], allowed: set[str]) -> None:
    missing = sorted(required - set(table.header))
    unknown = sorted(set(table.header) - allowed)
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    if problems:
        raise TableError(f"{table.filename}: row 1: " + "; ".join(problems))
