"""PostgreSQL search indexes: pg_trgm GIN indexes, which serve LIKE '%word%'.

The SQLite FTS5 index is made after every migrate instead (registry/apps.py):
SQLite rebuilds a table on many schema changes and drops its triggers.
"""

from django.db import migrations

COLUMNS = ["search_name", "search_fields", "search_place", "search_body"]
POSTGRES_FORWARD = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f"CREATE INDEX registry_initiative_{c}_trgm ON registry_clusterinitiative USING gin ({c} gin_trgm_ops)"
    for c in COLUMNS
]
POSTGRES_BACKWARD = [f"DROP INDEX IF EXISTS registry_initiative_{c}_trgm" for c in COLUMNS]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_search_vocabulary")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD}),
        )
    ]
