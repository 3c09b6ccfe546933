"""Print (or write) the OpenAPI schema of /api/v1/, as committed in docs/openapi.json.

    clusterportal export_openapi > docs/openapi.json
    clusterportal export_openapi --write

A test fails when the served schema drifts from the committed file.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand

SCHEMA_FILE = settings.BASE_DIR / "docs" / "openapi.json"


def schema_text() -> str:
    """The schema as committed: pretty, keys sorted, UTF-8, one final newline."""
    from clusterportal.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI schema of the JSON API (or write it to docs/openapi.json)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--write", action="store_true", help=f"write it to {SCHEMA_FILE} instead"
        )

    def handle(self, *args, write=False, **options):
        text = schema_text()
        if write:
            SCHEMA_FILE.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {SCHEMA_FILE}")
        else:
            self.stdout.write(text, ending="")
