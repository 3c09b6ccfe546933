"""A backup restored into a fresh, empty database answers the API byte for byte as the
original did, and brings back the people, the history and the uploaded files (issue 11,
finding 6). Runs on the database of the suite: SQLite through its online backup API,
PostgreSQL through pg_dump/pg_restore (DATABASE_URL=postgres://...).

The source is a copy of the test database (the shipped data) in a database of its own, so
that what the test adds is committed (pg_dump reads committed data only) without touching the
database the other tests share. The connection "default" is pointed at the copy, then at
the fresh database, for the requests; the test database stays in its test transaction."""

from __future__ import annotations

import datetime
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg
import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.utils import load_backend

from clusterportal.lib import backup
from clusterportal.registry import filters

pytestmark = pytest.mark.django_db

API = [
    "/api/v1/initiatives",
    "/api/v1/initiatives?q=technik&page=2",
    "/api/v1/initiatives/biolago",
    "/api/v1/organisations",
    "/api/v1/regions?kind=region",
    "/api/v1/technology-fields",
    "/api/v1/atlas/editions",
    "/api/v1/atlas/editions/bw-kreise-2015-2020",
    "/api/v1/atlas/editions/bw-kreise-2015-2020/results?year=2020&region_type=kreis",
    "/api/v1/events",
    "/api/v1/articles",
]
UPLOAD = "content/2026/logo.png"


def wrapper(name: str):
    """A connection "default" to the database `name`, with the suite's other settings."""
    config = {**connections["default"].settings_dict, "NAME": name}
    return load_backend(config["ENGINE"]).DatabaseWrapper(config, "default")


@contextmanager
def connected_to(name: str):
    original = connections["default"]
    connection = wrapper(name)
    connections["default"] = connection
    # Nothing read from another database may answer: the registry index and kept responses.
    filters._index = None
    for alias in ("responses", "exports"):
        caches[alias].clear()
    try:
        yield connection
    finally:
        connection.close()
        connections["default"] = original
        filters._index = None


class Databases:
    """Scratch databases of the suite's engine: a copy of the test database, empty ones."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.vendor = connections["default"].vendor
        self.made: list[str] = []

    def copy_of_test_database(self) -> str:
        """Made before any test transaction: SQLite's backup would wait for the test's own
        write lock, and PostgreSQL copies only a database nobody is connected to."""
        test = connections["default"]
        if self.vendor == "sqlite":
            name = str(self.directory / "source.sqlite3")
            test.ensure_connection()
            with closing(sqlite3.connect(name)) as copy:
                test.connection.backup(copy)
            return name
        template = test.settings_dict["NAME"]
        test.close()
        return self._create(f"{template}_backup_source", f'TEMPLATE "{template}"')

    def empty(self, name: str) -> str:
        if self.vendor == "sqlite":
            return str(self.directory / f"{name}.sqlite3")
        return self._create(f"{connections['default'].settings_dict['NAME']}_{name}", "")

    def _create(self, name: str, template: str) -> str:
        with self._server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.execute(f'CREATE DATABASE "{name}" {template}')
        self.made.append(name)
        return name

    def drop(self) -> None:
        if self.made:
            with self._server() as server:
                for name in self.made:
                    server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _server(self):
        config = connections["default"].settings_dict
        return psycopg.connect(
            dbname="postgres",
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            autocommit=True,
        )


@pytest.fixture(scope="module")
def scratch(django_db_setup, django_db_blocker, tmp_path_factory):
    """The databases of this module; the copy is made once, before the tests' transactions."""
    with django_db_blocker.unblock():
        made = Databases(tmp_path_factory.mktemp("backup"))
        made.source = made.copy_of_test_database()
        yield made
        made.drop()


def add_people_history_and_uploads(media: Path) -> None:
    from django.contrib.auth import get_user_model

    from clusterportal.registry.models import ClusterInitiative

    get_user_model().objects.create_user(
        "ria@example.org", "ria@example.org", "ein langes Passwort", first_name="Ria"
    )
    initiative = ClusterInitiative.objects.get(slug="biolago")
    initiative.city = "Radolfzell"
    initiative.save()  # a history record
    # A time on a whole second: the API once wrote it "…05Z" and others "…05.123Z".
    ClusterInitiative.objects.filter(slug="biolago").update(
        updated_at=datetime.datetime(2026, 12, 6, 22, 27, 5, tzinfo=datetime.UTC)
    )
    (media / UPLOAD).parent.mkdir(parents=True)
    (media / UPLOAD).write_bytes(b"\x89PNG\r\n\x1a\n not really an image")


def answers(client) -> dict[str, bytes]:
    bodies = {}
    for url in API:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content
    return bodies


def people_and_history() -> tuple[list[tuple], int]:
    from django.contrib.auth import get_user_model

    from clusterportal.registry.models import ClusterInitiative

    users = list(get_user_model().objects.order_by("pk").values_list("email", "password"))
    return users, ClusterInitiative.history.count()


def test_a_backup_restored_into_a_fresh_database_answers_byte_for_byte(
    scratch, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    file = tmp_path / "clusterportal.tar.gz"
    with connected_to(scratch.source) as source:
        add_people_history_and_uploads(settings.MEDIA_ROOT)
        before = answers(client)
        people_before = people_and_history()
        rows_before = backup.row_counts(source)
        call_command("backup", str(file))
    assert b"2026-12-06T22:27:05.000Z" in before["/api/v1/initiatives/biolago"]
    assert "ria@example.org" in [email for email, _password in people_before[0]]

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with connected_to(scratch.empty("backup_fresh")) as fresh:
        call_command("restore", str(file))
        after = answers(client)
        assert people_and_history() == people_before
        assert backup.row_counts(fresh) == rows_before
    for url in API:
        assert after[url] == before[url], url
    assert (settings.MEDIA_ROOT / UPLOAD).read_bytes() == b"\x89PNG\r\n\x1a\n not really an image"


def test_a_backup_is_checked_member_by_member(scratch, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    file = tmp_path / "clusterportal.tar.gz"
    with connected_to(scratch.source):
        call_command("backup", str(file))
        # A second backup never overwrites the first.
        with pytest.raises(CommandError, match="exists already"):
            call_command("backup", str(file))
    summary = backup.check(file)
    assert summary.tables["registry_clusterinitiative"] == 102
    assert summary.tables["atlas_edition"] == 8  # U.S. 2, Germany 2, Europe 4
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(file.read_bytes()[:-4096])
    with pytest.raises(CommandError, match="cannot be read as a backup"):
        call_command("restore", "--check", str(damaged))
    with pytest.raises(CommandError, match="There is no backup file"):
        call_command("restore", "--check", str(tmp_path / "missing.tar.gz"))
    # Inside a transaction (here the test's) SQLite would wait for ever: refused instead.
    if scratch.vendor == "sqlite":
        with pytest.raises(CommandError, match="inside a transaction"):
            call_command("backup", str(tmp_path / "in-a-transaction.tar.gz"))
