"""Load the real data shipped in data/: regions, technology fields, the BW registry,
the atlas editions (computed from data/atlas/ by the engine), events, articles, the
funding programmes and calls, and the ClusterAgentur's services.

Idempotent: a second run changes nothing and says so. Curators' edits to
initiatives are kept unless --update is given.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clusterportal.atlas.loading import load_editions
from clusterportal.calls.loading import load_programmes
from clusterportal.content.loading import load_articles
from clusterportal.events.loading import load_seed_events
from clusterportal.international.loading import load_exports
from clusterportal.regions.loading import load_bw_regions
from clusterportal.registry.derived import refresh_stale_search_text
from clusterportal.registry.loading import load_bw_initiatives
from clusterportal.services.catalogue import load_services
from clusterportal.taxonomy.loading import load_technology_fields


class Command(BaseCommand):
    help = "Load the shipped real data (regions, technology fields, cluster initiatives, atlas)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="overwrite initiatives that were edited since they were loaded",
        )

    def handle(self, *args, update=False, **options):
        started = time.perf_counter()
        data_dir = settings.DATA_DIR
        reports = [
            load_bw_regions(data_dir),
            load_technology_fields(data_dir),
            load_bw_initiatives(data_dir, update=update),
            # After the regions: BW atlas regions link to the registry's Kreise and Regionen.
            load_editions(data_dir),
            # The first real events, from the ministry's pages (after the regions).
            load_seed_events(),
            # After the registry: articles are tagged with its initiatives.
            load_articles(data_dir, update=update),
            # After the registry and the fields: calls are tagged with fields, and their
            # rules name Regionen.
            load_programmes(data_dir, update=update),
            # The ClusterAgentur's services (courses link events, which curators add).
            load_services(data_dir, update=update),
            # BW's exports by partner country (Destatis 51000-0032); reports unmapped labels.
            load_exports(data_dir),
        ]
        for report in reports:
            self.stdout.write(str(report))
            for line in report.rejected:
                self.stderr.write(f"  rejected: {line}")
        rewritten = refresh_stale_search_text()
        self.stdout.write(f"search text: {rewritten} initiatives brought up to the current rules")
        self.stdout.write(f"loaded in {time.perf_counter() - started:.1f} s")
        if any(report.rejected for report in reports):
            raise CommandError("some rows were rejected; nothing of those tables was loaded")
