"""Matchmaking pages: the event's matchmaking, one's profile, the participants (for the
participants and organisers only), a meeting request, the answer, one's agenda with its
iCal feed, and the organisers' page (counts, meetings set by hand, the scheduler)."""

from __future__ import annotations

import uuid

from allauth.core.internal import ratelimit  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clusterportal.lib import throttle
from clusterportal.lib.filters import render_filtered
from clusterportal.matchmaking import calendar, mail, planning
from clusterportal.matchmaking.agenda import meetings_of
from clusterportal.matchmaking.forms import ParticipantFilter, ProfileForm
from clusterportal.matchmaking.models import (
    Matchmaking,
    MeetingRequest,
    Participant,
    Refused,
    Slot,
)

ICAL = "text/calendar; charset=utf-8"
# Meeting requests per account (not per address: colleagues at one firm share one), counted
# as lib/throttle.py counts; settings.PUBLIC_RATE_LIMITS["matchmaking_request"]
# (RATE_MATCHMAKING_REQUEST) sets the rate, this is the default where it does not.
RATE_ACTION = "matchmaking_request"
DEFAULT_RATE = "30/h/user"


def _rates() -> dict:
    return {RATE_ACTION: DEFAULT_RATE, **settings.PUBLIC_RATE_LIMITS}


def _matchmaking(request, slug) -> Matchmaking:
    """The event's matchmaking; 404 when there is none or it is off (except to organisers)."""
    found = get_object_or_404(
        Matchmaking.objects.select_related("event__organising_initiative"), event__slug=slug
    )
    if not found.enabled and not request.user.has_perm("matchmaking.organise", found):
        raise Http404("matchmaking is off")
    return found


def _me(request, matchmaking: Matchmaking) -> Participant:
    me = matchmaking.participant_of(request.user)
    if me is None:
        raise PermissionDenied(_("Nur Teilnehmende mit Profil können Gespräche anfragen."))
    return me


