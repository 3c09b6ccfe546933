"""The portal as its users get it, for the browser tests: a database of its own with the real
shipped data (migrate + load_data, as `make run` does), served by gunicorn with DEBUG off and
static files through WhiteNoise, on a free port of 127.0.0.1.

Why not pytest-django's live_server: it makes every test transactional and empties the database
after each one, which would take the shipped data from the tests that run after it.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
import psycopg

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def own_database(var_dir: Path) -> Iterator[str]:
    """A new, empty database on the engine the test run uses (DATABASE_URL, else SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{var_dir / 'browser.sqlite3'}"
        return
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_browser_{os.getpid()}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_environment(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url,
        CLUSTERPORTAL_VAR_DIR=str(var_dir),
        DEBUG="0",
        PLAIN_HTTP="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="clusterportal.settings",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "clusterportal"), *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"clusterportal {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


def wait_until_up(base_url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn stopped while starting"
        try:
            with urllib.request.urlopen(base_url + "/robots.txt", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the portal did not answer on {base_url} within {seconds} s")


PEOPLE_SCRIPT = Path(__file__).with_name("people.py")


@contextmanager
def running_portal(var_dir: Path) -> Iterator[tuple[str, dict]]:
    """Yields the portal's base URL and what tests/browser/people.py made in it."""
    with own_database(var_dir) as database_url:
        env = server_environment(database_url, var_dir)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_data", "-v0")
        output = manage(env, "shell", "-c", PEOPLE_SCRIPT.read_text(encoding="utf-8"))
        made = json.loads(output.strip().splitlines()[-1])  # the script prints JSON last
        base_url = f"http://127.0.0.1:{free_port()}"
        log = (var_dir / "gunicorn.log").open("w")
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:clusterportal.gunicorn_conf",
             "clusterportal.wsgi", "--workers", "1", "--bind", base_url.removeprefix("http://")],
            env=env, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            wait_until_up(base_url, process)
            yield base_url, made
        finally:
            process.terminate()
            process.wait(timeout=20)
            log.close()
