"""Speed of the matchmaking scheduler: 400 participants, 2,000 accepted requests, 16 slots.

    .venv/bin/python bench/matchmaking_schedule.py                  # placing only, no database
    .venv/bin/python bench/matchmaking_schedule.py --database       # and the whole run, SQLite
    .venv/bin/python bench/matchmaking_schedule.py --database-url postgres://postgres@127.0.0.1:5432/<scratch database>

SYNTHETIC DATA: the participants and requests are made up here (random, seeded), never
real people; in the database they belong to an event titled "[SYNTHETIC] Matchmaking-Bench"
(slug synthetic-matchmaking-bench) and accounts named synthetic-mm-*. Use a scratch
database: the script migrates it and removes only its own synthetic rows before a run.

What it does:
1. draws 2,000 distinct pairs among 400 participants (seed 2026), and books 100 of the
   participants in one random slot each beforehand (meetings already in their agenda);
2. (a) places the requests with `scheduling.place`, the scheduler's algorithm, five rounds,
   and prints median and max wall time; (b) with --database / --database-url, stores the
   event, the participants, the bookings and the requests, and times
   `planning.run_scheduler` (read, place, write every meeting and booking in one
   transaction), once;
3. prints how many requests were placed and, for the rest, each reason with its count;
4. checks the result: no participant in two meetings of one slot (from the placing, and
   in (b) from the database's bookings), no meeting in a slot booked before; exits 1 if not.
Target: under 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
PEOPLE, REQUESTS, SLOTS, PREBOOKED = 400, 2000, 16, 100
TARGET_S = 1.0


def synthetic(seed: int = 2026):
    """The synthetic pairs and the slots booked before (indices into 0..SLOTS-1)."""
    rng = random.Random(seed)
    seen: set[tuple[int, int]] = set()
    pairs: list[tuple[int, int]] = []
    while len(pairs) < REQUESTS:
        a, b = rng.sample(range(PEOPLE), 2)
        if (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        pairs.append((a, b))
    prebooked = {p: rng.randrange(SLOTS) for p in rng.sample(range(PEOPLE), PREBOOKED)}
    return pairs, prebooked


def report(label: str, seconds: list[float], placed: int, reasons: dict) -> None:
    times = ", ".join(f"{s * 1000:.1f}" for s in seconds)
    median = statistics.median(seconds)
    print(f"{label}: median {median * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms ({times})")
    print(f"  placed {placed} of {REQUESTS}; not placed: {REQUESTS - placed}")
    for reason, count in sorted(reasons.items()):
        print(f"    {reason}: {count}")
    verdict = "met" if max(seconds) < TARGET_S else "NOT met"
    print(f"  target under {TARGET_S:.0f} s: {verdict}")


def placing_only() -> bool:
    from clusterportal.matchmaking.scheduling import double_bookings, place

    pairs, prebooked = synthetic()
    requests = [(n, a, b) for n, (a, b) in enumerate(pairs)]
    busy = {p: {slot} for p, slot in prebooked.items()}
    slots = list(range(SLOTS))
    seconds, schedule = [], None
    for _ in range(5):
        start = time.perf_counter()
        schedule = place(slots, busy, requests)
        seconds.append(time.perf_counter() - start)
    assert schedule is not None
    report("scheduling.place", seconds, len(schedule.placed), dict(schedule.reasons()))
    meetings = [(slot, *pairs[r]) for r, slot in schedule.placed.items()]
    doubles = double_bookings(meetings + [(s, p, -1 - p) for p, s in prebooked.items()])
    print(f"  double bookings: {len(doubles)}")
    return not doubles


def with_database(url: str) -> bool:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterportal.settings")
    import django

    django.setup()
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import timezone

    from clusterportal.events.models import Event
    from clusterportal.matchmaking import planning
    from clusterportal.matchmaking.models import (
        Booking,
        Matchmaking,
        Meeting,
        MeetingRequest,
        Participant,
    )

    call_command("migrate", "--noinput", "-v0")
    Event.objects.filter(slug="synthetic-matchmaking-bench").delete()
    User = get_user_model()
    User.objects.filter(username__startswith="synthetic-mm-").delete()
    start = (timezone.now() + datetime.timedelta(days=30)).replace(second=0, microsecond=0)
    event = Event.objects.create(
        slug="synthetic-matchmaking-bench", title="[SYNTHETIC] Matchmaking-Bench",
        organiser="[SYNTHETIC]", starts_at=start, ends_at=start + datetime.timedelta(hours=8),
    )  # fmt: skip
    mm = Matchmaking.objects.create(
        event=event, slots_start=start, slots_end=start + datetime.timedelta(minutes=15 * SLOTS),
        slot_minutes=15,
    )  # fmt: skip
    slots = list(mm.slots.order_by("starts_at"))
    users = User.objects.bulk_create(
        User(username=f"synthetic-mm-{n}", email=f"synthetic-mm-{n}@example.invalid")
        for n in range(PEOPLE)
    )
    people = Participant.objects.bulk_create(
        Participant(matchmaking=mm, user=u, name=f"[SYNTHETIC] P{n}", organisation="[SYNTHETIC]",
                    offer="-", seek="-")
        for n, u in enumerate(users)
    )  # fmt: skip
    pairs, prebooked = synthetic()
    # The meetings booked before: each prebooked person with a partner of their own.
    partners = Participant.objects.bulk_create(
        Participant(matchmaking=mm, user=User.objects.create(username=f"synthetic-mm-x{p}"),
                    name=f"[SYNTHETIC] X{p}", organisation="[SYNTHETIC]", offer="-", seek="-")
        for p in prebooked
    )  # fmt: skip
    for partner, (p, slot) in zip(partners, prebooked.items(), strict=True):
        Meeting.book(people[p], partner, slots[slot])
    now = timezone.now()
    MeetingRequest.objects.bulk_create(
        MeetingRequest(matchmaking=mm, sender=people[a], recipient=people[b], status="accepted",
                       expires_at=now, answered_at=now)
        for a, b in pairs
    )  # fmt: skip
    began = time.perf_counter()
    run = planning.run_scheduler(mm)
    seconds = time.perf_counter() - began
    reasons: dict[str, int] = {}
    for _, reason in run.unplaced:
        reasons[reason] = reasons.get(reason, 0) + 1
    report(
        f"planning.run_scheduler ({django.db.connection.vendor})", [seconds], run.placed, reasons
    )
    doubles = (
        Booking.objects.filter(slot__matchmaking=mm)
        .values("participant", "slot")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    print(f"  double bookings in the database: {doubles}")
    return doubles == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", action="store_true", help="also the whole run on SQLite")
    parser.add_argument("--database-url", help="the whole run on this (bench) database")
    args = parser.parse_args()
    print(f"SYNTHETIC: {PEOPLE} participants, {REQUESTS} accepted requests, {SLOTS} slots, "
          f"{PREBOOKED} booked before")  # fmt: skip
    ok = placing_only()
    url = args.database_url or (
        f"sqlite:///{OUT / 'matchmaking_bench.sqlite3'}" if args.database else None
    )
    if url:
        OUT.mkdir(exist_ok=True)
        ok = with_database(url) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
