"""The database outbox: every e-mail the portal sends, kept until it is delivered.

Django's mail framework hands each message to `backends.OutboxBackend`, which
stores it here inside the caller's transaction: a request that rolls back sends
nothing, and a message stored is not lost when the mail server is down.
Delivery (`OutboxMessage.objects.deliver`) passes pending messages on to the real
backend (settings.OUTBOX_DELIVERY_BACKEND), marks them sent, and keeps failures
with the number of attempts and the last error for a later retry with backoff
(docs/mail.md).

Two delivery runs may overlap (the cron job and a delivery after a commit). A
run first claims a small batch in a short transaction (SELECT ... FOR UPDATE SKIP
LOCKED on PostgreSQL; SQLite's write lock serialises the claim), then sends
outside any transaction, so no database lock is held while the mail server
answers. A claim expires after CLAIM_SECONDS: if a run dies mid-batch, its
messages go out with a later run.

`SentReminder` records each reminder sent (kind, object, due date), so that
`clusterportal send_reminders` sends every reminder once (reminders.py).
"""

from __future__ import annotations

import base64
import datetime
import email
import logging
from dataclasses import dataclass, field
from email.message import Message
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass
class Delivery:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def pending(self) -> OutboxMessageQuerySet:
        return self.filter(status=OutboxMessage.Status.PENDING)

    def due(self, now: datetime.datetime) -> OutboxMessageQuerySet:
        """Pending, its retry time reached, and not claimed by a running delivery."""
        return self.pending().filter(
            models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now),
            next_attempt_at__lte=now,
        )

    def claim(
        self, now: datetime.datetime, count: int, ids: list[int] | None = None
    ) -> list[OutboxMessage]:
        """Up to `count` due messages, claimed for this run until the claim expires."""
        with transaction.atomic(using=self.db):
            due = self.due(now).order_by("next_attempt_at", "pk")
            if ids is not None:
                due = due.filter(pk__in=ids)
            batch = list(due.select_for_update(skip_locked=True)[:count])
            if batch:
                until = now + datetime.timedelta(seconds=OutboxMessage.CLAIM_SECONDS)
                self.filter(pk__in=[message.pk for message in batch]).update(claimed_until=until)
        return batch

    def deliver(self, ids: list[int] | None = None, batch_size: int = 20) -> Delivery:
        """Send the due messages (or the due ones among `ids`) through the real backend."""
        delivery = Delivery()
        while batch := self.claim(timezone.now(), batch_size, ids):
            connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
            try:
                connection.open()
            except Exception as error:  # the mail server is unreachable: try again later
                for message in batch:
                    message.record_failure(error)
                delivery.failed += len(batch)
                delivery.errors.append(OutboxMessage.describe(error))
                logger.warning("outbox: cannot reach the mail server: %s", error)
                break
            try:
                for message in batch:
                    if message.send_through(connection):
                        delivery.sent += 1
                    else:
                        delivery.failed += 1
                        delivery.errors.append(message.last_error)
            finally:
                connection.close()
        return delivery

    def purge_sent(self, days: int) -> int:
        """Forget sent messages older than `days` days (they hold personal data)."""
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted, _ = self.filter(status=OutboxMessage.Status.SENT, sent_at__lt=cutoff).delete()
        return deleted


