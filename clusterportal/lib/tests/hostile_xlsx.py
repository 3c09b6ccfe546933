"""Hostile XLSX files, built at run time (small in the repository), and a way to measure reading them.

Used by test_hostile_xlsx.py and bench/hostile_xlsx.py. `measure` reads a file in a fresh
Python process, under a memory cap (so a bomb cannot take the machine down, even with the
old code), and reports the time, the peak memory (resident set) and the outcome.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Tabelle1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet"/>'
    '<Relationship Id="rId2" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"
STRINGS_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'


def workbook(sheet: Iterable[str], strings: Iterable[str] = (), prolog: str = "") -> bytes:
    """An XLSX archive whose sheet and shared-strings parts are streamed from the pieces given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, pieces in (
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", _strings_part(strings)),
        ):
            with archive.open(name, "w", force_zip64=True) as part:
                part.write(prolog.encode())
                _write_batched(part, pieces)
    return buffer.getvalue()


def _strings_part(strings: Iterable[str]) -> Iterator[str]:
    yield STRINGS_START
    yield from strings
    yield "</sst>"


def _write_batched(part: io.BufferedIOBase, pieces: Iterable[str]) -> None:
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) >= 10_000:
            part.write("".join(batch).encode())
            batch.clear()
    part.write("".join(batch).encode())


def sheet(rows: Iterable[str], dimension: str = "A1") -> Iterator[str]:
    yield SHEET_START.format(dimension=dimension)
    yield from rows
    yield SHEET_END


# --- the hostile files of issue 11 (and a few more) -----------------------------------------


def wide_row(cells: int = 5_000_000) -> bytes:
    """One row of millions of inline cells: 558 KB that took 4.6 GB."""
    cell = '<c t="inlineStr"><is><t>x</t></is></c>'
    return workbook(sheet(iter([HEADER_ROW, "<row>", *([cell] * cells), "</row>"])))


def huge_shared_strings(megabytes: int = 1024) -> bytes:
    """1 GB of shared strings in a 5 MB file: accepted and parsed into 1.36 GB."""
    text = "<si><t>" + "x" * 32_000 + "</t></si>"
    count = megabytes * 1024 * 1024 // len(text)
    rows = iter([HEADER_ROW, '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'])
    return workbook(sheet(rows), iter([text] * count))


def forged_size(data: bytes | None = None) -> bytes:
    """The shared strings bomb with the sizes in the zip headers forged to 1 KB."""
    patched = bytearray(data or huge_shared_strings(200))
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = 0
        while (start := patched.find(signature, start)) != -1:
            patched[start + offset : start + offset + 4] = struct.pack("<I", 1024)
            start += 4
    return bytes(patched)


def many_rows(rows: int = 600_000) -> bytes:
    """600,000 rows under a dimension of the whole sheet: ran 89 s before the row limit."""

    def pieces() -> Iterator[str]:
        yield HEADER_ROW
        for number in range(2, rows + 2):
            yield f'<row r="{number}"><c r="A{number}"><v>{number}</v></c></row>'

    return workbook(sheet(pieces(), dimension="A1:XFD1048576"))


def beyond_dimension() -> bytes:
    """A sheet that declares A1:A2 but has a cell in B2: it must be read, not dropped."""
    rows = [
        HEADER_ROW,
        '<row r="2"><c r="A2" t="inlineStr"><is><t>BioLAGO</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>Konstanz</t></is></c></row>',
    ]
    return workbook(sheet(iter(rows), dimension="A1:A2"))


def long_cell(characters: int = 50_000_000) -> bytes:
    """One cell of 50 million characters."""
    rows = [HEADER_ROW, '<row r="2"><c r="A2" t="inlineStr"><is><t>', "x" * characters]
    return workbook(sheet(iter([*rows, "</t></is></c></row>"])))


def many_elements(count: int = 20_000_000) -> bytes:
    """Millions of empty elements that are no cells at all."""
    return workbook(sheet(iter([HEADER_ROW, *(["<x/>"] * count)])))


def many_shared_strings(count: int = 1_100_000) -> bytes:
    """Millions of short distinct shared strings: the list of them is what takes memory."""
    rows = iter([HEADER_ROW, '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'])
    return workbook(sheet(rows), (f"<si><t>{n}</t></si>" for n in range(count)))


