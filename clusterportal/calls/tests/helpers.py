"""Small factories for the calls' tests (the shipped programmes and calls are loaded too)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from clusterportal.calls.models import Call, Deadline, Programme

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*parts: int) -> datetime.datetime:
    """A wall-clock time in Stuttgart (CET in winter, CEST in summer), as UTC: arithmetic
    on an aware Berlin time is wall-clock arithmetic, wrong across a change of time."""
    return datetime.datetime(*parts, tzinfo=BERLIN).astimezone(datetime.UTC)


def make_programme(slug: str = "testprogramm", **values) -> Programme:
    values = {
        "name": "Testprogramm", "funder": "Testministerium",
        "source_name": "Testquelle", "source_url": "https://example.org/quelle", **values,
    }  # fmt: skip
    return Programme.objects.create(slug=slug, **values)


def make_call(slug: str = "testaufruf", programme: Programme | None = None, deadlines=(),
              **values) -> Call:  # fmt: skip
    values = {"title": f"Aufruf {slug}", "source_name": "Testquelle",
              "source_url": "https://example.org/aufruf", **values}  # fmt: skip
    call = Call.objects.create(slug=slug, programme=programme or make_programme(), **values)
    for due_at in deadlines:
        Deadline.objects.create(call=call, due_at=due_at)
    call.refresh_from_db()
    return call
