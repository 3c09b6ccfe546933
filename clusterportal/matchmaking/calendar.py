"""A participant's agenda as iCalendar (icalendar library, the events' calendar helpers):
one VEVENT per meeting, times in UTC (Europe/Berlin on the page), stable UIDs."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Event as VEvent

from clusterportal.events.calendar import new_calendar, uid
from clusterportal.matchmaking.agenda import meetings_of
from clusterportal.matchmaking.models import Participant

PRODID = "-//Clusterportal//Matchmaking//DE"


def feed_path(me: Participant) -> str:
    return reverse("matchmaking:feed", args=[me.matchmaking.event.slug, me.feed_token])


def agenda(me: Participant) -> bytes:
    event = me.matchmaking.event
    with override("de"):
        cal = new_calendar(_("Gespräche: %(title)s") % {"title": event.title}, PRODID)
        for meeting, other in meetings_of(me):
            item = VEvent()
            item.add("uid", uid(f"matchmaking-{meeting.key}"))
            item.add(
                "summary",
                _("Gespräch mit %(name)s (%(organisation)s)")
                % {"name": other.name, "organisation": other.organisation},
            )
            item.add("dtstart", meeting.slot.starts_at.astimezone(datetime.UTC))
            item.add("dtend", meeting.slot.ends_at.astimezone(datetime.UTC))
            item.add("dtstamp", meeting.created_at.astimezone(datetime.UTC))
            where = ", ".join(part for part in (event.venue, event.address) if part)
            if where:
                item.add("location", where)
            item.add("url", settings.PORTAL_URL + reverse("matchmaking:agenda", args=[event.slug]))
            cal.add_component(item)
    return cal.to_ical()
