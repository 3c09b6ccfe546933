from clusterportal.registry.management.base import ImportCommand


class Command(ImportCommand):
    help = "Import memberships (member lists: initiative slug, organisation slug, role, since, until) from CSV or XLSX; all or nothing (see docs/import-export.md)."
    kind = "memberships"
