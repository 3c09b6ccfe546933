"""iCalendar (RFC 5545) for one event and for any filter of the calendar (icalendar library)."""

from __future__ import annotations

import datetime

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as VEvent

from clusterportal.events.models import Event
from clusterportal.lib.markup import plain_text

PRODID = "-//Clusterportal//Veranstaltungen//DE"


def new_calendar(name: str, prodid: str = PRODID) -> Calendar:
    """An empty calendar named `name` (the calls' deadline feed uses it too)."""
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def uid(key: str) -> str:
    """A UID stable across edits and installations' exports: a key and the portal's host."""
    host = settings.PORTAL_URL.split("://", 1)[-1]
    return f"{key}@{host}"


def calendar(events, name: str) -> bytes:
    cal = new_calendar(name)
    for event in events:
        cal.add_component(_vevent(event))
    return cal.to_ical()


def _vevent(event: Event) -> VEvent:
    item = VEvent()
    item.add("uid", uid(event.slug))
    item.add("summary", event.localized_title)
    if event.time_known:
        item.add("dtstart", event.starts_at.astimezone(datetime.UTC))
        item.add("dtend", (event.ends_at or event.starts_at).astimezone(datetime.UTC))
    else:  # only the day is known: an all-day event (DTEND is exclusive)
        day = event.starts_at.astimezone(_berlin()).date()
        last = event.ends_at.astimezone(_berlin()).date() if event.ends_at else day
        item.add("dtstart", day)
        item.add("dtend", last + datetime.timedelta(days=1))
    item.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
    where = ", ".join(part for part in (event.venue, event.address) if part)
    if where:
        item.add("location", where)
    item.add("url", settings.PORTAL_URL + event.get_absolute_url())
    description = plain_text(event.localized_description)
    if description:
        item.add("description", description)
    return item


def _berlin():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)
