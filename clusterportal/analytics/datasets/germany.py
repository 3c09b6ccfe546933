"""Germany: employees subject to social insurance (SvB) by Kreis and WZ 2008 section group.

Input is either the long file 2015-2020 or a fresh GENESIS export (see ``genesis``); both
give :class:`SvbRecord` rows, and :func:`engine_records` turns them into the engine's long
format on the 2021 territorial status (401 Kreise).

The published section groups overlap (``B-F``, ``B-E``, ``G-U`` are aggregates). The engine
gets a partition instead: ``A, BDE (= B-E minus C), C, F, G-I, J, K, L, M-N, O-Q, R-U`` and
``X``, the employees the Federal Employment Agency could not assign to a section
(``X = TOTAL - A - (B-F) - (G-U)``). Suppressed cells (``.``) are derived from exact
accounting identities where exactly one part is missing; otherwise they are dropped and
reported. No number is estimated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .tables import Row, SourceFormatError, parse_int, require_columns

PUBLISHED_SECTIONS: tuple[str, ...] = (
    "A",
    "B-F",
    "B-E",
    "C",
    "F",
    "G-U",
    "G-I",
    "J",
    "K",
    "L",
    "M-N",
    "O-Q",
    "R-U",
    "TOTAL",
)

#: The non-overlapping industries written for the engine, in output order.
PARTITION: tuple[str, ...] = ("A", "BDE", "C", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U")
UNASSIGNED = "X"

#: The WZ 2008 sections each partition code stands for.
PARTITION_SECTIONS: dict[str, tuple[str, ...]] = {
    "A": ("A",),
    "BDE": ("B", "D", "E"),
    "C": ("C",),
    "F": ("F",),
    "G-I": ("G", "H", "I"),
    "J": ("J",),
    "K": ("K",),
    "L": ("L",),
    "M-N": ("M", "N"),
    "O-Q": ("O", "P", "Q"),
    "R-U": ("R", "S", "T", "U"),
}

#: Our traded/local reading of the coarse groups (see docs/atlas-definitions.md).
PARTITION_TYPE: dict[str, str] = {
    "A": "traded",
    "BDE": "local",
    "C": "traded",
    "F": "local",
    "G-I": "local",
    "J": "traded",
    "K": "traded",
    "L": "local",
    "M-N": "traded",
    "O-Q": "local",
    "R-U": "local",
}

#: Identities between published cells: total = sum(parts). All hold exactly in the data.
IDENTITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("B-F", ("B-E", "F")),
    ("G-U", ("G-I", "J", "K", "L", "M-N", "O-Q", "R-U")),
)

#: Berlin and Hamburg are Kreise of their own but are published only as Land rows.
CITY_STATES = {"02": "02000", "11": "11000"}

#: Kreise of the 2021 status formed after 2015 from former Kreise (1 Nov 2016: Göttingen).
PREDECESSORS: dict[str, tuple[str, ...]] = {"03159": ("03152", "03156")}

SUPPRESSED = "."
NOTHING = "-"
KNOWN_SYMBOLS = frozenset({".", "-", "x", "/", "..."})


@dataclass(frozen=True)
class SvbRecord:
    """One published cell: employees (total of men and women) in a region and section."""

    year: int
    ars: str
    level: str  # bund | land | regierungsbezirk | kreis | gemeinde (some cities in GENESIS)
    name: str
    section: str
    total: int | None
    symbol: str  # "" for a number, else the GENESIS symbol ("." suppressed, "-" nothing)


@dataclass(frozen=True)
class CellNote:
    """A cell that was derived or could not be delivered."""

    year: int
    region_type: str
    region_code: str
    industry_code: str
    status: str  # derived | aggregated | dropped
    detail: str


def level_of(ars: str) -> str:
    """Region level from the key length, as GENESIS uses it."""
    if ars == "DG":
        return "bund"
    levels = {2: "land", 3: "regierungsbezirk", 5: "kreis", 8: "gemeinde"}
    if len(ars) not in levels or not ars.isdigit():
        raise SourceFormatError(f"unexpected region key {ars!r}")
    return levels[len(ars)]


def read_long(rows: Sequence[Row]) -> list[SvbRecord]:
    """Records from the long file (one row per year, region and section)."""
    require_columns(
        rows,
        ("year", "ars", "level", "name", "wz2008_sections", "total", "suppression_flags"),
        "SvB long file",
    )
    records: list[SvbRecord] = []
    for row in rows:
        total = parse_int(row["total"])
        symbol = "" if total is not None else (row["suppression_flags"].split("|")[0] or ".")
        if row["wz2008_sections"] not in PUBLISHED_SECTIONS:
            raise SourceFormatError(f"unknown section {row['wz2008_sections']!r}")
        records.append(
            SvbRecord(
                year=int(row["year"]),
                ars=row["ars"],
                level=row["level"],
                name=row["name"],
                section=row["wz2008_sections"],
                total=total,
                symbol=symbol,
            )
        )
    return records


def _solve(values: dict[str, int | None], notes: list[str]) -> None:
    """Fill single unknowns in the identities, repeating until nothing changes."""
    changed = True
    while changed:
        changed = False
        for whole, parts in IDENTITIES:
            cells = (whole, *parts)
            unknown = [cell for cell in cells if values.get(cell) is None]
            if len(unknown) != 1:
                continue
            missing = unknown[0]
            known_parts = sum(values[p] or 0 for p in parts if p != missing)
            whole_value = values[whole]
            value = known_parts if missing == whole else (whole_value or 0) - known_parts
            if value < 0:
                raise SourceFormatError(f"negative derived value for {missing}: {values}")
            values[missing] = value
            notes.append(
                f"{missing} = "
                + (
                    " + ".join(parts)
                    if missing == whole
                    else f"{whole} - " + " - ".join(p for p in parts if p != missing)
                )
            )
            changed = True


def partition(values: Mapping[str, int | None]) -> tuple[dict[str, int | None], dict[str, str]]:
    """Partition values (and how each was obtained) from the published sections."""
    solved: dict[str, int | None] = {s: values.get(s) for s in PUBLISHED_SECTIONS}
    derivations: list[str] = []
    _solve(solved, derivations)
    how: dict[str, str] = {}
    for note in derivations:
        how[note.split(" = ")[0]] = note
    result: dict[str, int | None] = {}
    for code in PARTITION:
        if code == "BDE":
            be, c = solved["B-E"], solved["C"]
            result[code] = None if be is None or c is None else be - c
            if result[code] is not None and ("B-E" in how or "C" in how):
                how[code] = "BDE = B-E - C, with " + "; ".join(
                    how[k] for k in ("B-E", "C") if k in how
                )
        else:
            result[code] = solved[code]
    parts = [solved[s] for s in ("TOTAL", "A", "B-F", "G-U")]
    if all(v is not None for v in parts):
        total, a, bf, gu = (v or 0 for v in parts)
        residual = total - a - bf - gu
        if residual < 0:
            raise SourceFormatError(f"negative unassigned residual in {dict(values)}")
        result[UNASSIGNED] = residual
    else:
        result[UNASSIGNED] = None
    return result, how


def _region_key(record: SvbRecord) -> tuple[str, str] | None:
    """(engine region type, code) for a record, on the 2021 status; ``None`` to skip."""
    if record.level == "bund":
        return ("bund", "DG")
    if record.level == "land":
        return ("land", record.ars)
    if record.level == "kreis":
        return ("kreis", record.ars)
    return None


def engine_records(
    records: Iterable[SvbRecord], kreise_2021: Iterable[str]
) -> tuple[list[dict[str, object]], list[CellNote], list[tuple[str, str]]]:
    """Engine rows for the 401 Kreise (2021 status), the 16 Länder and Germany.

    Returns the records, a note for every derived, aggregated or dropped cell, and the former
    Kreise that were dropped (key, name).
    """
    current = set(kreise_2021)
    cells: dict[tuple[int, str, str], dict[str, SvbRecord]] = defaultdict(dict)
    names: dict[str, str] = {}
    for record in records:
        key = _region_key(record)
        if key is None:
            continue
        cells[(record.year, *key)][record.section] = record
        names[record.ars] = record.name
        if record.level == "land" and record.ars in CITY_STATES:
            cells[(record.year, "kreis", CITY_STATES[record.ars])][record.section] = record
    years = sorted({year for year, _, _ in cells})
    dropped = sorted(
        (code, names.get(code, ""))
        for (_, kind, code) in cells
        if kind == "kreis" and code not in current
    )
    dropped = sorted(set(dropped))
    out: list[dict[str, object]] = []
    notes: list[CellNote] = []
    for year in years:
        regions = sorted(
            (kind, code)
            for (y, kind, code) in cells
            if y == year and (kind != "kreis" or code in current)
        )
        missing = current - {code for kind, code in regions if kind == "kreis"}
        if missing:
            raise SourceFormatError(f"{year}: Kreise without any rows: {sorted(missing)}")
        for kind, code in regions:
            published = cells[(year, kind, code)]
            values = {s: published[s].total if s in published else None for s in PUBLISHED_SECTIONS}
            symbols = {s: published[s].symbol if s in published else "" for s in PUBLISHED_SECTIONS}
            aggregated = False
            if all(symbols[s] == NOTHING for s in PUBLISHED_SECTIONS) and code in PREDECESSORS:
                values = _sum_predecessors(cells, year, PREDECESSORS[code])
                aggregated = True
            for section in PUBLISHED_SECTIONS:
                if values[section] is None and symbols[section] == NOTHING and not aggregated:
                    values[section] = 0  # "-" = nichts vorhanden: exactly zero
            result, how = partition(values)
            for industry in (*PARTITION, UNASSIGNED):
                value = result[industry]
                if value is None:
                    notes.append(
                        CellNote(
                            year, kind, code, industry, "dropped", _drop_reason(industry, values)
                        )
                    )
                    continue
                if aggregated:
                    notes.append(
                        CellNote(
                            year,
                            kind,
                            code,
                            industry,
                            "aggregated",
                            "sum of former Kreise " + " + ".join(PREDECESSORS[code]),
                        )
                    )
                elif industry in how:
                    notes.append(CellNote(year, kind, code, industry, "derived", how[industry]))
                out.append(
                    {
                        "year": year,
                        "region_type": kind,
                        "region_code": code,
                        "industry_code": industry,
                        "employment": value,
                    }
                )
    return out, notes, dropped


def _sum_predecessors(
    cells: Mapping[tuple[int, str, str], Mapping[str, SvbRecord]],
    year: int,
    predecessors: Sequence[str],
) -> dict[str, int | None]:
    summed: dict[str, int | None] = {}
    for section in PUBLISHED_SECTIONS:
        parts = [cells.get((year, "kreis", p), {}).get(section) for p in predecessors]
        totals = [part.total if part is not None else None for part in parts]
        summed[section] = None if any(t is None for t in totals) else sum(t or 0 for t in totals)
    return summed


def _drop_reason(industry: str, values: Mapping[str, int | None]) -> str:
    missing = [s for s in PUBLISHED_SECTIONS if values[s] is None]
    return "suppressed, not derivable (missing: " + ", ".join(missing) + ")"


def region_links_kreis_land(kreise_2021: Iterable[str]) -> list[tuple[str, str, str, str]]:
    """Kreis -> Land for every Kreis (the Land key is the first two digits)."""
    return [("kreis", code, "land", code[:2]) for code in sorted(kreise_2021)]


def region_slug(name: str) -> str:
    """A stable ASCII slug for a BW Region name (not an official key)."""
    text = name.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    slug = "".join(ch if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in slug.split("-") if part)


def region_links_bw(bw_kreise: Sequence[Row]) -> list[tuple[str, str, str, str]]:
    """BW Kreis -> Region -> Land 08 (a tree: each Kreis has exactly one parent)."""
    require_columns(bw_kreise, ("ags", "name", "region"), "bw_kreise")
    links = [("kreis", row["ags"], "region", region_slug(row["region"])) for row in bw_kreise]
    regions = sorted({region_slug(row["region"]) for row in bw_kreise})
    links.sort()
    return links + [("region", slug, "land", "08") for slug in regions]


def section_titles(wz_rows: Sequence[Row]) -> tuple[dict[str, str], dict[str, str]]:
    """German (WZ 2008) and English (NACE Rev. 2) titles of the 21 sections."""
    require_columns(wz_rows, ("level", "code", "title_de_wz2008", "title_en_nace_rev2"), "WZ")
    german = {r["code"]: r["title_de_wz2008"] for r in wz_rows if r["level"] == "1"}
    english = {
        r["code"]: _corrected(r["title_en_nace_rev2"]).capitalize()
        for r in wz_rows
        if r["level"] == "1"
    }
    return german, english


# Typing errors in the RAMON titles, corrected here (documented in data/atlas/SOURCES.md).
RAMON_TYPOS = {"U0NDIFFERENTIATED": "UNDIFFERENTIATED"}


def _corrected(title: str) -> str:
    for wrong, right in RAMON_TYPOS.items():
        title = title.replace(wrong, right)
    return title


def section_definition(wz_rows: Sequence[Row]) -> list[tuple[str, ...]]:
    """Each section group its own cluster: code, names (en, de) and our traded/local type."""
    german, english = section_titles(wz_rows)
    rows: list[tuple[str, ...]] = []
    for code in PARTITION:
        sections = PARTITION_SECTIONS[code]
        label = ", ".join(sections)
        rows.append(
            (
                code,
                code,
                "; ".join(english[s] for s in sections) + f" ({label})",
                PARTITION_TYPE[code],
                "; ".join(german[s] for s in sections) + f" ({label})",
            )
        )
    return rows
