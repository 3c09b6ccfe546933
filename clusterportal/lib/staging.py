"""Bulk writes that hold the write transaction for a moment only.

Sending tens of thousands of rows to the database is most of what a bulk write costs: on
SQLite, Python binds each of the values one by one (about 0.2 ms per row of 60 values); on
PostgreSQL, psycopg splits a 30,000-placeholder INSERT on the client. Done inside the write
transaction, that held SQLite's one write lock for 15-60 s during a 50,000-row import.

So rows are staged first: copied into a temporary table of the connection's own, outside any
transaction (COPY on PostgreSQL). Temporary tables belong to their connection alone (on SQLite
they live in a database file of their own with its own lock), so nobody waits for them. The
write transaction then moves the rows with one INSERT ... SELECT or UPDATE ... FROM per table,
entirely inside the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from django.db import connection

# The column every staged table gets first: the row's place, for ORDER BY (ids are then
# given in the order of the rows, as row-by-row saves gave them).
ROW = "staged_row"


@contextmanager
def staged(
    name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[object]]
) -> Iterator[str]:
    """A temporary table `name` with `columns` ((column, SQL type) pairs) holding `rows`
    (values converted for the database, in the columns' order), dropped afterwards.
    Yields the table's quoted name."""
    quote = connection.ops.quote_name
    # Qualified with the temporary schema: never a table of the database's own by that name.
    schema = "temp" if connection.vendor == "sqlite" else "pg_temp"
    table = f"{schema}.{quote(name)}"
    definition = ", ".join([f"{ROW} integer"] + [f"{quote(c)} {kind}" for c, kind in columns])
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({definition})")
    try:
        _fill(table, [ROW] + [quote(c) for c, _kind in columns], rows)
        yield table
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _fill(table: str, columns: list[str], rows: Iterable[Sequence[object]]) -> None:
    numbered = ([number, *row] for number, row in enumerate(rows))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in numbered:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        # sqlite3 takes any iterable of rows: the rows are not all held in memory at once.
        lazy_rows = cast("Sequence[Sequence[Any]]", numbered)
        cursor.executemany(f"INSERT INTO {table} VALUES ({placeholders})", lazy_rows)
