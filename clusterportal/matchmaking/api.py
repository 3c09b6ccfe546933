"""GET /api/v1/matchmaking/{event_slug}/agenda: the signed-in participant's meetings (an
API token: Authorization: Bearer ...). The same read as the agenda page (agenda.py)."""

from __future__ import annotations

import datetime

from ninja import Router, Schema

from clusterportal.accounts.auth import BearerToken
from clusterportal.lib.api import ApiError, Error, NoParameters, checked_query
from clusterportal.matchmaking.agenda import meetings_of
from clusterportal.matchmaking.models import Matchmaking

router = Router(tags=["matchmaking"])


class AgendaMeeting(Schema):
    starts_at: datetime.datetime  # in UTC, as every time of the API
    ends_at: datetime.datetime
    with_name: str
    with_organisation: str


class Agenda(Schema):
    event: str
    count: int
    results: list[AgendaMeeting]


@router.get(
    "/matchmaking/{event_slug}/agenda",
    response={200: Agenda, 304: None, 400: Error, 401: Error, 403: Error, 404: Error},
    auth=BearerToken(),
)
def agenda(request, event_slug: str):
    """The meetings of the token's person at this event, in time order."""
    checked_query(request, NoParameters)
    matchmaking = (
        Matchmaking.objects.select_related("event")
        .filter(event__slug=event_slug, enabled=True)
        .first()
    )
    if matchmaking is None:
        raise ApiError(404, "No matchmaking at an event with this slug.")
    me = matchmaking.participant_of(request.user)
    if me is None:
        raise ApiError(403, "Only participants with a profile have an agenda.", code="forbidden")
    results = [
        {
            "starts_at": meeting.slot.starts_at,
            "ends_at": meeting.slot.ends_at,
            "with_name": other.name,
            "with_organisation": other.organisation,
        }
        for meeting, other in meetings_of(me)
    ]
    return {"event": matchmaking.event.slug, "count": len(results), "results": results}
