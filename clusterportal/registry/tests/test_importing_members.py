"""Importing organisations and member lists: all or nothing, duplicates named, counts kept."""

import pytest
from django.urls import reverse

from clusterportal.lib.tables import TableError, read_table
from clusterportal.registry.importing import ImportFailed, RowError
from clusterportal.registry.importing_members import import_memberships, import_organisations
from clusterportal.registry.models import ClusterInitiative, Membership, Organisation
from clusterportal.registry.tests import factories
from clusterportal.registry.tests.files import csv_bytes, upload

pytestmark = pytest.mark.django_db

ORGANISATIONS = [
    [
        "name",
        "kind",
        "size_class",
        "street",
        "postcode",
        "city",
        "kreis",
        "latitude",
        "longitude",
        "website",
    ],  # fmt: skip
    [
        "Müller Präzisionstechnik GmbH",
        "company",
        "sme",
        "Hauptstraße 3",
        "78532",
        "Tuttlingen",
        "08327",
        "47,98",
        "8.82",
        "mueller-praezision.de",
    ],  # fmt: skip
    [
        "Hochschule Furtwangen",
        "university",
        "",
        "",
        "78120",
        "Furtwangen",
        "08326",
        "",
        "",
        "",
    ],  # fmt: skip
]


def table(rows, name="tabelle.csv"):
    return read_table(csv_bytes(rows), name)


def errors_of(importer, rows, **options) -> list[RowError]:
    with pytest.raises(ImportFailed) as failure:
        importer(table(rows), **options)
    return failure.value.errors


def test_organisations_are_created_with_their_kreis_and_location():
    report = import_organisations(table(ORGANISATIONS))
    assert report.created == ["mueller-praezisionstechnik-gmbh", "hochschule-furtwangen"]
    company = Organisation.objects.get(slug="mueller-praezisionstechnik-gmbh")
    assert (company.kind, company.size_class, company.region.name) == (
        "company",
        "sme",
        "Tuttlingen",
    )
    assert (company.latitude, company.longitude) == (47.98, 8.82)
    assert company.website == "https://mueller-praezision.de"


def test_importing_the_same_organisations_again_changes_nothing():
    import_organisations(table(ORGANISATIONS))
    report = import_organisations(table(ORGANISATIONS))
    assert report.unchanged == ["mueller-praezisionstechnik-gmbh", "hochschule-furtwangen"]
    assert report.created == report.updated == []


def test_an_organisation_that_exists_with_other_values_is_an_error_unless_updating():
    factories.organisation("Hochschule Furtwangen", slug="hochschule-furtwangen", kind="university")
    before = Organisation.objects.count()
    assert errors_of(import_organisations, ORGANISATIONS) == [
        RowError(
            3,
            "name",
            "„Hochschule Furtwangen“ gibt es schon, mit anderen Angaben in: postcode, city, kreis; "
            "zum Überschreiben „aktualisieren“ wählen",
        )
    ]
    assert Organisation.objects.count() == before
    report = import_organisations(table(ORGANISATIONS), update=True)
    assert report.updated == ["hochschule-furtwangen"]
    assert Organisation.objects.get(slug="hochschule-furtwangen").city == "Furtwangen"


def test_every_bad_organisation_row_is_reported_and_nothing_is_written():
    rows = [
        ORGANISATIONS[0],
        ["Firma A", "startup", "sme", "", "", "", "99999", "91", "", "ftp://a.example"],
        ["Firma B", "company", "medium", "", "78532-12345", "", "", "x", "8", ""],
        ORGANISATIONS[1],
        ["Müller Präzisionstechnik GmbH", "company", "", "", "", "", "", "", "", ""],
    ]
    assert errors_of(import_organisations, rows) == [
        RowError(2, "kreis", "unbekannter Kreisschlüssel (AGS) „99999“"),
        RowError(2, "latitude", "91.0 liegt nicht zwischen -90 und 90"),
        RowError(2, "latitude", "Breite und Länge nur zusammen angeben"),
        RowError(
            2,
            "kind",
            "„startup“ ist keiner der Werte company, research, university, association, chamber, public_body, other",
        ),  # fmt: skip
        RowError(2, "website", "„ftp://a.example“ ist keine http(s)-Adresse"),
        RowError(3, "latitude", "„x“ ist keine Zahl"),
        RowError(3, "size_class", "„medium“ ist keiner der Werte sme, large"),
        RowError(3, "postcode", "länger als 10 Zeichen"),
        RowError(5, "name", "derselbe Kurzname wie in Zeile 4"),
    ]
    assert not Organisation.objects.filter(name__startswith="Firma").exists()
    assert not Organisation.objects.filter(slug="mueller-praezisionstechnik-gmbh").exists()