def large_but_fair(rows: int = 49_999, columns: int = 20) -> bytes:
    """Not hostile: the largest table the limits are meant for (50,000 rows of 20 columns)."""

    def pieces() -> Iterator[str]:
        names = "".join(f'<c t="inlineStr"><is><t>column{n}</t></is></c>' for n in range(columns))
        yield f'<row r="1">{names}</row>'
        for number in range(2, rows + 2):
            cells = "".join(
                f'<c t="inlineStr"><is><t>Text {number}-{n}</t></is></c>'
                if n % 2
                else f"<c><v>{number * n}</v></c>"
                for n in range(columns)
            )
            yield f'<row r="{number}">{cells}</row>'

    # The true dimension (T is column 20), so that openpyxl too reads every cell.
    return workbook(sheet(pieces(), dimension=f"A1:T{rows + 1}"))


def dense_cells(rows: int = 15_600, columns: int = 64) -> bytes:
    """As many cells as the limits let through: 64 columns of distinct numbers, a million cells."""

    def pieces() -> Iterator[str]:
        yield (
            "<row>"
            + "".join(f'<c t="inlineStr"><is><t>c{n}</t></is></c>' for n in range(columns))
            + "</row>"
        )
        for number in range(rows):
            yield (
                "<row>"
                + "".join(f"<c><v>{number * columns + n}</v></c>" for n in range(columns))
                + "</row>"
            )

    return workbook(sheet(pieces()))


def entity_expansion() -> bytes:
    """The 'billion laughs': a DTD whose entities expand to gigabytes."""
    prolog = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">'
        + "".join(
            f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
            for n in range(1, 10)
        )
        + "]>"
    )
    rows = iter(['<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'])
    data = workbook(sheet(rows))
    # The prolog goes before the sheet's own XML declaration: rebuild with it in front.
    return _with_sheet_prolog(data, prolog)


def _with_sheet_prolog(data: bytes, prolog: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith("sheet1.xml"):
                content = prolog.encode() + content.split(b"?>", 1)[1]
            archive.writestr(info.filename, content)
    return buffer.getvalue()


FILES: dict[str, Callable[[], bytes]] = {
    "wide_row": wide_row,
    "huge_shared_strings": huge_shared_strings,
    "forged_size": forged_size,
    "many_rows": many_rows,
    "long_cell": long_cell,
    "many_elements": many_elements,
    "many_shared_strings": many_shared_strings,
    "dense_cells": dense_cells,
    "entity_expansion": entity_expansion,
}


# --- measuring ------------------------------------------------------------------------------

_MEASURE = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
import django
from django.conf import settings
settings.configure(LANGUAGE_CODE="de")  # German, as the portal by default
django.setup()
from clusterportal.lib.tables import TableError, read_table
data = open(sys.argv[1], "rb").read()
def high_water():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would show the parent's.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
before = high_water()
start = time.perf_counter()
try:
    table = read_table(data, "hostile.xlsx")
    outcome = f"read: {len(table.rows)} rows, header {table.header}"
except TableError as error:
    outcome = f"refused: {error}"
except MemoryError:
    outcome = "MemoryError (the memory cap of the measurement was reached)"
seconds = time.perf_counter() - start
peak = high_water()
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "base_mb": before / 1024,
                  "outcome": outcome}))
"""


def measure(
    data: bytes, checkout: Path | None = None, memory_cap_mb: int = 1500, timeout: float = 300
) -> dict[str, object]:
    """Read `data` with the code of `checkout` (default: this one) in a fresh process."""
    root = checkout or Path(__file__).resolve().parents[3]
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        file.write(data)
        file.flush()
        env = {**os.environ, "PYTHONPATH": str(root)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        try:
            done = subprocess.run(
                [sys.executable, "-c", _MEASURE, file.name, str(memory_cap_mb * 1024 * 1024)],
                capture_output=True,
                text=True,
                env=env,
                cwd=root,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return {"seconds": timeout, "peak_mb": None, "outcome": f"timed out after {timeout} s"}
    if done.returncode:
        return {"seconds": None, "peak_mb": None, "outcome": "crashed: " + done.stderr[-300:]}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
