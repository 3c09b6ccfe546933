"""Events, their registrations and the waiting list.

Registration is exact under load: `Event.register` runs in one transaction that first
locks the event (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every transaction begins
IMMEDIATE, settings.py, so writers queue for the one write lock). Inside it the places are
counted and the next sequence number taken, so 200 simultaneous registrations for 50
places end with 50 confirmed and 150 on the waiting list, numbered in the order they got
the lock. A withdrawal frees a place and promotes the first person of the waiting list in
the same transaction.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterportal.lib.language import localized


class RegistrationRefused(Exception):
    """A registration that cannot be taken; `code` says why (closed, duplicate, full)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        return self.filter(status=Event.Status.PUBLISHED)

    def upcoming(self, now=None) -> EventQuerySet:
        """Events not yet over, soonest first (the home page's "next events")."""
        now = now or timezone.now()
        return self.filter(
            Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)
        ).order_by("starts_at", "pk")


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

    def register(
        self, name: str, email: str, consent: bool, answers: dict | None = None
    ) -> Registration:
        """A confirmed or waitlisted registration, or RegistrationRefused (nothing written)."""
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=self.pk)
            if not event.takes_registrations():
                raise RegistrationRefused("closed", _("Die Anmeldung ist nicht geöffnet."))
            active = event.registrations.exclude(status=Registration.Status.WITHDRAWN)
            if active.filter(email__iexact=email).exists():
                raise RegistrationRefused(
                    "duplicate",
                    _("Diese E-Mail-Adresse ist für die Veranstaltung schon angemeldet."),
                )
            confirmed = active.filter(status=Registration.Status.CONFIRMED).count()
            if event.capacity is None or confirmed < event.capacity:
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


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("bestätigt")
        WAITLISTED = "waitlisted", _("Warteliste")
        WITHDRAWN = "withdrawn", _("abgemeldet")

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
                condition=~Q(status="withdrawn"),
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

    def withdraw(self) -> Registration | None:
        """Withdraw; a freed place goes to the first of the waiting list (returned)."""
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=self.event_id)
            me = Registration.objects.get(pk=self.pk)
            if me.status == self.Status.WITHDRAWN:
                return None
            freed = me.status == self.Status.CONFIRMED
            me.status = self.Status.WITHDRAWN
            me.save(update_fields=["status"])
            self.status = me.status
            if not freed:
                return None
            following = (
                event.registrations.filter(status=self.Status.WAITLISTED)
                .order_by("sequence")
                .first()
            )
            if following is not None:
                following.status = self.Status.CONFIRMED
                following.promoted_at = timezone.now()
                following.save(update_fields=["status", "promoted_at"])
            return following

    def withdraw_url(self) -> str:
        return settings.PORTAL_URL + reverse("events:withdraw", args=[self.token])
