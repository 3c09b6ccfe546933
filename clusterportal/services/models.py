"""The ClusterAgentur's services and the requests for them (docs/services.md).

A `Service` is one offer of the catalogue (coaching, consulting, internationalisation
strategy, label preparation, qualification courses), with the public page it comes from.
A course links the events of the portal's calendar where it takes place (events.Event of
the kinds qualification or workshop).

A `ServiceRequest` is a cluster management's request of one service for an initiative it
manages. Its steps, each a method here:

    requested --assign--> assigned --schedule--> scheduled --close--> closed
    (re-assigning and re-scheduling are allowed while it is open; any open request can
    be closed; once closed, staff ask for feedback and the requester gives it once)

Each step locks the row (SELECT ... FOR UPDATE; on SQLite the write lock of the
transaction serialises), checks the state it starts from, writes, and records itself in
the history (django-simple-history, the step as the change reason). Its mails go once the
transaction has committed (notifications.py). Two staff members closing the same request
at once: the second is told it is closed, and one mail goes out.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from clusterportal.events.models import Event
from clusterportal.lib.language import localized
from clusterportal.registry.models import ClusterInitiative

MAX_MESSAGE = 2000
SCORES = range(1, 6)  # feedback: 1 (poor) to 5 (very good)
COURSE_EVENT_KINDS = (Event.Kind.QUALIFICATION, Event.Kind.WORKSHOP)


class StepRefused(Exception):
    """A step that does not fit the request's state (closing twice, feedback twice, ...).
    The message says why, in the active language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ServiceQuerySet(models.QuerySet["Service"]):
    def offered(self) -> ServiceQuerySet:
        """The services one may request now."""
        return self.filter(active=True)


