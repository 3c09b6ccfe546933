"""`clusterportal send_mail_outbox`: deliver the pending e-mails of the outbox (cron).

Sends every message whose retry time has come through settings.OUTBOX_DELIVERY_BACKEND,
keeps failures for the next run (with backoff), and forgets sent messages older than
settings.OUTBOX_KEEP_SENT_DAYS. Safe to run while another run is under way
(docs/mail.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from clusterportal.outbox.models import OutboxMessage


class Command(BaseCommand):
    help = "Deliver pending e-mails of the outbox; failures stay for the next run."

    def handle(self, **options):
        report(self, OutboxMessage.objects.deliver())
        purged = OutboxMessage.objects.purge_sent(settings.OUTBOX_KEEP_SENT_DAYS)
        if purged:
            self.stdout.write(
                f"outbox: forgot {purged} sent messages older than "
                f"{settings.OUTBOX_KEEP_SENT_DAYS} days"
            )


def report(command: BaseCommand, delivery) -> None:
    """One line for the log; failures also on stderr, so that cron reports them."""
    waiting = OutboxMessage.objects.pending().count()
    command.stdout.write(
        f"outbox: {delivery.sent} sent, {delivery.failed} failed, {waiting} waiting"
    )
    for error in dict.fromkeys(delivery.errors):
        command.stderr.write(f"outbox: not sent, will retry: {error}")
