"""The automatic scheduler (scheduling.place), without a database: hand-checked cases and
a random one that must come out without a double booking."""

from __future__ import annotations

import random

from clusterportal.matchmaking import scheduling
from clusterportal.matchmaking.scheduling import double_bookings, place


def _meetings(schedule, requests):
    pairs = {r: (a, b) for r, a, b in requests}
    return [(slot, *pairs[r]) for r, slot in schedule.placed.items()]


def test_three_people_who_all_want_each_other_fit_two_meetings_into_two_slots():
    # A-B, A-C, B-C in two slots: each slot holds one meeting of the three, so one is left.
    requests = [(1, "A", "B"), (2, "A", "C"), (3, "B", "C")]
    schedule = place([10, 11], {}, requests)
    assert len(schedule.placed) == 2 and sorted(schedule.placed.values()) == [10, 11]
    assert list(schedule.unplaced.values()) == [scheduling.NO_COMMON_SLOT]
    assert double_bookings(_meetings(schedule, requests)) == []


def test_a_person_booked_everywhere_is_named_as_the_reason():
    schedule = place([10, 11], {"A": {10, 11}}, [(1, "A", "B"), (2, "C", "A")])
    assert schedule.placed == {}
    assert schedule.unplaced == {1: scheduling.SENDER_FULL, 2: scheduling.RECIPIENT_FULL}


def test_the_most_constrained_request_goes_first():
    # C is free only in slot 11; taking A-B first in slot 10 leaves 11 for B-C.
    schedule = place([10, 11], {"C": {10}}, [(1, "A", "B"), (2, "B", "C")])
    assert schedule.placed == {2: 11, 1: 10} and schedule.unplaced == {}


def test_the_repair_step_moves_a_meeting_of_this_run_to_free_a_common_slot():
    # Two slots; A is busy in slot 10. A-C and A-B can only go in 11 and come first: A-C
    # takes it, A-B finds A full. B-D takes the first common slot, 10. Then D-C has none
    # (D free in 11, C free in 10) until B-D moves to 11, where B and D are both free.
    requests = [(1, "B", "D"), (2, "D", "C"), (3, "A", "C"), (4, "A", "B")]
    schedule = place([10, 11], {"A": {10}}, requests)
    assert schedule.placed == {3: 11, 1: 11, 2: 10}
    assert schedule.unplaced == {4: scheduling.SENDER_FULL}
    assert double_bookings(_meetings(schedule, requests)) == []


def test_400_people_and_2000_requests_come_out_without_double_bookings():
    rng = random.Random(7)
    people = list(range(400))
    seen, requests = set(), []
    while len(requests) < 2000:
        a, b = rng.sample(people, 2)
        if (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        requests.append((len(requests), a, b))
    slots = list(range(100, 116))
    busy = {p: {100 + rng.randrange(16)} for p in rng.sample(people, 50)}
    schedule = place(slots, busy, requests)
    assert len(schedule.placed) + len(schedule.unplaced) == 2000
    meetings = _meetings(schedule, requests)
    assert double_bookings(meetings) == []
    assert all(slot not in busy.get(p, ()) for slot, a, b in meetings for p in (a, b))
    assert len(schedule.placed) > 1900  # most fit: 10 meetings each on average in 16 slots
