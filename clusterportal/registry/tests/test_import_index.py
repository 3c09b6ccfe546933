"""The full-text index after an import (registry/sqlite_index.py).

On SQLite the import fills the initiatives' trigram index after its commit, in short
transactions, instead of inside its one write transaction (it was half of that time,
with every other writer of the site waiting). These tests hold on both databases:
what an import writes is found by a search, what it replaced is not. On SQLite they also
run FTS5's own integrity check, which compares the index with the table.
"""

from __future__ import annotations

import pytest
from django.db import connection

from clusterportal.registry import import_write, importing, search, sqlite_index
from clusterportal.registry.models import ClusterInitiative
from clusterportal.registry.tests.test_import_bulk import shipped

pytestmark = pytest.mark.django_db


def found(word: str) -> set[str]:
    """The slugs a trigram lookup finds for one (folded) word."""
    records = search.contains_words(
        ClusterInitiative.objects.all(), sqlite_index.INITIATIVES_FTS, "search_all", [word]
    )
    return set(records.values_list("slug", flat=True))


def index_is_sound() -> bool:
    if connection.vendor != "sqlite":
        return True  # PostgreSQL's trigram index is an ordinary index
    fts = sqlite_index.INITIATIVES_FTS
    with connection.cursor() as cursor:  # raises if the index and the table differ
        cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
    return True


def waiting() -> int:
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {sqlite_index.PENDING}")
        return cursor.fetchone()[0]


def test_an_import_is_found_by_search_and_what_it_replaced_is_not():
    new = shipped(3, rename="Quarzglaswerk")
    importing.import_initiatives(new)
    changed = shipped(2, description="Zirkoniumkeramik im Land")
    report = importing.import_initiatives(changed, update=True)
    assert len(report.updated) == 2
    assert len(found("quarzglaswerk")) == 3
    assert found("zirkoniumkeramik") == set(report.updated)
    assert waiting() == 0 and index_is_sound()
    importing.import_initiatives(shipped(2, description="Wolframcarbid"), update=True)
    assert found("zirkoniumkeramik") == set()
    assert found("wolframcarbid") == set(report.updated)
    assert index_is_sound()


def test_an_editors_save_before_the_index_catches_up_keeps_it_sound(monkeypatch):
    """The triggers leave a waiting record alone: the update trigger would have asked
    the index to delete text it never held, which corrupts an FTS5 index."""
    monkeypatch.setattr(import_write, "_index_written", lambda: None)  # not caught up yet
    report = importing.import_initiatives(shipped(2, description="Quarzsand"), update=True)
    assert waiting() == (2 if connection.vendor == "sqlite" else 0)
    slug = report.updated[0]
    record = ClusterInitiative.objects.get(slug=slug)
    record.description = "Basaltfaser"
    record.save()
    assert sqlite_index.catch_up(connection) == (2 if connection.vendor == "sqlite" else 0)
    assert waiting() == 0 and index_is_sound()
    assert found("basaltfaser") == {slug}
    assert found("quarzsand") == {report.updated[1]}


def test_a_database_not_migrated_since_the_upgrade_indexes_as_it_writes():
    """Its triggers are the earlier ones, which ignore the pause: deferring as well would
    index every record twice."""
    report = importing.import_initiatives(shipped(2, rename="Vormigration"))
    assert len(report.created) == 2
    if connection.vendor == "sqlite":
        fts = sqlite_index.INITIATIVES_FTS
        earlier = sqlite_index._index(fts, sqlite_index.INITIATIVES, search.SEARCH_COLUMNS)
        with connection.cursor() as cursor:
            for statement in earlier[:-1]:  # the triggers as they were, without the rebuild
                cursor.execute(statement)
        assert not sqlite_index._can_defer(connection)
    changed = importing.import_initiatives(
        shipped(2, rename="Vormigration", description="Granitplatte"), update=True
    )
    assert len(changed.updated) == 2
    assert waiting() == 0 and index_is_sound()
    assert found("granitplatte") == set(changed.updated)


def test_an_import_that_changes_nothing_moves_no_data_version():
    """Loading the shipped data again at every `make run` must not make every cached page
    and ETag stale (on PostgreSQL the import bumps every version once at its end)."""
    from clusterportal.lib import versioning

    importing.import_initiatives(shipped(5, rename="Einmal"))
    before = versioning.current_many(list(versioning.declared()))
    report = importing.import_initiatives(shipped(5, rename="Einmal"))
    assert len(report.unchanged) == 5 and not report.created and not report.updated
    assert versioning.current_many(list(versioning.declared())) == before
