"""Funding programmes, their calls and the calls' deadlines (docs/calls.md).

A programme is the standing instrument (purpose, funder, legal basis, rate and cap, budget,
target group, validity); a call is one round of it with an opening, one or more deadlines
and eligibility rules (calls/eligibility.py). A call's status (upcoming, open, closed) is
derived from its dates, never stored: `Call.status_at(now)` for one call and
`CallQuerySet.with_status(now)` for a list agree (calls/tests/test_status.py).

Every fact has its source: `source_name` and `source_url` on programme and call.
"""

from __future__ import annotations

import datetime
import decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from clusterportal.calls.eligibility import ParsedRule, parse_rules, validate_rules
from clusterportal.lib.language import localized
from clusterportal.registry.models import Label


class TargetGroup(models.TextChoices):
    CLUSTER_INITIATIVES = "cluster_initiatives", _("Regionale Cluster-Initiativen")
    STATEWIDE_NETWORKS = "statewide_networks", _("Landesweite Netzwerke")
    CLUSTER_MANAGEMENTS = "cluster_managements", _("Clustermanagements")
    ECONOMIC_DEVELOPMENT = "economic_development", _("Wirtschaftsförderungen")
    COMPANIES = "companies", pgettext_lazy("Zielgruppe", "Unternehmen")


def validate_target_groups(value) -> None:
    if not isinstance(value, list) or any(item not in TargetGroup.values for item in value):
        known = ", ".join(TargetGroup.values)
        raise ValidationError(_("Eine Liste aus: %(known)s.") % {"known": known})


def validate_documents(value) -> None:
    """A list of {"title", "url"} with http(s) addresses."""
    problem = _('Eine Liste von {"title": …, "url": "https://…"}.')
    if not isinstance(value, list):
        raise ValidationError(problem)
    for item in value:
        if not isinstance(item, dict) or set(item) - {"title", "title_en", "url"}:
            raise ValidationError(problem)
        url = item.get("url", "")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValidationError(problem)


def money_field(label) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(decimal.Decimal(0))],
    )  # fmt: skip


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def current(self) -> ProgrammeQuerySet:
        return self.filter(archived=False)


