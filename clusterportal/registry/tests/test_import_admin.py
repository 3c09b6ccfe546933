"""Importing initiatives in the back office: bad files are rejected precisely and change nothing."""

import os

import pytest
from django.contrib.auth.models import Permission, User
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from clusterportal.registry.importing import RowError
from clusterportal.registry.models import (
    ClusterInitiative,
    InternationalPartnership,
    Label,
    Membership,
    Organisation,
    SearchWord,
    SourceReference,
)
from clusterportal.registry.tests.files import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = reverse("admin:registry_clusterinitiative_import")
HEADER = ["name", "kind", "region", "kreis", "technology_fields", "founded", "member_companies"]
GOOD = ["Netzwerk Präzisionsoptik Ulm", "cluster_initiative", "Donau-Iller", "08421", "Photonik", "2012", "12"]  # fmt: skip


def database_state() -> tuple:
    """Everything an import could touch."""
    counts = tuple(
        model.objects.count()
        for model in (
            ClusterInitiative,
            Label,
            InternationalPartnership,
            SourceReference,
            Organisation,
            Membership,
            SearchWord,
        )
    )
    return counts, ClusterInitiative.objects.aggregate(Max("updated_at"))["updated_at__max"]


def post(client, data: bytes, name: str = "initiativen.csv", action="import", update=False):
    """Upload a file and press "Importieren" (or "Nur prüfen": action="check")."""
    fields = {"file": upload(data, name), action: "1"}
    if update:
        fields["update"] = "on"
    # The import runs as a background job (at once in tests); the browser follows to its report.
    return client.post(URL, fields, follow=True)


def row_errors(response) -> list[RowError]:
    assert response.status_code == 200
    assert response.context["outcome"].failed
    return response.context["outcome"].errors


def file_message(response) -> str:
    outcome = response.context["outcome"]
    if outcome is None:
        assert response.status_code == 400
        return " ".join(response.context["form"].errors["file"])
    assert outcome.failed
    return outcome.message


def test_a_valid_file_is_imported_and_umlauts_arrive_intact(admin_client):
    response = post(admin_client, csv_bytes([HEADER, GOOD]))
    assert response.status_code == 200
    assert response.context["outcome"].report.created == ["netzwerk-praezisionsoptik-ulm"]
    record = ClusterInitiative.objects.get(slug="netzwerk-praezisionsoptik-ulm")
    assert record.name == "Netzwerk Präzisionsoptik Ulm"
    assert record.seat_kreis.name == "Ulm"
    assert record.status == "draft"
    assert list(record.technology_fields.values_list("slug", flat=True)) == ["photonik"]


def test_checking_a_file_reports_what_an_import_would_do_and_writes_nothing(admin_client):
    before = database_state()
    response = post(admin_client, csv_bytes([HEADER, GOOD]), action="check")
    assert response.status_code == 200
    assert response.context["outcome"].report.created == ["netzwerk-praezisionsoptik-ulm"]
    assert "Prüfung ohne Fehler – es wurde nichts gespeichert." in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_a_latin_1_or_windows_1252_file_from_excel_is_read_with_its_umlauts(admin_client, encoding):
    # Excel's "CSV (Trennzeichen-getrennt)" on German Windows: Windows-1252, semicolons.
    rows = [HEADER, ["Cluster Größe Süd – Ökonomie", *GOOD[1:]]]
    if encoding == "latin-1":
        rows[1][0] = "Cluster Größe Süd, Ökonomie"  # latin-1 has no dash
    response = post(admin_client, csv_bytes(rows, encoding, delimiter=";"))
    assert response.status_code == 200
    record = ClusterInitiative.objects.get(slug="cluster-groesse-sued-oekonomie")
    assert record.name == rows[1][0]


def test_an_xlsx_workbook_is_imported_with_numbers_typed_as_numbers(admin_client):
    # Excel stores a typed "08421" as the number 8421 and 2012 as a number too.
    row = [*GOOD[:3], 8421, GOOD[4], 2012, 12]
    response = post(admin_client, xlsx_bytes([HEADER, row]), "initiativen.xlsx")
    assert response.status_code == 200
    record = ClusterInitiative.objects.get(slug="netzwerk-praezisionsoptik-ulm")
    assert (record.founded_year, record.seat_kreis.code) == (2012, "08421")


