"""The e-mail backend of the portal: every message goes to the database outbox.

settings.EMAIL_BACKEND names `OutboxBackend`, so every caller of Django's mail
framework (send_mail, EmailMessage.send, django-allauth, the admin's error mails)
writes to the outbox without knowing it. The row is written in the caller's
transaction; right after that transaction commits, the message is delivered through
settings.OUTBOX_DELIVERY_BACKEND (unless OUTBOX_DELIVER_ON_COMMIT is off), and
whatever fails is retried by `clusterportal send_mail_outbox` (docs/mail.md).
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from clusterportal.outbox.models import OutboxMessage


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        stored = [
            OutboxMessage.store(message).pk
            for message in email_messages or []
            # Like Django's SMTP backend: a message without recipients is not sent.
            if message.recipients()
        ]
        if stored and settings.OUTBOX_DELIVER_ON_COMMIT:
            # Runs at once outside a transaction; never when the caller rolls back.
            # robust: a failing delivery must not break the request that sent the mail.
            transaction.on_commit(partial(OutboxMessage.objects.deliver, stored), robust=True)
        return len(stored)
