"""SQLite's full-text indexes of initiatives and organisations (search.py reads them).

Each is an FTS5 trigram index over search columns of its table, kept current by
triggers and rebuilt after every migrate (SQLite rebuilds a table for many schema
changes, and that drops its triggers). PostgreSQL needs none of this: its pg_trgm
index is an ordinary index.

An import defers the initiatives' index (`deferred`): filling the trigram index is half
the time of an import's write transaction (2.4 of 4.5 s for 50,000 new records), and
SQLite lets one writer at a time, so every other write of the site waited for it. During
the write a one-row table `registry_fts_pause` keeps the triggers still, and the records
written go into `registry_fts_pending` with the search text the index holds for them (for
changed records). After the commit, `catch_up` indexes them in short transactions of
CATCH_UP records each. Until then the triggers also leave the pending records alone, so
that an editor's save in between cannot make the index delete text it never held (which
would corrupt it). Records waiting are found by every search but a trigram lookup (words
of three letters and more) for those seconds. Pending records left by a process that died
are indexed by the next import, or by the rebuild after the next migrate.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from clusterportal.registry.search import SEARCH_COLUMNS

INITIATIVES = "registry_clusterinitiative"
INITIATIVES_FTS = "registry_initiative_fts"
PAUSE = "registry_fts_pause"
PENDING = "registry_fts_pending"
CATCH_UP = 2000  # records per transaction when the deferred index catches up


def _index(fts: str, content: str, columns: list[str], deferrable: bool = False) -> list[str]:
    """An FTS5 trigram index over `columns` of `content`, kept current by triggers (which
    `deferred` can hold)."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    paused, waiting = "", ""
    if deferrable:
        paused = f"NOT EXISTS (SELECT 1 FROM {PAUSE})"
        waiting = f"NOT EXISTS (SELECT 1 FROM {PENDING} WHERE id = old.id)"
    triggers = {
        "insert": (f"AFTER INSERT ON {content}", paused, insert),
        "delete": (f"AFTER DELETE ON {content}", waiting, delete),
        "update": (
            f"AFTER UPDATE OF {cols} ON {content}",
            " AND ".join(c for c in (paused, waiting) if c),
            f"{delete} {insert}",
        ),
    }
    statements = [
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(
            {cols}, content='{content}', content_rowid='id', tokenize='trigram')"""
    ]
    for name, (event, condition, action) in triggers.items():
        when = f" WHEN {condition}" if condition else ""
        statements += [
            f"DROP TRIGGER IF EXISTS {fts}_{name}",
            f"CREATE TRIGGER {fts}_{name} {event}{when} BEGIN {action} END",
        ]
    return statements + [f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"]


SQLITE_INDEX = [
    f"CREATE TABLE IF NOT EXISTS {PAUSE} (id INTEGER PRIMARY KEY)",
    f"""CREATE TABLE IF NOT EXISTS {PENDING} (
        id INTEGER PRIMARY KEY, indexed INTEGER NOT NULL,
        {", ".join(f"{c} TEXT" for c in SEARCH_COLUMNS)})""",
    *_index(INITIATIVES_FTS, INITIATIVES, SEARCH_COLUMNS, deferrable=True),
    *_index("registry_organisation_fts", "registry_organisation", ["search_name"]),
    # The rebuild indexed every record as it is now: nothing is waiting any more.
    f"DELETE FROM {PENDING}",
    f"DELETE FROM {PAUSE}",
]


def ensure_sqlite_index(connection) -> None:
    """Create the FTS5 indexes and their triggers, and rebuild them (after every migrate)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_INDEX:
            cursor.execute(statement)


@contextmanager
def deferred(connection, changed: str, new: str) -> Iterator[None]:
    """Inside an import's write transaction (SQLite): hold the initiatives' index while
    the block writes. `changed` and `new` are tables (the import's staged rows) with the
    ids of the changed records and the slugs of the new ones. Call `catch_up` after the
    commit."""
    if not _can_defer(connection):
        yield
        return
    cols = ", ".join(SEARCH_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {PAUSE} (id) VALUES (1)")
        # What the index holds for a changed record: its text now, unless already waiting.
        cursor.execute(
            f"INSERT OR IGNORE INTO {PENDING} (id, indexed, {cols}) SELECT i.id, 1, "
            f"{', '.join(f'i.{c}' for c in SEARCH_COLUMNS)} FROM {INITIATIVES} AS i "
            f"WHERE i.id IN (SELECT id FROM {changed})"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT OR IGNORE INTO {PENDING} (id, indexed) SELECT i.id, 0 "
            f"FROM {INITIATIVES} AS i WHERE i.slug IN (SELECT slug FROM {new})"
        )
        cursor.execute(f"DELETE FROM {PAUSE}")


def _can_defer(connection) -> bool:
    """SQLite with this release's triggers (they read PAUSE). A database not migrated since
    an upgrade has the earlier ones, which index as they write: deferring there would
    index the records twice."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            [f"{INITIATIVES_FTS}_insert"],
        )
        row = cursor.fetchone()
    return row is not None and PAUSE in row[0]


def catch_up(connection) -> int:
    """Index the records waiting, CATCH_UP per short transaction; returns how many."""
    if not _can_defer(connection):
        return 0
    done = 0
    while indexed := _catch_up_some(connection):
        done += indexed
    return done


def _catch_up_some(connection) -> int:
    """One short transaction: index up to CATCH_UP waiting records."""
    cols = ", ".join(SEARCH_COLUMNS)
    chosen = f"SELECT id FROM {PENDING} ORDER BY id LIMIT {CATCH_UP}"
    fts = INITIATIVES_FTS
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({chosen})")
        (count,) = cursor.fetchone()
        if count:
            cursor.execute(
                f"INSERT INTO {fts}({fts}, rowid, {cols}) SELECT 'delete', id, {cols} "
                f"FROM {PENDING} WHERE indexed = 1 AND id IN ({chosen})"
            )
            cursor.execute(
                f"INSERT INTO {fts}(rowid, {cols}) SELECT id, {cols} FROM {INITIATIVES} "
                f"WHERE id IN ({chosen})"
            )
            cursor.execute(f"DELETE FROM {PENDING} WHERE id IN ({chosen})")
    return count
