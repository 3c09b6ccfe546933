"""`clusterportal pass_on_offers` (cron, every few minutes): offers of a freed place that
ran out go on to the next person of the waiting list, with their mails. The same happens
whenever somebody registers, withdraws or opens an offer link; this run covers events
nobody touches. docs/events.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from clusterportal.events import registration as registering
from clusterportal.events.models import Event, Registration


class Command(BaseCommand):
    help = "Pass on the offers of freed places that ran out; offer places that are free."

    def handle(self, **options):
        now = timezone.now()
        due = Event.objects.filter(finishes_at__gte=now).filter(
            Q(registrations__status=Registration.Status.OFFERED,
              registrations__offer_expires_at__lte=now)
            | Q(registrations__status=Registration.Status.WAITLISTED)
        ).distinct()  # fmt: skip
        moves = [move for event in due for move in registering.settle(event)]
        kinds = [move.kind for move in moves]
        self.stdout.write(
            f"{kinds.count('expired')} offers expired, {kinds.count('offered')} places "
            f"offered, {kinds.count('promoted')} moved up"
        )
