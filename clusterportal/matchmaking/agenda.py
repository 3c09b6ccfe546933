"""One participant's meetings, in time order: the agenda page, its iCal feed and the API
read them here."""

from __future__ import annotations

from clusterportal.matchmaking.models import Meeting, Participant


def meetings_of(me: Participant) -> list[tuple[Meeting, Participant]]:
    """(meeting, the other person) pairs, by the slot's start."""
    meetings = (
        Meeting.objects.filter(bookings__participant=me)
        .select_related("slot", "first", "second")
        .order_by("slot__starts_at", "pk")
    )
    return [(meeting, meeting.other(me)) for meeting in meetings]
