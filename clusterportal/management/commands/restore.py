"""Restore a backup made by `clusterportal backup`, or check one.

    clusterportal restore --check var/backups/clusterportal-2026-12-06.tar.gz
    clusterportal restore var/backups/clusterportal-2026-12-06.tar.gz

See lib/backup.py and docs/operations.md, "Backup and restore".
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterportal.lib import backup
from clusterportal.management.commands.backup import describe


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files by a backup (stop the app servers first), "
        "or with --check only read the backup through and verify it. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a backup file of `clusterportal backup`")
        parser.add_argument(
            "--check", action="store_true", help="verify the backup; change nothing"
        )

    def handle(self, *args, **options):
        source = options["file"]
        try:
            if options["check"]:
                summary = backup.check(source)
                self.stdout.write(f"{source} is complete and readable: {describe(summary)}.")
            else:
                summary = backup.restore(source)
                self.stdout.write(f"Restored {source}: {describe(summary)}.")
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
