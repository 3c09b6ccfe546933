"""The version of the published registry data: one row the database itself keeps current.

Every list of initiatives (the page, the map, the exports, the API) reads the
process's registry index (filters.py), and the API answers with an ETag; both
must change whenever anything they show changes. Application code cannot
promise that: a label edited on its own, a renamed region or technology field,
a bulk update or a second server writing to the same database would all slip
past it. So the database does it: triggers on every table the lists read bump
a counter in the one-row table `registry_version`, whatever writes.

A request reads that row (one primary-key lookup) and compares it with the
version its index was built from. The row holds a random token beside the
counter, because a rolled-back transaction (a test, a failed import) hands the
same counter value out again for other data.

The table and triggers are (re)made after every `migrate` (registry/apps.py),
like the SQLite full-text index: SQLite drops the triggers of a table that a
migration rebuilds. The table is no Django model, so that `flush` (used by
tests) never empties it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection as default_connection
from django.utils.dateparse import parse_datetime

TABLE = "registry_version"
# The tables whose rows a list of initiatives or a profile shows (directly, as facet
# values, or as the contact organisation and the member list), and the typo vocabulary
# of the search, which the index keeps too.
WATCHED = [
    "registry_clusterinitiative",
    "registry_clusterinitiative_technology_fields",
    "registry_clusterinitiative_regions_covered",
    "registry_label",
    "registry_internationalpartnership",
    "registry_sourcereference",
    "registry_membership",
    "registry_organisation",
    "registry_searchword",
    "regions_region",
    "taxonomy_technologyfield",
]
_SQLITE_BUMP = (
    f"UPDATE {TABLE} SET number = number + 1, token = random(), "
    "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1;"
)
SQLITE = [
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id INTEGER PRIMARY KEY, number INTEGER NOT NULL, token INTEGER NOT NULL,
        changed_at TEXT NOT NULL)""",
    f"""INSERT OR IGNORE INTO {TABLE} (id, number, token, changed_at)
        VALUES (1, 1, random(), strftime('%Y-%m-%d %H:%M:%f', 'now'))""",
] + [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_{table}_{event.lower()}
        AFTER {event} ON {table} BEGIN {_SQLITE_BUMP} END"""
    for table in WATCHED
    for event in ("INSERT", "UPDATE", "DELETE")
]
POSTGRES = [
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id integer PRIMARY KEY, number bigint NOT NULL, token bigint NOT NULL,
        changed_at timestamp with time zone NOT NULL)""",
    f"""INSERT INTO {TABLE} (id, number, token, changed_at)
        VALUES (1, 1, floor(random() * 9e18)::bigint, clock_timestamp()) ON CONFLICT DO NOTHING""",
    f"""CREATE OR REPLACE FUNCTION {TABLE}_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {TABLE} SET number = number + 1, token = floor(random() * 9e18)::bigint,
                changed_at = clock_timestamp() WHERE id = 1;
            RETURN NULL;
        END $$""",
] + [
    # Once per statement: a bulk load of thousands of rows bumps the version once.
    f"""CREATE OR REPLACE TRIGGER {TABLE}_{table}
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_bump()"""
    for table in WATCHED
]


@dataclass(frozen=True)
class Version:
    number: int
    token: int
    changed_at: datetime.datetime


def ensure_triggers(connection) -> None:
    """Create the version row and the triggers where they are missing (after every migrate)."""
    statements = SQLITE if connection.vendor == "sqlite" else POSTGRES
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def current(connection=default_connection) -> Version:
    """The registry's data version: one primary-key lookup."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, token, changed_at FROM {TABLE} WHERE id = 1")  # noqa: S608
        number, token, changed_at = cursor.fetchone()
    if isinstance(changed_at, str):  # SQLite keeps it as text, in UTC
        changed_at = parse_datetime(changed_at).replace(tzinfo=datetime.UTC)
    return Version(number, token, changed_at)
