from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterportal.registry import exporting
from clusterportal.registry.models import ClusterInitiative


class Command(BaseCommand):
    help = (
        "Write every initiative (all statuses) in the import format to a .csv or .xlsx file; "
        "import_initiatives reads it back unchanged (see docs/import-export.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--status",
            action="append",
            choices=ClusterInitiative.Status.values,
            help="only these statuses (repeatable); default: all",
        )

    def handle(self, *args, file: Path, status: list[str] | None, **options):
        extension = file.suffix.lower().lstrip(".")
        if extension not in ("csv", "xlsx"):
            raise CommandError(f"{file}: the file name must end in .csv or .xlsx")
        initiatives = ClusterInitiative.objects.all()
        if status:
            initiatives = initiatives.filter(status__in=status)
        try:
            content = exporting.import_format(initiatives, extension)
        except exporting.TooManyRows as error:
            raise CommandError(str(error)) from None
        file.write_bytes(content)
        self.stdout.write(f"{initiatives.count()} initiatives written to {file}")
