"""`clusterportal send_reminders [--today YYYY-MM-DD] [--dry-run]` (cron, once a day).

Asks every reminder source of settings.REMINDER_SOURCES what is due, sends each
reminder once (a second run the same day sends nothing), then delivers the outbox.
`--today` runs the day as if it were that date (tests, catching up after an outage);
`--dry-run` says what would be sent and changes nothing. docs/mail.md.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clusterportal.outbox import reminders
from clusterportal.outbox.management.commands.send_mail_outbox import report
from clusterportal.outbox.models import OutboxMessage


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today takes a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Send every due reminder once (label expiry, ...), then deliver the outbox."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to run for, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be sent, send nothing"
        )

    def handle(self, today=None, dry_run=False, **options):
        day = _date(today) if today else timezone.localdate()
        run = reminders.send_due(day, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"reminders for {day.isoformat()}: {verb} {run.total_sent} "
            f"({run.messages} e-mails), {sum(run.already_sent.values())} sent before, "
            f"{sum(run.skipped.values())} skipped"
        )
        for kind, count in sorted(run.sent.items()):
            self.stdout.write(f"  {kind}: {verb} {count}")
        for kind, count in sorted(run.already_sent.items()):
            self.stdout.write(f"  {kind}: {count} sent before")
        for (kind, reason), count in sorted(run.skipped.items()):
            self.stdout.write(f"  {kind}: skipped {count} ({reason})")
        if not dry_run:
            report(self, OutboxMessage.objects.deliver())
        if run.failed:
            raise CommandError("failed (see the log): " + "; ".join(run.failed))
