"""Speed of a call's ranking board and its XLSX export: 500 applications, 5 reviews each.

    .venv/bin/python bench/calls_jury.py                 # SQLite, bench/out/calls.sqlite3
    .venv/bin/python bench/calls_jury.py --database-url postgres://postgres@127.0.0.1:5432/clusterportal_bench_calls

What it does:
1. uses the benchmark database of bench/calls_eligibility.py (made if missing: migrate and
   load_data; its address must contain "bench");
2. adds, once, a SYNTHETIC call (slug "synthetic-jury-call", title "[SYNTHETIC] …") with
   three weighted criteria, 500 SYNTHETIC initiatives (slugs "synthetic-jury-…"), one
   submitted application each, 10 jurors ("synthetic-juror-N@bench.example") and 5 submitted
   reviews per application with random points (fixed seed; some "n/a"): 2,500 reviews and
   7,500 scores, all marked synthetic and only in the benchmark database;
3. requests the ranking board page and the XLSX export as a curator, through Django's test
   client (routing, permissions, template or workbook included), round after round, with the
   garbage collector set as a `make run` worker sets it (clusterportal/gunicorn_conf.py:
   the objects loaded at start frozen, the young generation collected less often; without
   it every sixth request here paid a full collection of about 120 ms);
4. prints median, p95 and max in milliseconds and compares them with the targets: the board
   under 200 ms, the export under 2 s.

The eligibility check's target (under 20 ms) is measured by bench/calls_eligibility.py.
"""

from __future__ import annotations

import argparse
import decimal
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calls_eligibility import OUT, setup  # noqa: E402

APPLICATIONS = 500
REVIEWS = 5
JURORS = 10
BOARD_TARGET_MS = 200.0
EXPORT_TARGET_MS = 2000.0


def synthetic_call():
    """The call with its applications and reviews (made once per benchmark database)."""
    from django.db import transaction

    from clusterportal.calls.models import Call, Criterion, Programme

    existing = Call.objects.filter(slug="synthetic-jury-call").first()
    if existing is not None:
        return existing
    started = time.perf_counter()
    with transaction.atomic():
        call = Call.objects.create(
            programme=Programme.objects.get(slug="gold-label-foerderung"),
            slug="synthetic-jury-call", title="[SYNTHETIC] Benchmark call with a jury",
            source_name="[SYNTHETIC]", source_url="https://example.org/synthetic",
        )  # fmt: skip
        criteria = Criterion.objects.bulk_create([
            Criterion(call=call, position=n, name=f"[SYNTHETIC] criterion {n}",
                      weight=decimal.Decimal(weight))
            for n, weight in enumerate(("2", "1", "1.5"), start=1)
        ])  # fmt: skip
        _applications_and_reviews(call, criteria)
    print(f"made the synthetic call in {time.perf_counter() - started:.1f} s")
    return call


def _applications_and_reviews(call, criteria) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from clusterportal.accounts.models import Role
    from clusterportal.calls.models import Application, JurorAssignment, Review, Score
    from clusterportal.calls.ranking import review_score
    from clusterportal.regions.models import Region
    from clusterportal.registry.models import ClusterInitiative

    rng = random.Random(20261207)
    region = Region.objects.filter(kind=Region.Kind.REGION).first()
    initiatives = ClusterInitiative.objects.bulk_create([
        # Drafts: not published, so that they stay out of calls_eligibility.py's 102.
        ClusterInitiative(slug=f"synthetic-jury-{n:04d}", name=f"[SYNTHETIC] Initiative {n}",
                          kind="cluster_initiative", status="draft", region=region)
        for n in range(APPLICATIONS)
    ])  # fmt: skip
    users = get_user_model().objects
    jurors = [users.create_user(username=f"synthetic-juror-{n}", email=f"synthetic-juror-{n}"
                                "@bench.example") for n in range(JURORS)]  # fmt: skip
    Role.objects.bulk_create([Role(user=juror, kind=Role.Kind.JUROR) for juror in jurors])
    now = timezone.now()
    applications = Application.objects.bulk_create([
        Application(call=call, initiative=initiative, status="in_review", submitted_at=now,
                    answers={"synthetic": True})
        for initiative in initiatives
    ])  # fmt: skip
    assignments = JurorAssignment.objects.bulk_create([
        JurorAssignment(application=application, juror=juror)
        for application in applications for juror in rng.sample(jurors, REVIEWS)
    ])  # fmt: skip
    reviews, scores = [], []
    for assignment in assignments:
        values = [None if rng.random() < 0.05 else rng.randint(0, 5) for _ in criteria]
        weighted = review_score([(c.weight, v) for c, v in zip(criteria, values, strict=True)])
        review = Review(
            assignment=assignment,
            weighted_score=weighted,
            submitted_at=now,
            recommendation=rng.choice(["fund", "fund_with_conditions", "do_not_fund"]),
        )
        reviews.append((review, values))
    Review.objects.bulk_create([review for review, _values in reviews])
    for review, values in reviews:
        scores += [Score(review=review, criterion=c, value=v)
                   for c, v in zip(criteria, values, strict=True)]  # fmt: skip
    Score.objects.bulk_create(scores, batch_size=2000)


def curator_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from clusterportal.accounts.models import Role, grant
    from clusterportal.tests.personas import log_in_with_totp, with_totp

    user, created = get_user_model().objects.get_or_create(
        username="synthetic-curator", defaults={"email": "synthetic-curator@bench.example"}
    )
    if created:
        grant(user, Role.Kind.CURATOR)
        with_totp(user)
    client = Client()
    log_in_with_totp(client, user)
    return client


def timed(client, url: str, rounds: int) -> tuple[list[float], list[float]]:
    """Wall time and this process's CPU time per request, in ms. On the shared machine the
    wall time includes the time other processes had the cores; the database server's own
    work (PostgreSQL) is in the wall time only."""
    wall, cpu = [], []
    for _round in range(rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, response.status_code
    return wall, cpu


def summary(name: str, measured: tuple[list[float], list[float]], target: float) -> None:
    wall, cpu = measured
    ordered = sorted(wall)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    verdict = "met" if p95 < target else "MISSED"
    print(
        f"{name}: n={len(wall)} median {statistics.median(wall):.1f} ms, "
        f"p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms (CPU of this process: median "
        f"{statistics.median(cpu):.1f} ms); target p95 < {target:.0f} ms: {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{OUT / 'calls.sqlite3'}")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    setup(args.database_url)
    from clusterportal.calls.models import Application, Review
    from clusterportal.gunicorn_conf import post_worker_init

    call = synthetic_call()
    count = Application.objects.filter(call=call).count()
    reviews = Review.objects.filter(assignment__application__call=call).count()
    engine = args.database_url.split(":", 1)[0]
    print(f"[SYNTHETIC] call: {count} applications, {reviews} submitted reviews, {engine}")
    client = curator_client()
    timed(client, f"/foerderung/{call.slug}/rangliste/", 2)  # warm the templates and caches
    post_worker_init(None)  # the worker's garbage-collector settings
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    summary("ranking board page", timed(client, f"/foerderung/{call.slug}/rangliste/",
                                        args.rounds), BOARD_TARGET_MS)  # fmt: skip
    summary("XLSX export", timed(client, f"/foerderung/{call.slug}/rangliste.xlsx",
                                 max(5, args.rounds // 4)), EXPORT_TARGET_MS)  # fmt: skip


if __name__ == "__main__":
    main()
