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
        "participants": matchmaking.participants.count(),
        "requests": [
            (label, by_state.get(value, 0)) for value, label in MeetingRequest.Status.choices
        ],
        "per_slot": [(slot, slot.n) for slot in per_slot],
        "meetings": sum(slot.n for slot in per_slot),
    }


def unplaced_reasons(matchmaking: Matchmaking) -> list[tuple[MeetingRequest, str]]:
    """The accepted requests without a meeting, each with why the scheduler cannot place it
    now (a dry run of it)."""
    requests, schedule = _plan(matchmaking)
    return [(requests[pk], str(REASONS[reason])) for pk, reason in schedule.unplaced.items()] + [
        (requests[pk], str(_("Kann jetzt gesetzt werden."))) for pk in schedule.placed
    ]


def _plan(matchmaking: Matchmaking):
    pending = {
        r.pk: r for r in matchmaking.requests.unplaced().select_related("sender", "recipient")
    }
    people = {p for r in pending.values() for p in (r.sender_id, r.recipient_id)}
    busy: dict[int, set[int]] = {}
    for person, slot in Booking.objects.filter(participant__in=people).values_list(
        "participant_id", "slot_id"
    ):
        busy.setdefault(person, set()).add(slot)
    slots = list(matchmaking.slots.order_by("starts_at").values_list("pk", flat=True))
    schedule = scheduling.place(
        slots, busy, [(pk, r.sender_id, r.recipient_id) for pk, r in pending.items()]
    )
    return pending, schedule


def run_scheduler(matchmaking: Matchmaking, by=None) -> Run:
    """Place every accepted request without a slot; all in one transaction, after locking
    the matchmaking (two organisers pressing at once run one after the other)."""
    with transaction.atomic():
        Matchmaking.objects.select_for_update().get(pk=matchmaking.pk)
        requests, schedule = _plan(matchmaking)
        slots = {s.pk: s for s in matchmaking.slots.all()}
        meetings = [
            Meeting(
                matchmaking=matchmaking,
                slot=slots[slot],
                first_id=requests[pk].sender_id,
                second_id=requests[pk].recipient_id,
                request=requests[pk],
                arranged_by=by,
            )  # fmt: skip
            for pk, slot in schedule.placed.items()
        ]
        try:
            with transaction.atomic():
                Meeting.objects.bulk_create(meetings)
                Booking.objects.bulk_create(
                    Booking(meeting=m, participant_id=p, slot=m.slot)
                    for m in meetings
                    for p in (m.first_id, m.second_id)
                )
        except IntegrityError:  # someone booked in between: nothing written, run again
            raise Refused(
                "slot_taken", _("Ein Termin wurde inzwischen belegt; bitte erneut planen.")
            ) from None
    unplaced = [(requests[pk], str(REASONS[reason])) for pk, reason in schedule.unplaced.items()]
    return Run(placed=len(meetings), unplaced=unplaced)


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
