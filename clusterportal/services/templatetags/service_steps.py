"""The account page's suggested next steps (accounts/home.html includes them with
`{% load service_steps %}{% next_steps user %}`), so that accounts imports nothing of
services: the logic is in services/next_steps.py."""

from __future__ import annotations

from django import template

from clusterportal.services import next_steps as suggestions
from clusterportal.services.models import ServiceRequest

register = template.Library()


@register.inclusion_tag("services/_next_steps.html")
def next_steps(user) -> dict:
    """A cluster management's suggestions; for the ClusterAgentur, its open requests."""
    handles = user.has_perm("services.handle")
    return {
        "initiatives": suggestions.suggestions(user),
        "handles": handles,
        "open_requests": ServiceRequest.objects.open().count() if handles else 0,
    }
