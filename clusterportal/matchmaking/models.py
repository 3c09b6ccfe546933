"""Matchmaking at events: 1:1 meetings in an event's slots (docs/matchmaking.md).

An event has matchmaking when a `Matchmaking` row beside it is switched on; it holds the
meeting slots (start, end, length) and how long a request waits for an answer. Confirmed
participants of the event (their account's e-mail address has a confirmed registration)
publish a `Participant` profile and ask each other for meetings (`MeetingRequest`). An
accepted request in a slot becomes a `Meeting` with one `Booking` per person and slot.

No one is booked twice in a slot: the database holds a unique constraint on (participant,
slot) of the bookings, and both bookings of a meeting are written in one transaction that
first locks the two participants' rows (SELECT ... FOR UPDATE on PostgreSQL, in the order
of their keys; on SQLite every transaction begins IMMEDIATE and holds the write lock).
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterportal.lib.markup import render_markdown

MAX_MESSAGE = 1000
MAX_TEXT = 1000


class Refused(Exception):
    """A step that cannot be taken: `field` names the input at fault, `message` why.
    Nothing was written."""

    def __init__(self, code: str, message, field: str = "__all__"):
        super().__init__(str(message))
        self.code = code
        self.field = field
        self.message = str(message)


class Matchmaking(models.Model):
    """Matchmaking switched on for one event, with its meeting slots."""

    event = models.OneToOneField(
        "events.Event", verbose_name=_("Veranstaltung"), on_delete=models.CASCADE,
        related_name="matchmaking",
    )  # fmt: skip
    enabled = models.BooleanField(_("Matchmaking eingeschaltet"), default=True)
    slots_start = models.DateTimeField(_("Gespräche ab"))
    slots_end = models.DateTimeField(_("Gespräche bis"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("Länge eines Gesprächs (Minuten)"), default=20
    )
    answer_hours = models.PositiveSmallIntegerField(
        _("Frist für eine Antwort (Stunden)"), default=48,
        help_text=_("So lange wartet eine Anfrage auf Antwort; dann verfällt sie."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("Matchmaking")
        verbose_name_plural = _("Matchmakings")
        constraints = [
            models.CheckConstraint(
                condition=Q(slots_end__gt=models.F("slots_start")),
                name="matchmaking_slots_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5), name="matchmaking_slot_at_least_5_minutes"
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.sync_slots()

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:home", args=[self.event.slug])

    @property
    def initiative(self):
        """The organising initiative: its managers organise (accounts/rules.py)."""
        return self.event.organising_initiative

    def slot_times(self) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """The slots from start to end, each `slot_minutes` long (a rest too short is dropped)."""
        length = datetime.timedelta(minutes=self.slot_minutes)
        times, start = [], self.slots_start
        while start + length <= self.slots_end:
            times.append((start, start + length))
            start += length
        return times

    def clean(self) -> None:
        errors = {}
        if self.slots_start and self.slots_end and self.slots_end <= self.slots_start:
            errors["slots_end"] = _("Das Ende muss nach dem Beginn liegen.")
        if self.slot_minutes is not None and self.slot_minutes < 5:
            errors["slot_minutes"] = _("Ein Gespräch dauert mindestens 5 Minuten.")
        if not errors and self.pk and self.slots_start and self.slots_end:
            wanted = set(self.slot_times())
            booked = Slot.objects.filter(matchmaking=self, bookings__isnull=False).distinct()
            lost = [s for s in booked if (s.starts_at, s.ends_at) not in wanted]
            if lost:
                first = timezone.localtime(lost[0].starts_at).strftime("%d.%m.%Y %H:%M")
                errors["slots_start"] = _(
                    "Im Termin %(time)s sind schon Gespräche gebucht; er muss bleiben."
                ) % {"time": first}
        if errors:
            raise ValidationError(errors)

    def sync_slots(self) -> None:
        """Slots as the settings say: missing ones made, unbooked extra ones removed."""
        wanted = self.slot_times()
        existing = {(s.starts_at, s.ends_at): s for s in self.slots.all()}
        extra = [s.pk for key, s in existing.items() if key not in set(wanted)]
        self.slots.filter(pk__in=extra, bookings__isnull=True).delete()
        # A booked slot that no longer fits stays (clean() refuses such a change in the
        # back office); a new slot that would start at the same moment is left out.
        starts = set(self.slots.values_list("starts_at", flat=True))
        Slot.objects.bulk_create(
            Slot(matchmaking=self, starts_at=start, ends_at=end)
            for start, end in wanted
            if start not in starts
        )

    def is_over(self, now=None) -> bool:
        return self.event.is_past(now)

    def participant_of(self, user) -> Participant | None:
        if not user.is_authenticated:
            return None
        return self.participants.active().filter(user=user).first()

    def is_registered(self, user) -> bool:
        """The account's e-mail address has a confirmed registration for the event."""
        if not user.is_authenticated or not user.email:
            return False
        return self.event.registrations.filter(
            status="confirmed", email__iexact=user.email
        ).exists()


