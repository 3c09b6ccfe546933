"""XLSX bombs (issue 11, finding 3): refused or read within 300 MB and a few seconds.

Each hostile file is built here at test time and read in a fresh process under a memory
cap (hostile_xlsx.measure), so the old reader fails these tests instead of the machine.
"""

import pytest

from clusterportal.lib.tables import TableError, read_table
from clusterportal.lib.tests import hostile_xlsx as hostile

MEMORY_MB = 300
SECONDS = 20  # "a few seconds" on an idle machine (bench/hostile_xlsx.py); CI shares its cores


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (
            hostile.wide_row,
            "xl/worksheets/sheet1.xml ist entpackt mehr als 104.857.600 Bytes groß (190.000.247)",
        ),
        (
            lambda: hostile.huge_shared_strings(200),
            "xl/sharedStrings.xml ist entpackt mehr als 104.857.600 Bytes groß",
        ),
        (hostile.forged_size, "Die Datei ist keine lesbare XLSX-Arbeitsmappe"),
        (hostile.many_rows, "mehr als 50.000 Zeilen"),
        (hostile.long_cell, "Zeile 2, Spalte A: Die Zelle hat mehr als 32.767 Zeichen."),
        (hostile.many_elements, "xl/worksheets/sheet1.xml hat mehr als 4.000.000 XML-Elemente."),
        (
            hostile.many_shared_strings,
            "xl/sharedStrings.xml hat mehr als 1.000.000 Texte.",
        ),
        (hostile.entity_expansion, "Die Datei ist keine lesbare XLSX-Arbeitsmappe"),
    ],
    ids=[
        "wide_row",
        "huge_shared_strings",
        "forged_size",
        "many_rows",
        "long_cell",
        "many_elements",
        "many_shared_strings",
        "entity_expansion",
    ],
)
def test_a_hostile_workbook_is_refused_quickly_with_the_reason(build, reason):
    data = build()
    assert len(data) <= 5 * 1024 * 1024  # every one fits under the upload limit

    result = hostile.measure(data, timeout=60)

    assert result["outcome"].startswith("refused: hostile.xlsx: " + reason), result
    assert result["peak_mb"] < MEMORY_MB, result
    assert result["seconds"] < SECONDS, result


def test_the_largest_table_the_limits_allow_is_read_within_the_bounds():
    result = hostile.measure(hostile.dense_cells(), timeout=60)

    assert result["outcome"].startswith("read: 15600 rows, header ['c0', 'c1',"), result
    assert result["peak_mb"] < MEMORY_MB, result
    assert result["seconds"] < SECONDS, result


def test_cells_beyond_the_declared_dimension_are_read_not_dropped():
    with pytest.raises(
        TableError, match=r"hostile.xlsx: Zeile 2: 2 Zellen, aber die Kopfzeile hat 1 Spalten"
    ):
        read_table(hostile.beyond_dimension(), "hostile.xlsx")


def test_it_reads_shared_strings_rich_text_numbers_booleans_and_gaps():
    strings = iter(
        [
            "<si><t>name</t></si>",
            "<si><t>wert</t></si>",
            # rich text runs are joined; the phonetic guide is no part of the text
            "<si><r><t>Bio</t></r><r><rPr><b/></rPr><t>LAGO</t></r><rPh><t>x</t></rPh></si>",
        ]
    )
    rows = iter(
        [
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
            '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1997.0</v></c></row>',
            '<row r="4"><c r="A4" t="str"><f>A2</f><v>Formel</v></c>'
            '<c r="B4" t="b"><v>1</v></c></row>',
            '<row r="5"><c r="B5"><v>0.25</v></c></row>',
        ]
    )
    table = read_table(hostile.workbook(hostile.sheet(rows), strings), "a.xlsx")

    assert table.header == ["name", "wert"]
    assert table.rows == [
        {"name": "BioLAGO", "wert": "1997"},
        {"name": "", "wert": ""},  # row 3 is empty, and row numbers stay those of the sheet
        {"name": "Formel", "wert": "True"},
        {"name": "", "wert": "0.25"},
    ]


def test_a_value_beyond_the_column_limit_is_named():
    rows = iter([hostile.HEADER_ROW, '<row r="2"><c r="BZ2"><v>1</v></c></row>'])
    with pytest.raises(
        TableError,
        match=r"a.xlsx: Zeile 2: Spalte BZ hat einen Wert; erlaubt sind höchstens 64 Spalten.",
    ):
        read_table(hostile.workbook(hostile.sheet(rows)), "a.xlsx")
