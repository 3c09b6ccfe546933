"""`clusterportal expire_meeting_requests` (cron, every few minutes): meeting requests whose
answer time ran out are marked expired. Every page that shows requests does the same when
it is read; this run covers matchmakings nobody opens. docs/matchmaking.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from clusterportal.matchmaking.models import MeetingRequest


class Command(BaseCommand):
    help = "Mark the meeting requests whose answer time ran out as expired."

    def handle(self, **options):
        count = MeetingRequest.objects.expire_due()
        self.stdout.write(f"{count} meeting requests expired")
