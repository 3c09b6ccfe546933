"""The organisers' side: counts, meetings they set themselves, and the automatic scheduler
run over the database (the placing itself is scheduling.place, pure Python)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from clusterportal.matchmaking import scheduling
from clusterportal.matchmaking.models import (
    Booking,
    Matchmaking,
    Meeting,
    MeetingRequest,
    Refused,
)

REASONS = {
    scheduling.SENDER_FULL: _("Die anfragende Person hat keinen freien Termin mehr."),
    scheduling.RECIPIENT_FULL: _("Die angefragte Person hat keinen freien Termin mehr."),
    scheduling.NO_COMMON_SLOT: _("Beide haben freie Termine, aber keinen gemeinsamen."),
}


@dataclass
class Run:
    placed: int
    unplaced: list[tuple[MeetingRequest, str]]  # request, reason (translated)


def counts(matchmaking: Matchmaking) -> dict:
    """Participants, requests by state, meetings per slot (every slot, also the empty)."""
    MeetingRequest.objects.expire_due()
    by_state = dict(matchmaking.requests.values_list("status").annotate(n=Count("pk")).order_by())
    per_slot = matchmaking.slots.annotate(n=Count("meetings")).order_by("starts_at")
    return {
        "participants": matchmaking.participants.active().count(),
        "requests": [
            (label, by_state.get(value, 0)) for value, label in MeetingRequest.Status.choices
        ],
        "per_slot": [(slot, slot.n) for slot in per_slot],
        "meetings": sum(slot.n for slot in per_slot),
    }


def unplaced_reasons(matchmaking: Matchmaking) -> list[tuple[MeetingRequest, str]]:
    """The accepted requests without a meeting, each with why the scheduler cannot place it
    now, or that it can (a dry run of it)."""
    schedule = _plan(matchmaking)
    can = str(_("Kann jetzt gesetzt werden."))
    reasons = {pk: str(REASONS[reason]) for pk, reason in schedule.unplaced.items()}
    return _with_requests({**reasons, **dict.fromkeys(schedule.placed, can)})


def _with_requests(reasons: dict[int, str]) -> list[tuple[MeetingRequest, str]]:
    requests = MeetingRequest.objects.filter(pk__in=reasons).select_related("sender", "recipient")
    return [(r, reasons[r.pk]) for r in requests.order_by("sender__name", "recipient__name", "pk")]


def _plan(matchmaking: Matchmaking) -> scheduling.Schedule:
    """Where the accepted requests without a meeting would go (reads ids only: at 2,000
    requests, model instances would take a third of the run)."""
    pending = list(matchmaking.requests.unplaced().values_list("pk", "sender_id", "recipient_id"))
    people = {p for _, a, b in pending for p in (a, b)}
    busy: dict[int, set[int]] = {}
    for person, slot in Booking.objects.filter(
        slot__matchmaking=matchmaking, participant__in=people
    ).values_list("participant_id", "slot_id"):
        busy.setdefault(person, set()).add(slot)
    slots = list(matchmaking.slots.order_by("starts_at").values_list("pk", flat=True))
    schedule = scheduling.place(slots, busy, pending)
    schedule.pairs = {pk: (a, b) for pk, a, b in pending}
    return schedule


def run_scheduler(matchmaking: Matchmaking, by=None) -> Run:
    """Place every accepted request without a slot; all in one transaction, after locking
    the matchmaking (two organisers pressing at once run one after the other)."""
    with transaction.atomic():
        Matchmaking.objects.select_for_update().get(pk=matchmaking.pk)
        schedule = _plan(matchmaking)
        meetings = [
            Meeting(
                matchmaking_id=matchmaking.pk,
                slot_id=slot,
                first_id=schedule.pairs[pk][0],
                second_id=schedule.pairs[pk][1],
                request_id=pk,
                arranged_by=by,
            )  # fmt: skip
            for pk, slot in schedule.placed.items()
        ]
        try:
            with transaction.atomic():
                Meeting.objects.bulk_create(meetings)
                Booking.objects.bulk_create(
                    Booking(meeting_id=m.pk, participant_id=p, slot_id=m.slot_id)
                    for m in meetings
                    for p in (m.first_id, m.second_id)
                )
        except IntegrityError:  # someone booked in between: nothing written, run again
            raise Refused(
                "slot_taken", _("Ein Termin wurde inzwischen belegt; bitte erneut planen.")
            ) from None
    reasons = {pk: str(REASONS[reason]) for pk, reason in schedule.unplaced.items()}
    return Run(placed=len(meetings), unplaced=_with_requests(reasons))


def arrange(matchmaking: Matchmaking, first, second, slot, by) -> Meeting:
    """A meeting the organisers set; an accepted, unplaced request of the pair is attached."""
    if first is None or second is None or slot is None:
        raise Refused("missing", _("Bitte zwei Teilnehmende und einen Termin wählen."))
    open_request = (
        matchmaking.requests.unplaced()
        .filter(sender__in=[first, second], recipient__in=[first, second])
        .first()
    )
    return Meeting.book(first, second, slot, request=open_request, arranged_by=by)
