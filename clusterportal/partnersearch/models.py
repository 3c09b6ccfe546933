"""Partner-search postings, the people who follow them, the interest sent to their owners and
what came of them (docs/partnersearch.md).

A posting's life: written by a registered user (for an initiative they manage, or for their
organisation) -> *pending* until staff check it -> *published* (public until its expiry date)
or *rejected* (with the reason) -> *closed* by its owner or the staff. An expired posting stays
published in the database but leaves every public list the day after its expiry date; its owner
is reminded before and may renew it. An edit of a published posting goes back to the check:
the check is the portal's only defence against a posting turned into an advert after approval.

Every state change is a method inside a transaction that locks the row and checks the state it
found, so two staff members, or an owner and the staff, acting at once cannot both win.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from clusterportal.lib.countries import country_name
from clusterportal.lib.markup import render_markdown
from clusterportal.lib.text import fold

# The longest a posting may run before its owner must renew it.
MAX_RUNTIME_DAYS = 365
MAX_DESCRIPTION = 5000


class StaleVersion(Exception):
    """A save based on an older version of the posting (someone saved in between)."""

    def __init__(self, current: Posting) -> None:
        super().__init__("stale version")
        self.current = current


class WrongState(Exception):
    """A step that the posting's present state does not allow (e.g. publishing it twice)."""

    def __init__(self, posting: Posting, step: str) -> None:
        super().__init__(f"{step} not allowed in state {posting.status}")
        self.posting = posting
        self.step = step


class PostingQuerySet(models.QuerySet["Posting"]):
    def public(self, today: datetime.date | None = None) -> PostingQuerySet:
        """Published and not yet expired: what anyone may see."""
        today = today or timezone.localdate()
        return self.filter(status=Posting.Status.PUBLISHED, expires_on__gte=today)

    def pending(self) -> PostingQuerySet:
        return self.filter(status=Posting.Status.PENDING)

    def of_author(self, user) -> PostingQuerySet:
        return self.filter(author=user) if user.is_authenticated else self.none()

    def for_list(self) -> PostingQuerySet:
        return self.select_related("initiative", "region", "call").prefetch_related(
            "technology_fields__parent", "regions_sought"
        )


