"""Reading the first sheet of an uploaded XLSX workbook as rows of text: streamed, within limits.

An XLSX file is a zip archive of XML files, and both layers can be bombs: 5 MB of zip can
unpack to gigabytes, and a few hundred KB of XML can describe millions of cells. So every
limit is checked while reading, and reading stops at the first one crossed, with a message
that names it:

* each part read (workbook, relations, shared strings, sheet) may unpack to at most
  `MAX_PART_BYTES`; the size the archive declares is checked before reading, the real size
  while unpacking (a forged header cannot hide it);
* at most `MAX_ELEMENTS` XML elements per part, `MAX_CELLS` cells with a value, `max_rows`
  rows, `MAX_COLUMNS` columns, `MAX_CELL_CHARS` characters per cell (Excel's own limit);
* no DTD (entity expansion), as defusedxml forbids it.

Why our own reader and not openpyxl's: openpyxl's read-only mode builds a whole row before
the caller sees it (a row of 5 million cells took 4.6 GB), keeps every shared string without
a limit, and trusts the sheet's declared `<dimension>` (cells beyond it were dropped, and a
dimension of A1:XFD1048576 pads every row to 16,384 cells). python-calamine reads the whole
sheet into memory as well. Here expat (the standard library's C parser) reports each element
and each piece of text as it arrives, so a limit is checked before anything grows. The
portal writes XLSX with openpyxl (lib/tables.write_xlsx); only reading is ours.

What is read: the cached value of each cell as text (numbers as written, 1997.0 as 1997;
booleans as True/False; shared and inline strings, rich text joined; formulas by their
cached result). Dates stay Excel serial numbers: no import column takes a date.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from django.utils.translation import gettext as _

MAX_PART_BYTES = 100 * 1024 * 1024
MAX_SMALL_PART_BYTES = 1024 * 1024  # the workbook and the relations: a few KB in real files
MAX_ELEMENTS = 4_000_000
MAX_CELLS = 1_000_000
MAX_COLUMNS = 64
MAX_CELL_CHARS = 32_767
_CHUNK = 64 * 1024
_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")

Handlers = tuple[
    Callable[[str, dict[str, str]], None], Callable[[str], None], Callable[[str], None]
]


class XlsxError(ValueError):
    """The workbook cannot be read, or crosses a limit; the message says which (no file name)."""


class _Done(Exception):
    """Raised by a handler once it has what it needs (the end of the sheet's data)."""


def unreadable() -> XlsxError:
    return XlsxError(
        _(
            "Die Datei ist keine lesbare XLSX-Arbeitsmappe; bitte in Excel als "
            "„Excel-Arbeitsmappe (.xlsx)“ oder als CSV speichern."
        )
    )


def read_first_sheet(data: bytes, max_rows: int) -> list[list[str]]:
    """The rows of the workbook's first sheet, row 1 first; empty rows inside stay (as [])."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet, strings = _locate_parts(archive)
            shared = _read_shared_strings(archive, strings) if strings else []
            return _read_sheet(archive, sheet, shared, max_rows)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        # A broken archive, an unknown compression method, an encrypted member.
        raise unreadable() from None


# --- the archive --------------------------------------------------------------------------


def _local(name: str) -> str:
    """`x:sheet` -> `sheet`: some writers put a prefix on the spreadsheet namespace."""
    return name.rpartition(":")[2] if ":" in name else name


def _parse(
    archive: zipfile.ZipFile, name: str, handlers: Handlers, limit: int = MAX_PART_BYTES
) -> None:
    """Feed one part of the archive to expat, chunk by chunk, within `limit` bytes unpacked.

    The handlers get the tag names as written (`x:c` with a prefix): see `_local`.
    """
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise unreadable() from None
    if info.file_size > limit:
        raise _too_big(name, info.file_size, limit)

    def forbidden(*_args: Any) -> None:
        raise unreadable()  # a DTD: entity expansion is how XML bombs work

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = handlers
    parser.StartDoctypeDeclHandler = forbidden
    parser.EntityDeclHandler = forbidden
    parser.buffer_text = True  # one call per text, not one per line or entity
    unpacked = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                unpacked += len(chunk)
                if unpacked > limit:
                    raise _too_big(name, unpacked, limit)
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Done:
        pass
    except expat.ExpatError:
        raise unreadable() from None


class _Elements:
    """Counts the elements of a part: millions of empty ones cost time without any data."""

    def __init__(self, part: str):
        self.part = part
        self.count = 0

    def add(self) -> None:
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise XlsxError(
                _("%(part)s hat mehr als %(limit)s XML-Elemente.")
                % {"part": self.part, "limit": _number(MAX_ELEMENTS)}
            )


def _too_big(part: str, size: int, limit: int) -> XlsxError:
    return XlsxError(
        _(
            "%(part)s ist entpackt mehr als %(limit)s Bytes groß (%(size)s); "
            "so große Arbeitsmappen können nicht importiert werden."
        )
        % {"part": part, "limit": _number(limit), "size": _number(size)}
    )


def _number(value: int) -> str:
    from django.utils import formats

    return formats.number_format(value, force_grouping=True)


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of a part: id -> (type, path inside the archive)."""
    folder, filename = posixpath.split(part)
    found: dict[str, tuple[str, str]] = {}

    def start(tag: str, attributes: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and attributes.get("TargetMode") != "External":
            target = attributes.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found[attributes.get("Id", "")] = (
                attributes.get("Type", ""),
                posixpath.normpath(path),
            )

    name = posixpath.join(folder, "_rels", filename + ".rels")
    _parse(archive, name, (start, _ignore, _ignore), MAX_SMALL_PART_BYTES)
    return found


def _ignore(*_args: object) -> None:
    pass


def _locate_parts(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    """The paths of the first sheet and of the shared strings (if any), from the relations."""
    documents = [
        path for kind, path in _relations(archive, "").values() if kind.endswith("/officeDocument")
    ]
    if not documents:
        raise unreadable()
    workbook = documents[0]
    first_sheet: list[str] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        if _local(tag) == "sheet" and not first_sheet:
            first_sheet.extend(v for k, v in attributes.items() if _local(k) == "id")

    _parse(archive, workbook, (start, _ignore, _ignore), MAX_SMALL_PART_BYTES)
    relations = _relations(archive, workbook)
    if not first_sheet or first_sheet[0] not in relations:
        raise unreadable()
    strings = [path for kind, path in relations.values() if kind.endswith("/sharedStrings")]
    return relations[first_sheet[0]][1], (strings[0] if strings else None)


# --- shared strings --------------------------------------------------------------------------


def _read_shared_strings(archive: zipfile.ZipFile, part: str) -> list[str]:
    """The shared strings in order; phonetic runs (<rPh>) are not part of the text."""
    strings: list[str] = []
    pieces: list[str] = []
    state = {"chars": 0, "in_text": False, "phonetic": 0}
    elements = _Elements(part)

    def start(tag: str, attributes: dict[str, str]) -> None:
        elements.add()
        tag = _local(tag)
        if tag == "si":
            pieces.clear()
            state["chars"] = 0
            if len(strings) >= MAX_CELLS:
                raise XlsxError(
                    _("%(part)s hat mehr als %(limit)s Texte.")
                    % {"part": part, "limit": _number(MAX_CELLS)}
                )
        elif tag == "rPh":
            state["phonetic"] += 1
        elif tag == "t" and not state["phonetic"]:
            state["in_text"] = True

    def end(tag: str) -> None:
        tag = _local(tag)
        if tag == "si":
            strings.append("".join(pieces))
        elif tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "t":
            state["in_text"] = False

    def text(data: str) -> None:
        if state["in_text"]:
            state["chars"] += len(data)
            if state["chars"] > MAX_CELL_CHARS:
                raise XlsxError(
                    _("%(part)s: Text %(index)s hat mehr als %(limit)s Zeichen.")
                    % {
                        "part": part,
                        "index": _number(len(strings) + 1),
                        "limit": _number(MAX_CELL_CHARS),
                    }
                )
            pieces.append(data)

    _parse(archive, part, (start, end, text))
    return strings


# --- the sheet ---------------------------------------------------------------------------


class _SheetReader:
    """The expat handlers for a worksheet: rows of text, every limit checked as it comes."""

    def __init__(self, part: str, shared: list[str], max_rows: int):
        self.elements = _Elements(part)
        self.shared = shared
        self.max_rows = max_rows
        self.rows: list[list[str]] = []
        self.row_number = 0  # of the current <row>
        self.row: list[str] = []
        self.column = 0  # of the current <c>
        self.kind = ""
        self.pieces: list[str] = []
        self.chars = 0
        self.in_text = False
        self.phonetic = 0
        self.cells = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        # Called for every element (millions): the counting and naming are inlined.
        self.elements.count += 1
        if self.elements.count > MAX_ELEMENTS:
            self.elements.add()  # raises
        if ":" in tag:
            tag = _local(tag)
        if tag == "c":
            self._start_cell(attributes.get("r"), attributes.get("t", "n"))
        elif tag == "row":
            self._start_row(attributes.get("r"))
        elif tag == "rPh":
            self.phonetic += 1
        elif (tag == "v" or tag == "t") and not self.phonetic:
            self.in_text = True

    def end(self, tag: str) -> None:
        if ":" in tag:
            tag = _local(tag)
        if tag == "c":
            self._end_cell()
        elif tag == "v" or tag == "t":
            self.in_text = False
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "row":
            self._end_row()
        elif tag == "sheetData":
            raise _Done  # merged cells, print settings and the rest are of no interest

    def text(self, data: str) -> None:
        if self.in_text:
            self.chars += len(data)
            if self.chars > MAX_CELL_CHARS:
                raise XlsxError(
                    _("Zeile %(row)s, Spalte %(column)s: Die Zelle hat mehr als %(limit)s Zeichen.")
                    % self._where(limit=_number(MAX_CELL_CHARS))
                )
            self.pieces.append(data)

    def _where(self, **more: str) -> dict[str, str]:
        return {"row": _number(self.row_number), "column": _column_name(self.column), **more}

    def _start_row(self, reference: str | None) -> None:
        number = int(reference) if reference and reference.isdigit() else self.row_number + 1
        if number <= self.row_number:
            raise unreadable()  # rows out of order: no spreadsheet program writes that
        if number > self.max_rows + 1:
            raise XlsxError(_("mehr als %(limit)s Zeilen") % {"limit": _number(self.max_rows)})
        self.row_number = number
        self.row = []
        self.column = 0

    def _start_cell(self, reference: str | None, kind: str) -> None:
        if reference:
            match = _CELL_REFERENCE.fullmatch(reference)
            if not match or int(match[2]) != self.row_number:
                raise unreadable()
            column = _column_number(match[1])
        else:
            column = self.column + 1
        if column <= self.column:
            raise unreadable()  # cells out of order
        self.column = column
        self.kind = kind
        self.pieces.clear()
        self.chars = 0

    def _end_cell(self) -> None:
        pieces = self.pieces
        text = pieces[0] if len(pieces) == 1 else "".join(pieces)
        value = _value(self.kind, text, self.shared)
        if not value:
            return
        if self.column > MAX_COLUMNS:
            raise XlsxError(
                _(
                    "Zeile %(row)s: Spalte %(column)s hat einen Wert; erlaubt sind höchstens "
                    "%(limit)s Spalten."
                )
                % self._where(limit=_number(MAX_COLUMNS))
            )
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise XlsxError(
                _("Die Tabelle hat mehr als %(limit)s Zellen mit Werten.")
                % {"limit": _number(MAX_CELLS)}
            )
        self.row.extend([""] * (self.column - 1 - len(self.row)))
        self.row.append(value)

    def _end_row(self) -> None:
        if self.row:
            # Rows without values are left out by spreadsheet programs too; keep the numbering.
            self.rows.extend([] for _ in range(self.row_number - 1 - len(self.rows)))
            self.rows.append(self.row)


def _read_sheet(
    archive: zipfile.ZipFile, part: str, shared: list[str], max_rows: int
) -> list[list[str]]:
    reader = _SheetReader(part, shared, max_rows)
    _parse(archive, part, (reader.start, reader.end, reader.text))
    return reader.rows


def _value(kind: str, text: str, shared: list[str]) -> str:
    """A cell's text as openpyxl's data_only reading gave it (see the module doc)."""
    if kind == "n":
        return _number_text(text.strip())
    if kind == "s":
        try:
            return shared[int(text)].strip()
        except (ValueError, IndexError):
            raise unreadable() from None
    if kind == "b":
        return {"1": "True", "0": "False"}.get(text.strip(), text.strip())
    if kind in ("inlineStr", "str", "e", "d"):
        return text.strip()
    return _number_text(text.strip())


def _number_text(text: str) -> str:
    if text.isdigit():
        return str(int(text))  # the common case first: "1997", "007" -> "7" as openpyxl
    try:
        if not any(mark in text for mark in ".eE"):
            return str(int(text))
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() else str(value)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _column_name(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
