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
        (b"", "a.csv", "a.csv: the file is empty"),
        ("name\nx\n".encode("utf-16"), "a.csv", "a.csv: the file is UTF-16; save it as CSV UTF-8"),
        (b"name\x00\x01\x02junk", "a.csv", "a.csv: the file is binary, not a CSV text file"),
        (b"name,name\nx,y\n", "a.csv", "a.csv: row 1: duplicate columns: name"),
        (b"name,\nx,\n", "a.csv", None),
        (b"name,city\nx,y,z\n", "a.csv", "a.csv: row 2: 3 cells but the header has 2 columns"),
        (b"name,city\n", "a.pdf", "a.pdf: only .csv and .xlsx files can be imported"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "a.xlsx: not a readable XLSX workbook"),
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
        TableError, match=r"a.csv: the file has 10,485,760 bytes; the limit is 5,242,880 bytes"
    ):
        read_table(b"x" * (10 * 1024 * 1024), "a.csv")


def test_require_columns_names_missing_and_unknown_columns():
    table = read_table(b"name,colour\nx,y\n", "a.csv")
    with pytest.raises(
        TableError, match="a.csv: row 1: missing columns: kind; unknown columns: colour"
    ):
        require_columns(table, {"name", "kind"}, {"name", "kind", "city"})
