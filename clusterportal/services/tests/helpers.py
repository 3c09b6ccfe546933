"""Small factories for the services' tests (the shipped catalogue is loaded too)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from clusterportal.services.models import Service, ServiceRequest

COACHING = "coaching-clustermanagement"


def service(slug: str = COACHING) -> Service:
    return Service.objects.get(slug=slug)


def make_request(people, slug: str = COACHING, message: str = "Strategieworkshop im Frühjahr"):
    """Mia's request for her textiles initiative."""
    return ServiceRequest.open_for(service(slug), people.textiles, people.mia, message)


def soon(days: int = 7) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def closed_request(people, slug: str = COACHING) -> ServiceRequest:
    request = make_request(people, slug)
    request.assign(people.clara, people.clara)
    request.close(people.clara, "Coaching fand statt.")
    return request
