"""Data versions that apps declare and the database keeps (lib/versioning.py).

The registry's own version, and what moves it, is tested in registry/tests/test_versioning.py.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from clusterportal.lib import versioning
from clusterportal.registry.models import Label


def test_apps_declare_versions_and_may_add_tables_to_another_apps_version():
    lower = SimpleNamespace(watched_tables={"registry": ["registry_label", "regions_region"]})
    plain = SimpleNamespace()
    higher = SimpleNamespace(
        watched_tables={"registry": ["regions_region", "accounts_role"], "atlas": ["atlas_edition"]}
    )
    assert versioning.declared([lower, plain, higher]) == {
        "registry": ["registry_label", "regions_region", "accounts_role"],
        "atlas": ["atlas_edition"],
    }


@pytest.mark.django_db
def test_the_installed_apps_declare_the_registry_version():
    watched = versioning.declared()["registry"]
    assert "registry_label" in watched and "taxonomy_technologyfield" in watched
    assert set(watched) <= set(connection.introspection.table_names())


@pytest.mark.django_db
def test_each_version_moves_with_its_own_tables_only():
    versioning.ensure_triggers(connection, "testing", ["auth_group"])
    registry, testing = versioning.current("registry"), versioning.current("testing")
    Group.objects.create(name="Redaktion")
    assert versioning.current("testing").number == testing.number + 1
    assert versioning.current("registry") == registry
    Label.objects.filter(kind="ecei_gold").update(note="geprüft")
    assert versioning.current("registry").number > registry.number
    assert versioning.current("testing").number == testing.number + 1


@pytest.mark.django_db
def test_flush_leaves_the_version_rows_alone():
    """Tests flush the database between some tests; a version must never start again at 1."""
    assert "registry_version" in connection.introspection.table_names()
    assert "registry_version" not in connection.introspection.django_table_names()


def test_a_version_name_is_a_plain_lower_case_word():
    with pytest.raises(ImproperlyConfigured, match="lower case"):
        versioning.sqlite_statements("Registry; DROP TABLE x", ["registry_label"])


def test_a_trigger_name_postgresql_would_cut_is_refused():
    with pytest.raises(ImproperlyConfigured, match="63 characters"):
        versioning.postgres_statements(
            "registry", ["registry_clusterinitiative_technology_fields_extra"]
        )


@pytest.mark.django_db
def test_a_long_transaction_bumps_at_its_end_and_holds_no_other_writer(tmp_path):
    """PostgreSQL: a second writer is not held by a long transaction that bumped the
    version earlier (it waited for the whole of a 50,000-row import: the bump locks the
    version's row). SQLite lets one writer at a time: the second waits for the commit.
    Either way each write moves the version."""
    import threading
    import time

    from django.db.utils import load_backend

    from clusterportal.settings import _database

    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":  # a file set up like production, not the tests' memory
        production = _database(f"sqlite:///{tmp_path / 'versions.sqlite3'}")
        settings_dict.update(NAME=production["NAME"], OPTIONS=production["OPTIONS"])

    def session():  # a connection of its own, outside the test's transaction
        wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict))
        wrapper.ensure_connection()
        return wrapper

    setup = session()
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE probe_rows (id integer PRIMARY KEY, value integer)")
        cursor.execute("INSERT INTO probe_rows VALUES (1, 0), (2, 0)")
    versioning.ensure_triggers(setup, "probe", ["probe_rows"])
    before = versioning.current("probe", setup).number
    held, second_done = threading.Event(), threading.Event()
    timeline: list[str] = []
    waited: list[float] = []

    def long_transaction():
        own = session()
        begin = "BEGIN IMMEDIATE" if own.vendor == "sqlite" else "BEGIN"
        with own.cursor() as cursor:
            cursor.execute(begin)
            with versioning.bumped_at_the_end(own, ["probe"]):
                cursor.execute("UPDATE probe_rows SET value = 1 WHERE id = 1")
                held.set()
                second_done.wait(timeout=1.5)
            cursor.execute("COMMIT")
        timeline.append("first committed")
        own.close()

    def second_writer():
        own = session()
        held.wait(timeout=10)
        started = time.monotonic()
        with own.cursor() as cursor:
            cursor.execute("UPDATE probe_rows SET value = 2 WHERE id = 2")
        waited.append(time.monotonic() - started)
        timeline.append("second wrote")
        second_done.set()
        own.close()

    threads = [threading.Thread(target=long_transaction), threading.Thread(target=second_writer)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
        after = versioning.current("probe", setup).number
    finally:
        with setup.cursor() as cursor:
            cursor.execute("DROP TABLE probe_rows")
            cursor.execute("DROP TABLE probe_version")
            if setup.vendor == "postgresql":
                cursor.execute("DROP FUNCTION probe_version_bump()")
        setup.close()
    if connection.vendor == "postgresql":  # not held: done while the first still runs
        assert timeline == ["second wrote", "first committed"] and waited[0] < 1.0
    else:  # one writer at a time: the second waits for the commit
        assert timeline == ["first committed", "second wrote"] and waited[0] > 1.0
    assert after == before + 2
