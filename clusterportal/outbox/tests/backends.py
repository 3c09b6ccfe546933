"""Mail backends that fail the way a real mail server does, for the delivery tests."""

from __future__ import annotations

import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """The server accepts the connection and then drops every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class UnreachableBackend(BaseEmailBackend):
    """No server answers at all."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):  # pragma: no cover - open() fails first
        raise AssertionError("never reached")


class OverlappingBackend(BaseEmailBackend):
    """Starts a second delivery run while the first is sending (two cron runs overlapping)."""

    nested_runs: list = []  # what the second run did; the test empties it first

    def send_messages(self, email_messages):
        from clusterportal.outbox.models import OutboxMessage

        if not OverlappingBackend.nested_runs:
            OverlappingBackend.nested_runs.append(None)  # one nested run only
            OverlappingBackend.nested_runs[0] = OutboxMessage.objects.deliver()
        mail.outbox.extend(email_messages)
        return len(email_messages)