def test_formula_like_cells_are_stored_as_plain_text(admin_client):
    formula = "=cmd|' /C calc'!A0"
    response = post(admin_client, csv_bytes([HEADER, [formula, *GOOD[1:]]]))
    assert response.status_code == 200
    assert ClusterInitiative.objects.get(name=formula).slug == "cmd-c-calc-a0"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"region": "Mars"}, RowError(2, "region", "unbekannte Region „Mars“")),
        (
            {"technology_fields": "Photonik;Quantenkekse"},
            RowError(2, "technology_fields", "unbekanntes Technologiefeld „Quantenkekse“"),
        ),
        ({"kreis": "08999"}, RowError(2, "kreis", "unbekannter Kreisschlüssel (AGS) „08999“")),
        ({"founded": "20255"}, RowError(2, "founded", "20255 liegt nicht zwischen 1800 und 2027")),
        ({"founded": "2012/13"}, RowError(2, "founded", "„2012/13“ ist keine ganze Zahl")),
        (
            {"member_companies": "-5"},
            RowError(2, "member_companies", "-5 liegt nicht zwischen 0 und 1000000"),
        ),
        (
            {"member_companies": "zwölf"},
            RowError(2, "member_companies", "„zwölf“ ist keine ganze Zahl"),
        ),
        ({"name": ""}, RowError(2, "name", "ist ein Pflichtfeld")),
        (
            {"kind": "network"},
            RowError(
                2,
                "kind",
                "„network“ ist keiner der Werte cluster_initiative, statewide_network, state_agency",
            ),
        ),
    ],
)
def test_a_bad_cell_is_reported_with_row_column_and_reason_and_nothing_is_written(
    admin_client, cells, expected
):
    before = database_state()
    row = [cells.get(column, value) for column, value in zip(HEADER, GOOD, strict=True)]
    other = ["Zweite gültige Initiative", *GOOD[1:]]
    response = post(admin_client, csv_bytes([HEADER, row, other]))
    assert row_errors(response) == [expected]
    assert database_state() == before


def test_a_negative_count_in_a_free_text_cell_is_an_error(admin_client):
    before = database_state()
    response = post(admin_client, csv_bytes([["name", "kind", "members"], ["X", "state_agency", "-5 (2020)"]]))  # fmt: skip
    assert row_errors(response) == [RowError(2, "members", "negative Zahl in „-5 (2020)“")]
    assert database_state() == before


def test_every_error_of_every_row_is_listed_in_the_table(admin_client):
    rows = [
        HEADER,
        ["Netzwerk A", "cluster_initiative", "Mars", "", "", "", ""],
        ["Netzwerk B", "cluster_initiative", "", "99999", "", "20255", "-5"],
    ]
    response = post(admin_client, csv_bytes(rows))
    assert [(e.row, e.column) for e in row_errors(response)] == [
        (2, "region"),
        (3, "kreis"),
        (3, "member_companies"),
        (3, "founded"),
    ]
    page = response.content.decode()
    assert "4 Fehler in der Datei. Es wurde nichts gespeichert." in page
    assert (
        "<tr><td>3</td><td><code>founded</code></td>"
        "<td>20255 liegt nicht zwischen 1800 und 2027</td></tr>"
    ) in page


