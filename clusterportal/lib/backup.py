"""Backups of a whole installation in one file, restored byte for byte.

A backup holds everything the portal keeps: the database (every table: users, roles,
tokens' hashes, initiatives with their history, change requests, events, the atlas,
the outbox, the data versions and their triggers) and the uploaded files under
MEDIA_ROOT (article images, publication files). It is a gzip-compressed tar file:

    manifest.json        what it holds: engine, time, tables with row counts,
                         every member with its size and SHA-256
    database.sqlite3     SQLite: a copy made by SQLite's online backup API
    database.dump        PostgreSQL: pg_dump's custom format
    media/...            the files of MEDIA_ROOT

Each database writes and reads its own copy with its own tools, so nothing is lost in a
translation (the import-format export, for instance, leaves out organisations, people and
the atlas, and a JSON dump would cut times to milliseconds): SQLite through
`sqlite3.Connection.backup` (a consistent copy while the portal runs and writes), PostgreSQL
through `pg_dump`/`pg_restore` (one snapshot; the client of the server's major version or a
newer one must be installed). Why no library: django-dbbackup wraps the same two tools but
keeps the uploaded files in a second file and has no check of a backup; this is less code
than its configuration. See docs/operations.md, "Backup and restore".
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup that cannot be made, read or restored; the message says why."""


@dataclass(frozen=True)
class Summary:
    engine: str
    created_at: str
    tables: dict[str, int]
    media_files: int
    size: int


def create(path: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write a backup of the database `using` and of MEDIA_ROOT to `path`."""
    connection = connections[using]
    engine = _engine(connection)
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / DATABASE_FILES[engine]
        created_at = datetime.datetime.now(datetime.UTC).isoformat()
        if engine == "sqlite":
            _sqlite_copy(connection, database)
            tables = _sqlite_row_counts(database)
        else:
            # Counted beside pg_dump's snapshot: for reading, not for checking.
            tables = row_counts(connection)
            _pg_dump(connection, database)
        media = sorted(_media_files())
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": created_at,
            "tables": tables,
            "members": {DATABASE_FILES[engine]: _describe(database)}
            | {f"{MEDIA}/{name}": _describe(Path(settings.MEDIA_ROOT) / name) for name in media},
        }
        partial = path.with_name(path.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
                archive.add(database, DATABASE_FILES[engine])
                for name in media:
                    archive.add(Path(settings.MEDIA_ROOT) / name, f"{MEDIA}/{name}")
            partial.replace(path)  # a backup file is complete or absent
        finally:
            partial.unlink(missing_ok=True)
    return _summary(manifest, path)


def check(path: Path) -> Summary:
    """Read the backup at `path` through and verify it: every member against its checksum,
    the database with its own tools (SQLite: integrity check and the row counts; PostgreSQL:
    pg_restore can read its table of contents). BackupError names what is wrong."""
    with _opened(path) as (manifest, directory):
        database = directory / DATABASE_FILES[manifest["engine"]]
        if manifest["engine"] == "sqlite":
            with closing(sqlite3.connect(database)) as copy:
                result = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise BackupError(f"The database in {path} is damaged: {result}")
            if _sqlite_row_counts(database) != manifest["tables"]:
                raise BackupError(f"The row counts of {path} differ from its manifest.")
        else:
            _run(["pg_restore", "--list", str(database)], {})
        return _summary(manifest, path)


def restore(path: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Replace the database `using` and the files of MEDIA_ROOT by the backup at `path`.

    The backup is checked first; the database must be of the backup's engine. SQLite: the
    whole file is replaced page by page in one step. PostgreSQL: pg_restore drops and
    recreates every object of the backup in one transaction (objects the backup does not
    have are left alone: restore into a new, empty database to be sure of the state).
    """
    summary = check(path)
    connection = connections[using]
    if _engine(connection) != summary.engine:
        raise BackupError(
            f"{path} is a backup of a {summary.engine} database; "
            f"this installation uses {_engine(connection)}."
        )
    with _opened(path) as (manifest, directory):
        database = directory / DATABASE_FILES[summary.engine]
        if summary.engine == "sqlite":
            _sqlite_restore(connection, database)
        else:
            _pg_restore(connection, database)
        media = directory / MEDIA
        if media.is_dir():
            shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return summary


def row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Rows per table, every table of the database (also those that are no Django models)."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        return {table: _count(cursor, table) for table in tables}


# --- the databases' own tools --------------------------------------------------------------


def _engine(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"No backup for {connection.vendor} databases.")
    return str(connection.vendor)


def _sqlite_copy(connection: BaseDatabaseWrapper, target: Path) -> None:
    if connection.in_atomic_block:
        # Its own write lock would make SQLite's backup wait for ever.
        raise BackupError("A backup cannot run inside a transaction.")
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)