@login_required
@require_safe
def home(request, slug):
    matchmaking = _matchmaking(request, slug)
    context = {
        "matchmaking": matchmaking,
        "event": matchmaking.event,
        "me": matchmaking.participant_of(request.user),
        "may_join": request.user.has_perm("matchmaking.join", matchmaking),
        "can_organise": request.user.has_perm("matchmaking.organise", matchmaking),
        "over": matchmaking.is_over(),
        "slots": matchmaking.slots.all(),
    }
    return render(request, "matchmaking/home.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request, slug):
    """Publish or change one's profile (a confirmed participant of the event)."""
    matchmaking = _matchmaking(request, slug)
    me = matchmaking.participant_of(request.user)
    if not request.user.has_perm("matchmaking.join", matchmaking):
        raise PermissionDenied(
            _("Ein Profil können nur bestätigte Teilnehmende der Veranstaltung anlegen.")
        )
    if me is None:
        me = Participant(
            matchmaking=matchmaking, user=request.user, name=_registered_name(request, matchmaking)
        )
    form = ProfileForm(request.POST or None, instance=me)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("matchmaking:participants", slug=slug)
    status = 400 if request.method == "POST" else 200
    context = {"matchmaking": matchmaking, "event": matchmaking.event, "form": form}
    return render(request, "matchmaking/profile.html", context, status=status)


def _registered_name(request, matchmaking: Matchmaking) -> str:
    registration = matchmaking.event.registrations.filter(
        status="confirmed", email__iexact=request.user.email
    ).first()
    return registration.name if registration else request.user.get_full_name()


@login_required
@require_safe
def participants(request, slug):
    """The profiles, searchable by text and field: for the participants and organisers."""
    matchmaking = _matchmaking(request, slug)
    if not request.user.has_perm("matchmaking.view_participants", matchmaking):
        raise PermissionDenied(_("Die Profile sehen nur die Teilnehmenden des Matchmakings."))
    filters = ParticipantFilter(request.GET, matchmaking)
    context = {"matchmaking": matchmaking, "event": matchmaking.event,
               "me": matchmaking.participant_of(request.user)}  # fmt: skip
    return render_filtered(request, "matchmaking/participants.html", filters, context, facets=False)


def _recipient(matchmaking: Matchmaking, key: str) -> Participant | None:
    """The person asked, in this matchmaking, or None (unknown, or of another event)."""
    try:
        value = uuid.UUID(key)
    except ValueError:
        return None
    return matchmaking.participants.active().filter(key=value).first()


def _free_common_slots(matchmaking: Matchmaking, *people: Participant) -> list[Slot]:
    now = timezone.now()
    taken = {slot for p in people if p is not None for slot in p.busy_slot_ids()}
    return [s for s in matchmaking.slots.filter(starts_at__gt=now) if s.pk not in taken]


def _allowed(request) -> bool:
    usage = ratelimit.consume(request, app=throttle.APP, action=RATE_ACTION, config=_rates())
    return usage is not None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_meeting(request, slug, key):
    """Ask a participant for a meeting, in a free slot or any (a short message)."""
    matchmaking = _matchmaking(request, slug)
    me = _me(request, matchmaking)
    other = _recipient(matchmaking, key)
    values = {"slot": request.POST.get("slot", ""), "message": request.POST.get("message", "")}
    context = {"matchmaking": matchmaking, "event": matchmaking.event, "other": other,
               "slots": _free_common_slots(matchmaking, me, other), "values": values}  # fmt: skip
    if request.method != "POST":
        if other is None:
            raise Http404("no such participant")
        return render(request, "matchmaking/request.html", context)
    if not _allowed(request):
        rate = _rates()[RATE_ACTION]
        errors = {
            "__all__": [
                _(
                    "Sie haben in kurzer Zeit zu viele Anfragen gestellt. Bitte versuchen Sie es später erneut."
                )
            ]
        }
        response = render(
            request, "matchmaking/request.html", {**context, "errors": errors}, status=429
        )
        response["Retry-After"] = str(int(max(r.duration for r in ratelimit.parse_rates(rate))))
        return response
    try:
        slot = _slot(matchmaking, values["slot"])
        with transaction.atomic():
            made = MeetingRequest.ask(me, other, slot, values["message"].strip())
            mail.request_sent(made).send()
    except Refused as refused:
        errors = {refused.field: [refused.message]}
        return render(
            request, "matchmaking/request.html", {**context, "errors": errors}, status=400
        )
    return redirect("matchmaking:agenda", slug=slug)


def _slot(matchmaking: Matchmaking, value: str) -> Slot | None:
    """The slot chosen in a form ("" for none), or Refused naming the field."""
    if value in ("", None):
        return None
    if not str(value).isdigit() or not (found := matchmaking.slots.filter(pk=int(value)).first()):
        raise Refused("unknown_slot", _("Diesen Termin gibt es hier nicht."), "slot")
    return found


@login_required
@require_POST
def answer(request, slug, key):
    """Accept (in the asked or another free slot) or decline a request made to oneself."""
    matchmaking = _matchmaking(request, slug)
    me = _me(request, matchmaking)
    asked = get_object_or_404(
        MeetingRequest.objects.select_related("sender__user", "recipient__user", "slot"),
        key=key, matchmaking=matchmaking,
    )  # fmt: skip
    if asked.recipient_id != me.pk:
        raise PermissionDenied(_("Nur die angefragte Person kann antworten."))
    try:
        with transaction.atomic():
            if request.POST.get("answer") == "decline":
                asked.decline(me)
            else:
                asked.accept(me, _slot(matchmaking, request.POST.get("slot", "")))
            mail.request_answered(asked).send()
    except Refused as refused:
        return _agenda(request, matchmaking, me, {refused.field: [refused.message]}, status=409)
    return redirect("matchmaking:agenda", slug=slug)


@login_required
@require_safe
def agenda(request, slug):
    matchmaking = _matchmaking(request, slug)
    return _agenda(request, matchmaking, _me(request, matchmaking))


def _agenda(request, matchmaking, me, errors=None, status=200):
    MeetingRequest.objects.expire_due()  # the state read is the state shown
    requests = MeetingRequest.objects.select_related("sender", "recipient", "slot")
    context = {
        "matchmaking": matchmaking, "event": matchmaking.event, "me": me,
        "meetings": meetings_of(me),
        "incoming": requests.filter(recipient=me, status=MeetingRequest.Status.PENDING),
        "sent": requests.filter(sender=me),
        "free_slots": _free_common_slots(matchmaking, me),
        "errors": errors or {},
        "feed_url": settings.PORTAL_URL + calendar.feed_path(me),
    }  # fmt: skip
    return render(request, "matchmaking/agenda.html", context, status=status)


@require_safe
def agenda_feed(request, slug, token):
    """The agenda as iCal, at a secret address a calendar can subscribe to (no login)."""
    me = get_object_or_404(
        Participant.objects.select_related("matchmaking__event"),
        feed_token=token, matchmaking__event__slug=slug, matchmaking__enabled=True,
    )  # fmt: skip
    response = HttpResponse(calendar.agenda(me), content_type=ICAL)
    response["Content-Disposition"] = f'attachment; filename="matchmaking-{slug}.ics"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organise(request, slug):
    """Counts, meetings set by hand (two people and a slot) and the scheduler."""
    matchmaking = _matchmaking(request, slug)
    if not request.user.has_perm("matchmaking.organise", matchmaking):
        raise PermissionDenied
    errors, run = {}, None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "schedule":
                run = planning.run_scheduler(matchmaking, by=request.user)
            else:
                planning.arrange(
                    matchmaking,
                    _recipient(matchmaking, request.POST.get("first", "")),
                    _recipient(matchmaking, request.POST.get("second", "")),
                    _slot(matchmaking, request.POST.get("slot", "")),
                    request.user,
                )
                return redirect("matchmaking:organise", slug=slug)
        except Refused as refused:
            errors = {refused.field: [refused.message]}
    context = {
        "matchmaking": matchmaking, "event": matchmaking.event, "errors": errors, "run": run,
        "counts": planning.counts(matchmaking),
        "unplaced": [] if run else planning.unplaced_reasons(matchmaking),
        "people": matchmaking.participants.active().order_by("name", "pk"),
        "slots": matchmaking.slots.all(), "values": request.POST,
    }  # fmt: skip
    return render(request, "matchmaking/organise.html", context, status=400 if errors else 200)
