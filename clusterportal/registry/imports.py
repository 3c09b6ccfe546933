"""Running an import from an uploaded or a local file, for the back office and the commands.

Reads the table and runs the importer. The importers validate and prepare
outside any transaction and write in one short transaction at the end; a dry run
("Prüfen") stops before that write, so its report says exactly what an import
would do and nothing is written (search vocabulary and member counts included).
No transaction is opened here: on SQLite it would hold the write lock for the
whole import and every other writer of the site would wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from clusterportal.lib.tables import Table, TableError, read_table
from clusterportal.registry import importing, importing_members
from clusterportal.registry.exporting import IMPORT_COLUMNS
from clusterportal.registry.importing import ImportFailed, Report, RowError, import_initiatives
from clusterportal.registry.importing_members import import_memberships, import_organisations

Importer = Callable[..., Report]


@dataclass(frozen=True)
class Kind:
    """What a file can hold: its importer and its columns, to name on the form."""

    importer: Importer
    label: object
    columns: list[str]
    required: set[str]

    @property
    def columns_required(self) -> list[str]:
        return [c for c in self.columns if c in self.required]

    @property
    def columns_optional(self) -> list[str]:
        return [c for c in self.columns if c not in self.required]


KINDS = {
    "initiatives": Kind(
        import_initiatives, _("Cluster-Initiativen"), IMPORT_COLUMNS, importing.REQUIRED
    ),
    "organisations": Kind(
        import_organisations,
        _("Organisationen"),
        importing_members.ORGANISATION_COLUMNS,
        importing_members.ORGANISATION_REQUIRED,
    ),
    "memberships": Kind(
        import_memberships,
        _("Mitgliedschaften"),
        importing_members.MEMBERSHIP_COLUMNS,
        importing_members.MEMBERSHIP_REQUIRED,
    ),
}


@dataclass
class Outcome:
    dry_run: bool
    report: Report | None = None
    errors: list[RowError] = field(default_factory=list)
    message: str = ""  # the file as a whole could not be read

    @property
    def failed(self) -> bool:
        return self.report is None


def run_import(
    importer: Importer,
    data: bytes,
    filename: str,
    *,
    update: bool = False,
    dry_run: bool = False,
    max_bytes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    outcome = Outcome(dry_run)
    try:
        table: Table = (
            read_table(data, filename)
            if max_bytes is None
            else read_table(data, filename, max_bytes=max_bytes)
        )
        outcome.report = importer(table, update=update, dry_run=dry_run, progress=progress)
    except TableError as error:
        outcome.message = str(error)
    except ImportFailed as failure:
        outcome.errors = failure.errors
    return outcome