class Programme(models.Model):
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    name = models.CharField(_("Name"), max_length=300)
    name_en = models.CharField(_("Name (englisch)"), max_length=300, blank=True)
    purpose = models.TextField(_("Zweck"), blank=True)
    purpose_en = models.TextField(_("Zweck (englisch)"), blank=True)
    funder = models.CharField(_("Fördergeber"), max_length=300)
    run_by = models.CharField(
        _("Umgesetzt von"), max_length=300, blank=True,
        help_text=_("Wer das Programm im Auftrag des Fördergebers umsetzt, z. B. bw-i."),
    )  # fmt: skip
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=300, blank=True)
    rate_percent = models.DecimalField(
        _("Fördersatz (Prozent der Kosten)"), max_digits=5, decimal_places=2, null=True,
        blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    cap_eur = money_field(_("Höchstbetrag (EUR)"))
    cap_renewal_eur = money_field(_("Höchstbetrag bei Erneuerung (EUR)"))
    funding_note = models.TextField(_("Weitere Förderbedingungen"), blank=True)
    funding_note_en = models.TextField(_("Weitere Förderbedingungen (englisch)"), blank=True)
    budget = models.CharField(_("Budget"), max_length=300, blank=True)
    target_group = models.TextField(_("Zielgruppe"), blank=True)
    target_group_en = models.TextField(_("Zielgruppe (englisch)"), blank=True)
    contact = models.TextField(_("Kontakt"), blank=True)
    documents = models.JSONField(
        _("Dokumente"), default=list, blank=True, validators=[validate_documents],
        help_text=_('Liste von {"title", "url"}: Richtlinien, Merkblätter, Formulare.'),
    )  # fmt: skip
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    archived = models.BooleanField(
        _("Archiv"), default=False,
        help_text=_("Das Programm läuft nicht mehr; seine Aufrufe gelten als geschlossen."),
    )  # fmt: skip
    # The GOLD subsidy: the label whose certification the programme pays for. With it, the
    # calculator (calls/subsidy.py) checks the label's dates against valid_from/valid_until.
    subsidised_label = models.CharField(
        _("gefördertes Label"), max_length=30, choices=Label.Kind.choices, blank=True
    )
    source_name = models.CharField(_("Quelle"), max_length=300)
    source_url = models.URLField(_("Adresse der Quelle"), max_length=500)
    more_sources = models.JSONField(
        _("weitere Quellen"), default=list, blank=True, validators=[validate_documents],
        help_text=_('Liste von {"title", "url"}.'),
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["archived", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="programme_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(rate_percent__isnull=True)
                | Q(rate_percent__gte=0, rate_percent__lte=100),
                name="programme_rate_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("calls:programme", args=[self.slug])

    @property
    def localized_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def localized_purpose(self) -> str:
        return localized(self.purpose, self.purpose_en)

    @property
    def localized_target_group(self) -> str:
        return localized(self.target_group, self.target_group_en)

    @property
    def localized_funding_note(self) -> str:
        return localized(self.funding_note, self.funding_note_en)

    @property
    def has_calculator(self) -> bool:
        return self.rate_percent is not None and self.cap_eur is not None

    def clean(self) -> None:
        if self.cap_renewal_eur is not None and self.cap_eur is None:
            raise ValidationError(
                {
                    "cap_renewal_eur": _(
                        "Ein Höchstbetrag bei Erneuerung braucht einen Höchstbetrag."
                    )
                }
            )


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last second of `day` in the portal's time zone (Europe/Berlin): a deadline that a
    source gives as a date ends then."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class CallQuerySet(models.QuerySet["Call"]):
    def with_status(self, now: datetime.datetime | None = None) -> CallQuerySet:
        """Annotate `status_now` from the dates, as Call.status_at does."""
        now = now or timezone.now()
        return self.annotate(
            status_now=Case(
                When(Call.closed_q(now), then=Value(Call.Status.CLOSED)),
                When(opens_at__gt=now, then=Value(Call.Status.UPCOMING)),
                default=Value(Call.Status.OPEN),
                output_field=models.CharField(),
            )
        )

    def in_status(self, status: str, now: datetime.datetime | None = None) -> CallQuerySet:
        now = now or timezone.now()
        closed = Call.closed_q(now)
        if status == Call.Status.CLOSED:
            return self.filter(closed)
        if status == Call.Status.UPCOMING:
            return self.exclude(closed).filter(opens_at__gt=now)
        return self.exclude(closed).exclude(opens_at__gt=now)


class Call(models.Model):
    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("demnächst")
        OPEN = "open", _("offen")
        CLOSED = "closed", _("geschlossen")

    programme = models.ForeignKey(
        Programme, verbose_name=_("Förderprogramm"), on_delete=models.PROTECT, related_name="calls"
    )
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    title = models.CharField(_("Titel"), max_length=300)
    title_en = models.CharField(_("Titel (englisch)"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True)
    opens_at = models.DateTimeField(
        _("öffnet am"), null=True, blank=True,
        help_text=_("Leer: nicht bekannt. Vorher ist der Aufruf „demnächst“."),
    )  # fmt: skip
    # The last deadline, kept by the deadlines (calls/derived.py): after it the call is
    # closed. Null while it has none.
    closes_at = models.DateTimeField(_("letzte Frist"), null=True, blank=True, editable=False)
    target_groups = models.JSONField(
        _("Zielgruppen"), default=list, blank=True, validators=[validate_target_groups]
    )
    technology_fields = models.ManyToManyField(
        "taxonomy.TechnologyField", verbose_name=_("Themen (Technologiefelder)"), blank=True,
        related_name="calls",
    )  # fmt: skip
    countries = CountryField(_("Zielländer"), multiple=True, blank=True)
    eligibility_rules = models.JSONField(
        _("Teilnahmevoraussetzungen"), default=list, blank=True, validators=[validate_rules],
        help_text=_('Liste von {"rule": …, "parameters": {…}}; die Regeln stehen in '
                    "docs/calls.md."),
    )  # fmt: skip
    source_name = models.CharField(_("Quelle"), max_length=300)
    source_url = models.URLField(_("Adresse der Quelle"), max_length=500)
    # When the call came into the portal: its followers hear of it then (calls/reminders.py).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "closes_at"])

    class Meta:
        verbose_name = _("Aufruf")
        verbose_name_plural = _("Aufrufe")
        ordering = ["-opens_at", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", args=[self.slug])

    @property
    def localized_title(self) -> str:
        return localized(self.title, self.title_en)

    @property
    def localized_description(self) -> str:
        return localized(self.description, self.description_en)

    @staticmethod
    def closed_q(now: datetime.datetime) -> Q:
        """Closed: the last deadline has passed, or the programme is in the archive."""
        return Q(closes_at__lt=now) | Q(programme__archived=True)

    def status_at(self, now: datetime.datetime | None = None) -> str:
        """upcoming before the opening, open up to and including the last deadline's
        second, closed after it (and always for a programme in the archive)."""
        now = now or timezone.now()
        if self.programme.archived or (self.closes_at is not None and now > self.closes_at):
            return self.Status.CLOSED
        if self.opens_at is not None and now < self.opens_at:
            return self.Status.UPCOMING
        return self.Status.OPEN

    @property
    def status(self) -> str:
        """Now: from the list's annotation (with_status) where there is one."""
        return getattr(self, "status_now", None) or self.status_at()

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    def next_deadline(self, now: datetime.datetime | None = None) -> Deadline | None:
        now = now or timezone.now()
        return next((d for d in self.deadlines.all() if d.due_at >= now), None)

    def refresh_closes_at(self) -> None:
        last = self.deadlines.aggregate(last=models.Max("due_at"))["last"]
        if last != self.closes_at:
            self.closes_at = last
            Call.objects.filter(pk=self.pk).update(closes_at=last)

    def parsed_rules(self) -> list[ParsedRule]:
        """The validated rules; kept on the instance for its rules as they are now."""
        key = repr(self.eligibility_rules)
        cached = getattr(self, "_parsed_rules", None)
        if cached is None or cached[0] != key:
            self._parsed_rules = (key, parse_rules(self.eligibility_rules))
        return self._parsed_rules[1]

    def target_group_labels(self) -> list[str]:
        return [str(TargetGroup(value).label) for value in self.target_groups]


class DeadlineQuerySet(models.QuerySet["Deadline"]):
    # The paths that send no signal keep the calls' closing times too (calls/derived.py).
    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        refresh_calls({d.call_id for d in created})
        return created

    def update(self, **kwargs):
        calls = set(self.values_list("call_id", flat=True))
        count = super().update(**kwargs)
        refresh_calls(calls | set(self.values_list("call_id", flat=True)))
        return count

    def delete(self):
        calls = set(self.values_list("call_id", flat=True))
        result = super().delete()
        refresh_calls(calls)
        return result


def refresh_calls(call_ids) -> None:
    for call in Call.objects.filter(pk__in=call_ids):
        call.refresh_closes_at()


class Deadline(models.Model):
    """A date by which something is due; the call takes it up to and including `due_at`."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="deadlines")
    due_at = models.DateTimeField(_("Frist (letzte Sekunde)"))
    label = models.CharField(_("wofür"), max_length=200, blank=True)
    label_en = models.CharField(_("wofür (englisch)"), max_length=200, blank=True)

    objects = DeadlineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Frist")
        verbose_name_plural = _("Fristen")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "due_at"], name="deadline_once_per_call")
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.due_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.label or _('Frist')} {when}"

    @property
    def localized_label(self) -> str:
        return localized(self.label, self.label_en)


class ProgrammeFollow(models.Model):
    """Someone who follows a programme: mailed on its new calls, and 14 and 3 days before
    each deadline of its calls (calls/reminders.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_programmes"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Programm, dem jemand folgt")
        verbose_name_plural = _("Programme, denen jemand folgt")
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="programme_followed_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.programme}"


# Applications and their review live in a module of their own; imported here so that Django
# finds their models (calls/application_models.py).
from clusterportal.calls.application_models import (  # noqa: E402, F401
    Application,
    ApplicationFile,
    Criterion,
    FormField,
    JurorAssignment,
    Review,
    Score,
)