def test_duplicate_rows_are_reported_with_the_row_they_repeat(admin_client):
    before = database_state()
    response = post(admin_client, csv_bytes([HEADER, GOOD, GOOD]))
    assert row_errors(response) == [
        RowError(3, "name", "derselbe Kurzname „netzwerk-praezisionsoptik-ulm“ wie in Zeile 2")
    ]
    assert database_state() == before


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["name", "region"], "initiativen.csv: Zeile 1: fehlende Spalten: kind"),
        (
            ["name", "colour"],
            "initiativen.csv: Zeile 1: fehlende Spalten: kind; unbekannte Spalten: colour",
        ),
        (
            [*HEADER, "colour"],
            "initiativen.csv: Zeile 1: unbekannte Spalten: colour (erlaubt sind: activities_per_year, city,",
        ),
        (["name", "kind", "Name"], "initiativen.csv: Zeile 1: doppelte Spalten: name"),
    ],
)
def test_wrong_missing_or_unknown_columns_are_named(admin_client, header, expected):
    before = database_state()
    response = post(admin_client, csv_bytes([header, (GOOD * 2)[: len(header)]]))
    assert file_message(response).startswith(expected)
    assert database_state() == before


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (
            csv_bytes([HEADER, GOOD], "utf-16"),
            "initiativen.csv",
            "initiativen.csv: Die Datei ist UTF-16-kodiert; bitte als „CSV UTF-8“ speichern.",
        ),
        (
            csv_bytes([HEADER, GOOD], "utf-16-le"),  # no byte-order mark
            "initiativen.csv",
            "initiativen.csv: Die Datei ist UTF-16-kodiert; bitte als „CSV UTF-8“ speichern.",
        ),
        (
            bytes(range(256)) * 8,
            "initiativen.csv",
            "initiativen.csv: Die Datei ist binär, keine CSV-Textdatei.",
        ),
        (
            "name,kind\nCluster \x81 Süd,state_agency\n".encode("latin-1"),
            "initiativen.csv",
            "initiativen.csv: Zeile 2: Die Datei ist weder UTF-8 noch Windows-1252 (Byte 0x81)",
        ),
        (
            csv_bytes([HEADER, GOOD]),
            "initiativen.xlsx",
            "initiativen.xlsx: Die Datei ist keine lesbare XLSX-Arbeitsmappe",
        ),
        (
            b"\n \n",
            "initiativen.csv",
            "initiativen.csv: Die Datei ist leer.",
        ),
        (
            xlsx_bytes([HEADER, GOOD]),
            "initiativen.ods",
            "Nur .csv- und .xlsx-Dateien können importiert werden.",
        ),
        (
            b'name,kind\n"Cluster Holz,state_agency\n',
            "initiativen.csv",
            "initiativen.csv: Zeile 2: ein Anführungszeichen wird nicht geschlossen",
        ),
        (
            b"name,kind\nCluster Holz,state_agency,zu viel\n",
            "initiativen.csv",
            "initiativen.csv: Zeile 2: 3 Zellen, aber die Kopfzeile hat 2 Spalten",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_rejected_with_the_reason(admin_client, data, name, expected):
    before = database_state()
    response = post(admin_client, data, name)
    assert file_message(response).startswith(expected)
    assert database_state() == before


def test_an_empty_upload_is_rejected(admin_client):
    response = post(admin_client, b"")
    assert file_message(response) == "Die übertragene Datei ist leer."


def test_ten_megabytes_of_junk_are_rejected_before_they_are_parsed(admin_client, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the file must not be parsed")

    monkeypatch.setattr("clusterportal.registry.imports.read_table", never)
    before = database_state()
    response = post(admin_client, os.urandom(10 * 1024 * 1024), "junk.xlsx")
    assert file_message(response) == (
        "Die Datei hat 10.485.760 Bytes; erlaubt sind höchstens 5.242.880 Bytes."
    )
    assert database_state() == before


def test_only_curators_may_import():
    from clusterportal.accounts.models import Role, grant
    from clusterportal.tests.personas import log_in_with_totp, with_totp

    data = csv_bytes([HEADER, GOOD])
    anonymous = Client()
    response = anonymous.post(URL, {"file": upload(data), "import": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    visitor = User.objects.create_user("besucher", password="x")
    client = Client()
    client.force_login(visitor)
    assert client.post(URL, {"file": upload(data), "import": "1"}).status_code == 302

    # Django's model permissions give nothing (accounts/rules.py decides).
    editor = with_totp(User.objects.create_user("redaktion", password="x", is_staff=True))
    log_in_with_totp(client, editor)
    for codename in ("view", "change", "add"):
        permission = Permission.objects.get(codename=f"{codename}_clusterinitiative")
        editor.user_permissions.add(permission)
    assert client.post(URL, {"file": upload(data), "import": "1"}).status_code == 403
    assert not ClusterInitiative.objects.filter(slug="netzwerk-praezisionsoptik-ulm").exists()

    grant(editor, Role.Kind.CURATOR)
    assert (
        "Importieren"
        in client.get(reverse("admin:registry_clusterinitiative_changelist")).content.decode()
    )
    assert client.post(URL, {"file": upload(data), "import": "1"}).status_code == 302
    assert ClusterInitiative.objects.filter(slug="netzwerk-praezisionsoptik-ulm").exists()


def test_an_existing_initiative_that_differs_is_kept_unless_overwriting_is_chosen(admin_client):
    header = ["slug", "name", "kind", "region"]
    row = ["biolago", "BioLAGO e.V.", "cluster_initiative", "Hochrhein-Bodensee"]
    kept = post(admin_client, csv_bytes([header, row])).context["outcome"].report
    assert kept.kept == ["biolago"]
    assert ClusterInitiative.objects.get(slug="biolago").name == "BioLAGO e.V. - the health network"
    updated = post(admin_client, csv_bytes([header, row]), update=True)
    assert updated.context["outcome"].report.updated == ["biolago"]
    assert ClusterInitiative.objects.get(slug="biolago").name == "BioLAGO e.V."
