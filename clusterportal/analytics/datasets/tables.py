"""Small, deterministic readers and writers shared by the source converters.

Everything written here is byte-stable: CSV with LF line ends and a fixed column order,
gzip without a timestamp, Parquet (zstd) with a fixed schema and row order. A second build
therefore produces the same bytes, which keeps the repository diff honest.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

Row = dict[str, str]

#: Column order of the atlas engine's long employment format.
EMPLOYMENT_COLUMNS: tuple[str, ...] = (
    "year",
    "region_type",
    "region_code",
    "industry_code",
    "employment",
    "establishments",
    "payroll",
    "employment_reported",
    "employment_flag",
)

EMPLOYMENT_SCHEMA = pa.schema(
    [
        ("year", pa.int32()),
        ("region_type", pa.string()),
        ("region_code", pa.string()),
        ("industry_code", pa.string()),
        ("employment", pa.int64()),
        ("establishments", pa.int64()),
        ("payroll", pa.int64()),
        ("employment_reported", pa.int64()),
        ("employment_flag", pa.string()),
    ]
)


class SourceFormatError(ValueError):
    """A source file does not have the shape its converter expects."""


def open_text(path: Path, encoding: str = "utf-8") -> io.TextIOWrapper:
    """Open a text file, transparently decompressing ``*.gz``."""
    raw = path.open("rb")
    stream: Any = gzip.GzipFile(fileobj=raw) if path.suffix == ".gz" else raw
    return io.TextIOWrapper(stream, encoding=encoding, newline="")


def read_csv(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> list[Row]:
    """All rows of a CSV file with a header line, as dictionaries of strings."""
    with open_text(path, encoding) as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        return [dict(row) for row in reader]


def require_columns(rows: Sequence[Mapping[str, str]], columns: Iterable[str], what: str) -> None:
    """Fail loudly when a source lacks a column the converter relies on."""
    if not rows:
        raise SourceFormatError(f"{what}: no rows")
    missing = [column for column in columns if column not in rows[0]]
    if missing:
        raise SourceFormatError(f"{what}: missing columns {missing}")


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render rows as CSV text (LF line ends, minimal quoting, ``None`` as empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a UTF-8 CSV file; returns the number of data rows."""
    materialised = list(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(header, materialised), encoding="utf-8")
    return len(materialised)


def write_json(path: Path, data: object) -> None:
    """Write JSON compactly with sorted keys so reruns give the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def write_employment_parquet(path: Path, records: Sequence[Mapping[str, object]]) -> int:
    """Write employment records in the engine's long format as zstd Parquet."""
    columns = {name: [record.get(name) for record in records] for name in EMPLOYMENT_COLUMNS}
    table = pa.Table.from_pydict(columns, schema=EMPLOYMENT_SCHEMA)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        table,
        path,
        compression="zstd",
        compression_level=9,
        row_group_size=1_000_000,
        write_statistics=True,
    )
    return int(table.num_rows)


def read_employment_parquet(path: Path) -> list[dict[str, Any]]:
    """Read an employment Parquet file back into records (used by tests and reports)."""
    table = pq.read_table(path)
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def parse_int(value: str | None) -> int | None:
    """An integer from a source cell, or ``None`` for an empty cell."""
    if value is None:
        return None
    stripped = value.strip()
    if stripped == "":
        return None
    return int(stripped)
