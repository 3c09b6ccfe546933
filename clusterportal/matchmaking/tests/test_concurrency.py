"""People accepting at the same moment, each on a connection of their own, against a
database set up like production (an SQLite file with WAL and IMMEDIATE transactions, or a
PostgreSQL database of its own; events/tests/test_concurrent_registration.py says why the
test database cannot serve this):

* Anna asked eight people for the same slot; all eight accept at once: exactly one meeting
  is booked, Anna has one booking in the slot, the seven others are told the slot is taken
  and their requests stay open;
* two organisers press "plan now" at once over 30 accepted requests: each is placed once,
  and nobody is booked twice in a slot.
"""

from __future__ import annotations

import json

import pytest

from clusterportal.events.tests.test_concurrent_registration import _env, _manage, own_database

__all__ = ["own_database"]  # the fixture, used by name below

SCRIPT = """
import datetime, json, threading
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count
from django.utils import timezone
from clusterportal.events.models import Event
from clusterportal.matchmaking import planning
from clusterportal.matchmaking.models import (Booking, Matchmaking, Meeting, MeetingRequest,
    Participant, Refused)

start = timezone.now() + datetime.timedelta(days=10)
event = Event.objects.create(slug="mm", title="MM", organiser="T", status="published",
                             starts_at=start, ends_at=start + datetime.timedelta(hours=8))
mm = Matchmaking.objects.create(event=event, slots_start=start,
                                slots_end=start + datetime.timedelta(hours=2), slot_minutes=20)
slot = mm.slots.order_by("starts_at").first()
people = []
for n in range(19):
    user = get_user_model().objects.create_user(username=f"u{n}", email=f"u{n}@example.org")
    people.append(Participant.objects.create(matchmaking=mm, user=user, name=f"P{n}",
                                             organisation="O", offer="a", seek="b"))
anna, asked = people[0], people[1:9]
requests = [MeetingRequest.ask(anna, other, slot, "") for other in asked]
# 30 accepted requests without a slot among the others (P9..P18), for the scheduler.
pairs = [(a, b) for i, a in enumerate(people[9:]) for b in people[10 + i:]][:30]
for a, b in pairs:
    MeetingRequest.ask(a, b, None, "").accept(b)

def at_once(count, action):
    barrier = threading.Barrier(count)
    results = []
    def run(number):
        barrier.wait()
        try:
            results.append(action(number))
        except Refused as refused:
            results.append(refused.code)
        finally:
            connections.close_all()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads: thread.start()
    for thread in threads: thread.join()
    return results

def accept(number):
    request = MeetingRequest.objects.get(pk=requests[number].pk)
    request.accept(Participant.objects.get(pk=request.recipient_id))
    return "accepted"

accepts = at_once(8, accept)
runs = at_once(2, lambda number: planning.run_scheduler(Matchmaking.objects.get(pk=mm.pk)).placed)
twice = Booking.objects.values("participant", "slot").annotate(n=Count("pk")).filter(n__gt=1)
print(json.dumps({
    "accepts": sorted(accepts),
    "anna_in_slot": Booking.objects.filter(participant=anna, slot=slot).count(),
    "meetings_in_slot": Meeting.objects.filter(slot=slot, request__sender=anna).count(),
    "pending": MeetingRequest.objects.filter(sender=anna, status="pending").count(),
    "runs": sorted(runs),
    "scheduled": Meeting.objects.filter(request__sender__in=people[9:]).count(),
    "placed_requests": len(set(Meeting.objects.filter(request__sender__in=people[9:])
                               .values_list("request", flat=True))),
    "double": list(twice.values_list("participant", "slot")),
}))
"""


@pytest.mark.django_db
def test_simultaneous_accepts_and_scheduler_runs_book_nobody_twice(own_database):
    env = _env(own_database)
    _manage(env, "migrate", "--noinput", "-v0")
    result = json.loads(_manage(env, "shell", "-c", SCRIPT).strip().splitlines()[-1])
    assert result["accepts"] == ["accepted"] + ["slot_taken"] * 7
    assert result["anna_in_slot"] == 1 and result["meetings_in_slot"] == 1
    assert result["pending"] == 7
    # 30 requests among 10 people, 6 slots: one run places what fits, the other nothing.
    assert result["runs"][0] == 0 and result["runs"][1] == result["scheduled"] > 0
    assert result["placed_requests"] == result["scheduled"]
    assert result["double"] == []
