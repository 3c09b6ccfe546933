import io

import pytest
from openpyxl import Workbook

from clusterportal.lib.tables import TableError, read_table, require_columns


def test_it_reads_utf8_csv_with_a_bom_and_commas():
    table = read_table("\ufeffname,city\nBioLAGO,Konstanz\n".encode(), "a.csv")
    assert table.header == ["name", "city"]
    assert table.rows == [{"name": "BioLAGO", "city": "Konstanz"}]


def test_it_reads_excel_german_csv_in_cp1252_with_semicolons():
    table = read_table("Name;Ort\nGrün e.V.;Tübingen\n".encode("cp1252"), "a.csv")
    assert table.encoding == "cp1252"
    assert table.rows == [{"name": "Grün e.V.", "ort": "Tübingen"}]


def test_it_reads_the_first_sheet_of_an_xlsx():
    book = Workbook()
    book.active.append(["name", "founded"])
    book.active.append(["CyberForum e.V.", 1997])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "a.xlsx")
    assert table.rows == [{"name": "CyberForum e.V.", "founded": "1997"}]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "a.csv: Die Datei ist leer."),
        (
            "name\nx\n".encode("utf-16"),
            "a.csv",
            "a.csv: Die Datei ist UTF-16-kodiert; bitte als „CSV UTF-8“ speichern.",
        ),
        (b"name\x00\x01\x02junk", "a.csv", "a.csv: Die Datei ist binär, keine CSV-Textdatei."),
        (b"name,name\nx,y\n", "a.csv", "a.csv: Zeile 1: doppelte Spalten: name"),
        (b"name,\nx,\n", "a.csv", None),
        (
            b"name,city\nx,y,z\n",
            "a.csv",
            "a.csv: Zeile 2: 3 Zellen, aber die Kopfzeile hat 2 Spalten",
        ),
        (b"name,city\n", "a.pdf", "a.pdf: Nur .csv- und .xlsx-Dateien können importiert werden."),
        (
            b"PK\x03\x04 not really a zip",
            "a.xlsx",
            "a.xlsx: Die Datei ist keine lesbare XLSX-Arbeitsmappe",
        ),
    ],
)
def test_it_rejects_unreadable_files_with_the_reason(data, filename, message):
    if message is None:  # a trailing empty column is tolerated
        assert read_table(data, filename).header == ["name"]
        return
    with pytest.raises(TableError) as error:
        read_table(data, filename)
    assert str(error.value).startswith(message)


def test_it_rejects_a_file_above_the_size_limit_before_parsing():
    with pytest.raises(
        TableError,
        match=r"a.csv: Die Datei hat 10.485.760 Bytes; erlaubt sind höchstens 5.242.880 Bytes.",
    ):
        read_table(b"x" * (10 * 1024 * 1024), "a.csv")


def test_require_columns_names_missing_and_unknown_columns():
    table = read_table(b"name,colour\nx,y\n", "a.csv")
    with pytest.raises(
        TableError,
        match=r"a.csv: Zeile 1: fehlende Spalten: kind; unbekannte Spalten: colour \(erlaubt sind: city, kind, name\)",
    ):
        require_columns(table, {"name", "kind"}, {"name", "kind", "city"})


def test_a_nul_after_the_first_4096_bytes_is_named_by_row_and_column():
    # The binary check looks at the first 4,096 bytes only; PostgreSQL cannot store a NUL.
    rows = "".join(f"Initiative {n},Stuttgart\n" for n in range(300))
    data = f"name,city\n{rows}BioLAGO,Kon\x00stanz\n".encode()
    assert data.index(b"\x00") > 4096
    with pytest.raises(
        TableError,
        match=r"^a.csv: Zeile 302, Spalte 2: Die Zelle enthält ein NUL-Zeichen \(Byte 0x00\).$",
    ):
        read_table(data, "a.csv")


def test_an_unclosed_quote_is_reported_on_the_row_where_it_opens():
    data = b'name,city\nBioLAGO,Konstanz\n"CyberForum,Karlsruhe\nHolz,Stuttgart\nX,Y\n'
    with pytest.raises(
        TableError, match=r"^a.csv: Zeile 3: ein Anführungszeichen wird nicht geschlossen$"
    ):
        read_table(data, "a.csv")


def test_a_csv_cell_longer_than_excel_allows_is_refused():
    data = b"name,description\nBioLAGO," + b"x" * 40_000 + b"\n"
    with pytest.raises(
        TableError, match=r"^a.csv: Zeile 2, Spalte 2: Die Zelle hat mehr als 32.767 Zeichen.$"
    ):
        read_table(data, "a.csv")