class Posting(models.Model):
    class Kind(models.TextChoices):
        OFFER = "offer", _("Angebot")
        REQUEST = "request", _("Gesuch")

    class Purpose(models.TextChoices):
        RD_PROJECT = "rd_project", _("FuE-Projekt")
        BUSINESS = "business", _("Geschäftliche Zusammenarbeit")
        CALL_PARTNER = "call_partner", _("Partner für einen Förderaufruf")
        EVENT_PARTNER = "event_partner", _("Partner für eine Veranstaltung")

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Prüfung")
        PUBLISHED = "published", _("veröffentlicht")
        REJECTED = "rejected", _("abgelehnt")
        CLOSED = "closed", _("geschlossen")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingestellt von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="postings",
    )
    initiative = models.ForeignKey(
        "registry.ClusterInitiative",
        verbose_name=_("für die Initiative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postings",
    )
    organisation_name = models.CharField(_("Organisation"), max_length=300)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Sitz (Kreis oder Region)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    purpose = models.CharField(_("Zweck"), max_length=20, choices=Purpose.choices)
    call = models.ForeignKey(
        "calls.Call",
        verbose_name=_("Förderaufruf"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postings",
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung (Markdown)"), max_length=MAX_DESCRIPTION)
    technology_fields = models.ManyToManyField(
        "taxonomy.TechnologyField", verbose_name=_("Technologiefelder"), related_name="postings"
    )
    regions_sought = models.ManyToManyField(
        "regions.Region", verbose_name=_("gesuchte Regionen"), blank=True, related_name="+"
    )
    countries_sought = CountryField(_("gesuchte Länder"), multiple=True, blank=True)
    expires_on = models.DateField(_("gültig bis"))
    status = models.CharField(
        _("Stand"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    review_note = models.CharField(_("Begründung der Prüfung"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geprüft von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("eingestellt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("geschlossen am"), null=True, blank=True)
    # Raised by every edit: an edit based on an older version is refused (StaleVersion).
    version = models.PositiveIntegerField(default=1)
    # Folded title, description, organisation and fields, for the list's text search.
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Partnersuche")
        verbose_name_plural = _("Partnersuchen")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_on"], name="posting_status_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="call_partner") | Q(call__isnull=False),
                name="posting_call_partner_names_call",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="posting_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnersearch:detail", args=[self.pk])

    # --- reads ---

    def is_public(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.PUBLISHED and self.expires_on >= today

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return self.expires_on < (today or timezone.localdate())

    @property
    def description_html(self) -> SafeString:
        """The Markdown description, sanitised (no scripts, no `javascript:` links)."""
        return render_markdown(self.description)

    @property
    def countries_named(self) -> list[tuple[str, str]]:
        """The countries sought as (code, name in the active language)."""
        return [(str(c.code), country_name(str(c.code))) for c in self.countries_sought]

    @property
    def poster_name(self) -> str:
        """Who is looking: the initiative, or the organisation as given."""
        return self.initiative.name if self.initiative_id else self.organisation_name

    def compute_search_text(self) -> str:
        """The same whatever the language: German and English field names both."""
        names = [f"{f.name} {f.name_en}" for f in self.technology_fields.all()]
        parts = [self.title, self.description, self.poster_name, *names]
        return fold(" ".join(parts))

    def refresh_search_text(self) -> None:
        text = self.compute_search_text()
        if text != self.search_text:
            Posting.objects.filter(pk=self.pk).update(search_text=text)
            self.search_text = text

    # --- state changes ---

    def _locked(self) -> Posting:
        return Posting.objects.select_for_update().get(pk=self.pk)

    def _refresh_from(self, current: Posting) -> None:
        for field in ("status", "review_note", "reviewed_by_id", "published_at", "closed_at",
                      "expires_on", "version", "updated_at"):  # fmt: skip
            setattr(self, field, getattr(current, field))

    def publish(self, by) -> None:
        """Staff accept the posting: it is public from now until its expiry date."""
        self._review(by, self.Status.PUBLISHED, note="")

    def reject(self, by, note: str) -> None:
        if not note.strip():
            raise ValidationError({"review_note": _("Bitte nennen Sie den Grund der Ablehnung.")})
        self._review(by, self.Status.REJECTED, note=note.strip())

    def _review(self, by, status: str, note: str) -> None:
        with transaction.atomic():
            current = self._locked()
            if current.status != self.Status.PENDING:
                raise WrongState(current, status)
            current.status = status
            current.review_note = note
            current.reviewed_by = by
            if status == self.Status.PUBLISHED:
                current.published_at = timezone.now()
            current._history_user = by
            current.save(update_fields=["status", "review_note", "reviewed_by", "published_at",
                                        "updated_at"])  # fmt: skip
            self._refresh_from(current)

    def close(self, by) -> None:
        """The owner (or staff) ends the search; followers hear of it."""
        with transaction.atomic():
            current = self._locked()
            if current.status == self.Status.CLOSED:
                raise WrongState(current, "close")
            current.status = self.Status.CLOSED
            current.closed_at = timezone.now()
            current._history_user = by
            current.save(update_fields=["status", "closed_at", "updated_at"])
            self._refresh_from(current)

    def renew(self, by, until: datetime.date, based_on_version: int) -> None:
        """A new expiry date for a published or pending posting (no new check: the text is the
        one checked)."""
        check_expiry(until)
        with transaction.atomic():
            current = self._locked()
            if current.version != based_on_version:
                raise StaleVersion(current)
            if current.status not in (self.Status.PUBLISHED, self.Status.PENDING):
                raise WrongState(current, "renew")
            current.expires_on = until
            current.version += 1
            current._history_user = by
            current.save(update_fields=["expires_on", "version", "updated_at"])
            self._refresh_from(current)


def check_expiry(until: datetime.date, today: datetime.date | None = None) -> None:
    """An expiry date from today up to MAX_RUNTIME_DAYS ahead; a clear message otherwise."""
    today = today or timezone.localdate()
    if until < today:
        raise ValidationError(
            {"expires_on": _("Das Ablaufdatum liegt in der Vergangenheit.")}, code="past"
        )
    if until > today + datetime.timedelta(days=MAX_RUNTIME_DAYS):
        raise ValidationError(
            {
                "expires_on": _(
                    "Eine Partnersuche läuft höchstens 365 Tage; bitte ein früheres Datum."
                )
            },
            code="too_far",
        )


class Follow(models.Model):
    """A registered user who wants an e-mail when the posting changes or ends."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posting_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Beobachtung")
        verbose_name_plural = _("Beobachtungen")
        constraints = [
            models.UniqueConstraint(fields=["posting", "user"], name="posting_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.posting}"


class Interest(models.Model):
    """A message of interest to a posting's owner. The owner reads it on their page of own
    postings (and by e-mail) and decides whether to answer; the sender agreed that the owner
    sees their address. Nobody else does."""

    MAX_MESSAGE = 2000

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="interests")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="posting_interests",
    )
    sender_name = models.CharField(_("Name"), max_length=200)
    sender_organisation = models.CharField(_("Organisation"), max_length=300)
    message = models.TextField(_("Nachricht"), max_length=MAX_MESSAGE)
    created_at = models.DateTimeField(_("gesendet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Interessensbekundung")
        verbose_name_plural = _("Interessensbekundungen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sender_name} → {self.posting}"


class Outcome(models.Model):
    """What came of a search, asked of its owner 3 and 6 months after it ended."""

    class Result(models.TextChoices):
        NO_CONTACT = "no_contact", _("kein Kontakt")
        TALKS = "talks", _("Gespräche")
        PROJECT = "project", _("Projekt oder Vereinbarung")

    class Asked(models.IntegerChoices):
        THREE_MONTHS = 3, _("nach drei Monaten")
        SIX_MONTHS = 6, _("nach sechs Monaten")

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="outcomes")
    months_after = models.PositiveSmallIntegerField(_("Zeitpunkt"), choices=Asked.choices)
    result = models.CharField(_("Ergebnis"), max_length=12, choices=Result.choices)
    note = models.CharField(_("Anmerkung"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Ergebnis einer Partnersuche")
        verbose_name_plural = _("Ergebnisse von Partnersuchen")
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "months_after"], name="posting_outcome_once_per_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.posting} ({self.months_after}): {self.result}"


def ended_on(posting: Posting) -> datetime.date | None:
    """The day a search ended: closed, or the day after its expiry date, whichever came
    first (None: not ended, or never public)."""
    expired = posting.expires_on + datetime.timedelta(days=1)
    if posting.closed_at is not None:
        return min(timezone.localdate(posting.closed_at), expired)
    if posting.status == Posting.Status.PUBLISHED and expired <= timezone.localdate():
        return expired
    return None
