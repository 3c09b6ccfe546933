"""The calendar, an event with its registration form, iCal, withdrawal, and the organisers'
participant list (list, CSV/XLSX export, check-in)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clusterportal.events import registration as registering
from clusterportal.events.calendar import calendar
from clusterportal.events.filters import EventFilter
from clusterportal.events.models import Event, Registration, RegistrationRefused
from clusterportal.events.participants import export_response
from clusterportal.lib.markup import render_markdown
from clusterportal.lib.pagination import PageOutOfRange
from clusterportal.regions.models import Region
from clusterportal.taxonomy.models import TechnologyField

ICAL = "text/calendar; charset=utf-8"


def _choices() -> dict:
    """The filter's options as (value, label) pairs, in the page's language."""
    return {
        "kind": Event.Kind.choices,
        "format": Event.Format.choices,
        "region": [
            (r.slug, r.localized_name)
            for r in Region.objects.without_boundaries()
            .filter(kind=Region.Kind.REGION)
            .order_by("name")
        ],
        "field": [(f.slug, f.localized_name) for f in TechnologyField.objects.order_by("name")],
    }


@require_safe
def calendar_page(request):
    filters = EventFilter(request.GET)
    context = {
        "filters": filters,
        "form": filters.form,
        "choices": _choices(),
        "selected": {"kind": request.GET.getlist("kind"), "format": request.GET.getlist("format")},
    }
    if not filters.is_valid():
        return render(
            request, "events/calendar.html", {**context, "errors": filters.errors}, status=400
        )
    try:
        page = filters.page()
    except PageOutOfRange as error:
        errors = {"page": [error.localized_message]}
        return render(request, "events/calendar.html", {**context, "errors": errors}, status=404)
    query = request.GET.copy()
    query.pop("page", None)
    context.update(page=page, query=query.urlencode(), now=timezone.now())
    return render(request, "events/calendar.html", context)


@require_safe
def calendar_feed(request):
    """A subscribable iCal feed of the calendar's filters (without paging)."""
    filters = EventFilter(request.GET)
    if not filters.is_valid():
        return HttpResponse(str(filters.errors), status=400, content_type="text/plain")
    events = filters.queryset()[:500]
    return HttpResponse(calendar(events, _("Veranstaltungen")), content_type=ICAL)


def _published(slug: str) -> Event:
    return get_object_or_404(
        Event.objects.published().select_related("region", "parent", "organising_initiative"),
        slug=slug,
    )


def detail(request, slug):
    event = _published(slug)
    errors: dict[str, list[str]] = {}
    values: dict = {}
    if request.method == "POST":
        values = _form_values(request.POST, event)
        try:
            done = registering.submit(event, values)
        except registering.InvalidRegistration as invalid:
            errors = invalid.errors
        except RegistrationRefused as refused:
            errors = {"__all__": [refused.message]}
        else:
            request.session["event_registration"] = done.pk
            return redirect("events:registered", slug=event.slug)
    context = {
        "event": event,
        "description": render_markdown(event.localized_description),
        "parts": event.parts.published().order_by("starts_at", "pk"),
        "open": event.takes_registrations(),
        "past": event.is_past(),
        "errors": errors,
        "values": values,
        "can_organise": request.user.has_perm("events.organise", event),
    }
    return render(request, "events/detail.html", context, status=400 if errors else 200)


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


def withdraw(request, token):
    registration = Registration.objects.select_related("event").filter(token=token).first()
    if registration is None:
        raise Http404("no registration with this link")
    if request.method == "POST" and registration.status != Registration.Status.WITHDRAWN:
        registering.withdraw(registration)
        return render(request, "events/withdrawn.html", {"registration": registration})
    return render(request, "events/withdraw.html", {"registration": registration})


def _organised(request, slug) -> Event:
    event = get_object_or_404(Event.objects.select_related("organising_initiative"), slug=slug)
    if not request.user.has_perm("events.organise", event):
        raise PermissionDenied
    return event


@login_required
@require_safe
def participants(request, slug):
    event = _organised(request, slug)
    rows = event.registrations.exclude(status=Registration.Status.WITHDRAWN).order_by("sequence")
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
