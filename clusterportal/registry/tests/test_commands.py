"""The operators' import and export commands share the back office's code path."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from clusterportal.registry.models import ClusterInitiative, Organisation
from clusterportal.registry.tests.files import csv_bytes, xlsx_bytes
from clusterportal.registry.tests.test_import_admin import GOOD, HEADER, database_state

pytestmark = pytest.mark.django_db


def test_an_import_with_errors_lists_them_and_stops_with_an_error(tmp_path, capsys):
    path = tmp_path / "initiativen.csv"
    path.write_bytes(csv_bytes([HEADER, GOOD, [GOOD[0] + " II", GOOD[1], "Mars", *GOOD[3:]]]))
    before = database_state()
    with pytest.raises(CommandError, match="^1 Fehler; nichts wurde importiert$"):
        call_command("import_initiatives", path)
    assert capsys.readouterr().err == "Zeile 3, Spalte region: unbekannte Region „Mars“\n"
    assert database_state() == before


def test_a_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "initiativen.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, GOOD]))
    before = database_state()
    call_command("import_initiatives", path, dry_run=True)
    assert capsys.readouterr().out.startswith("Prüfung (nichts gespeichert): 1 neu, 0 aktualisiert")
    assert database_state() == before
    call_command("import_initiatives", path)
    assert ClusterInitiative.objects.filter(slug="netzwerk-praezisionsoptik-ulm").exists()


def test_organisations_and_memberships_are_imported_from_files(tmp_path):
    organisations = tmp_path / "organisationen.csv"
    organisations.write_bytes(csv_bytes([["name", "kind", "kreis"], ["Hochschule Furtwangen", "university", "08326"]]))  # fmt: skip
    memberships = tmp_path / "mitglieder.csv"
    memberships.write_bytes(csv_bytes([["initiative", "organisation"], ["biolago", "hochschule-furtwangen"]]))  # fmt: skip
    call_command("import_organisations", organisations, verbosity=0)
    call_command("import_memberships", memberships, verbosity=0)
    assert Organisation.objects.get(slug="hochschule-furtwangen").region.code == "08326"
    assert ClusterInitiative.objects.get(slug="biolago").listed_members == 1


def test_a_file_that_cannot_be_read_stops_with_the_reason(tmp_path):
    with pytest.raises(CommandError, match="fehlt.csv: No such file or directory"):
        call_command("import_organisations", tmp_path / "fehlt.csv")
    empty = tmp_path / "leer.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="^leer.csv: Die Datei ist leer.$"):
        call_command("import_organisations", empty)


def test_the_export_command_wants_a_csv_or_xlsx_name(tmp_path):
    with pytest.raises(CommandError, match="must end in .csv or .xlsx"):
        call_command("export_initiatives", tmp_path / "alle.json")


def test_the_console_command_exits_with_status_1_on_a_bad_file(tmp_path):
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(b"kein zip")
    result = subprocess.run(
        [sys.executable, "-m", "clusterportal.cli", "import_initiatives", str(path), "--dry-run"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "kaputt.xlsx: Die Datei ist keine lesbare XLSX-Arbeitsmappe" in result.stderr
