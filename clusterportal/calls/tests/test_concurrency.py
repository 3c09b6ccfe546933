"""Two people acting on the same application at the same moment, each on a connection of
their own, against a database set up like production (an SQLite file with WAL and IMMEDIATE
transactions, or a PostgreSQL database of its own; see events/tests/
test_concurrent_registration.py for why the test database cannot serve this):

* eight managers save the same draft, all based on version 1: exactly one save wins, the
  seven others are told (StaleVersion), and the answers are the winner's;
* four office members press "send the decisions" at once: each of the 20 prepared
  decisions is sent once, with one letter each, none twice and none lost.
"""

from __future__ import annotations

import json

import pytest

from clusterportal.events.tests.test_concurrent_registration import _env, _manage, own_database

__all__ = ["own_database"]  # the fixture, used by name below

SCRIPT = """
import datetime, json, threading
from django.db import connections
from django.utils import timezone
from clusterportal.accounts.models import Role
from clusterportal.calls import jury
from clusterportal.calls.models import Application, Call, Deadline, Programme
from clusterportal.calls.application_models import StaleVersion
from clusterportal.outbox.models import OutboxMessage
from clusterportal.registry.models import ClusterInitiative
from django.contrib.auth import get_user_model

now = timezone.now()
programme = Programme.objects.create(slug="p", name="P", funder="F", source_name="s",
                                     source_url="https://example.org/s")
call = Call.objects.create(programme=programme, slug="c", title="C", source_name="s",
                           source_url="https://example.org/s",
                           opens_at=now - datetime.timedelta(days=1))
Deadline.objects.create(call=call, due_at=now + datetime.timedelta(days=5))
initiatives = [ClusterInitiative.objects.create(slug=f"i{n}", name=f"I{n}", status="published",
               kind="cluster_initiative") for n in range(21)]
for n, initiative in enumerate(initiatives):
    user = get_user_model().objects.create_user(username=f"m{n}", email=f"m{n}@example.org")
    Role.objects.create(user=user, kind="cluster_manager", initiative=initiative)
draft = Application.objects.create(call=call, initiative=initiatives[20])
for initiative in initiatives[:20]:
    Application.objects.create(call=call, initiative=initiative, status="submitted",
                               submitted_at=now, decision="accepted")

def at_once(count, action):
    start = threading.Barrier(count)
    results = []
    def run(number):
        start.wait()
        try:
            results.append(action(number))
        except StaleVersion:
            results.append("stale")
        finally:
            connections.close_all()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads: thread.start()
    for thread in threads: thread.join()
    return results

def save(number):
    Application.objects.get(pk=draft.pk).save_answers({"text": f"editor {number}"}, 1)
    return f"editor {number}"

saves = at_once(8, save)
sends = at_once(4, lambda number: [a.pk for a in jury.send_decisions(call)])
draft.refresh_from_db()
sent = [pk for result in sends for pk in result]
letters = list(OutboxMessage.objects.filter(subject__startswith="Entscheidung").values_list(
    "to", flat=True))
print(json.dumps({
    "saves": saves, "answers": draft.answers, "version": draft.version,
    "sent": sent, "decided": Application.objects.filter(status="decided").count(),
    "letters": letters,
}))
"""


@pytest.mark.django_db
def test_simultaneous_saves_and_sends_lose_and_double_nothing(own_database):
    env = _env(own_database)
    _manage(env, "migrate", "--noinput", "-v0")
    result = json.loads(_manage(env, "shell", "-c", SCRIPT).strip().splitlines()[-1])
    winners = [save for save in result["saves"] if save != "stale"]
    assert len(winners) == 1 and result["saves"].count("stale") == 7
    assert result["answers"] == {"text": winners[0]} and result["version"] == 2
    assert len(result["sent"]) == 20 and len(set(result["sent"])) == 20
    assert result["decided"] == 20
    assert len(result["letters"]) == 20 and len(set(map(str, result["letters"]))) == 20
