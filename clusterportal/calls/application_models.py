"""Applications to a call, and their review by a jury (docs/calls.md, "Applications").

* `FormField`: the call's application form, defined by staff in the back office, one row per
  question (text with a limit, number, choice, files, budget table); no code per call.
* `Application`: one initiative's application to one call, kept by its managers together.
  Its status moves only through the methods below, each in one transaction that locks the
  row, so that two people acting at once cannot both succeed where only one may.
* `ApplicationFile`: an uploaded document, checked by its content (calls/files.py), stored
  outside the web root and served only to those allowed.
* `Criterion`, `JurorAssignment`, `Review`, `Score`: the call's weighted criteria, who reviews
  which application, and their scores (0–5 or "n/a") with a comment per criterion.

Imported by calls/models.py, so Django finds the models where it looks for them.
"""

from __future__ import annotations

import decimal
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterportal.lib.language import localized


class FormField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Zahl")
        CHOICE = "choice", _("Auswahl")
        FILE = "file", _("Dateien")
        BUDGET = "budget", _("Finanzplan (Tabelle)")

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="form_fields")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    key = models.SlugField(
        _("Kennung"), max_length=50,
        help_text=_("Kurzname für Export und Speicherung; innerhalb des Aufrufs eindeutig."),
    )  # fmt: skip
    label = models.CharField(_("Frage"), max_length=300)
    label_en = models.CharField(_("Frage (englisch)"), max_length=300, blank=True)
    help_text = models.TextField(_("Hinweis"), blank=True)
    help_text_en = models.TextField(_("Hinweis (englisch)"), blank=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("Pflichtangabe"), default=True)
    max_chars = models.PositiveIntegerField(
        _("höchstens Zeichen"), null=True, blank=True, help_text=_("Nur für Text.")
    )
    min_value = models.DecimalField(
        _("kleinster Wert"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("größter Wert"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    choices = models.JSONField(
        _("Auswahlmöglichkeiten"), default=list, blank=True,
        help_text=_('Nur für Auswahl: eine Liste von Texten, z. B. ["ja", "nein"].'),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Frage des Antragsformulars")
        verbose_name_plural = _("Antragsformular")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="form_field_key_once_per_call")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def localized_label(self) -> str:
        return localized(self.label, self.label_en)

    @property
    def localized_help_text(self) -> str:
        return localized(self.help_text, self.help_text_en)

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.CHOICE:
            if (not isinstance(self.choices, list) or len(self.choices) < 2
                    or not all(isinstance(c, str) and c.strip() for c in self.choices)
                    or len(set(self.choices)) != len(self.choices)):  # fmt: skip
                errors["choices"] = _("Eine Auswahl braucht mindestens zwei verschiedene Texte.")
        elif self.choices:
            errors["choices"] = _("Auswahlmöglichkeiten gibt es nur bei der Art „Auswahl“.")
        if self.max_chars is not None and self.kind != self.Kind.TEXT:
            errors["max_chars"] = _("Eine Zeichengrenze gibt es nur bei Text.")
        if self.kind not in (self.Kind.NUMBER, self.Kind.BUDGET) and (
            self.min_value is not None or self.max_value is not None
        ):
            errors["min_value"] = _("Grenzen gibt es nur bei Zahlen und beim Finanzplan.")
        if (self.min_value is not None and self.max_value is not None
                and self.min_value > self.max_value):  # fmt: skip
            errors["max_value"] = _("Der größte Wert ist kleiner als der kleinste.")
        if errors:
            raise ValidationError(errors)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def active(self) -> ApplicationQuerySet:
        """Applications that count: submitted at least once and not withdrawn."""
        return self.exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SUBMITTED = "submitted", _("eingereicht")
        IN_REVIEW = "in_review", _("in Begutachtung")
        INFO_REQUESTED = "info_requested", _("Rückfrage: Angaben nachreichen")
        DECIDED = "decided", _("entschieden")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("bewilligt")
        ACCEPTED_WITH_CONDITIONS = "accepted_with_conditions", _("bewilligt mit Auflagen")
        REJECTED = "rejected", _("abgelehnt")

    # The applicants may change the answers only in these states.
    EDITABLE = {Status.DRAFT, Status.INFO_REQUESTED}
    # A decision may be prepared, and the application withdrawn, only before one is sent.
    UNDECIDED = {Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED}

    call = models.ForeignKey(
        "calls.Call", verbose_name=_("Aufruf"), on_delete=models.PROTECT,
        related_name="applications",
    )  # fmt: skip
    initiative = models.ForeignKey(
        "registry.ClusterInitiative", verbose_name=_("Initiative"), on_delete=models.PROTECT,
        related_name="applications",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("Stand"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    answers = models.JSONField(_("Antworten"), default=dict, blank=True)
    # Raised by every save of the answers: a save based on an older version is refused
    # (two managers editing at once: the second is told, and keeps what they typed).
    version = models.PositiveIntegerField(default=1)
    # The eligibility check as it was when the application began (calls/eligibility.py).
    eligibility_at_start = models.JSONField(default=dict, blank=True, editable=False)
    staff_message = models.TextField(_("Rückfrage oder Hinweis der Geschäftsstelle"), blank=True)
    decision = models.CharField(
        _("Entscheidung"), max_length=30, choices=Decision.choices, blank=True
    )
    decision_note = models.TextField(_("Begründung oder Auflagen"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    decision_sent_at = models.DateTimeField(_("Entscheidung versandt am"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("Förderantrag")
        verbose_name_plural = _("Förderanträge")
        ordering = ["call", "initiative__name", "pk"]
        constraints = [
            # One running application per initiative and call; a withdrawn one may be
            # followed by a new one.
            models.UniqueConstraint(
                fields=["call", "initiative"],
                condition=~Q(status="withdrawn"),
                name="application_once_per_initiative_and_call",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(decision_sent_at__isnull=True) | ~Q(decision=""),
                name="application_sent_decision_is_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} → {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("calls:application", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def _locked(self) -> Application:
        """This row, locked until the end of the transaction, as it is now."""
        return Application.objects.select_for_update().get(pk=self.pk)

    def _move(self, allowed: set[str], status: str, refusal: str, by=None, **values) -> None:
        """Change the status if the row's current status allows it; else ValidationError."""
        with transaction.atomic():
            current = self._locked()
            if current.status not in allowed:
                raise ValidationError(refusal)
            values = {"status": status, **values}
            for name, value in values.items():
                setattr(current, name, value)
            current._history_user = by
            current.save(update_fields=[*values, "updated_at"])
        self.refresh_from_db()

    def save_answers(self, answers: dict, based_on_version: int, by=None) -> None:
        """Store the answers of a draft; refused if someone saved in between."""
        with transaction.atomic():
            current = self._locked()
            if current.status not in self.EDITABLE:
                raise ValidationError(
                    _("Der Antrag ist %(status)s und kann nicht mehr geändert werden.")
                    % {"status": current.get_status_display()}
                )
            if current.version != based_on_version:
                raise StaleVersion(current)
            current.answers = answers
            current.version += 1
            current._history_user = by
            current.save(update_fields=["answers", "version", "updated_at"])
        self.refresh_from_db()

    def late_refusal(self, now=None) -> str:
        """Why a draft cannot be submitted at `now` (the call is not open), or ""."""
        now = now or timezone.now()
        if self.status == self.Status.DRAFT and self.call.status_at(now) != "open":
            return _late_refusal(self.call, now)
        return ""

    def submit(self, now=None, by=None) -> None:
        """Submit, while the call is open (up to and including the deadline's last second,
        server time in Europe/Berlin). Answers to a question may come in after it."""
        now = now or timezone.now()
        with transaction.atomic():
            current = self._locked()
            if refusal := current.late_refusal(now):
                raise ValidationError(refusal)
            if current.status not in self.EDITABLE:
                raise ValidationError(_("Der Antrag ist bereits eingereicht."))
            current.status = self.Status.SUBMITTED
            current.submitted_at = now
            current._history_user = by
            current.save(update_fields=["status", "submitted_at", "updated_at"])
        self.refresh_from_db()

    def start_review(self, by=None) -> None:
        self._move({self.Status.SUBMITTED}, self.Status.IN_REVIEW,
                   _("Nur ein eingereichter Antrag geht in die Begutachtung."), by)  # fmt: skip

    def ask_for_information(self, message: str, by=None) -> None:
        if not message.strip():
            raise ValidationError(_("Bitte schreiben Sie, welche Angaben fehlen."))
        self._move({self.Status.SUBMITTED, self.Status.IN_REVIEW}, self.Status.INFO_REQUESTED,
                   _("Eine Rückfrage geht nur zu einem eingereichten, nicht entschiedenen "
                     "Antrag."), by, staff_message=message.strip())  # fmt: skip

    def withdraw(self, by=None) -> None:
        self._move({self.Status.DRAFT, *self.UNDECIDED}, self.Status.WITHDRAWN,
                   _("Ein entschiedener oder zurückgezogener Antrag kann nicht mehr "
                     "zurückgezogen werden."), by)  # fmt: skip

    def prepare_decision(self, decision: str, note: str = "", by=None) -> None:
        """Record the jury's decision; it reaches the applicant with the batch (send_decisions)."""
        if decision not in self.Decision.values:
            raise ValidationError(_("Unbekannte Entscheidung."))
        with transaction.atomic():
            current = self._locked()
            if current.status not in (self.Status.SUBMITTED, self.Status.IN_REVIEW):
                raise ValidationError(
                    _("Entschieden wird über eingereichte Anträge ohne offene Rückfrage.")
                )
            current.decision, current.decision_note = decision, note.strip()
            current._history_user = by
            current.save(update_fields=["decision", "decision_note", "updated_at"])
        self.refresh_from_db()


class StaleVersion(Exception):
    """Someone saved the answers after the editor loaded them."""

    def __init__(self, current: Application):
        super().__init__("stale version")
        self.current = current


def _late_refusal(call, now) -> str:
    if call.closes_at is not None and now > call.closes_at:
        deadline = timezone.localtime(call.closes_at).strftime("%d.%m.%Y, %H:%M:%S")
        return str(
            _("Die Frist ist am %(deadline)s Uhr (Ortszeit Stuttgart) abgelaufen. Ihr Entwurf "
              "bleibt gespeichert.") % {"deadline": deadline}
        )  # fmt: skip
    return str(_("Der Aufruf ist nicht geöffnet. Ihr Entwurf bleibt gespeichert."))


class PrivateStorage(FileSystemStorage):
    """Uploaded application files: outside the web root (settings.PRIVATE_FILES_ROOT), never
    served by the static or media path; the download view checks who asks. The folder is
    read from the settings at each use, so that a changed setting (tests) takes effect."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.PRIVATE_FILES_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("application files have no public address")


private_storage = PrivateStorage()


class ApplicationFile(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"
        DOCX = "docx", "DOCX"
        PNG = "png", "PNG"
        JPEG = "jpeg", "JPEG"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    field_key = models.SlugField(max_length=50)
    name = models.CharField(_("Dateiname"), max_length=200)
    kind = models.CharField(_("Art"), max_length=5, choices=Kind.choices)
    size = models.PositiveIntegerField(_("Größe (Bytes)"))
    stored = models.FileField(storage=private_storage, upload_to="applications/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Datei eines Antrags")
        verbose_name_plural = _("Dateien eines Antrags")
        ordering = ["application", "field_key", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("calls:application_file", args=[self.application_id, self.pk])


class Criterion(models.Model):
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    name = models.CharField(_("Kriterium"), max_length=200)
    name_en = models.CharField(_("Kriterium (englisch)"), max_length=200, blank=True)
    description = models.TextField(_("Erläuterung"), blank=True)
    weight = models.DecimalField(
        _("Gewicht"), max_digits=5, decimal_places=2, default=decimal.Decimal(1),
        validators=[MinValueValidator(decimal.Decimal("0.01"))],
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Bewertungskriterium")
        verbose_name_plural = _("Bewertungskriterien")
        ordering = ["call", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight")]

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        return localized(self.name, self.name_en)


class JurorAssignment(models.Model):
    """A juror asked to review one application. A declared conflict of interest (or one the
    registry shows, calls/conflicts.py) keeps the juror from seeing and scoring it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    # A deleted account leaves its reviews to the jury, without the name (accounts/privacy.py).
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        related_name="jury_assignments",
    )  # fmt: skip
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    conflict_declared_at = models.DateTimeField(null=True, blank=True)
    conflict_reason = models.TextField(_("Befangenheit: Grund"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Begutachtung (Zuweisung)")
        verbose_name_plural = _("Begutachtungen (Zuweisungen)")
        ordering = ["application", "juror__email"]
        constraints = [
            models.UniqueConstraint(fields=["application", "juror"], name="juror_assigned_once")
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.application}"


class Review(models.Model):
    class Recommendation(models.TextChoices):
        FUND = "fund", _("fördern")
        FUND_WITH_CONDITIONS = "fund_with_conditions", _("fördern mit Auflagen")
        DO_NOT_FUND = "do_not_fund", _("nicht fördern")

    assignment = models.OneToOneField(
        JurorAssignment, on_delete=models.CASCADE, related_name="review"
    )
    recommendation = models.CharField(
        _("Empfehlung"), max_length=30, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("Gesamteindruck"), blank=True)
    # The weighted mean of this review's scores (n/a left out), kept at submission for the
    # ranking board; null while a draft or when every criterion is n/a.
    weighted_score = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("Gutachten")
        verbose_name_plural = _("Gutachten")

    def __str__(self) -> str:
        return f"{self.assignment}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("Punkte (0–5)"), null=True, blank=True)
    comment = models.TextField(_("Kommentar"), blank=True)

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=5),
                name="score_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {'n/a' if self.value is None else self.value}"