class Service(models.Model):
    class Kind(models.TextChoices):
        COACHING = "coaching", gettext_lazy("Coaching")
        CONSULTING = "consulting", gettext_lazy("Beratung")
        INTERNATIONALISATION = (
            "internationalisation",
            gettext_lazy("Internationalisierungsstrategie"),
        )
        LABEL = "label", gettext_lazy("Vorbereitung auf ein Qualitätslabel")
        COURSE = "course", gettext_lazy("Qualifizierung")

    slug = models.SlugField(gettext_lazy("Kurzname in der Adresse"), max_length=100, unique=True)
    kind = models.CharField(gettext_lazy("Art"), max_length=30, choices=Kind.choices)
    title = models.CharField(gettext_lazy("Titel"), max_length=200)
    title_en = models.CharField(gettext_lazy("Titel (englisch)"), max_length=200, blank=True)
    summary = models.TextField(gettext_lazy("Kurzbeschreibung"), max_length=500)
    summary_en = models.TextField(
        gettext_lazy("Kurzbeschreibung (englisch)"), max_length=500, blank=True
    )
    description = models.TextField(gettext_lazy("Beschreibung"), blank=True)
    description_en = models.TextField(gettext_lazy("Beschreibung (englisch)"), blank=True)
    audience = models.CharField(gettext_lazy("Für wen"), max_length=300, blank=True)
    audience_en = models.CharField(gettext_lazy("Für wen (englisch)"), max_length=300, blank=True)
    source_name = models.CharField(gettext_lazy("Quelle"), max_length=300)
    source_url = models.URLField(gettext_lazy("Adresse der Quelle"), max_length=500)
    position = models.PositiveSmallIntegerField(gettext_lazy("Reihenfolge"), default=0)
    active = models.BooleanField(
        gettext_lazy("kann angefragt werden"),
        default=True,
        help_text=gettext_lazy(
            "Ohne Haken steht die Leistung im Katalog, nimmt aber keine Anfragen an."
        ),
    )
    courses = models.ManyToManyField(
        Event,
        verbose_name=gettext_lazy("Termine (Veranstaltungen)"),
        blank=True,
        related_name="services",
        limit_choices_to={"kind__in": COURSE_EVENT_KINDS},
        help_text=gettext_lazy(
            "Nur bei Qualifizierungen: die Veranstaltungen des Kalenders, in denen sie stattfindet."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[courses])

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("Leistung")
        verbose_name_plural = gettext_lazy("Leistungen")
        ordering = ["position", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_url__istartswith="http://")
                | Q(source_url__istartswith="https://"),
                name="service_source_http",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:detail", args=[self.slug])

    @property
    def localized_title(self) -> str:
        return localized(self.title, self.title_en)

    @property
    def localized_summary(self) -> str:
        return localized(self.summary, self.summary_en)

    @property
    def localized_description(self) -> str:
        return localized(self.description, self.description_en)

    @property
    def localized_audience(self) -> str:
        return localized(self.audience, self.audience_en)

    @property
    def is_course(self) -> bool:
        return self.kind == self.Kind.COURSE

    def check_courses(self, events) -> None:
        """Only a course has dates, and its dates are qualification or workshop events."""
        events = list(events)
        if events and not self.is_course:
            raise ValidationError(
                {"courses": _("Nur eine Qualifizierung hat Termine im Veranstaltungskalender.")}
            )
        wrong = [event.title for event in events if event.kind not in COURSE_EVENT_KINDS]
        if wrong:
            raise ValidationError(
                {
                    "courses": _("Keine Qualifizierung oder Workshop: %(events)s")
                    % {"events": ", ".join(wrong)}
                }
            )

    def upcoming_courses(self, now: datetime.datetime | None = None):
        return self.courses.published().upcoming(now)


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def open(self) -> ServiceRequestQuerySet:
        return self.exclude(status=ServiceRequest.Status.CLOSED)

    def visible_to(self, user) -> ServiceRequestQuerySet:
        """Curators (the ClusterAgentur) see every request; a cluster management the
        requests of the initiatives it manages (accounts/rules.py)."""
        from clusterportal.accounts.models import Role
        from clusterportal.accounts.rules import is_curator

        if not user.is_authenticated:
            return self.none()
        if is_curator(user):
            return self
        managed = Role.objects.filter(user=user, kind=Role.Kind.CLUSTER_MANAGER).values(
            "initiative"
        )
        return self.filter(initiative__in=managed)

    def for_list(self) -> ServiceRequestQuerySet:
        """What a list row shows, in one query."""
        return self.select_related("service", "initiative", "requester", "advisor")


class ServiceRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", gettext_lazy("angefragt")
        ASSIGNED = "assigned", gettext_lazy("Beratung zugewiesen")
        SCHEDULED = "scheduled", gettext_lazy("Termin vereinbart")
        CLOSED = "closed", gettext_lazy("abgeschlossen")

    OPEN = [Status.REQUESTED, Status.ASSIGNED, Status.SCHEDULED]

    service = models.ForeignKey(
        Service, verbose_name=gettext_lazy("Leistung"), on_delete=models.PROTECT,
        related_name="requests",
    )  # fmt: skip
    initiative = models.ForeignKey(
        ClusterInitiative, verbose_name=gettext_lazy("Initiative"), on_delete=models.CASCADE,
        related_name="service_requests",
    )  # fmt: skip
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("angefragt von"), null=True,
        on_delete=models.SET_NULL, related_name="service_requests",
    )  # fmt: skip
    message = models.TextField(gettext_lazy("Anliegen"), max_length=MAX_MESSAGE)
    status = models.CharField(
        gettext_lazy("Stand"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("Beraterin / Berater"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="advised_service_requests",
    )  # fmt: skip
    scheduled_for = models.DateTimeField(gettext_lazy("Termin"), null=True, blank=True)
    schedule_note = models.CharField(gettext_lazy("Ort oder Zugang"), max_length=300, blank=True)
    closing_note = models.TextField(
        gettext_lazy("Abschlussvermerk"), max_length=MAX_MESSAGE, blank=True
    )
    created_at = models.DateTimeField(gettext_lazy("angefragt am"), default=timezone.now)
    closed_at = models.DateTimeField(gettext_lazy("abgeschlossen am"), null=True, blank=True)
    feedback_requested_at = models.DateTimeField(
        gettext_lazy("Rückmeldung erbeten am"), null=True, blank=True
    )
    feedback_score = models.PositiveSmallIntegerField(
        gettext_lazy("Bewertung (1–5)"), null=True, blank=True
    )
    feedback_text = models.TextField(
        gettext_lazy("Rückmeldung"), max_length=MAX_MESSAGE, blank=True
    )
    feedback_at = models.DateTimeField(gettext_lazy("Rückmeldung am"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("Anfrage einer Leistung")
        verbose_name_plural = gettext_lazy("Anfragen von Leistungen")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="service_request_age")]
        constraints = [
            # One open request per service and initiative: a second click or a colleague's
            # parallel request is told about the open one instead of doubling it.
            models.UniqueConstraint(
                fields=["service", "initiative"],
                condition=~Q(status="closed"),
                name="service_request_one_open_per_service",
            ),
            models.CheckConstraint(
                condition=Q(feedback_score__isnull=True)
                | Q(feedback_score__gte=1, feedback_score__lte=5),
                name="service_request_score_1_to_5",
            ),
            # Feedback only on a closed request, and with its time.
            models.CheckConstraint(
                condition=Q(feedback_score__isnull=True)
                | Q(status="closed", feedback_at__isnull=False),
                name="service_request_feedback_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="service_request_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "scheduled"]) | Q(advisor__isnull=False),
                name="service_request_assigned_has_advisor",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_for__isnull=False),
                name="service_request_scheduled_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.service} – {self.initiative}"

    def get_absolute_url(self) -> str:
        return reverse("services:request", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def age(self, now: datetime.datetime | None = None) -> datetime.timedelta:
        """How long it has waited: until now while open, until its closing once closed."""
        end = self.closed_at if self.closed_at else (now or timezone.now())
        return end - self.created_at

    @property
    def age_days(self) -> int:
        return self.age().days

    @property
    def may_give_feedback(self) -> bool:
        return self.status == self.Status.CLOSED and self.feedback_at is None

    # Requesting ---------------------------------------------------------------------

    @classmethod
    def open_for(
        cls, service: Service, initiative: ClusterInitiative, requester, message: str
    ) -> ServiceRequest:
        """A new request; the caller has checked `services.request` on the initiative.
        Raises StepRefused (service not offered, an open request of the same service for
        the initiative) or ValidationError (the message); nothing is stored then."""
        message = message.strip()
        if not message:
            raise ValidationError({"message": _("Bitte beschreiben Sie Ihr Anliegen.")})
        if len(message) > MAX_MESSAGE:
            raise ValidationError(
                {"message": _("Höchstens %(max)d Zeichen.") % {"max": MAX_MESSAGE}}
            )
        if not service.active:
            raise StepRefused(_("Diese Leistung nimmt zurzeit keine Anfragen an."))
        try:
            with transaction.atomic():
                request = cls(
                    service=service, initiative=initiative, requester=requester, message=message
                )
                request._step(requester, "requested")
                request.save()
        except IntegrityError:
            existing = cls.objects.open().filter(service=service, initiative=initiative).first()
            raise StepRefused(
                _("Für %(initiative)s ist diese Leistung schon angefragt (Anfrage #%(number)s).")
                % {"initiative": initiative.name, "number": existing.pk if existing else "?"}
            ) from None
        return request

    # Handling (the ClusterAgentur) ----------------------------------------------------

    def assign(self, actor, advisor) -> None:
        """Give the request to an advisor of the ClusterAgentur (a curator's account)."""
        if advisor is None or not advisor.is_active or not advisor.has_perm("services.handle"):
            raise StepRefused(
                _("Beraten kann nur ein aktives Konto der ClusterAgentur (Kuratorin/Kurator).")
            )
        with transaction.atomic():
            request = self._locked_open()
            if request.advisor_id == advisor.pk:
                raise StepRefused(_("Die Anfrage ist dieser Person schon zugewiesen."))
            request.advisor = advisor
            if request.status == self.Status.REQUESTED:
                request.status = self.Status.ASSIGNED
            request._step(actor, "assigned")
            request.save()
        self.refresh_from_db()

    def schedule(self, actor, when: datetime.datetime, note: str = "") -> None:
        """Fix the date of the coaching or consultation (again, to move it)."""
        if timezone.is_naive(when):
            raise ValidationError({"scheduled_for": _("Der Termin braucht eine Zeitzone.")})
        if when < timezone.now():
            raise ValidationError({"scheduled_for": _("Der Termin liegt in der Vergangenheit.")})
        if len(note) > 300:
            raise ValidationError({"schedule_note": _("Höchstens 300 Zeichen.")})
        with transaction.atomic():
            request = self._locked_open()
            if request.advisor_id is None:
                raise StepRefused(_("Bitte weisen Sie die Anfrage zuerst einer Beratung zu."))
            request.scheduled_for = when
            request.schedule_note = note.strip()
            request.status = self.Status.SCHEDULED
            request._step(actor, "scheduled")
            request.save()
        self.refresh_from_db()

    def close(self, actor, note: str = "") -> None:
        if len(note) > MAX_MESSAGE:
            raise ValidationError(
                {"closing_note": _("Höchstens %(max)d Zeichen.") % {"max": MAX_MESSAGE}}
            )
        with transaction.atomic():
            request = self._locked_open()
            request.status = self.Status.CLOSED
            request.closed_at = timezone.now()
            request.closing_note = note.strip()
            request._step(actor, "closed")
            request.save()
        self.refresh_from_db()

    def ask_for_feedback(self, actor) -> None:
        with transaction.atomic():
            request = self._locked()
            if request.status != self.Status.CLOSED:
                raise StepRefused(_("Um eine Rückmeldung bitten Sie nach dem Abschluss."))
            if request.feedback_at is not None:
                raise StepRefused(_("Die Rückmeldung ist schon gegeben."))
            if request.feedback_requested_at is not None:
                raise StepRefused(
                    _("Um die Rückmeldung ist schon gebeten worden (am %(day)s).")
                    % {"day": timezone.localtime(request.feedback_requested_at).date().isoformat()}
                )
            request.feedback_requested_at = timezone.now()
            request._step(actor, "feedback_asked")
            request.save()
        self.refresh_from_db()

    # Feedback (the requester) --------------------------------------------------------

    def give_feedback(self, actor, score: object, text: str = "") -> None:
        """Once per request, after it is closed: a score of 1 to 5 and a text."""
        try:
            value = int(str(score))
        except ValueError:
            value = 0
        if value not in SCORES:
            raise ValidationError({"score": _("Bitte eine Bewertung von 1 bis 5 wählen.")})
        if len(text) > MAX_MESSAGE:
            raise ValidationError({"text": _("Höchstens %(max)d Zeichen.") % {"max": MAX_MESSAGE}})
        with transaction.atomic():
            request = self._locked()
            if request.status != self.Status.CLOSED:
                raise StepRefused(_("Eine Rückmeldung ist erst nach dem Abschluss möglich."))
            if request.feedback_at is not None:
                raise StepRefused(
                    _("Zu dieser Anfrage ist die Rückmeldung schon gegeben (am %(day)s).")
                    % {"day": timezone.localtime(request.feedback_at).date().isoformat()}
                )
            request.feedback_score = value
            request.feedback_text = text.strip()
            request.feedback_at = timezone.now()
            request._step(actor, "feedback_given")
            request.save()
        self.refresh_from_db()

    # Internals --------------------------------------------------------------------------

    def _locked(self) -> ServiceRequest:
        return type(self).objects.select_for_update().get(pk=self.pk)

    def _locked_open(self) -> ServiceRequest:
        request = self._locked()
        if not request.is_open:
            raise StepRefused(
                _("Diese Anfrage ist schon abgeschlossen (am %(day)s).")
                % {"day": timezone.localtime(request.closed_at).date().isoformat()}
            )
        return request

    def _step(self, actor, step: str) -> None:
        """Record the step in the history with its actor, and mail it after the commit."""
        from clusterportal.services import notifications

        self._change_reason = step
        self._history_user = actor
        actor_id = getattr(actor, "pk", None)
        transaction.on_commit(
            lambda: notifications.send_for_step(self.pk, step, actor_id), robust=True
        )


# Steps as the history names them (history_change_reason), in the page's language.
STEPS = {
    "requested": gettext_lazy("angefragt"),
    "assigned": gettext_lazy("einer Beratung zugewiesen"),
    "scheduled": gettext_lazy("Termin vereinbart"),
    "closed": gettext_lazy("abgeschlossen"),
    "feedback_asked": gettext_lazy("um Rückmeldung gebeten"),
    "feedback_given": gettext_lazy("Rückmeldung gegeben"),
}
