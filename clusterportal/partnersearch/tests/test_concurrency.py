"""Several people acting on one posting at the same moment, each on a connection of their own,
against a database set up like production (see events/tests/test_concurrent_registration.py
for why the test database cannot serve this):

* six reviewers decide the same new posting at once (three publish, three reject): exactly one
  decision stands, the others are told (WrongState), and the author gets one mail;
* four tabs save an edit of the same posting, all based on version 1: one wins, three are told
  (StaleVersion), and the title is the winner's.
"""

from __future__ import annotations

import json

import pytest

from clusterportal.events.tests.test_concurrent_registration import _env, _manage, own_database

__all__ = ["own_database"]

SCRIPT = """
import datetime, json, threading
from django.db import connections
from django.utils import timezone
from django.contrib.auth import get_user_model
from clusterportal.outbox.models import OutboxMessage
from clusterportal.partnersearch import editing
from clusterportal.partnersearch.forms import PostingForm
from clusterportal.partnersearch.models import Posting, StaleVersion, WrongState
from clusterportal.taxonomy.models import TechnologyField

TechnologyField.objects.create(slug="textil", name="Textil")
users = get_user_model().objects
author = users.create_user(username="a", email="author@example.org")
reviewers = [users.create_user(username=f"r{n}", email=f"r{n}@example.org") for n in range(6)]
data = {"kind": "request", "purpose": "rd_project", "title": "Partner gesucht fuer Sensorik",
        "description": "Wir suchen Forschungspartner fuer textile Sensoren.",
        "organisation_name": "Weberei", "technology_fields": ["textil"],
        "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()}
form = PostingForm(data, user=author); assert form.is_valid(), form.errors
posting = editing.create(form, author)
form = PostingForm(data, user=author); assert form.is_valid()
second = editing.create(form, author)

def at_once(count, action):
    start = threading.Barrier(count)
    results = []
    def run(number):
        start.wait()
        try:
            results.append(action(number))
        except (WrongState, StaleVersion) as refused:
            results.append(type(refused).__name__)
        finally:
            connections.close_all()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads: thread.start()
    for thread in threads: thread.join()
    return results

def decide(number):
    copy = Posting.objects.get(pk=posting.pk)
    if number % 2:
        editing.reject(copy, reviewers[number], f"Grund {number}")
        return f"rejected {number}"
    editing.publish(copy, reviewers[number])
    return f"published {number}"

def edit(number):
    copy = Posting.objects.get(pk=second.pk)
    form = PostingForm({**data, "title": f"Fassung aus Tab {number}", "version": 1},
                       instance=copy, user=author)
    assert form.is_valid(), form.errors
    editing.update(copy, form, author)
    return f"Fassung aus Tab {number}"

mails_before = OutboxMessage.objects.count()
decisions = at_once(6, decide)
edits = at_once(4, edit)
posting.refresh_from_db(); second.refresh_from_db()
to_author = [m for m in OutboxMessage.objects.order_by("pk")[mails_before:]
             if "author@example.org" in str(m.to) and "Partnersuche" in m.subject]
print(json.dumps({"decisions": decisions, "status": posting.status, "note": posting.review_note,
                  "edits": edits, "title": second.title, "version": second.version,
                  "mails_to_author": len(to_author)}))
"""


@pytest.mark.django_db
def test_simultaneous_reviews_and_edits_lose_and_double_nothing(own_database):
    env = _env(own_database)
    _manage(env, "migrate", "--noinput", "-v0")
    result = json.loads(_manage(env, "shell", "-c", SCRIPT).strip().splitlines()[-1])
    winners = [d for d in result["decisions"] if d != "WrongState"]
    assert len(winners) == 1 and result["decisions"].count("WrongState") == 5
    expected_status = "published" if winners[0].startswith("published") else "rejected"
    assert result["status"] == expected_status
    if expected_status == "rejected":
        assert result["note"] == f"Grund {winners[0].split()[-1]}"
    assert result["mails_to_author"] == 1
    edit_winners = [e for e in result["edits"] if e != "StaleVersion"]
    assert len(edit_winners) == 1 and result["edits"].count("StaleVersion") == 3
    assert result["title"] == edit_winners[0] and result["version"] == 2
