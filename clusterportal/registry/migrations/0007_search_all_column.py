"""search_all: the four search columns in one, so PostgreSQL needs one trigram
index scan per word form instead of four (measured: about half the time).
SQLite keeps its FTS5 index over the four columns."""

from django.db import migrations, models

OLD_COLUMNS = ["search_name", "search_fields", "search_place", "search_body"]


def fill(apps, schema_editor):
    ClusterInitiative = apps.get_model("registry", "ClusterInitiative")
    records = list(ClusterInitiative.objects.only("pk", *OLD_COLUMNS))
    for record in records:
        record.search_all = " ".join(getattr(record, column) for column in OLD_COLUMNS)
    ClusterInitiative.objects.bulk_update(records, ["search_all"], batch_size=500)


def _postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


FORWARD = [f"DROP INDEX IF EXISTS registry_initiative_{c}_trgm" for c in OLD_COLUMNS] + [
    "CREATE INDEX registry_initiative_search_all_trgm ON registry_clusterinitiative "
    "USING gin (search_all gin_trgm_ops)"
]
BACKWARD = ["DROP INDEX IF EXISTS registry_initiative_search_all_trgm"] + [
    f"CREATE INDEX registry_initiative_{c}_trgm ON registry_clusterinitiative USING gin ({c} gin_trgm_ops)"
    for c in OLD_COLUMNS
]


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_search_body_distinct_words")]

    operations = [
        migrations.AddField(
            model_name="clusterinitiative",
            name="search_all",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(_postgres(FORWARD), _postgres(BACKWARD)),
    ]
