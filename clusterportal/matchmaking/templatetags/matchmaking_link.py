"""The event page's link to its matchmaking (events/detail.html:
`{% load matchmaking_link %}{% matchmaking_link event %}`), so that events imports nothing
of matchmaking. Shown only when matchmaking is switched on for the event."""

from __future__ import annotations

from django import template

from clusterportal.matchmaking.models import Matchmaking

register = template.Library()


@register.inclusion_tag("matchmaking/_link.html")
def matchmaking_link(event) -> dict:
    return {"matchmaking": Matchmaking.objects.filter(event=event, enabled=True).first()}
