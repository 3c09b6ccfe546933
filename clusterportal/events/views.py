"""The calendar, an event with its registration form, iCal, withdrawal, and the organisers'
participant list (list, CSV/XLSX export, check-in)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clusterportal.events import registration as registering
from clusterportal.events.calendar import calendar
from clusterportal.events.filters import EventFilter
from clusterportal.events.models import (
    Event,
    Registration,
    RegistrationRefused,
    calendar_version,
    registration_version,
)
from clusterportal.events.participants import export_response
from clusterportal.lib import caching, throttle
from clusterportal.lib.markup import render_markdown
from clusterportal.lib.pagination import PageOutOfRange
from clusterportal.lib.text import by_label
from clusterportal.regions.geojson import outline
from clusterportal.regions.models import Region
from clusterportal.registry.filters import registry_index
from clusterportal.taxonomy.models import TechnologyField

ICAL = "text/calendar; charset=utf-8"
TOO_MANY = gettext_lazy(
    "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Anmeldungen. Bitte versuchen Sie es "
    "in einigen Minuten erneut."
)


def _choices() -> dict:
    """The filter's options as (value, label) pairs, in the page's language, by label."""
    regions = Region.objects.without_boundaries().filter(kind=Region.Kind.REGION)
    return {
        "kind": Event.Kind.choices,
        "format": Event.Format.choices,
        "region": by_label((r.slug, r.localized_name) for r in regions),
        # The top-level fields, as the registry's filter offers them; one includes its subfields.
        "field": by_label((f.slug, f.localized_name) for f in TechnologyField.objects.top_level()),
    }


@require_safe
def calendar_page(request):
    """The calendar, kept rendered per data version (lib/caching.py). A page changes with the
    events, and with the clock as an event ends and passes into the archive: so the moment
    the next event ends is part of the key too."""
    filters = EventFilter(request.GET)
    if not filters.is_valid():
        context = _calendar_context(request, filters, errors=filters.errors)
        return render(request, "events/calendar.html", context, status=400)

    def respond():
        try:
            page = filters.page()
        except PageOutOfRange as error:
            context = _calendar_context(
                request, filters, errors={"page": [error.localized_message]}
            )
            return render(request, "events/calendar.html", context, status=404)
        query = request.GET.copy()
        query.pop("page", None)
        context = _calendar_context(request, filters, page=page, query=query.urlencode())
        return render(request, "events/calendar.html", context)

    return caching.cached_response(request, "calendar-page", calendar_version(), respond)


def _calendar_context(request, filters: EventFilter, **values) -> dict:
    return {
        "filters": filters,
        "form": filters.form,
        "choices": _choices(),
        "selected": {"kind": request.GET.getlist("kind"), "format": request.GET.getlist("format")},
        "now": timezone.now(),
        **values,
    }


@require_safe
def calendar_feed(request):
    """A subscribable iCal feed of the calendar's filters (without paging)."""
    filters = EventFilter(request.GET)
    if not filters.is_valid():
        return HttpResponse(str(filters.errors), status=400, content_type="text/plain")
    events = filters.queryset()[:500]
    return HttpResponse(calendar(events, _("Veranstaltungen")), content_type=ICAL)


def _published(slug: str) -> Event:
    # The outlines of Region and Kreis are large; the map reads them once per data version.
    events = Event.objects.published().select_related(
        "region", "kreis", "parent", "organising_initiative"
    )
    return get_object_or_404(events.defer("region__boundary", "kreis__boundary"), slug=slug)


def _map_data(event: Event) -> dict | None:
    """What the event's small map draws (the profile's map: registry/map.js), or None."""
    marker = None
    if event.latitude is not None and event.longitude is not None:
        marker = {"lat": event.latitude, "lon": event.longitude, "name": event.venue}
    index = registry_index()  # its version covers the regions and their outlines

    def outline_of(region):
        if region is None:
            return None
        return index.memo(("outline", region.pk), lambda: outline(Region.objects.get(pk=region.pk)))

    kreis = outline_of(event.kreis)
    if marker is None and kreis is None:
        return None
    # The Region around the Kreis gives the context (without one: the whole Land).
    return {"region": outline_of(event.region), "kreis": kreis, "marker": marker}


@require_http_methods(["GET", "HEAD", "POST"])
def detail(request, slug):
    """An event with its registration form. Kept rendered for visitors who are not signed in,
    per data version and the next moment a registration window opens or closes: the form's
    CSRF token is put in per visitor (lib/caching.py, with_csrf_token)."""
    if request.method == "POST":
        response = _registration_attempt(request, _published(slug))
    else:

        def respond() -> HttpResponse:
            return _render_detail(request, _published(slug))

        response = caching.cached_response(request, "event-page", registration_version(), respond)
    return caching.with_csrf_token(request, response)


