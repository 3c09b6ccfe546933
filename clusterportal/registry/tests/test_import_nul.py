"""A NUL byte deep in an imported file (issue 11, finding 4): a clear error on both databases.

The binary check looks at the first 4,096 bytes only; a NUL later crashed the command with a
traceback and the back office with 500 on PostgreSQL, and was stored on SQLite.
"""

import pytest
from django.core.management import CommandError, call_command

from clusterportal.registry.tests.files import csv_bytes
from clusterportal.registry.tests.test_import_admin import (
    GOOD,
    HEADER,
    database_state,
    file_message,
    post,
)

pytestmark = pytest.mark.django_db


def _file_with_late_nul() -> bytes:
    rows = [[f"{GOOD[0]} {n}", *GOOD[1:]] for n in range(60)]
    rows.append([GOOD[0] + " Nul\x00", *GOOD[1:]])
    data = csv_bytes([HEADER, *rows])
    assert data.index(b"\x00") > 4096
    return data


def test_the_command_stops_with_the_row_and_column_of_the_nul(tmp_path):
    path = tmp_path / "initiativen.csv"
    path.write_bytes(_file_with_late_nul())
    before = database_state()
    with pytest.raises(
        CommandError,
        match=r"^initiativen.csv: Zeile 62, Spalte 1: Die Zelle enthält ein NUL-Zeichen \(Byte 0x00\).$",
    ):
        call_command("import_initiatives", path)
    assert database_state() == before


def test_the_back_office_answers_the_nul_with_the_row_and_column(admin_client):
    before = database_state()
    response = post(admin_client, _file_with_late_nul())
    assert file_message(response) == (
        "initiativen.csv: Zeile 62, Spalte 1: Die Zelle enthält ein NUL-Zeichen (Byte 0x00)."
    )
    assert database_state() == before
