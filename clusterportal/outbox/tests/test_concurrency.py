"""Two delivery runs claiming at the same moment, each on its own database connection.

PostgreSQL: the second run skips the rows the first has locked (SKIP LOCKED) and does
not wait. SQLite: the second run's write transaction waits for the first to commit
(the database-wide write lock, transaction_mode IMMEDIATE) and then finds the
messages claimed. Either way no message is claimed twice.

The test transaction of pytest-django is invisible to other connections, and the
in-memory SQLite of the tests refuses a second writer at once instead of waiting. So
the runs use a database of their own, set up like production: on SQLite a file with
the settings of settings._database, on PostgreSQL a second connection to the test
database (its rows are removed afterwards).
"""

import threading

import pytest
from django.db import connection, connections
from django.db.utils import load_backend
from django.utils import timezone

from clusterportal.outbox.models import OutboxMessage, OutboxMessageQuerySet
from clusterportal.settings import _database

pytestmark = pytest.mark.django_db

ALIAS = "outbox_concurrency"


@pytest.fixture
def own_database(tmp_path):
    """Connects this thread (and, through `attach`, any other) to the runs' own database."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        production = _database(f"sqlite:///{tmp_path / 'outbox.sqlite3'}")
        settings_dict.update(NAME=production["NAME"], OPTIONS=production["OPTIONS"])

    def attach() -> None:
        # A connection made here, not listed in DATABASES: Django's test case allows it
        # in threads, and it is not wrapped in the test's transaction.
        backend = load_backend(settings_dict["ENGINE"])
        connections[ALIAS] = backend.DatabaseWrapper(dict(settings_dict), alias=ALIAS)

    attach()
    if connection.vendor == "sqlite":
        with connections[ALIAS].schema_editor() as editor:
            editor.create_model(OutboxMessage)
    yield attach
    if connection.vendor != "sqlite":
        OutboxMessage.objects.using(ALIAS).all().delete()
    connections[ALIAS].close()
    del connections[ALIAS]


def test_two_runs_claiming_at_once_never_claim_the_same_message(own_database, monkeypatch):
    for number in range(3):
        OutboxMessage.objects.using(ALIAS).create(
            from_email="portal@example.org", to=[f"p{number}@example.org"], subject="x", body="x"
        )
    first_holds_its_claim = threading.Event()
    second_done = threading.Event()
    claimed: dict[str, list[int]] = {}
    second_finished_while_first_held: list[bool] = []
    original_update = OutboxMessageQuerySet.update

    def update_then_wait(self, **values):
        # The first run pauses between selecting its batch and committing its claim.
        if threading.current_thread().name == "first":
            first_holds_its_claim.set()
            second_finished_while_first_held.append(second_done.wait(timeout=2))
        return original_update(self, **values)

    monkeypatch.setattr(OutboxMessageQuerySet, "update", update_then_wait)

    def run(name: str) -> None:
        own_database()
        try:
            if name == "second":
                first_holds_its_claim.wait(timeout=10)
            batch = OutboxMessage.objects.using(ALIAS).claim(timezone.now(), 10)
            claimed[name] = [message.pk for message in batch]
        finally:
            if name == "second":
                second_done.set()
            connections[ALIAS].close()

    threads = [
        threading.Thread(target=run, args=(name,), name=name) for name in ("first", "second")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(claimed["first"]) == 3
    assert claimed["second"] == []
    if connection.vendor == "postgresql":
        # SKIP LOCKED: the second run went past the locked rows without waiting.
        assert second_finished_while_first_held == [True]
    else:
        # The write lock: the second run waited until the first had committed.
        assert second_finished_while_first_held == [False]
    assert OutboxMessage.objects.using(ALIAS).filter(claimed_until__isnull=False).count() == 3
