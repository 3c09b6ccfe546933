"""Data versions: one row per version that the database itself keeps current.

A list read through a per-process index, a cached response or an ETag must
change whenever anything it shows changes. Application code cannot promise
that: a record edited on its own, a rename, a bulk update or a second server
writing to the same database would all slip past it. So the database does it:
triggers on every table a version watches bump a counter in that version's
one-row table `<name>_version`, whatever writes.

Each app declares what it watches in its AppConfig, by version name:

    class RegistryConfig(AppConfig):
        watched_tables = {"registry": ["registry_clusterinitiative", "regions_region", ...]}

Several apps may add tables to one version (an app higher up can make the
registry's version follow a table of its own); an app may declare versions of
its own. After every `migrate` the table, its row and the triggers of each
declared version are (re)made (`ensure_declared`, connected in the project's
AppConfig, clusterportal/apps.py): SQLite drops the triggers of a table that a
migration rebuilds. Declare them in an app that has models (Django sends
`post_migrate` to those only).

A request reads a version with `current(name)`: one primary-key lookup. The row
holds a random token beside the counter, because a rolled-back transaction (a
test, a failed import) hands the same counter value out again for other data.
The tables are no Django models, so that `flush` (used by tests) never empties
them. A table taken out of a declaration keeps its trigger until it is dropped;
that only moves the version more often than needed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.dateparse import parse_datetime

# What an AppConfig declares: version name -> the tables whose writes move it.
DECLARATION = "watched_tables"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# PostgreSQL cuts longer identifiers, so two trigger names could become one
# (SQLite has no such limit).
_MAX_IDENTIFIER = 63


@dataclass(frozen=True)
class Version:
    number: int
    token: int
    changed_at: datetime.datetime


def table_of(name: str) -> str:
    """The one-row table of version `name` (`registry` -> `registry_version`)."""
    if not _NAME.match(name):
        raise ImproperlyConfigured(f"A data version is named in lower case: {name!r}.")
    return f"{name}_version"


def declared(app_configs: Iterable[AppConfig] | None = None) -> dict[str, list[str]]:
    """Version name -> the tables it watches, from the apps' `watched_tables`, in app order."""
    versions: dict[str, list[str]] = {}
    for config in apps.get_app_configs() if app_configs is None else app_configs:
        for name, tables in getattr(config, DECLARATION, {}).items():
            watched = versions.setdefault(name, [])
            watched.extend(table for table in tables if table not in watched)
    return versions


def sqlite_statements(name: str, tables: Iterable[str]) -> list[str]:
    table = table_of(name)
    bump = (
        f"UPDATE {table} SET number = number + 1, token = random(), "
        "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1;"
    )
    return [
        f"""CREATE TABLE IF NOT EXISTS {table} (
            id INTEGER PRIMARY KEY, number INTEGER NOT NULL, token INTEGER NOT NULL,
            changed_at TEXT NOT NULL)""",
        f"""INSERT OR IGNORE INTO {table} (id, number, token, changed_at)
            VALUES (1, 1, random(), strftime('%Y-%m-%d %H:%M:%f', 'now'))""",
    ] + [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_{watched}_{event.lower()}
            AFTER {event} ON {watched} BEGIN {bump} END"""
        for watched in tables
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def postgres_statements(name: str, tables: Iterable[str]) -> list[str]:
    table = table_of(name)
    return [
        f"""CREATE TABLE IF NOT EXISTS {table} (
            id integer PRIMARY KEY, number bigint NOT NULL, token bigint NOT NULL,
            changed_at timestamp with time zone NOT NULL)""",
        f"""INSERT INTO {table} (id, number, token, changed_at)
            VALUES (1, 1, floor(random() * 9e18)::bigint, clock_timestamp())
            ON CONFLICT DO NOTHING""",
        f"""CREATE OR REPLACE FUNCTION {table}_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('{HELD}', true) = 'on' THEN
                    RETURN NULL;  -- bumped at the end (bumped_at_the_end)
                END IF;
                {_postgres_bump(table)};
                RETURN NULL;
            END $$""",
    ] + [
        # Once per statement: a bulk load of thousands of rows bumps the version once.
        f"""CREATE OR REPLACE TRIGGER {_identifier(f"{table}_{watched}")}
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {watched}
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_bump()"""
        for watched in tables
    ]


def _postgres_bump(table: str) -> str:
    return (
        f"UPDATE {table} SET number = number + 1, token = floor(random() * 9e18)::bigint, "
        "changed_at = clock_timestamp() WHERE id = 1"
    )


# A transaction-local setting: while it is 'on', the PostgreSQL triggers leave the versions
# alone (bumped_at_the_end bumps them once, last).
HELD = "clusterportal.versions_held"


@contextmanager
def bumped_at_the_end(
    connection: BaseDatabaseWrapper, names: Iterable[str] | None = None
) -> Iterator[None]:
    """Inside a long writing transaction: bump every version once, by its last statement,
    instead of each version by the first statement that writes a table it watches.

    On PostgreSQL a bump locks its version's row until the transaction ends, and every
    other writer to a table that version watches bumps it too: it waits. During a
    50,000-row import (8 s of statements) an editor's save waited for all of it. Bumped
    last, the rows are locked for the commit only. Every version is bumped, whatever the
    transaction wrote (cascades included): a version moved without need only costs a
    cache refill. SQLite needs nothing: it lets one writer at a time anyway. `names`: the
    versions to bump, if not every declared one.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {HELD} = 'on'")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {HELD} = 'off'")
        for name in declared() if names is None else names:
            cursor.execute(_postgres_bump(table_of(name)))


def _identifier(name: str) -> str:
    if len(name) > _MAX_IDENTIFIER:
        raise ImproperlyConfigured(
            f"The trigger name {name} is longer than {_MAX_IDENTIFIER} characters; "
            "name the data version shorter."
        )
    return name


def ensure_triggers(connection: BaseDatabaseWrapper, name: str, tables: Iterable[str]) -> None:
    """Create the version row of `name` and its triggers on `tables` where they are missing."""
    if connection.vendor == "sqlite":
        statements = sqlite_statements(name, tables)
    else:
        statements = postgres_statements(name, tables)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def ensure_declared(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Make the versions `sender` declares: the project's `post_migrate` receiver.

    Django sends `post_migrate` once per app with models, after every migration
    has run, so every watched table exists by then.
    """
    for name, tables in getattr(sender, DECLARATION, {}).items():
        ensure_triggers(connections[using], name, tables)


def current(name: str, connection: BaseDatabaseWrapper | None = None) -> Version:
    """The data version `name`: one primary-key lookup."""
    return current_many([name], connection)[name]


def current_many(
    names: list[str], connection: BaseDatabaseWrapper | None = None
) -> dict[str, Version]:
    """Several data versions in one query (a page made of several apps' data)."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    selects = [
        f"SELECT {position}, number, token, changed_at FROM {table_of(name)} WHERE id = 1"
        for position, name in enumerate(names)
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects))
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    versions = {}
    for position, name in enumerate(names):
        if position not in rows:
            raise LookupError(f"The data version {name!r} has no row; run migrate.")
        versions[name] = _version(*rows[position])
    return versions


def _version(number: int, token: int, changed_at: Any) -> Version:
    if isinstance(changed_at, str):  # SQLite keeps it as text, in UTC
        parsed = parse_datetime(changed_at)
        assert parsed is not None, changed_at
        changed_at = parsed.replace(tzinfo=datetime.UTC)
    return Version(number, token, changed_at)
