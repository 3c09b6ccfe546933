"""search_body holds each word of the text once (lib.text.distinct_words): a search word
has no space, so it finds the same records in the shorter text, with less to scan."""

from django.db import migrations

from clusterportal.lib.text import distinct_words


def shorten(apps, schema_editor):
    ClusterInitiative = apps.get_model("registry", "ClusterInitiative")
    changed = []
    for record in ClusterInitiative.objects.only("pk", "search_body").iterator(chunk_size=1000):
        shorter = distinct_words(record.search_body)
        if shorter != record.search_body:
            record.search_body = shorter
            changed.append(record)
    ClusterInitiative.objects.bulk_update(changed, ["search_body"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_organisation_search_name")]

    operations = [migrations.RunPython(shorten, migrations.RunPython.noop)]
