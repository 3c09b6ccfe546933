from clusterportal.registry.management.base import ImportCommand


class Command(ImportCommand):
    help = (
        "Import cluster initiatives from CSV or XLSX; all or nothing (see docs/import-export.md)."
    )
    kind = "initiatives"