class OutboxMessage(models.Model):
    """One e-mail as handed to Django's mail framework, with its delivery state."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENT = "sent", _("versandt")

    # How long a delivery run may hold a claimed batch before another run may take it.
    CLAIM_SECONDS = 600
    # Waiting time before the n-th retry: 1, 2, 4, ... minutes, at most 6 hours.
    RETRY_FIRST_SECONDS = 60
    RETRY_MAX_SECONDS = 6 * 3600

    created_at = models.DateTimeField(_("angelegt"), default=timezone.now, editable=False)
    from_email = models.CharField(_("Absender"), max_length=500)
    to = models.JSONField(_("an"), default=list)
    cc = models.JSONField(_("Kopie an"), default=list)
    bcc = models.JSONField(_("Blindkopie an"), default=list)
    reply_to = models.JSONField(_("Antwort an"), default=list)
    subject = models.TextField(_("Betreff"))
    body = models.TextField(_("Text"))
    # Extra headers, with the Date and Message-ID fixed when the message was stored,
    # so that a retry sends the same message.
    headers = models.JSONField(_("Kopfzeilen"), default=dict)
    # [content, mimetype] pairs of EmailMultiAlternatives (an HTML version, ...).
    alternatives = models.JSONField(_("Alternativen"), default=list)
    attachments = models.JSONField(_("Anhänge"), default=list)
    # content_subtype, mixed_subtype, alternative_subtype, encoding where not the default.
    options = models.JSONField(default=dict)

    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("ausgehende E-Mail")
        verbose_name_plural = _("ausgehende E-Mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ]

    def __str__(self) -> str:
        return self.subject

    # --- storing --------------------------------------------------------------------

    @classmethod
    def store(cls, message: EmailMessage) -> OutboxMessage:
        """Keep a message of Django's mail framework as it would be sent."""
        # Building the MIME message checks the headers (a newline in a subject raises
        # BadHeaderError here, in the caller, as with Django's own backends) and gives
        # the Date and Message-ID every attempt must reuse.
        mime = message.message()
        headers = {str(key): str(value) for key, value in message.extra_headers.items()}
        present = {key.lower() for key in headers}
        for name in ("Date", "Message-ID"):
            if name.lower() not in present:
                headers[name] = str(mime[name])
        options = {
            name: getattr(message, name)
            for name in ("content_subtype", "mixed_subtype", "alternative_subtype", "encoding")
            if hasattr(message, name)
            and getattr(message, name) != getattr(EmailMultiAlternatives, name)
        }
        return cls.objects.create(
            from_email=str(message.from_email),
            to=[str(address) for address in message.to],
            cc=[str(address) for address in message.cc],
            bcc=[str(address) for address in message.bcc],
            reply_to=[str(address) for address in message.reply_to],
            subject=str(message.subject),
            body=str(message.body),
            headers=headers,
            alternatives=[
                [str(content), mimetype]
                for content, mimetype in getattr(message, "alternatives", [])
            ],
            attachments=[_attachment_record(item) for item in message.attachments],
            options=options,
        )

    def as_email(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body,
            from_email=self.from_email,
            to=self.to,
            cc=self.cc,
            bcc=self.bcc,
            reply_to=self.reply_to,
            headers=self.headers,
            alternatives=[tuple(pair) for pair in self.alternatives],
        )
        for record in self.attachments:
            if "mime" in record:
                message.attach(email.message_from_string(record["mime"], _class=_StoredPart))
            elif "base64" in record:
                content = base64.b64decode(record["base64"])
                message.attach(record["filename"], content, record["mimetype"])
            else:
                message.attach(record["filename"], record["text"], record["mimetype"])
        for name, value in self.options.items():
            setattr(message, name, value)
        return message

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]

    # --- delivery -------------------------------------------------------------------

    def send_through(self, connection) -> bool:
        """Hand the message to an open connection of the real backend; True when sent."""
        try:
            connection.send_messages([self.as_email()])
        except Exception as error:  # whatever the mail server answers: kept for a retry
            self.record_failure(error)
            logger.warning("outbox: message %s not sent: %s", self.pk, error)
            return False
        self.record_sent()
        return True

    def record_sent(self) -> None:
        self.status = self.Status.SENT
        self.attempts += 1
        self.sent_at = timezone.now()
        self.claimed_until = None
        self.save(update_fields=["status", "attempts", "sent_at", "claimed_until"])

    def record_failure(self, error: BaseException) -> None:
        self.attempts += 1
        self.last_error = self.describe(error)
        self.next_attempt_at = timezone.now() + self.retry_delay(self.attempts)
        self.claimed_until = None
        self.save(update_fields=["attempts", "last_error", "next_attempt_at", "claimed_until"])

    @classmethod
    def retry_delay(cls, attempts: int) -> datetime.timedelta:
        """The wait after the `attempts`-th failed attempt."""
        seconds = cls.RETRY_FIRST_SECONDS * 2 ** min(max(attempts - 1, 0), 20)
        return datetime.timedelta(seconds=min(seconds, cls.RETRY_MAX_SECONDS))

    @staticmethod
    def describe(error: BaseException) -> str:
        return f"{type(error).__name__}: {error}"[:2000]


class _StoredPart(MIMEBase):
    """A MIME attachment read back from its stored text (the parser makes it bare)."""

    def __init__(self) -> None:
        Message.__init__(self)


def _attachment_record(attachment) -> dict:
    if isinstance(attachment, MIMEBase):
        return {"mime": attachment.as_string()}
    filename, content, mimetype = attachment
    if isinstance(content, str):
        return {"filename": filename, "text": content, "mimetype": mimetype}
    return {
        "filename": filename,
        "base64": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }


class SentReminder(models.Model):
    """A reminder that went out: sent once per kind, object and due date (reminders.py).

    Only the number of recipients is kept; the messages themselves are in the outbox
    until they are purged.
    """

    kind = models.CharField(_("Art"), max_length=50)
    # "app.model:pk" of the record the reminder is about, e.g. "registry.label:17".
    object_key = models.CharField(_("betrifft"), max_length=100)
    due_on = models.DateField(_("fällig am"))
    recipients = models.PositiveSmallIntegerField(_("Empfänger"), default=0)
    sent_at = models.DateTimeField(_("versandt am"), default=timezone.now)

    class Meta:
        verbose_name = _("versandte Erinnerung")
        verbose_name_plural = _("versandte Erinnerungen")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "due_on"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} ({self.due_on})"
