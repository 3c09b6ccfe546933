"""200 people register for 50 places at the same moment, through a real server.

gunicorn (2 worker processes with 4 threads each) serves a database of its own, set up
like production (an SQLite file with WAL and IMMEDIATE transactions, or a PostgreSQL
database of its own), and 200 threads post their registrations at once. Exactly 50 must
be confirmed and 150 waitlisted, numbered 1 to 200 in the order they got the event's
lock, none lost and none twice. The test database of pytest-django cannot serve this: its
transaction is invisible to other connections, and the in-memory SQLite shares one
connection between threads.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

BIN = os.path.dirname(sys.executable)
PEOPLE, PLACES = 200, 50

SETUP = """
import datetime
from django.utils import timezone
from clusterportal.events.models import Event
now = timezone.now()
Event.objects.create(
    slug="ansturm", title="Ansturm", organiser="Test", status="published",
    starts_at=now + datetime.timedelta(days=30), capacity=PLACES, waiting_list=True,
    registration_opens_at=now - datetime.timedelta(days=1),
)
""".replace("PLACES", str(PLACES))

RESULT = """
import json
from clusterportal.events.models import Registration
rows = Registration.objects.filter(event__slug="ansturm").order_by("sequence")
print(json.dumps([[r.sequence, r.email, r.status] for r in rows]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_database(tmp_path):
    """A database URL of its own, migrated; dropped afterwards (PostgreSQL)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'rush.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"rush_{uuid.uuid4().hex[:8]}"
    admin = f"postgresql://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url, DEBUG="0", PLAIN_HTTP="1", ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY="concurrency-test-only-" + "x" * 40, OUTBOX_DELIVER_ON_COMMIT="0",
        DJANGO_SETTINGS_MODULE="clusterportal.settings",
        # 200 registrations from one address: the limit is tested in test_rate_limits.py.
        RATE_EVENT_REGISTRATION="1000/m/ip",
    )  # fmt: skip
    env.pop("REDIS_URL", None)
    return env


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [f"{BIN}/clusterportal", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _post(port: int, number: int, start: threading.Barrier) -> tuple[int, dict]:
    body = json.dumps({"name": f"Person {number}", "email": f"p{number}@example.org"})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.connect()
    start.wait()  # every thread has its connection open: all post at the same moment
    conn.request(
        "POST", "/api/v1/events/ansturm/registrations", body,
        {"Content-Type": "application/json", "Host": "127.0.0.1"},
    )  # fmt: skip
    response = conn.getresponse()
    answer = json.loads(response.read())
    conn.close()
    return response.status, answer


@pytest.mark.django_db
def test_200_simultaneous_registrations_for_50_places(own_database):
    env = _env(own_database)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "shell", "-c", SETUP)
    port = _free_port()
    server = subprocess.Popen(
        [f"{BIN}/gunicorn", "clusterportal.wsgi", "-w", "2", "-k", "gthread", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--timeout", "60"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        start = threading.Barrier(PEOPLE)
        with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
            answers = list(pool.map(lambda n: _post(port, n, start), range(PEOPLE)))
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert [status for status, _ in answers] == [201] * PEOPLE, answers[:3]
    statuses = [answer["status"] for _, answer in answers]
    assert statuses.count("confirmed") == PLACES
    assert statuses.count("waitlisted") == PEOPLE - PLACES
    # The waiting list in arrival order: each waitlisted person was told a distinct place.
    positions = sorted(a["position"] for _, a in answers if a["status"] == "waitlisted")
    assert positions == list(range(1, PEOPLE - PLACES + 1))

    # The shell may print its own lines (auto-imports) first: the result is the last one.
    rows = json.loads(_manage(env, "shell", "-c", RESULT).strip().splitlines()[-1])
    assert [sequence for sequence, _, _ in rows] == list(range(1, PEOPLE + 1))
    assert len({email for _, email, _ in rows}) == PEOPLE  # none lost, none twice
    assert {status for sequence, _, status in rows if sequence <= PLACES} == {"confirmed"}
    assert {status for sequence, _, status in rows if sequence > PLACES} == {"waitlisted"}
