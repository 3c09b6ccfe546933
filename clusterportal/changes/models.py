"""Change requests: how a profile changes once people keep it.

A cluster manager's save (in the portal or through the API) does not touch the
public profile: it becomes a change request holding the proposed values of the
fields it changes and their values at that moment (the base). The regional
contact of the initiative's Region, or a curator, approves it, asks for more,
or rejects it; only approval writes the values (profile_fields.apply) and is
kept in the record's history with the request's number.

Concurrency: an initiative has at most one open request (a partial unique
constraint); further saves amend it, each with a new revision. An editor's
form or API call carries the edit token it started from (`edit_token`); if the
profile or its open request changed since, the save is refused as a conflict
and the editor's input is given back. Approval checks the base once more, so a
record changed in the back office meanwhile is never overwritten unseen.
"""

from __future__ import annotations

import hashlib
import json
from functools import partial

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterportal.changes import notifications, profile_fields
from clusterportal.registry.models import ClusterInitiative


class Conflict(Exception):
    """The profile or its open request changed since the editor started."""

    def __init__(self, message: str, fields: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or []


class NotAllowed(Exception):
    """The action does not fit the request's state (approving twice, ...)."""


class NothingChanged(ValueError):
    """The proposed values equal the public ones."""


class ChangeRequestQuerySet(models.QuerySet["ChangeRequest"]):
    def open(self) -> ChangeRequestQuerySet:
        return self.filter(status__in=ChangeRequest.OPEN)

    def visible_to(self, user) -> ChangeRequestQuerySet:
        """The requests a person may see: curators all, contacts their Regions',
        managers their initiatives' and everyone their own (accounts/rules.py)."""
        from clusterportal.accounts.rules import visible_change_requests

        return visible_change_requests(user, self)


class ChangeRequest(models.Model):
    class Kind(models.TextChoices):
        CHANGE = "change", _("Änderung")
        ADMISSION = "admission", _("Aufnahme")

    class Status(models.TextChoices):
        PENDING = "pending", _("zur Prüfung")
        NEEDS_MORE = "needs_more", _("Rückfrage")
        APPROVED = "approved", _("angenommen")
        REJECTED = "rejected", _("abgelehnt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    OPEN = [Status.PENDING, Status.NEEDS_MORE]

    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.CHANGE)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestellt von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="change_requests",
    )
    # field -> proposed value, and field -> public value when proposed (JSON, profile_fields).
    changes = models.JSONField(_("Änderungen"), default=dict)
    base = models.JSONField(_("Stand bei Antragstellung"), default=dict)
    revision = models.PositiveIntegerField(_("Fassung"), default=1)
    note = models.TextField(_("Anmerkung"), blank=True, max_length=2000)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entschieden von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_change_requests",
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    reason = models.TextField(_("Begründung"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("gestellt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("Änderungsantrag")
        verbose_name_plural = _("Änderungsanträge")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative"],
                condition=models.Q(status__in=["pending", "needs_more"]),
                name="change_request_one_open_per_initiative",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.initiative}"

    def get_absolute_url(self) -> str:
        return reverse("changes:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    # Proposing -----------------------------------------------------------------

    @classmethod
    def propose(
        cls,
        initiative: ClusterInitiative,
        author,
        values: dict[str, object],
        *,
        edit_token: str | None,
        note: str = "",
        kind: str = Kind.CHANGE,
    ) -> ChangeRequest:
        """Open a request, or amend the open one, with validated `values`.

        `edit_token` is what the editor started from (None: no check, as for an
        API call without one). Raises Conflict or NothingChanged; changes nothing then.
        """
        try:
            with transaction.atomic():
                locked = ClusterInitiative.objects.select_for_update().get(pk=initiative.pk)
                public = profile_fields.current_values(locked)
                request = cls.objects.open().filter(initiative=locked).first()
                if edit_token is not None and edit_token != token_of(public, request):
                    raise Conflict(
                        str(_("Das Profil oder sein offener Antrag wurde inzwischen geändert."))
                    )
                proposed = {**(request.changes if request else {}), **values}
                changes = profile_fields.differences(public, proposed)
                if not changes and kind == cls.Kind.CHANGE:
                    raise NothingChanged(str(_("Keine Änderung gegenüber dem Profil.")))
                base = {name: public[name] for name in changes}
                if request is None:
                    request = cls.objects.create(
                        initiative=locked,
                        kind=kind,
                        author=author,
                        changes=changes,
                        base=base,
                        note=note,
                    )
                    action = Event.Action.SUBMITTED
                else:
                    request.changes, request.base = changes, base
                    request.revision += 1
                    request.status = cls.Status.PENDING
                    if note:
                        request.note = note
                    request.save()
                    action = Event.Action.AMENDED
                request._record(author, action, note)
        except IntegrityError:  # another editor opened a request in the same moment
            raise Conflict(
                str(_("Gleichzeitig wurde ein anderer Antrag für dieses Profil gestellt."))
            ) from None
        return request

    # Deciding ------------------------------------------------------------------

    def approve(self, reviewer, message: str = "") -> None:
        """Write the proposed values to the public record, once."""
        with transaction.atomic():
            request = self._locked_open()
            initiative = ClusterInitiative.objects.select_for_update().get(pk=self.initiative_id)
            public = profile_fields.current_values(initiative)
            moved = [name for name, value in request.base.items() if public.get(name) != value]
            if moved:
                raise Conflict(
                    str(_("Das Profil wurde seit dem Antrag geändert: %(fields)s."))
                    % {"fields": ", ".join(profile_fields.label(n) for n in moved)},
                    moved,
                )
            initiative._change_reason = f"Änderungsantrag #{request.pk}"
            initiative._history_user = reviewer
            initiative.confirmed_at = timezone.now()
            if request.kind == self.Kind.ADMISSION:
                initiative.status = ClusterInitiative.Status.PUBLISHED
            profile_fields.apply(initiative, request.changes)
            request._decide(reviewer, self.Status.APPROVED, message, Event.Action.APPROVED)
        self.refresh_from_db()

    def reject(self, reviewer, reason: str) -> None:
        if not reason.strip():
            raise ValueError(str(_("Eine Ablehnung braucht eine Begründung.")))
        with transaction.atomic():
            request = self._locked_open()
            request._decide(reviewer, self.Status.REJECTED, reason, Event.Action.REJECTED)
        self.refresh_from_db()

    def ask_for_more(self, reviewer, message: str) -> None:
        if not message.strip():
            raise ValueError(str(_("Eine Rückfrage braucht eine Nachricht.")))
        with transaction.atomic():
            request = self._locked_open()
            if request.status != self.Status.PENDING:
                raise NotAllowed(str(_("Zu diesem Antrag ist schon eine Rückfrage offen.")))
            request.status = self.Status.NEEDS_MORE
            request.reason = message
            request.save(update_fields=["status", "reason", "updated_at"])
            request._record(reviewer, Event.Action.ASKED, message)
        self.refresh_from_db()

    def withdraw(self, actor) -> None:
        with transaction.atomic():
            request = self._locked_open()
            request._decide(actor, self.Status.WITHDRAWN, "", Event.Action.WITHDRAWN)
        self.refresh_from_db()

    def _locked_open(self) -> ChangeRequest:
        request = type(self).objects.select_for_update().get(pk=self.pk)
        if not request.is_open:
            raise NotAllowed(
                str(_("Über diesen Antrag ist schon entschieden (%(status)s)."))
                % {"status": request.get_status_display()}
            )
        return request

    def _decide(self, actor, status: str, message: str, action: str) -> None:
        self.status = status
        self.reviewer = actor
        self.decided_at = timezone.now()
        self.reason = message
        self.save()
        self._record(actor, action, message)

    def _record(self, actor, action: str, message: str = "") -> Event:
        """A step of the request; its mails go once the transaction has committed."""
        event = self.events.create(actor=actor, action=action, message=message)
        transaction.on_commit(partial(notifications.send_for_event, event.pk), robust=True)
        return event

    # Reading -------------------------------------------------------------------

    def diff(self) -> list[tuple[str, str, object, object]]:
        """(field, label, before, proposed) for every field the request changes."""
        return [
            (name, profile_fields.label(name), self.base.get(name), self.changes[name])
            for name in profile_fields.EDITABLE
            if name in self.changes
        ]


def token_of(public: dict[str, object], request: ChangeRequest | None) -> str:
    """What an editor started from: the public values and the open request's revision."""
    state = [public, [request.pk, request.revision] if request else None]
    encoded = json.dumps(state, sort_keys=True, default=str).encode()
    return hashlib.blake2b(encoded, digest_size=12).hexdigest()


def edit_token(initiative: ClusterInitiative) -> str:
    request = ChangeRequest.objects.open().filter(initiative=initiative).first()
    return token_of(profile_fields.current_values(initiative), request)


class Event(models.Model):
    """One step of a request: submitted, amended, asked for more, decided."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("gestellt")
        AMENDED = "amended", _("ergänzt")
        ASKED = "asked", _("Rückfrage")
        APPROVED = "approved", _("angenommen")
        REJECTED = "rejected", _("abgelehnt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    message = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Schritt")
        verbose_name_plural = _("Schritte")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d})"
