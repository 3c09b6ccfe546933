"""The deadlines of calls as iCalendar (RFC 5545), with the events app's helpers."""

from __future__ import annotations

import datetime

from django.conf import settings
from icalendar import Event as VEvent

from clusterportal.calls.models import Call
from clusterportal.events.calendar import new_calendar, uid

PRODID = "-//Clusterportal//Foerderaufrufe//DE"


def deadline_calendar(calls: list[Call], name: str) -> bytes:
    """One entry per deadline of `calls` (their deadlines prefetched)."""
    cal = new_calendar(name, PRODID)
    for call in calls:
        for deadline in call.deadlines.all():
            item = VEvent()
            stamp = deadline.due_at.astimezone(datetime.UTC)
            item.add("uid", uid(f"frist-{call.slug}-{stamp:%Y%m%dT%H%M%SZ}"))
            title = call.localized_title
            label = deadline.localized_label
            item.add("summary", f"{label}: {title}" if label else title)
            # A moment, not a span: the last second the call takes submissions.
            item.add("dtstart", stamp)
            item.add("dtstamp", call.updated_at.astimezone(datetime.UTC))
            item.add("url", settings.PORTAL_URL + call.get_absolute_url())
            cal.add_component(item)
    return cal.to_ical()
