"""Reminders: each app says what is due; `clusterportal send_reminders` sends each once.

A reminder source is a function `source(today: datetime.date) -> Iterable[Reminder]`,
named by its dotted path in settings.REMINDER_SOURCES. It returns every reminder that
is due on `today` (including ones sent before: the sender skips those) and sends
nothing itself. The sender records each reminder it sends by (kind, object_key,
due_on) in `SentReminder`, in the same transaction as the outbox rows of its
messages, so a second run, or two runs at once, send nothing twice. A reminder
without recipients is counted as skipped with its `skip_reason` and not recorded:
it goes out on a later run once someone can receive it. docs/mail.md describes
the interface for the apps that add sources.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from clusterportal.outbox.models import SentReminder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    """One reminder due: what, about which record, since when, to whom, and its text."""

    kind: str  # e.g. "label_expiry_6m" (up to 50 characters)
    object_key: str  # "app.model:pk" of the record, e.g. "registry.label:17"
    due_on: datetime.date  # the day it became due; with kind and object_key, the once-key
    recipients: tuple[str, ...]  # e-mail addresses; one message each
    subject: str
    body: str
    skip_reason: str = "no recipient"  # said when `recipients` is empty

    @property
    def key(self) -> tuple[str, str, datetime.date]:
        return (self.kind, self.object_key, self.due_on)


Source = Callable[[datetime.date], Iterable[Reminder]]


def sources() -> list[tuple[str, Source]]:
    return [(path, import_string(path)) for path in settings.REMINDER_SOURCES]


@dataclass
class Run:
    """What one run of the sender did (or, in a dry run, would do)."""

    sent: Counter[str] = field(default_factory=Counter)  # kind -> reminders sent
    messages: int = 0
    already_sent: Counter[str] = field(default_factory=Counter)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, reason)
    failed: list[str] = field(default_factory=list)  # sources or reminders that raised

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())


def send_due(today: datetime.date, *, dry_run: bool = False) -> Run:
    """Send every reminder of every source that is due on `today` and not sent yet."""
    run = Run()
    for path, source in sources():
        try:
            due = list(source(today))
        except Exception:  # one broken source must not keep the others' reminders back
            logger.exception("reminder source %s failed", path)
            run.failed.append(path)
            continue
        recorded = _recorded({reminder.key for reminder in due})
        for reminder in due:
            if not reminder.recipients:
                run.skipped[(reminder.kind, reminder.skip_reason)] += 1
            elif reminder.key in recorded:
                run.already_sent[reminder.kind] += 1
            elif dry_run:
                run.sent[reminder.kind] += 1
                run.messages += len(reminder.recipients)
            else:
                _send_one(reminder, run)
    return run


def _send_one(reminder: Reminder, run: Run) -> None:
    try:
        sent = send(reminder)
    except Exception:  # logged; the reminder stays unrecorded and goes out next run
        logger.exception("reminder %s could not be sent", reminder.key)
        run.failed.append(f"{reminder.kind} {reminder.object_key}")
        return
    if sent:
        run.sent[reminder.kind] += 1
        run.messages += len(reminder.recipients)
    else:
        run.already_sent[reminder.kind] += 1


def send(reminder: Reminder) -> bool:
    """Record the reminder and queue its messages, together or not at all.

    False when it was recorded before (by an earlier or a concurrent run).
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    kind=reminder.kind,
                    object_key=reminder.object_key,
                    due_on=reminder.due_on,
                    recipients=len(reminder.recipients),
                )
        except IntegrityError:
            return False
        messages = [
            EmailMessage(reminder.subject, reminder.body, to=[address])
            for address in reminder.recipients
        ]
        # The default backend is the outbox: the messages are rows of this transaction.
        get_connection().send_messages(messages)
    return True


def _recorded(keys: set[tuple[str, str, datetime.date]]) -> set[tuple[str, str, datetime.date]]:
    if not keys:
        return set()
    kinds = {kind for kind, _object_key, _due in keys}
    objects = {object_key for _kind, object_key, _due in keys}
    rows = SentReminder.objects.filter(kind__in=kinds, object_key__in=objects).values_list(
        "kind", "object_key", "due_on"
    )
    return set(rows) & keys
