"""The first publisher: the cluster-policy unit of the Baden-Württemberg ministry of economic
affairs, with the contact its page on cluster policy gives (shared seed 002). Editable in the
back office afterwards; an installation for another region replaces it there."""

from django.db import migrations

SOURCE = (
    "Ministerium für Wirtschaft, Arbeit und Tourismus Baden-Württemberg, Seite "
    "„Cluster-Politik – Vernetzung fördert Innovationen“, Abschnitt Kontakt "
    "(https://wm.baden-wuerttemberg.de/)"
)


def add_publisher(apps, schema_editor):
    Publisher = apps.get_model("portal", "Publisher")
    if Publisher.objects.exists():
        return
    Publisher.objects.create(
        name="Ministerium für Wirtschaft, Arbeit und Tourismus Baden-Württemberg",
        name_en="Ministry of Economic Affairs, Labour and Tourism Baden-Württemberg",
        unit="Referat Clusterpolitik, regionale Wirtschaftspolitik",
        unit_en="Unit for cluster policy and regional economic policy",
        street="Schlossplatz 4 (Neues Schloss)",
        postcode="70173",
        city="Stuttgart",
        phone="+49 (0)711 123-2559",
        email="cluster@wm.bwl.de",
        website="https://wm.baden-wuerttemberg.de/",
        source=SOURCE,
    )


def remove_publisher(apps, schema_editor):
    apps.get_model("portal", "Publisher").objects.filter(email="cluster@wm.bwl.de").delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_publisher_and_feedback")]
    operations = [migrations.RunPython(add_publisher, remove_publisher)]