def test_an_organisation_file_needs_name_and_kind_and_knows_its_columns():
    with pytest.raises(
        TableError, match=r"Zeile 1: fehlende Spalten: kind; unbekannte Spalten: ort"
    ):
        import_organisations(table([["name", "ort"], ["Firma A", "Ulm"]]))


MEMBERS = [["initiative", "organisation", "role", "since", "until"]]


def test_a_member_list_is_imported_and_the_partner_criteria_can_be_checked():
    import_organisations(table(ORGANISATIONS))
    rows = MEMBERS + [
        ["medicalmountains", "mueller-praezisionstechnik-gmbh", "founding_member", "2011", ""],
        ["medicalmountains", "hochschule-furtwangen", "partner", "2012", ""],
    ]
    report = import_memberships(table(rows))
    assert report.created == [
        "medicalmountains / mueller-praezisionstechnik-gmbh",
        "medicalmountains / hochschule-furtwangen",
    ]
    initiative = ClusterInitiative.objects.get(slug="medicalmountains")
    assert (initiative.listed_members, initiative.listed_companies) == (2, 1)
    assert import_memberships(table(rows)).unchanged == report.created


def test_bad_membership_rows_are_reported_and_nothing_is_written():
    import_organisations(table(ORGANISATIONS))
    rows = MEMBERS + [
        ["medicalmountains", "mueller-praezisionstechnik-gmbh", "member", "2015", "2012"],
        ["gibt-es-nicht", "hochschule-furtwangen", "sponsor", "", ""],
        ["medicalmountains", "", "", "20255", ""],
        ["biolago", "hochschule-furtwangen", "", "", ""],
        ["biolago", "hochschule-furtwangen", "partner", "", ""],
    ]
    assert errors_of(import_memberships, rows) == [
        RowError(2, "until", "2012 liegt vor 2015"),
        RowError(3, "initiative", "unbekannte Initiative (Kurzname) „gibt-es-nicht“"),
        RowError(
            3, "role", "„sponsor“ ist keiner der Werte member, founding_member, partner, management"
        ),  # fmt: skip
        RowError(4, "organisation", "ist ein Pflichtfeld"),
        RowError(4, "since", "20255 liegt nicht zwischen 1800 und 2027"),
        RowError(6, "organisation", "dieselbe Mitgliedschaft wie in Zeile 5"),
    ]
    assert not Membership.objects.exists()


def test_a_changed_membership_needs_updating_and_then_recounts_the_members():
    import_organisations(table(ORGANISATIONS))
    rows = MEMBERS + [["biolago", "hochschule-furtwangen", "member", "2010", ""]]
    import_memberships(table(rows))
    ended = MEMBERS + [["biolago", "hochschule-furtwangen", "member", "2010", "2020"]]
    assert errors_of(import_memberships, ended) == [
        RowError(
            2,
            "organisation",
            "„Hochschule Furtwangen in BioLAGO e.V. - the health network“ gibt es schon, mit "
            "anderen Angaben in: until; zum Überschreiben „aktualisieren“ wählen",
        )
    ]
    assert ClusterInitiative.objects.get(slug="biolago").listed_members == 1
    assert import_memberships(table(ended), update=True).updated == [
        "biolago / hochschule-furtwangen"
    ]
    assert ClusterInitiative.objects.get(slug="biolago").listed_members == 0


def test_organisations_and_members_are_imported_in_the_back_office(admin_client):
    url = reverse("admin:registry_organisation_import")
    response = admin_client.post(
        url, {"file": upload(csv_bytes(ORGANISATIONS)), "import": "1"}, follow=True
    )
    assert response.status_code == 200
    assert Organisation.objects.filter(slug="hochschule-furtwangen").exists()
    rows = MEMBERS + [["biolago", "hochschule-furtwangen", "", "", ""]]
    url = reverse("admin:registry_membership_import")
    response = admin_client.post(url, {"file": upload(csv_bytes(rows)), "check": "1"}, follow=True)
    assert response.context["outcome"].report.created == ["biolago / hochschule-furtwangen"]
    assert not Membership.objects.exists()
    assert ClusterInitiative.objects.get(slug="biolago").listed_members == 0
