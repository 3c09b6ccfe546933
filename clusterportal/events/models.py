"""Events, their registrations and the waiting list.

Registration is exact under load: `Event.register` runs in one transaction that first
locks the event (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every transaction begins
IMMEDIATE, settings.py, so writers queue for the one write lock). Inside it the places are
counted and the next sequence number taken, so 200 simultaneous registrations for 50
places end with 50 confirmed and 150 on the waiting list, numbered in the order they got
the lock.

A freed place (a withdrawal, a declined or expired offer) is offered to the first person of
the waiting list in the same transaction: the offer holds the place for `offer_hours` and
then passes on to the next (`settle_waiting_list`, run on every withdrawal, acceptance and
registration and by `clusterportal pass_on_offers` from cron). With `offer_hours` 0 the
next person moves up at once, without being asked.
"""

from __future__ import annotations

import bisect
import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Min, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clusterportal.lib import versioning
from clusterportal.lib.language import localized
from clusterportal.registry.models import coordinate_field


class RegistrationRefused(Exception):
    """A registration that cannot be taken; `code` says why (closed, duplicate, full)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Move:
    """One change on the waiting list, to be mailed: `offered`, `promoted` or `expired`."""

    kind: str
    registration: Registration


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        return self.filter(status=Event.Status.PUBLISHED)

    def upcoming(self, now=None) -> EventQuerySet:
        """Events not yet over, soonest first (the home page's "next events")."""
        # finishes_at is the end, or the start where no end is given: one indexed range.
        return self.filter(finishes_at__gte=now or timezone.now()).order_by("starts_at", "pk")


class Event(models.Model):
    class Kind(models.TextChoices):
        CLUSTER_FORUM = "cluster_forum", _("Cluster-Forum")
        CLUSTER_BRUNCH = "cluster_brunch", _("Cluster-Brunch")
        CLUSTER_DIALOG = "cluster_dialog", _("Cluster-Dialog")
        CLUSTERWOCHE = "clusterwoche", _("Clusterwoche")
        WORKSHOP = "workshop", _("Workshop")
        QUALIFICATION = "qualification", _("Qualifizierung")
        MATCHMAKING = "matchmaking", _("Matchmaking")
        OTHER = "other", _("Sonstige")

    class Format(models.TextChoices):
        ON_SITE = "on_site", _("vor Ort")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("veröffentlicht")

    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind, default=Kind.OTHER)
    format = models.CharField(_("Form"), max_length=10, choices=Format, default=Format.ON_SITE)
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    # When it is over: the end, or the start where no end is given. Kept by the database
    # (a stored generated column), indexed: "coming" and "archive" are one range each.
    finishes_at = models.GeneratedField(
        expression=Coalesce("ends_at", "starts_at"),
        output_field=models.DateTimeField(),
        db_persist=True,
    )
    time_known = models.BooleanField(
        _("Uhrzeit bekannt"), default=True, help_text=_("Aus: nur das Datum ist bekannt.")
    )
    venue = models.CharField(_("Ort der Veranstaltung"), max_length=200, blank=True)
    address = models.CharField(_("Anschrift"), max_length=300, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("Region"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="events",
    )  # fmt: skip
    kreis = models.ForeignKey(
        "regions.Region", verbose_name=_("Stadt- oder Landkreis"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": "kreis"},
        help_text=_("Wo die Veranstaltung stattfindet; die Karte zeigt den Kreis."),
    )  # fmt: skip
    # The venue's point, where known; without it the map shows the Kreis only.
    latitude = coordinate_field(_("Breite"), 90)
    longitude = coordinate_field(_("Länge"), 180)
    technology_fields = models.ManyToManyField(
        "taxonomy.TechnologyField", verbose_name=_("Technologiefelder"), blank=True
    )
    organiser = models.CharField(_("Veranstalter"), max_length=200)
    organising_initiative = models.ForeignKey(
        "registry.ClusterInitiative", verbose_name=_("veranstaltende Initiative"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="events",
    )  # fmt: skip
    parent = models.ForeignKey(
        "self", verbose_name=_("Teil von"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="parts",
        help_text=_("Eine Veranstaltung unter einem Dach wie der Clusterwoche."),
    )  # fmt: skip
    # The countries the event is about, where its source names them (ISO 3166-1 codes,
    # checked by django-countries); the country pages of the international app list them.
    countries = CountryField(
        _("Länder, um die es geht"), multiple=True, blank=True,
        help_text=_("Nur Länder, die die Quelle der Veranstaltung nennt."),
    )  # fmt: skip
    description = models.TextField(_("Beschreibung (Markdown)"), blank=True)
    description_en = models.TextField(_("Beschreibung englisch (Markdown)"), blank=True)
    source_name = models.CharField(_("Quelle"), max_length=300, blank=True)
    source_url = models.URLField(_("Adresse der Quelle"), blank=True)
    status = models.CharField(_("Stand"), max_length=10, choices=Status, default=Status.DRAFT)
    registration_opens_at = models.DateTimeField(_("Anmeldung ab"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("Anmeldung bis"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer: unbegrenzt.")
    )
    waiting_list = models.BooleanField(_("Warteliste"), default=True)
    offer_hours = models.PositiveSmallIntegerField(
        _("Frist für Nachrückende (Stunden)"), default=48,
        help_text=_("So lange hält ein frei gewordener Platz für die nächste Person auf der "
                    "Warteliste; dann geht er weiter. 0: ohne Rückfrage nachrücken."),
    )  # fmt: skip
    questions = models.JSONField(
        _("Fragen bei der Anmeldung"), default=list, blank=True,
        help_text=_('Liste von {"key", "label", "kind": "text"|"choice"|"yes_no", '
                    '"required", "choices"}.'),
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["starts_at", "pk"]
        # "Coming" and "archive" are a range of finishes_at among the published events; with
        # starts_at in the index, counting them and sorting a page read the index only.
        indexes = [
            models.Index(
                fields=["status", "finishes_at", "starts_at"], name="event_status_finishes"
            ),
            models.Index(fields=["status", "starts_at"], name="event_status_starts"),
            # An umbrella's events, in order (else the planner walks every event by date).
            models.Index(fields=["parent", "starts_at"], name="event_parent_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    @property
    def initiative(self):
        """The initiative whose managers organise it (accounts/rules.py reads `initiative`)."""
        return self.organising_initiative

    @property
    def localized_title(self) -> str:
        return localized(self.title, self.title_en)

    @property
    def localized_description(self) -> str:
        return localized(self.description, self.description_en)

    def is_past(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.ends_at or self.starts_at) < now

    def takes_registrations(self) -> bool:
        """Whether anyone may register: the event has a registration window, open now."""
        if self.registration_opens_at is None:
            return False
        now = timezone.now()
        closes = self.registration_closes_at or self.starts_at
        return self.registration_opens_at <= now < closes and not self.is_past(now)

    def why_closed(self) -> str:
        """Why nobody may register now, in the words the page and the API give."""
        now = timezone.now()
        if self.is_past(now):
            return str(_("Die Veranstaltung ist vorbei."))
        if self.registration_opens_at is None:
            return str(_("Für diese Veranstaltung nimmt das Portal keine Anmeldungen entgegen."))
        if now < self.registration_opens_at:
            opens = timezone.localtime(self.registration_opens_at)
            date, time = formats.date_format(opens, "DATE_FORMAT"), opens.strftime("%H:%M")
            message = _("Die Anmeldung öffnet am %(date)s um %(time)s Uhr.")
            return str(message) % {"date": date, "time": time}
        return str(_("Die Anmeldung ist geschlossen."))

    def register(
        self, name: str, email: str, consent: bool, answers: dict | None = None
    ) -> Registration:
        """A confirmed or waitlisted registration, or RegistrationRefused (nothing written)."""
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=self.pk)
            if not event.takes_registrations():
                raise RegistrationRefused("closed", event.why_closed())
            active = event.registrations.filter(status__in=Registration.HOLDING)
            if active.filter(email__iexact=email).exists():
                raise RegistrationRefused(
                    "duplicate",
                    _("Diese E-Mail-Adresse ist für die Veranstaltung schon angemeldet."),
                )
            # Nobody overtakes the waiting list: with people waiting, newcomers queue too.
            waiting = active.filter(status=Registration.Status.WAITLISTED).exists()
            if not waiting and event.free_places() != 0:
                status = Registration.Status.CONFIRMED
            elif event.waiting_list:
                status = Registration.Status.WAITLISTED
            else:
                raise RegistrationRefused("full", _("Die Veranstaltung ist ausgebucht."))
            last = event.registrations.aggregate(last=Max("sequence"))["last"] or 0
            return Registration.objects.create(
                event=event, name=name, email=email.lower(), consent_participant_list=consent,
                answers=answers or {}, status=status, sequence=last + 1,
            )  # fmt: skip

    def free_places(self) -> int | None:
        """Places neither confirmed nor held by an open offer (None: no limit)."""
        if self.capacity is None:
            return None
        taken = self.registrations.filter(status__in=Registration.TAKING_A_PLACE).count()
        return max(self.capacity - taken, 0)

    def settle_waiting_list(self, now: datetime.datetime | None = None) -> list[Move]:
        """Expire the offers that ran out, then offer each free place to the next in line.

        Call it inside a transaction that holds the event's lock (select_for_update), as
        `register`, `Registration.withdraw` and `accept_offer` do; the moves are for mails.
        """
        now = now or timezone.now()
        if self.is_past(now):
            return []
        moves = []
        for ran_out in self.registrations.filter(
            status=Registration.Status.OFFERED, offer_expires_at__lte=now
        ).order_by("sequence"):
            ran_out.status = Registration.Status.EXPIRED
            ran_out.save(update_fields=["status"])
            moves.append(Move("expired", ran_out))
        free = self.free_places()
        waiting = self.registrations.filter(status=Registration.Status.WAITLISTED)
        for following in waiting.order_by("sequence")[: free if free is not None else None]:
            moves.append(self._offer(following, now))
        return moves

    def _offer(self, following: Registration, now: datetime.datetime) -> Move:
        deadline = min(now + datetime.timedelta(hours=self.offer_hours), self.starts_at)
        if self.offer_hours == 0 or deadline <= now:
            following.status = Registration.Status.CONFIRMED
            following.promoted_at = now
            following.save(update_fields=["status", "promoted_at"])
            return Move("promoted", following)
        following.status = Registration.Status.OFFERED
        following.offer_expires_at = deadline
        following.save(update_fields=["status", "offer_expires_at"])
        return Move("offered", following)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("bestätigt")
        WAITLISTED = "waitlisted", _("Warteliste")
        OFFERED = "offered", _("Platz angeboten")
        WITHDRAWN = "withdrawn", _("abgemeldet")
        EXPIRED = "expired", _("Angebot verfallen")

    # Registrations that still count (one per address), and those that hold a place.
    HOLDING = (Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
    TAKING_A_PLACE = (Status.CONFIRMED, Status.OFFERED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail"))
    consent_participant_list = models.BooleanField(_("auf der Teilnehmendenliste"), default=False)
    answers = models.JSONField(_("Antworten"), default=dict, blank=True)
    status = models.CharField(_("Stand"), max_length=12, choices=Status)
    # Arrival order: the order in which registrations got the event's lock.
    sequence = models.PositiveIntegerField(_("Eingangsnummer"))
    token = models.CharField(
        max_length=64, unique=True, default=secrets.token_urlsafe, editable=False
    )
    created_at = models.DateTimeField(_("angemeldet am"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("nachgerückt am"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("Angebot gilt bis"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("eingecheckt um"), null=True, blank=True)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["event", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "sequence"], name="registration_sequence_once"
            ),
            models.UniqueConstraint(
                "event",
                models.functions.Lower("email"),
                condition=Q(status__in=["confirmed", "waitlisted", "offered"]),
                name="registration_email_once",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    def waiting_position(self) -> int | None:
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = self.event.registrations.filter(
            status=self.Status.WAITLISTED, sequence__lt=self.sequence
        ).count()
        return ahead + 1

    def withdraw(self, now: datetime.datetime | None = None) -> list[Move]:
        """Withdraw (or decline an offer); a freed place is offered on (the moves returned)."""
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=self.event_id)
            me = Registration.objects.get(pk=self.pk)
            if me.status not in self.HOLDING:
                return []
            me.status = self.Status.WITHDRAWN
            me.save(update_fields=["status"])
            self.status = me.status
            return event.settle_waiting_list(now)

    def accept_offer(self, now: datetime.datetime | None = None) -> list[Move]:
        """Take the offered place, or RegistrationRefused if the offer is gone."""
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=self.event_id)
            moves = event.settle_waiting_list(now)  # an offer that ran out is gone first
            me = Registration.objects.get(pk=self.pk)
            if me.status != self.Status.OFFERED:
                raise RegistrationRefused(
                    "no_offer", _("Für diese Anmeldung liegt kein gültiges Platzangebot vor.")
                )
            me.status = self.Status.CONFIRMED
            me.promoted_at = now or timezone.now()
            me.save(update_fields=["status", "promoted_at"])
            self.status, self.promoted_at = me.status, me.promoted_at
            return moves

    def withdraw_url(self) -> str:
        return settings.PORTAL_URL + reverse("events:withdraw", args=[self.token])

    def offer_url(self) -> str:
        return settings.PORTAL_URL + reverse("events:offer", args=[self.token])


def next_end() -> datetime.datetime | None:
    """When the next published event ends: then it leaves the coming events (the calendar,
    the home page's next events) though no data changed. One query on an index."""
    coming = Event.objects.published().filter(finishes_at__gte=timezone.now())
    return coming.aggregate(next_end=Min("finishes_at"))["next_end"]


# The moments at which a registration window opens or closes, per data version "events":
# read once when the data changes, then looked up without a query (one entry per process).
_registration_moments: dict[tuple, list[datetime.datetime]] = {}


def next_registration_change(version: tuple) -> datetime.datetime | None:
    """The next moment an event starts or stops taking registrations (its window opens or
    closes): `registration_open` in the API changes then though no data changed."""
    moments = _registration_moments.get(version)
    if moments is None:
        windows = (
            Event.objects.published()
            .filter(registration_opens_at__isnull=False, finishes_at__gte=timezone.now())
            .values_list("registration_opens_at", "registration_closes_at", "starts_at")
        )
        moments = sorted(
            {m for opens, closes, starts in windows for m in (opens, closes or starts)}
        )
        _registration_moments.clear()
        _registration_moments[version] = moments
    later = bisect.bisect_right(moments, timezone.now())
    return moments[later] if later < len(moments) else None


def calendar_version() -> tuple:
    """What a calendar page or API list is made of: the data version "events" (apps.py),
    and the moment the next event ends. The key of the kept calendar pages."""
    version = versioning.current("events")
    return (version.number, version.token, next_end())


def registration_version() -> tuple:
    """The calendar's version and the next moment a registration window opens or closes:
    the key of what shows whether an event takes registrations (API list, event page)."""
    calendar = calendar_version()
    return (*calendar, next_registration_change(calendar))


class AgendaItem(models.Model):
    """One point of an event's programme, in order; the time where the source gives one."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    starts_at = models.TimeField(_("Uhrzeit"), null=True, blank=True)
    title = models.CharField(_("Programmpunkt"), max_length=300)
    title_en = models.CharField(_("Programmpunkt (englisch)"), max_length=300, blank=True)
    presenter = models.CharField(
        _("Wer"), max_length=200, blank=True, help_text=_("Wer spricht oder stellt vor.")
    )

    class Meta:
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programm")
        ordering = ["event", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def localized_title(self) -> str:
        return localized(self.title, self.title_en)


class Speaker(models.Model):
    """Somebody who speaks at an event, with the role the source names."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    name = models.CharField(_("Name"), max_length=200)
    role = models.CharField(_("Funktion"), max_length=200, blank=True)
    role_en = models.CharField(_("Funktion (englisch)"), max_length=200, blank=True)
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Mitwirkende Person")
        verbose_name_plural = _("Mitwirkende")
        ordering = ["event", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def localized_role(self) -> str:
        return localized(self.role, self.role_en)
