"""Back up the whole installation (database and uploaded files) into one file.

    clusterportal backup var/backups/clusterportal-2026-12-06.tar.gz

See lib/backup.py and docs/operations.md, "Backup and restore".
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterportal.lib import backup


def describe(summary: backup.Summary) -> str:
    rows = sum(summary.tables.values())
    return (
        f"{summary.engine} backup of {summary.created_at}: {len(summary.tables)} tables, "
        f"{rows} rows, {summary.media_files} uploaded files, {summary.size} bytes"
    )


class Command(BaseCommand):
    help = (
        "Write a backup of the database and of the uploaded files (MEDIA_ROOT) to FILE "
        "(a .tar.gz); the portal may keep running. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the backup file to write (.tar.gz)")

    def handle(self, *args, **options):
        target = options["file"]
        if target.exists():
            raise CommandError(f"{target} exists already; a backup never overwrites a file.")
        if not target.parent.is_dir():
            raise CommandError(f"The directory {target.parent} does not exist.")
        try:
            summary = backup.create(target)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Wrote {target}: {describe(summary)}.")