class Slot(models.Model):
    matchmaking = models.ForeignKey(Matchmaking, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))

    class Meta:
        verbose_name = _("Gesprächstermin")
        verbose_name_plural = _("Gesprächstermine")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["matchmaking", "starts_at"], name="slot_start_once")
        ]

    def __str__(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def active(self) -> ParticipantQuerySet:
        """Profiles whose account still has a confirmed registration for the event: who
        withdraws (or is moved off the list) leaves the matchmaking too."""
        from clusterportal.events.models import Registration

        confirmed = Registration.objects.filter(
            event=models.OuterRef("matchmaking__event"),
            status=Registration.Status.CONFIRMED,
            email__iexact=models.OuterRef("user__email"),
        )
        return self.filter(models.Exists(confirmed))

    def search(self, text: str = "", field=None) -> ParticipantQuerySet:
        queryset = self
        if field is not None:
            queryset = queryset.filter(
                Q(technology_fields=field) | Q(technology_fields__parent=field)
            )
        for word in text.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(organisation__icontains=word)
                | Q(offer__icontains=word) | Q(seek__icontains=word)
            )  # fmt: skip
        return queryset.distinct().order_by("name", "pk")


class Participant(models.Model):
    """A confirmed participant's profile: who they are, what they offer and seek."""

    matchmaking = models.ForeignKey(
        Matchmaking, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matchmaking_profiles"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    feed_token = models.CharField(
        max_length=64, unique=True, default=secrets.token_urlsafe, editable=False
    )
    name = models.CharField(_("Name"), max_length=200)
    organisation = models.CharField(_("Organisation"), max_length=200)
    offer = models.TextField(_("Wir bieten"), max_length=MAX_TEXT)
    seek = models.TextField(_("Wir suchen"), max_length=MAX_TEXT)
    technology_fields = models.ManyToManyField(
        "taxonomy.TechnologyField", verbose_name=_("Technologiefelder"), blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("Teilnehmerprofil")
        verbose_name_plural = _("Teilnehmerprofile")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["matchmaking", "user"], name="participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def initiative(self):
        return self.matchmaking.initiative

    def busy_slot_ids(self) -> set[int]:
        return set(self.bookings.values_list("slot_id", flat=True))


class MeetingRequestQuerySet(models.QuerySet["MeetingRequest"]):
    def open(self) -> MeetingRequestQuerySet:
        return self.filter(status__in=MeetingRequest.OPEN)

    def expire_due(self, now=None) -> int:
        """Mark the pending requests whose answer time ran out; how many."""
        return self.filter(
            status=MeetingRequest.Status.PENDING, expires_at__lte=now or timezone.now()
        ).update(status=MeetingRequest.Status.EXPIRED)

    def unplaced(self) -> MeetingRequestQuerySet:
        """Accepted, without a meeting yet: the scheduler's work."""
        return self.filter(status=MeetingRequest.Status.ACCEPTED, meeting__isnull=True)


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("offen")
        ACCEPTED = "accepted", _("angenommen")
        DECLINED = "declined", _("abgelehnt")
        EXPIRED = "expired", _("verfallen")

    # Requests that still count: one per pair and direction.
    OPEN = (Status.PENDING, Status.ACCEPTED)

    matchmaking = models.ForeignKey(Matchmaking, on_delete=models.CASCADE, related_name="requests")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sender = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="sent_requests",
        verbose_name=_("von"),
    )  # fmt: skip
    recipient = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="received_requests",
        verbose_name=_("an"),
    )  # fmt: skip
    slot = models.ForeignKey(
        Slot, verbose_name=_("Termin"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="requests",
    )  # fmt: skip
    message = models.TextField(_("Nachricht"), max_length=MAX_MESSAGE, blank=True)
    status = models.CharField(_("Stand"), max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("gestellt am"), default=timezone.now)
    expires_at = models.DateTimeField(_("Antwort bis"))
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)

    objects = MeetingRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("Gesprächsanfrage")
        verbose_name_plural = _("Gesprächsanfragen")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("recipient")), name="request_not_to_oneself"
            ),
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status__in=["pending", "accepted"]),
                name="request_open_once",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="request_status_expiry")]

    def __str__(self) -> str:
        return f"{self.sender.name} → {self.recipient.name} ({self.get_status_display()})"

    @property
    def initiative(self):
        return self.matchmaking.initiative

    @property
    def message_html(self):
        """The message as sanitised Markdown (lib/markup.py): scripts and `javascript:`
        links come out inert."""
        return render_markdown(self.message)

    def is_due(self, now=None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= (now or timezone.now())

    @classmethod
    def ask(
        cls, sender: Participant, recipient: Participant | None, slot: Slot | None,
        message: str, now=None,
    ) -> MeetingRequest:  # fmt: skip
        """A pending request, or Refused naming the field and the reason (nothing written)."""
        now = now or timezone.now()
        matchmaking = sender.matchmaking
        if matchmaking.is_over(now):
            raise Refused(
                "over", _("Die Veranstaltung ist vorbei; Anfragen sind nicht mehr möglich.")
            )
        if recipient is None or recipient.matchmaking_id != matchmaking.pk:
            raise Refused(
                "not_participant",
                _("Diese Person nimmt nicht am Matchmaking dieser Veranstaltung teil."),
                "recipient",
            )
        if recipient.pk == sender.pk:
            raise Refused(
                "oneself", _("Sie können kein Gespräch mit sich selbst anfragen."), "recipient"
            )
        if len(message) > MAX_MESSAGE:
            raise Refused(
                "message_too_long",
                _("Die Nachricht darf höchstens %(max)d Zeichen lang sein.") % {"max": MAX_MESSAGE},
                "message",
            )
        if slot is not None:
            if slot.matchmaking_id != matchmaking.pk:
                raise Refused("unknown_slot", _("Diesen Termin gibt es hier nicht."), "slot")
            if slot.starts_at <= now:
                raise Refused("slot_past", _("Dieser Termin hat schon begonnen."), "slot")
        with transaction.atomic():
            lock_participants(sender, recipient)
            pair = Q(sender=sender, recipient=recipient) | Q(sender=recipient, recipient=sender)
            existing = cls.objects.open().filter(pair).first()
            if existing is not None:
                if existing.sender_id == sender.pk:
                    text = _("Sie haben %(name)s schon angefragt (%(status)s).")
                else:
                    text = _(
                        "%(name)s hat Sie schon angefragt (%(status)s); bitte antworten Sie darauf."
                    )
                raise Refused(
                    "duplicate",
                    text % {"name": recipient.name, "status": existing.get_status_display()},
                    "recipient",
                )  # fmt: skip
            if slot is not None:
                check_free(slot, sender, recipient)
            deadline = now + datetime.timedelta(hours=matchmaking.answer_hours)
            if slot is not None:
                deadline = min(deadline, slot.starts_at)
            return cls.objects.create(
                matchmaking=matchmaking, sender=sender, recipient=recipient, slot=slot,
                message=message, created_at=now, expires_at=deadline,
            )  # fmt: skip

    def accept(self, by: Participant, slot: Slot | None = None, now=None) -> Meeting | None:
        """Accept (the meeting in the request's or the chosen slot; without a slot, the
        organisers' scheduler places it later). Refused when the request is not open to
        `by`, ran out, or the slot is taken (nothing changed)."""
        now = now or timezone.now()
        with transaction.atomic():
            me = self._locked_for_answer(by, now)
            slot = slot or me.slot
            meeting = None
            if slot is not None:
                if slot.matchmaking_id != me.matchmaking_id:
                    raise Refused("unknown_slot", _("Diesen Termin gibt es hier nicht."), "slot")
                if slot.starts_at <= now:
                    raise Refused("slot_past", _("Dieser Termin hat schon begonnen."), "slot")
                meeting = Meeting.book(me.sender, me.recipient, slot, request=me)
            me.status, me.answered_at = self.Status.ACCEPTED, now
            me.save(update_fields=["status", "answered_at"])
            self.status, self.answered_at = me.status, me.answered_at
            return meeting

    def decline(self, by: Participant, now=None) -> None:
        now = now or timezone.now()
        with transaction.atomic():
            me = self._locked_for_answer(by, now)
            me.status, me.answered_at = self.Status.DECLINED, now
            me.save(update_fields=["status", "answered_at"])
            self.status, self.answered_at = me.status, me.answered_at

    def _locked_for_answer(self, by: Participant, now) -> MeetingRequest:
        me = (
            MeetingRequest.objects.select_for_update(of=("self",))
            .select_related("sender", "recipient", "slot", "matchmaking__event")
            .get(pk=self.pk)
        )
        if me.recipient_id != by.pk:
            raise Refused("not_recipient", _("Nur die angefragte Person kann antworten."))
        if me.is_due(now):  # read as expired though the command has not marked it yet
            raise Refused(
                "expired", _("Die Anfrage ist verfallen; die Antwortfrist ist abgelaufen.")
            )
        if me.status != self.Status.PENDING:
            raise Refused(
                "answered",
                _("Die Anfrage ist nicht mehr offen (%(status)s).") % {"status": me.get_status_display()},
            )  # fmt: skip
        return me


def lock_participants(*participants: Participant) -> None:
    """Lock the participants' rows, in the order of their keys (no deadlock between two
    transactions that lock the same two people)."""
    pks = sorted({p.pk for p in participants})
    list(Participant.objects.select_for_update().filter(pk__in=pks).order_by("pk").values("pk"))


def check_free(slot: Slot, *participants: Participant) -> None:
    """Refused naming the first of `participants` who is booked in `slot`."""
    taken = set(
        Booking.objects.filter(slot=slot, participant__in=participants).values_list(
            "participant_id", flat=True
        )
    )
    for person in participants:
        if person.pk in taken:
            raise Refused(
                "slot_taken",
                _("Im Termin %(slot)s hat %(name)s schon ein Gespräch.")
                % {"slot": str(slot), "name": person.name},
                "slot",
            )


class Meeting(models.Model):
    """A 1:1 meeting in a slot, from an accepted request or set by the organisers."""

    matchmaking = models.ForeignKey(Matchmaking, on_delete=models.CASCADE, related_name="meetings")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(
        Slot, verbose_name=_("Termin"), on_delete=models.CASCADE, related_name="meetings"
    )
    first = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    request = models.OneToOneField(
        MeetingRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting"
    )
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("angesetzt von"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Gespräch")
        verbose_name_plural = _("Gespräche")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first=models.F("second")), name="meeting_two_people"
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot}: {self.first.name} – {self.second.name}"

    def other(self, participant: Participant) -> Participant:
        return self.second if participant.pk == self.first_id else self.first

    @classmethod
    def book(
        cls, first: Participant, second: Participant, slot: Slot,
        request: MeetingRequest | None = None, arranged_by=None,
    ) -> Meeting:  # fmt: skip
        """The meeting and both bookings in one transaction, after locking both people;
        Refused when either is booked in the slot (the unique constraint backs it up)."""
        if first.pk == second.pk:
            raise Refused(
                "oneself", _("Ein Gespräch braucht zwei verschiedene Personen."), "second"
            )
        with transaction.atomic():
            lock_participants(first, second)
            check_free(slot, first, second)
            try:
                with transaction.atomic():
                    meeting = cls.objects.create(
                        matchmaking_id=slot.matchmaking_id, slot=slot, first=first,
                        second=second, request=request, arranged_by=arranged_by,
                    )  # fmt: skip
                    Booking.objects.bulk_create(
                        [
                            Booking(meeting=meeting, participant=first, slot=slot),
                            Booking(meeting=meeting, participant=second, slot=slot),
                        ]
                    )
            except IntegrityError:
                raise Refused(
                    "slot_taken", _("Der Termin ist inzwischen belegt."), "slot"
                ) from None
            return meeting


class Booking(models.Model):
    """One person in one slot: the database refuses a second (booking_once_per_slot)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")

    class Meta:
        verbose_name = _("Belegung")
        verbose_name_plural = _("Belegungen")
        constraints = [
            models.UniqueConstraint(fields=["participant", "slot"], name="booking_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.participant.name}: {self.slot}"
