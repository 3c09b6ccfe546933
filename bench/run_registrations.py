"""Registration under a rush: N people register for one event at the same moment.

    .venv/bin/python bench/run_registrations.py --db sqlite [--people 200 --places 50 --rounds 3]

Per round, a new SYNTHETIC event (slug `synthetic-rush-…`, registration open, `--places`
places, waiting list on) is added to the registry bench database; gunicorn with 2
workers as `make run` starts it (clusterportal/gunicorn_conf.py) serves the API; `--people`
threads open their connections, wait at a barrier and POST
`/api/v1/events/<slug>/registrations` together. Printed: each round's wall time from the
barrier to the last answer, the throughput (registrations per second), p50/p95/max of the
answers' latency, and the check that the outcome is exact (places confirmed, the rest
waitlisted with positions 1..N-places, no address twice). The rate limit per client address
is lifted for the run (all requests come from 127.0.0.1).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_registry as rr  # noqa: E402

PORT = 8093


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.update({k: v for k, v in rr.portal_env(database_url, False).items()})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterportal.settings")
    sys.path.insert(0, str(rr.ROOT))
    import django

    django.setup()


def _new_event(places: int, label: str) -> tuple[str, int]:
    from django.utils import timezone

    from clusterportal.events.models import Event

    now = timezone.now()
    slug = f"synthetic-rush-{label}-{int(time.time() * 1000)}"
    event = Event.objects.create(
        slug=slug,
        title=f"SYNTHETIC rush {label}",
        organiser="SYNTHETIC",
        status="published",
        starts_at=now + datetime.timedelta(days=30),
        registration_opens_at=now - datetime.timedelta(hours=1),
        capacity=places,
        waiting_list=True,
    )
    return slug, event.pk


def _outcome(event_pk: int) -> list[tuple[int, str, str]]:
    from clusterportal.events.models import Registration

    rows = Registration.objects.filter(event_id=event_pk).order_by("sequence")
    return list(rows.values_list("sequence", "email", "status"))


def _post(slug: str, number: int, start: threading.Barrier) -> tuple[int, dict, float]:
    body = json.dumps({"name": f"SYNTHETIC {number}", "email": f"rush{number}@example.org"})
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    conn.connect()
    start.wait()
    started = time.perf_counter()
    conn.request(
        "POST", f"/api/v1/events/{slug}/registrations", body,
        {"Content-Type": "application/json", "Host": "127.0.0.1"},
    )  # fmt: skip
    response = conn.getresponse()
    answer = json.loads(response.read())
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return response.status, answer, elapsed


def _round(slug: str, people: int) -> tuple[list[tuple[int, dict, float]], float]:
    start = threading.Barrier(people + 1)
    with ThreadPoolExecutor(max_workers=people) as pool:
        futures = [pool.submit(_post, slug, n, start) for n in range(people)]
        start.wait()
        began = time.perf_counter()
        answers = [future.result() for future in futures]
    return answers, time.perf_counter() - began


def _check(answers, rows, people: int, places: int) -> str:
    statuses = [answer["status"] for status, answer, _ in answers if status == 201]
    positions = sorted(a["position"] for _, a, _ in answers if a.get("status") == "waitlisted")
    exact = (
        len(statuses) == people
        and statuses.count("confirmed") == places
        and positions == list(range(1, people - places + 1))
        and [sequence for sequence, _, _ in rows] == list(range(1, people + 1))
        and len({email for _, email, _ in rows}) == people
    )
    return "exact" if exact else f"NOT EXACT: {[s for s, _, _ in answers][:5]} …"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--places", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--postgres-url", default=rr.POSTGRES_URL, help="the PostgreSQL bench database"
    )
    args = parser.parse_args()
    url = f"sqlite:///{rr.OUT / 'registry.sqlite3'}" if args.db == "sqlite" else args.postgres_url
    _setup_django(url)
    server = rr.portal(f"{args.db}-rush", url, PORT, args, cache=True)
    server.env["RATE_EVENT_REGISTRATION"] = "100000/m/ip"
    server.env["OUTBOX_DELIVER_ON_COMMIT"] = "0"  # the mails wait in the outbox, as in cron mode
    print("| round | wall s | registrations/s | p50 ms | p95 ms | max ms | outcome |")
    print("|---|---|---|---|---|---|---|")
    with server:
        for n in range(1, args.rounds + 1):
            slug, pk = _new_event(args.places, f"{args.db}-{n}")
            answers, wall = _round(slug, args.people)
            latencies = sorted(elapsed for _, _, elapsed in answers)
            p95 = latencies[int(0.95 * len(latencies)) - 1]
            verdict = _check(answers, _outcome(pk), args.people, args.places)
            print(
                f"| {args.db} {n} | {wall:.2f} | {args.people / wall:.0f} | "
                f"{statistics.median(latencies):.0f} | {p95:.0f} | {latencies[-1]:.0f} | {verdict} |"
            )


if __name__ == "__main__":
    main()