def _sqlite_row_counts(database: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database)) as copy:
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {table: _count(copy.cursor(), table) for table in tables}


def _sqlite_restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    connection.ensure_connection()
    with closing(sqlite3.connect(source)) as copy:
        copy.backup(connection.connection)


def _pg_arguments(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump and pg_restore; the password goes by environment."""
    config: dict[str, Any] = connection.settings_dict
    arguments = ["--dbname", str(config["NAME"])]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if config.get(key):
            arguments += [option, str(config[key])]
    environment = {"PGPASSWORD": str(config["PASSWORD"])} if config.get("PASSWORD") else {}
    # libpq reads the TLS options of DATABASE_URL (?sslmode=require) from the environment too.
    for option, value in config.get("OPTIONS", {}).items():
        if option.startswith("ssl"):
            environment[f"PG{option.upper()}"] = str(value)
    return arguments, environment


def _pg_dump(connection: BaseDatabaseWrapper, target: Path) -> None:
    arguments, environment = _pg_arguments(connection)
    _run(["pg_dump", "--format=custom", "--file", str(target), *arguments], environment)


def _pg_restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    arguments, environment = _pg_arguments(connection)
    connection.close()  # its own session must hold no lock on the tables pg_restore drops
    _run(
        [
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
            "--single-transaction", "--exit-on-error", *arguments, str(source),
        ],
        environment,
    )  # fmt: skip


def _run(command: list[str], environment: dict[str, str]) -> None:
    try:
        subprocess.run(
            command,
            env={**os.environ, **environment},
            check=True,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed (PostgreSQL's client programs are needed)."
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error


# --- the file ------------------------------------------------------------------------------


def _media_files() -> Iterator[str]:
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir():
        for file in root.rglob("*"):
            if file.is_file():
                yield file.relative_to(root).as_posix()


def _describe(file: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with file.open("rb") as content:
        for block in iter(lambda: content.read(1 << 20), b""):
            digest.update(block)
    return {"size": file.stat().st_size, "sha256": digest.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(content))


@contextmanager
def _opened(path: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """The manifest and the unpacked, verified members of a backup, in a scratch directory."""
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        try:
            with tarfile.open(path, "r:gz") as archive:
                archive.extractall(directory, filter="data")
        except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
            raise BackupError(f"{path} cannot be read as a backup: {error}") from error
        manifest_file = directory / MANIFEST
        if not manifest_file.is_file():
            raise BackupError(f"{path} has no {MANIFEST}: not a backup of this portal.")
        manifest: dict[str, Any] = json.loads(manifest_file.read_text())
        if manifest.get("format") != FORMAT or manifest.get("engine") not in DATABASE_FILES:
            raise BackupError(f"{path} is a backup in a format this version cannot read.")
        for name, expected in manifest["members"].items():
            member = directory / name
            if not member.is_file() or _describe(member) != expected:
                raise BackupError(f"{path}: {name} is missing or differs from its checksum.")
        yield manifest, directory


def _count(cursor: Any, table: str) -> int:
    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
    return int(cursor.fetchone()[0])


def _summary(manifest: dict[str, Any], path: Path) -> Summary:
    return Summary(
        engine=manifest["engine"],
        created_at=manifest["created_at"],
        tables=manifest["tables"],
        media_files=sum(1 for name in manifest["members"] if name.startswith(f"{MEDIA}/")),
        size=path.stat().st_size,
    )
