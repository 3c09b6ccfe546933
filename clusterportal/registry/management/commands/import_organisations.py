from clusterportal.registry.management.base import ImportCommand


class Command(ImportCommand):
    help = "Import organisations from CSV or XLSX; all or nothing (see docs/import-export.md)."
    kind = "organisations"
