"""A call's status from its dates in Europe/Berlin: upcoming, open up to and including the
last deadline's second, closed one second later; winter (CET) and summer (CEST) time."""

from __future__ import annotations

import datetime

import pytest

from clusterportal.calls.models import Call, Deadline, end_of_day
from clusterportal.calls.tests.helpers import BERLIN, berlin, make_call, make_programme

pytestmark = pytest.mark.django_db
SECOND = datetime.timedelta(seconds=1)


def both_ways(call: Call, now: datetime.datetime) -> str:
    """The status by the model and by the list's query; they must agree."""
    listed = Call.objects.with_status(now).get(pk=call.pk).status_now
    assert call.status_at(now) == listed, (call.status_at(now), listed)
    in_status = {s for s in Call.Status.values if Call.objects.in_status(s, now).filter(pk=call.pk)}
    assert in_status == {listed}
    return listed


def test_a_winter_deadline_is_open_at_its_last_second_and_closed_one_second_later():
    due = berlin(2026, 1, 15, 23, 59, 59)  # CET: 22:59:59 UTC
    assert due.astimezone(BERLIN).utcoffset() == datetime.timedelta(hours=1)
    call = make_call(opens_at=berlin(2025, 12, 1), deadlines=[due])
    assert call.closes_at == due
    assert both_ways(call, due - SECOND) == "open"
    assert both_ways(call, due) == "open"
    assert both_ways(call, due + SECOND) == "closed"
    assert (
        both_ways(call, datetime.datetime(2026, 1, 15, 22, 59, 59, tzinfo=datetime.UTC)) == "open"
    )
    assert (
        both_ways(call, datetime.datetime(2026, 1, 15, 23, 0, 0, tzinfo=datetime.UTC)) == "closed"
    )


def test_a_summer_deadline_follows_summer_time():
    due = end_of_day(datetime.date(2027, 6, 30))  # CEST: 21:59:59 UTC
    assert due == datetime.datetime(2027, 6, 30, 21, 59, 59, tzinfo=datetime.UTC)
    call = make_call(opens_at=berlin(2023, 10, 1), deadlines=[due])
    assert both_ways(call, due - SECOND) == "open"
    assert both_ways(call, due) == "open"
    assert both_ways(call, due + SECOND) == "closed"


def test_a_call_is_upcoming_until_its_opening_second():
    opens = berlin(2026, 3, 29, 3, 0, 0)  # the first second of summer time
    assert opens - SECOND == datetime.datetime(2026, 3, 29, 0, 59, 59, tzinfo=datetime.UTC)
    call = make_call(opens_at=opens, deadlines=[berlin(2026, 4, 30, 12, 0)])
    assert both_ways(call, opens - SECOND) == "upcoming"
    assert both_ways(call, opens) == "open"


def test_the_last_of_several_deadlines_closes_the_call():
    first, last = berlin(2026, 2, 1, 12, 0), berlin(2026, 5, 1, 12, 0)
    call = make_call(opens_at=berlin(2026, 1, 1), deadlines=[last, first])
    assert call.closes_at == last
    assert [d.due_at for d in call.deadlines.all()] == [first, last]
    assert both_ways(call, first + SECOND) == "open"
    assert call.next_deadline(first + SECOND).due_at == last
    assert both_ways(call, last + SECOND) == "closed"


def test_a_call_of_a_programme_in_the_archive_is_closed_whatever_its_dates():
    call = make_call(programme=make_programme(archived=True), deadlines=[berlin(2099, 1, 1)])
    assert both_ways(call, berlin(2030, 1, 1)) == "closed"


def test_a_call_without_dates_of_a_running_programme_is_open():
    call = make_call()
    assert both_ways(call, berlin(2030, 1, 1)) == "open"


def test_the_closing_time_follows_every_way_a_deadline_is_written():
    call = make_call()
    deadline = Deadline.objects.create(call=call, due_at=berlin(2026, 5, 1, 12, 0))
    call.refresh_from_db()
    assert call.closes_at == berlin(2026, 5, 1, 12, 0)
    # A bulk update sends no signal: the queryset keeps the call right.
    Deadline.objects.filter(pk=deadline.pk).update(due_at=berlin(2026, 6, 1, 12, 0))
    call.refresh_from_db()
    assert call.closes_at == berlin(2026, 6, 1, 12, 0)
    Deadline.objects.bulk_create([Deadline(call=call, due_at=berlin(2026, 7, 1, 12, 0))])
    call.refresh_from_db()
    assert call.closes_at == berlin(2026, 7, 1, 12, 0)
    Deadline.objects.filter(due_at=berlin(2026, 7, 1, 12, 0)).delete()
    call.refresh_from_db()
    assert call.closes_at == berlin(2026, 6, 1, 12, 0)
    deadline.refresh_from_db()
    deadline.delete()
    call.refresh_from_db()
    assert call.closes_at is None


def test_the_shipped_gold_call_is_open_until_the_end_of_30_june_2027_in_stuttgart():
    call = Call.objects.get(slug="gold-label-2023-2027")
    assert call.opens_at == berlin(2023, 10, 1)
    assert call.closes_at == berlin(2027, 6, 30, 23, 59, 59)
    assert both_ways(call, berlin(2023, 9, 30, 23, 59, 59)) == "upcoming"
    assert both_ways(call, berlin(2026, 12, 6)) == "open"
    assert both_ways(call, berlin(2027, 7, 1)) == "closed"
