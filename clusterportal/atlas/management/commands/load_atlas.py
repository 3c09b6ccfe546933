"""Compute the shipped atlas editions from data/atlas/ and store them (idempotent)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clusterportal.atlas.editions import EDITIONS
from clusterportal.atlas.loading import load_editions


class Command(BaseCommand):
    help = "Compute and store the shipped atlas editions; unchanged inputs are skipped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--edition",
            action="append",
            choices=[spec.slug for spec in EDITIONS],
            help="only this edition (repeat for several); default: all",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="recompute published editions whose inputs changed (their citation date changes)",
        )

    def handle(self, *args, edition=None, replace=False, **options):
        started = time.perf_counter()
        report = load_editions(settings.DATA_DIR, only=edition, replace=replace)
        self.stdout.write(f"{report} ({time.perf_counter() - started:.1f} s)")
        if report.rejected:
            raise CommandError("; ".join(report.rejected))
