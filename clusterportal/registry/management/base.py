"""The import commands for operators: the same code path as the back office form."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from clusterportal.registry import imports
from clusterportal.registry.importing import ImportFailed


class ImportCommand(BaseCommand):
    kind: str  # a key of imports.KINDS

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file; header in row 1")
        parser.add_argument(
            "--update", action="store_true", help="overwrite existing records that differ"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, write nothing"
        )

    def handle(self, *args, file: Path, update: bool, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        outcome = imports.run_import(
            imports.KINDS[self.kind].importer,
            data,
            file.name,
            update=update,
            dry_run=dry_run,
            max_bytes=settings.IMPORT_COMMAND_MAX_BYTES,
        )
        if outcome.message:
            raise CommandError(outcome.message)
        if outcome.errors:
            for error in outcome.errors:
                self.stderr.write(str(error))
            raise CommandError(str(ImportFailed(outcome.errors)))
        prefix = _("Prüfung (nichts gespeichert): ") if dry_run else ""
        self.stdout.write(prefix + outcome.report.summary())
