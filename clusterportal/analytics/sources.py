"""Make a CSV file, a Parquet file or an Arrow table available as a typed DuckDB view.

Every input goes through `load`: it checks the header, reads with explicit column
types (codes stay VARCHAR, so leading zeros survive), and where a value does not
fit its type it finds the first such row and raises an `InputError` naming it.
A CSV file is parsed once into a table behind the view; Parquet and Arrow are
read where they are.
Row numbers are spreadsheet rows: the header is row 1, the first data row is
row 2. They come from the `rid` column of each loaded view: Parquet's
file_row_number, a row number added to an Arrow table, or for CSV DuckDB's rowid,
which follows the file order because the connection keeps insertion order
(`preserve_insertion_order`, the default).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

import duckdb
import numpy as np
import pyarrow as pa

from clusterportal.analytics.errors import InputError

Source: TypeAlias = str | os.PathLike[str] | pa.Table

Kind = Literal["code", "text", "number", "year"]

_SQL_TYPE: dict[Kind, str] = {
    "code": "VARCHAR",
    "text": "VARCHAR",
    "number": "DOUBLE",
    "year": "INTEGER",
}
_NUMERIC_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
}
_INTEGER_TYPES = {t for t in _NUMERIC_TYPES if t not in {"FLOAT", "DOUBLE"}}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = True


@dataclass(frozen=True)
class Loaded:
    """A validated input now held in a DuckDB table."""

    table: str
    label: str
    columns: frozenset[str]
    rows: int
    path: str | None
    # Where to count rows and empty cells: for a Parquet file the whole file, whose
    # statistics answer such counts without reading it (the file may be read in parts,
    # which they cannot answer: 6 ms instead of 1 ms on a million rows).
    counted: str

    def has(self, column: str) -> bool:
        return column in self.columns


def first_row(rows: list[Any]) -> Any:
    """The first row of a fully fetched result, or None.

    DuckDB keeps a result open until a fetch comes back empty, and an open result
    blocks the next statement on the connection: so fetch all, then take one.
    """
    return rows[0] if rows else None


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sha256_of(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_parquet(path: str) -> bool:
    return path.lower().endswith((".parquet", ".pq"))


def _csv_header(path: str, label: str) -> list[str]:
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            header = next(csv.reader(text), None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(label, 1, f"cannot read the header: {exc}") from None
    if not header:
        raise InputError(label, 1, "the file is empty (a header row is needed)")
    return [name.strip() for name in header]


def _header(con: duckdb.DuckDBPyConnection, source: Source, label: str) -> list[str]:
    if isinstance(source, pa.Table):
        return list(source.column_names)
    path = os.fspath(source)
    if _is_parquet(path):
        try:
            rows = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
        except duckdb.Error as exc:
            raise InputError(label, None, f"cannot read as Parquet: {_first_line(exc)}") from None
        return [str(r[0]) for r in rows]
    return _csv_header(path, label)


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _csv_error(label: str, exc: duckdb.Error) -> InputError:
    text = str(exc)
    match = re.search(r"Line:\s*(\d+)", text)
    row = int(match.group(1)) if match else None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    detail = next(
        (line for line in lines if line.startswith(("Expected Number", "Error when"))),
        lines[0] if lines else type(exc).__name__,
    )
    return InputError(label, row, f"cannot be read as CSV: {detail}")


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Name of the row-number column added to Arrow tables (Parquet has file_row_number,
# a CSV table DuckDB's rowid).
_ARROW_ROW = "__atlas_row"


def load(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    table: str,
    columns: Sequence[Column],
    *,
    label: str | None = None,
    copy_arrow: bool = False,
) -> Loaded:
    """Make `source` available as the DuckDB view `table`: `rid` plus the typed columns.

    `rid` is the 0-based data row (spreadsheet row - 2). A CSV file is parsed once
    into a table; Parquet files and Arrow tables are not copied: the view reads
    them where they are, which on 30 million rows is several times faster than
    materialising them, since each query decodes only the columns it needs.
    `copy_arrow` copies an Arrow table into a DuckDB table all the same: a registered
    table is seen only by the connection it is registered on, a copy by every
    connection to the database (for the small inputs, which the engine reads on a
    second connection beside the big one).
    Columns not in `columns` are ignored; missing required columns are an error.
    """
    path: str | None = None
    if isinstance(source, pa.Table):
        label = label or f"<{table} table>"
    else:
        path = os.fspath(source)
        label = label or path
        if not Path(path).is_file():
            raise InputError(label, None, "file not found")
        if not _is_parquet(path):
            check_csv_bytes(path, label)
    header = _header(con, source, label)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError(label, 1, f"column {name!r} appears twice in the header")
        seen.add(name)
    missing = [c.name for c in columns if c.required and c.name not in seen]
    if missing:
        hint = ""
        if len(header) == 1 and ";" in header[0]:
            hint = "; the file seems to use ';' as separator: save it comma-separated"
        raise InputError(
            label,
            1,
            f"missing column(s): {', '.join(missing)} (the header has: {', '.join(header)}){hint}",
        )
    present = [c for c in columns if c.name in seen]
    select = ", ".join(quote_ident(c.name) for c in present)

    raw = f"{table}__raw"
    counted = table
    if isinstance(source, pa.Table):
        rows = pa.array(np.arange(source.num_rows, dtype=np.int64))
        numbered = source.append_column(_ARROW_ROW, rows)
        if copy_arrow:
            con.register(f"{raw}_arrow", numbered)
            con.execute(f"CREATE OR REPLACE TABLE {raw} AS SELECT * FROM {raw}_arrow")
            con.unregister(f"{raw}_arrow")
        else:
            con.register(raw, numbered)
        base = f"SELECT {_ARROW_ROW} AS rid, {select} FROM {raw}"
    elif _is_parquet(path or ""):
        base = _parquet_sql(con, path or "", select)
        counted = f"{table}__whole"
        con.execute(
            f"CREATE OR REPLACE VIEW {counted} AS "
            f"SELECT {select} FROM read_parquet({sql_string(path or '')})"
        )
    else:
        _load_csv(con, path or "", raw, header, present, select, label)
        base = f"SELECT rowid AS rid, {select} FROM {raw}"
    con.execute(f"CREATE OR REPLACE VIEW {table}__src AS {base}")
    _check_and_cast(con, table, present, label, typed=path is None or _is_parquet(path))
    (count,) = first_row(con.execute(f"SELECT count(*) FROM {counted}").fetchall()) or (0,)
    return Loaded(
        table=table,
        label=label,
        columns=frozenset(c.name for c in present),
        rows=int(count),
        path=path,
        counted=counted,
    )


def _parquet_sql(con: duckdb.DuckDBPyConnection, path: str, select: str) -> str:
    """SELECT rid and `select` from a Parquet file, in as many parts as DuckDB has threads
    when one row group holds more than a thread's share of the rows.

    DuckDB hands each thread whole row groups. A file of a million rows in one group
    (pyarrow's default group holds 1,048,576 rows) was read, joined and summed by one
    thread while the other waited; ranges of row numbers, unioned, are read side by side
    (engine on 1 million rows: the big group-by 0.13 -> 0.08 s). DuckDB skips no pages by
    row number, so each part decodes the whole file and keeps its range; decoding costs
    little next to the join and the sums. Files whose groups are small enough to share out
    already keep every thread busy and are read whole.
    """
    reader = f"read_parquet({sql_string(path)}, file_row_number = true)"
    whole = f"SELECT file_row_number AS rid, {select} FROM {reader}"
    [(threads, rows, biggest)] = con.execute(
        "SELECT current_setting('threads'), max(num_rows), "
        "(SELECT max(row_group_num_rows) FROM parquet_metadata($p)) "
        "FROM parquet_file_metadata($p)",
        {"p": path},
    ).fetchall()
    parts = int(threads)
    if parts < 2 or not rows or not biggest or biggest * parts <= rows:
        return whole
    bounds = [rows * i // parts for i in range(parts + 1)]
    return " UNION ALL ".join(
        f"{whole} WHERE file_row_number >= {low} AND file_row_number < {high}"
        for low, high in itertools.pairwise(bounds)
    )


def release(con: duckdb.DuckDBPyConnection, loaded: Loaded) -> None:
    """Drop an input's views and copies once nothing needs it any more."""
    con.execute(
        f"DROP VIEW IF EXISTS {loaded.table}; DROP VIEW IF EXISTS {loaded.table}__src; "
        f"DROP VIEW IF EXISTS {loaded.table}__whole;"
    )
    if loaded.path is None:
        con.unregister(f"{loaded.table}__raw")
    else:
        con.execute(f"DROP TABLE IF EXISTS {loaded.table}__raw")


def _read_csv_sql(header: Sequence[str], types: dict[str, str]) -> str:
    """A read_csv call with every column typed, so nothing is left to the sniffer."""
    struct = ", ".join(f"'{n.replace(chr(39), chr(39) * 2)}': '{types[n]}'" for n in header)
    return (
        "read_csv(?, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
        f"columns = {{{struct}}})"
    )


def _load_csv(
    con: duckdb.DuckDBPyConnection,
    path: str,
    table: str,
    header: Sequence[str],
    present: Sequence[Column],
    select: str,
    label: str,
) -> None:
    # DuckDB's CSV reader rounds "2020.5" into an INTEGER column, so a year is read
    # as DOUBLE and checked for a fractional part in _check_and_cast.
    wanted = {c.name: "DOUBLE" if c.kind == "year" else _SQL_TYPE[c.kind] for c in present}
    typed = {name: wanted.get(name, "VARCHAR") for name in header}
    reader = _read_csv_sql(header, typed)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {select} FROM {reader}", [path])
        return
    except duckdb.ConversionException:
        pass  # a value does not fit its type: read as text and find the row below
    except duckdb.Error as exc:
        raise _csv_error(label, exc) from None
    reader = _read_csv_sql(header, {name: "VARCHAR" for name in header})
    try:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {select} FROM {reader}", [path])
    except duckdb.Error as exc:
        raise _csv_error(label, exc) from None


# A line of an atlas input has a few dozen to a few hundred bytes.
MAX_LINE_BYTES = 1 << 20
_CHUNK = 1 << 22


def check_csv_bytes(path: str, label: str) -> None:
    """NUL bytes and overlong lines, each named with its line: DuckDB read past both and
    the run ended with exit 0 and empty or partial results (a 40 MB line, NUL bytes in the
    middle of a file). One pass over the bytes, split in C: about 0.6 s for 224 MB.
    A last line without its line break is no sign of a cut-off file: many writers (and
    this project's own tests) leave it out."""
    opener = gzip.open if path.lower().endswith(".gz") else open
    line, length = 1, 0  # the current line and its bytes so far
    with opener(path, "rb") as raw:
        while chunk := raw.read(_CHUNK):
            if (nul := chunk.find(b"\0")) >= 0:
                raise InputError(
                    label,
                    line + chunk.count(b"\n", 0, nul),
                    "holds a NUL byte: the file is damaged or not a CSV text file",
                )
            parts = chunk.split(b"\n")
            lengths = [length + len(parts[0]), *map(len, parts[1:])]
            if max(lengths) > MAX_LINE_BYTES:
                offset = next(i for i, n in enumerate(lengths) if n > MAX_LINE_BYTES)
                raise InputError(
                    label, line + offset, f"the line is longer than {MAX_LINE_BYTES:,} bytes"
                )
            line += len(parts) - 1
            length = lengths[-1] if len(parts) == 1 else len(parts[-1])


def column_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.execute(f"DESCRIBE {table}").fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def _check_and_cast(
    con: duckdb.DuckDBPyConnection,
    table: str,
    present: Sequence[Column],
    label: str,
    *,
    typed: bool,
) -> None:
    """Find the first value that does not fit its column; then define the typed view.
    `typed`: a Parquet file or Arrow table, whose columns carry their types: a year or a
    count stored as text there is an error of the file, not a value to convert."""
    src = f"{table}__src"
    types = column_types(con, src)
    checks: list[tuple[str, str]] = []
    for col in present:
        have = types[col.name]
        ident = quote_ident(col.name)
        text = f"CAST({ident} AS VARCHAR)"
        shown = f"'''' || {text} || ''''"
        # (An Arrow column of None only has the type NULL: every value unknown, no text.)
        if (
            typed
            and col.kind in ("year", "number")
            and have.strip('"') not in _NUMERIC_TYPES | {"NULL"}
        ):
            raise InputError(
                label, None, f"column {col.name!r} holds {have} values; a number type is needed"
            )
        if col.kind == "year" and have not in _INTEGER_TYPES:
            number = f"TRY_CAST({text} AS DOUBLE)"
            checks.append(
                (
                    f"{ident} IS NOT NULL AND (coalesce({number} <> floor({number}), true) "
                    f"OR {_not_finite(number)})",
                    f"'{col.name} is not a whole number: ' || {shown}",
                )
            )
        elif col.kind == "number" and have not in _NUMERIC_TYPES:
            checks.append(
                (
                    f"{ident} IS NOT NULL AND TRY_CAST({text} AS DOUBLE) IS NULL",
                    f"'{col.name} is not a number: ' || {shown}",
                )
            )
    raise_first_violation(con, src, label, checks)
    casts = ["rid"]
    for col in present:
        target = _SQL_TYPE[col.kind]
        ident = quote_ident(col.name)
        same = types[col.name] == target
        casts.append(ident if same else f"CAST({ident} AS {target}) AS {ident}")
    con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT {', '.join(casts)} FROM {src}")


def raise_first_violation(
    con: duckdb.DuckDBPyConnection,
    table: str,
    label: str,
    checks: Sequence[tuple[str, str]],
    *,
    row_column: str = "rid",
) -> None:
    """Raise an InputError for the earliest row failing any check; return if none fails.

    Each check is (SQL condition that marks a bad row, SQL text expression giving the
    reason for that row). One scan finds the earliest row failing any of them (a
    single filter with OR is about three times cheaper than one aggregate per
    check); then only that row is asked which check it fails. `row_column` holds
    the 0-based data row (a summary table keeps the first row of each value).
    """
    if not checks:
        return
    anyone = " OR ".join(f"({cond})" for cond, _ in checks)
    hit = first_row(con.execute(f"SELECT min({row_column}) FROM {table} WHERE {anyone}").fetchall())
    if hit is None or hit[0] is None:
        return
    rowid = int(hit[0])
    for cond, reason_sql in checks:
        row = first_row(
            con.execute(
                f"SELECT {reason_sql} FROM {table} WHERE {row_column} = ? AND ({cond})", [rowid]
            ).fetchall()
        )
        if row is not None:
            raise InputError(label, rowid + 2, str(row[0]))
    raise InputError(label, rowid + 2, "bad value")  # unreachable: the row failed a check


def not_empty_checks(names: Sequence[str]) -> list[tuple[str, str]]:
    """Checks that text columns hold a value (empty or blank cells are rejected)."""
    return [
        (f"{quote_ident(n)} IS NULL OR trim({quote_ident(n)}) = ''", f"'{n} is empty'")
        for n in names
    ]


def _not_finite(value: str) -> str:
    """NaN or infinite. In coalesce, so that DuckDB (2.0) does not push the test into a
    Parquet scan: the row groups' statistics leave NaN out, and the scan skipped the very
    rows the test looks for ("bad value" without a column, or no error at all)."""
    return f"coalesce(NOT isfinite({value}), false)"


def number_checks(
    names: Sequence[str], *, allow_empty: bool = True, finite: bool = True
) -> list[tuple[str, str]]:
    """Checks that numeric columns hold finite (unless `finite` is false: see
    finite_checks), non-negative values."""
    out: list[tuple[str, str]] = []
    for n in names:
        ident = quote_ident(n)
        if not allow_empty:
            out.append((f"{ident} IS NULL", f"'{n} is empty'"))
        if finite:
            out += finite_checks((n,))
        out.append((f"{ident} < 0", f"'{n} is negative: ' || {ident}"))
    return out


def finite_checks(names: Sequence[str]) -> list[tuple[str, str]]:
    """Checks that numeric columns hold no NaN or infinite value. Unlike the tests for
    empty and negative values, which DuckDB answers from a Parquet file's statistics
    without reading it, this one reads every value."""
    return [(_not_finite(quote_ident(n)), f"'{n} is not a finite number'") for n in names]


def raise_first_duplicate(
    con: duckdb.DuckDBPyConnection,
    table: str,
    label: str,
    keys: Sequence[str],
    what: str,
    *,
    where: str = "true",
) -> None:
    """Raise for the second row of the earliest duplicated key among rows matching `where`.

    The first pass groups by a 64-bit hash of the key (much cheaper than grouping
    by several text columns); only rows whose hash repeats (real duplicates, or a
    rare collision) are then compared on the key itself.
    """
    cols = ", ".join(quote_ident(k) for k in keys)
    repeated = con.execute(
        f"SELECT h FROM (SELECT hash({cols}) AS h FROM {table} WHERE {where}) "
        "GROUP BY h HAVING count(*) > 1"
    ).fetchall()
    if not repeated:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE dup_hashes (h UBIGINT)")
    con.executemany("INSERT INTO dup_hashes VALUES (?)", repeated)
    rows = con.execute(
        f"""
        SELECT rowids[1], rowids[2], {cols} FROM (
            SELECT list(rid ORDER BY rid) AS rowids, {cols} FROM {table}
             WHERE ({where}) AND hash({cols}) IN (SELECT h FROM dup_hashes)
             GROUP BY {cols} HAVING count(*) > 1)
        ORDER BY 2 LIMIT 1
        """
    ).fetchall()
    if not rows:
        return
    first, second, *values = rows[0]
    shown = ", ".join(f"{k}={v}" for k, v in zip(keys, values, strict=True))
    raise InputError(
        label, int(second) + 2, f"duplicate {what} ({shown}): already in row {int(first) + 2}"
    )
