"""API of the events: the calendar's list and details, and registration."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Router, Schema, Status

from clusterportal.changes.api import json_object
from clusterportal.events import registration as registering
from clusterportal.events.filters import EventFilter, EventFilterForm
from clusterportal.events.models import (
    Event,
    RegistrationRefused,
    registration_version,
)
from clusterportal.lib import caching, throttle
from clusterportal.lib.api import (
    ApiError,
    Error,
    PageInfo,
    checked_filter,
    data_etag,
    list_response,
    not_modified,
    query_parameters,
)

router = Router(tags=["events"])

PARAMETERS = {
    "von": "Events starting on or after this day (YYYY-MM-DD).",
    "bis": "Events starting on or before this day (YYYY-MM-DD).",
    "kind": "Kinds of event (repeat for several).",
    "format": "on_site, online or hybrid (repeat for several).",
    "region": "Slug of a Region (e.g. `region-neckar-alb`).",
    "field": "Slug of a technology field.",
    "organiser": "Part of the organiser's name.",
    "archive": "`true`: past events, latest first (default: upcoming, soonest first).",
    "page": "Page number, from 1.",
    "page_size": "Events per page (at most 100).",
}


class EventSummary(Schema):
    slug: str
    title: str
    title_en: str
    kind: str
    format: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    time_known: bool
    venue: str
    address: str
    region: str | None
    organiser: str
    organising_initiative: str | None
    parent: str | None
    registration_open: bool
    url: str

    @staticmethod
    def resolve_region(obj: Event) -> str | None:
        return obj.region.slug if obj.region_id else None

    @staticmethod
    def resolve_organising_initiative(obj: Event) -> str | None:
        return obj.organising_initiative.slug if obj.organising_initiative_id else None

    @staticmethod
    def resolve_parent(obj: Event) -> str | None:
        return obj.parent.slug if obj.parent_id else None

    @staticmethod
    def resolve_registration_open(obj: Event) -> bool:
        return obj.takes_registrations()

    @staticmethod
    def resolve_url(obj: Event, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class EventList(PageInfo):
    results: list[EventSummary]


class Question(Schema):
    key: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: list[str] = []


class AgendaItemOut(Schema):
    starts_at: datetime.time | None
    title: str
    title_en: str
    presenter: str


class SpeakerOut(Schema):
    name: str
    role: str
    role_en: str
    organisation: str


class EventDetail(EventSummary):
    description: str
    description_en: str
    capacity: int | None
    waiting_list: bool
    registration_opens_at: datetime.datetime | None
    registration_closes_at: datetime.datetime | None
    questions: list[Question]
    technology_fields: list[str]
    agenda: list[AgendaItemOut]
    speakers: list[SpeakerOut]
    kreis: str | None
    latitude: float | None
    longitude: float | None
    source_name: str
    source_url: str

    @staticmethod
    def resolve_technology_fields(obj: Event) -> list[str]:
        return [field.slug for field in obj.technology_fields.all()]

    @staticmethod
    def resolve_kreis(obj: Event) -> str | None:
        return obj.kreis.slug if obj.kreis else None


class RegistrationIn(Schema):
    name: str
    email: str
    consent_participant_list: bool = False
    answers: dict = {}


class RegistrationOut(Schema):
    status: str
    position: int | None
    event: str


@router.get(
    "/events",
    response={200: EventList, 304: None, 400: Error, 404: Error},
    openapi_extra={"parameters": query_parameters(EventFilterForm, PARAMETERS)},
)
def event_list(request: HttpRequest, response: HttpResponse):
    """Published events: upcoming ones soonest first, or the archive."""
    filters = checked_filter(request, EventFilter)
    # `registration_open` follows the clock too: the key names the next window that opens
    # or closes, so the kept answer goes when it does.
    version = registration_version()
    if cached := not_modified(request, response, data_etag(request, version)):
        return cached

    def respond() -> HttpResponse:
        with translation.override("en"):
            body = list_response(request, filters)
            answer = EventList.model_validate(body, context={"request": request})
            return _render(request, response, answer.model_dump(mode="json"))

    return caching.cached_response(request, "api-events", version, respond, response)


def _render(request: HttpRequest, response: HttpResponse, data: dict) -> HttpResponse:
    """The JSON response ninja would make of `data`, with the headers set on `response`."""
    from clusterportal.api import api  # the API object imports this module

    return api.create_response(request, data, temporal_response=response)


@router.get("/events/{slug}", response={200: EventDetail, 304: None, 400: Error, 404: Error})
def event_detail(request: HttpRequest, slug: str):
    return get_object_or_404(
        Event.objects.published()
        .select_related("region", "kreis", "parent", "organising_initiative")
        .defer("region__boundary", "kreis__boundary")
        .prefetch_related("technology_fields", "agenda", "speakers"),
        slug=slug,
    )


@router.post(
    "/events/{slug}/registrations",
    response={201: RegistrationOut, 400: Error, 404: Error, 409: Error, 429: Error},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": RegistrationIn.model_json_schema()}},
        }
    },
)
def register(request: HttpRequest, slug: str):
    """Register: 201 with `confirmed` or `waitlisted` (and the place on the list); 409 when
    registration is closed, the address already registered, or the event full without a
    waiting list; 400 naming each bad field; 429 when one client sent too many in a short
    time (settings.PUBLIC_RATE_LIMITS, Retry-After). Nothing is written on an error."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if not throttle.allowed(request, "event_registration"):
        raise ApiError(
            429, "Too many registrations from this client; try again later.",
            headers={"Retry-After": str(throttle.retry_after("event_registration"))},
        )  # fmt: skip
    body = json_object(
        request, example='{"name": "…", "email": "…", "consent_participant_list": false}'
    )
    unknown = set(body) - {"name", "email", "consent_participant_list", "answers"}
    if unknown:
        fields = {key: ["Unknown field."] for key in sorted(unknown)}
        raise ApiError(400, f"Unknown fields: {', '.join(sorted(unknown))}.", fields=fields)
    with translation.override("en"):
        try:
            done = registering.submit(event, body)
        except registering.InvalidRegistration as invalid:
            names = ", ".join(sorted(invalid.errors))
            raise ApiError(400, f"Invalid fields: {names}.", fields=invalid.errors) from None
        except RegistrationRefused as refused:
            raise ApiError(409, str(refused.message), code=f"registration_{refused.code}") from None
    return Status(
        201, {"status": done.status, "position": done.waiting_position(), "event": event.slug}
    )
