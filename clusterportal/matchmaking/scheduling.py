"""The organisers' automatic scheduler: accepted requests without a slot placed into slots
free for both people. Pure Python, no Django (the bench runs it at 400 people and 2,000
requests; docs/matchmaking.md has the figures).

Each person's free slots are a bit mask. The requests are taken most constrained first
(fewest common free slots, then the busiest people), each into the first common free
slot. A request with no common free slot left gets one repair step: a meeting placed in
this run that blocks one of the two in a slot the other has free is moved to a slot free
for its own pair, if there is one. Meetings booked before the run are never moved.

What is not placed gets its reason: one of the two has no free slot left, or both have
free slots but none in common.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

SENDER_FULL = "sender_full"
RECIPIENT_FULL = "recipient_full"
NO_COMMON_SLOT = "no_common_slot"


@dataclass
class Schedule:
    placed: dict[int, int] = field(default_factory=dict)  # request -> slot
    unplaced: dict[int, str] = field(default_factory=dict)  # request -> reason
    pairs: dict[int, tuple[int, int]] = field(default_factory=dict)  # request -> people

    def reasons(self) -> Counter[str]:
        return Counter(self.unplaced.values())


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def place(
    slots: list[int], busy: dict[int, set[int]], requests: list[tuple[int, int, int]]
) -> Schedule:
    """`slots`: slot ids in time order; `busy`: person -> slot ids booked already;
    `requests`: (request id, sender, recipient). Returns where each request goes or why not."""
    index = {slot: i for i, slot in enumerate(slots)}
    full = (1 << len(slots)) - 1
    free: dict[int, int] = {}
    for person in {p for _, a, b in requests for p in (a, b)}:
        mask = full
        for slot in busy.get(person, ()):
            if slot in index:
                mask &= ~(1 << index[slot])
        free[person] = mask
    degree = Counter(p for _, a, b in requests for p in (a, b))
    order = sorted(
        requests,
        key=lambda r: ((free[r[1]] & free[r[2]]).bit_count(), -(degree[r[1]] + degree[r[2]]), r[0]),
    )
    # Who meets whom in which slot index, for this run's meetings (the repair step).
    at: dict[tuple[int, int], tuple[int, int]] = {}  # (person, slot index) -> (request, other)
    schedule = Schedule()
    placed_index: dict[int, int] = {}

    def put(request: int, a: int, b: int, i: int) -> None:
        bit = 1 << i
        free[a] &= ~bit
        free[b] &= ~bit
        at[(a, i)] = (request, b)
        at[(b, i)] = (request, a)
        placed_index[request] = i

    def lift(request: int, a: int, b: int, i: int) -> None:
        bit = 1 << i
        free[a] |= bit
        free[b] |= bit
        del at[(a, i)], at[(b, i)]
        del placed_index[request]

    for request, a, b in order:
        common = free[a] & free[b]
        if common:
            put(request, a, b, (common & -common).bit_length() - 1)
            continue
        if not free[a]:
            schedule.unplaced[request] = SENDER_FULL
        elif not free[b]:
            schedule.unplaced[request] = RECIPIENT_FULL
        elif not _repair(request, a, b, free, at, put, lift):
            schedule.unplaced[request] = NO_COMMON_SLOT
    schedule.placed = {request: slots[i] for request, i in placed_index.items()}
    return schedule


def _repair(request, a, b, free, at, put, lift) -> bool:
    """Free a slot for (a, b) by moving one of this run's meetings of a or b elsewhere."""
    for stuck, other in ((a, b), (b, a)):
        # Slots where `other` is free but `stuck` meets someone placed in this run.
        for i in _bits(free[other]):
            held = at.get((stuck, i))
            if held is None:
                continue
            moved, partner = held
            room = free[stuck] & free[partner]
            if not room:
                continue
            lift(moved, stuck, partner, i)
            put(moved, stuck, partner, (room & -room).bit_length() - 1)
            put(request, a, b, i)
            return True
    return False


def double_bookings(meetings: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """(person, slot) pairs that occur more than once among (slot, first, second) meetings."""
    seen = Counter((p, slot) for slot, a, b in meetings for p in (a, b))
    return [key for key, count in seen.items() if count > 1]