def _registration_attempt(request, event: Event) -> HttpResponse:
    """A POST of the form: on to the confirmation, or the page again with what was wrong."""
    if not throttle.allowed(request, "event_registration"):
        response = _render_detail(request, event, {"__all__": [TOO_MANY]}, status=429)
        response["Retry-After"] = str(throttle.retry_after("event_registration"))
        return response
    values = _form_values(request.POST, event)
    try:
        done = registering.submit(event, values)
    except registering.InvalidRegistration as invalid:
        return _render_detail(request, event, invalid.errors, values, status=400)
    except RegistrationRefused as refused:
        return _render_detail(request, event, {"__all__": [refused.message]}, values, status=400)
    request.session["event_registration"] = done.pk
    return redirect("events:registered", slug=event.slug)


def _render_detail(request, event: Event, errors=None, values=None, status=200) -> HttpResponse:
    context = {
        "event": event,
        "description": render_markdown(event.localized_description),
        "parts": event.parts.published().order_by("starts_at", "pk"),
        "agenda": event.agenda.all(),
        "speakers": event.speakers.all(),
        "open": event.takes_registrations(),
        "past": event.is_past(),
        "errors": errors or {},
        "values": values or {},
        "can_organise": request.user.has_perm("events.organise", event),
        "map_data": _map_data(event),
        "form_token": caching.CSRF_PLACEHOLDER,
    }
    return render(request, "events/detail.html", context, status=status)


def _form_values(post, event: Event) -> dict:
    answers = {}
    for question in event.questions:
        key = question["key"]
        if question.get("kind") == "yes_no":
            answers[key] = post.get(f"q_{key}") == "ja"
        elif post.get(f"q_{key}", "") != "":
            answers[key] = post.get(f"q_{key}")
    return {
        "name": post.get("name", ""),
        "email": post.get("email", ""),
        "consent_participant_list": post.get("consent_participant_list") == "on",
        "answers": answers,
    }


@require_safe
def registered(request, slug):
    event = _published(slug)
    pk = request.session.get("event_registration")
    mine = Registration.objects.filter(pk=pk, event=event).first() if pk else None
    return render(request, "events/registered.html", {"event": event, "registration": mine})


@require_safe
def ical(request, slug):
    event = _published(slug)
    response = HttpResponse(calendar([event], event.localized_title), content_type=ICAL)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _by_token(token: str) -> Registration:
    registration = Registration.objects.select_related("event").filter(token=token).first()
    if registration is None:
        raise Http404("no registration with this link")
    return registration


def withdraw(request, token):
    registration = _by_token(token)
    holding = registration.status in Registration.HOLDING
    if request.method == "POST" and holding:
        registering.withdraw(registration)
        return render(request, "events/withdrawn.html", {"registration": registration})
    return render(
        request, "events/withdraw.html", {"registration": registration, "holding": holding}
    )


def offer(request, token):
    """The link of an offer mail: take the offered place, or decline it (it passes on)."""
    registration = _by_token(token)
    registering.settle(registration.event)  # an offer that ran out is shown as such
    registration.refresh_from_db()
    error = ""
    if request.method == "POST" and request.POST.get("answer") == "decline":
        registering.withdraw(registration)
    elif request.method == "POST":
        try:
            registering.accept(registration)
        except RegistrationRefused as refused:
            error = refused.message
    context = {"registration": registration, "error": error}
    return render(request, "events/offer.html", context, status=409 if error else 200)


def _organised(request, slug) -> Event:
    event = get_object_or_404(Event.objects.select_related("organising_initiative"), slug=slug)
    if not request.user.has_perm("events.organise", event):
        raise PermissionDenied
    return event


@login_required
@require_safe
def participants(request, slug):
    event = _organised(request, slug)
    rows = event.registrations.filter(status__in=Registration.HOLDING).order_by("sequence")
    return render(request, "events/participants.html", {"event": event, "rows": rows})


@login_required
@require_safe
def participants_export(request, slug, fmt):
    return export_response(_organised(request, slug), fmt)


@login_required
@require_POST
def check_in(request, slug, pk):
    event = _organised(request, slug)
    row = get_object_or_404(event.registrations, pk=pk, status=Registration.Status.CONFIRMED)
    # Only the first check-in counts; a second click changes nothing.
    event.registrations.filter(pk=row.pk, checked_in_at__isnull=True).update(
        checked_in_at=timezone.now()
    )
    return redirect("events:participants", slug=event.slug)
