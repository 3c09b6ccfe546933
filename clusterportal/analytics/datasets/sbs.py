"""Eurostat SBS by NUTS-2 region and NACE division -> the engine's employment records.

Only persons employed (``V16110``) at division level (``C29``, ``S95``: a letter and two
digits) are used; sections (``C``) and groups (``G451``) would count the same people twice.
Local units (``V11210``) become ``establishments`` and split confidential cells (below).

Confidential cells (flag ``c``) of a NUTS-2 region are estimated from the country's residual:
for one country, division and year,

    residual = country value - sum of the published values of the country's NUTS-2 regions

and the residual is split over the country's confidential NUTS-2 regions in proportion to
their local units in that division (equal parts when a confidential region's local units are
not published or all are zero), rounded to whole persons by the largest-remainder method, so
the estimates add up exactly to the residual. No estimate is made when the country value is
itself withheld, when a region of the country is only ``:`` (not available, no flag) in that
division, or when the residual is negative: those cells are dropped and listed with the
reason. The estimates are written to a file of their own, so an edition can leave them out.

Extra-regio codes (``..ZZ``: no territory) count in the published sum of the residual but are
not regions of the atlas.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .eurostat import Cell

PERSONS_EMPLOYED = "V16110"
LOCAL_UNITS = "V11210"
DIVISION = re.compile(r"^[A-Z]\d\d$")
EXTRA_REGIO = "ZZ"

#: The EU-28 of the data (the 28 member states of 2013-2020); NO is in the file, not in the EU.
EU28: frozenset[str] = frozenset(
    "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK UK".split()
)
EU28_CODE = "EU28"

Key = tuple[int, str, str]  # year, geo, division


@dataclass(frozen=True)
class Panel:
    """Persons employed and local units by (year, geo, division), with their flags."""

    employment: dict[Key, Cell]
    units: dict[Key, Cell]

    @classmethod
    def of(cls, cells: Iterable[Cell]) -> Panel:
        employment: dict[Key, Cell] = {}
        units: dict[Key, Cell] = {}
        for cell in cells:
            nace, indicator, geo = cell.key
            if not DIVISION.match(nace):
                continue
            if indicator == PERSONS_EMPLOYED:
                employment[(cell.year, geo, nace)] = cell
            elif indicator == LOCAL_UNITS:
                units[(cell.year, geo, nace)] = cell
        return cls(employment, units)

    def nuts2_by_country(self) -> dict[tuple[int, str], list[str]]:
        """The NUTS-2 codes with data (a number or a confidential cell) per year and country."""
        found: dict[tuple[int, str], set[str]] = defaultdict(set)
        for (year, geo, _division), cell in self.employment.items():
            if len(geo) == 4 and (cell.value is not None or cell.confidential):
                found[(year, geo[:2])].add(geo)
        return {key: sorted(codes) for key, codes in found.items()}


@dataclass(frozen=True)
class Estimate:
    year: int
    geo: str
    division: str
    employment: int
    residual: int
    key: str  # local_units | equal
    shared_with: int  # confidential regions the residual was split over


@dataclass(frozen=True)
class Dropped:
    year: int
    geo: str
    division: str
    reason: str


def split_largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Whole numbers proportional to `weights` that add up to `total` exactly."""
    weight_sum = sum(weights)
    raw = [total * w / weight_sum for w in weights]
    whole = [int(value) for value in raw]
    short = total - sum(whole)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - whole[i]), i))
    for index in order[:short]:
        whole[index] += 1
    return whole


def estimate_confidential(panel: Panel) -> tuple[list[Estimate], list[Dropped]]:
    """Estimates for the confidential NUTS-2 cells, and the cells that could not be estimated."""
    estimates: list[Estimate] = []
    dropped: list[Dropped] = []
    regions = panel.nuts2_by_country()
    divisions = sorted({division for (_y, _g, division) in panel.employment})
    for (year, country), codes in sorted(regions.items()):
        for division in divisions:
            cells = {code: panel.employment.get((year, code, division)) for code in codes}
            secret = [c for c, cell in cells.items() if cell is not None and cell.confidential]
            secret = [c for c in secret if not c.endswith(EXTRA_REGIO)]
            if not secret:
                continue
            reason = _not_estimable(panel, year, country, division, cells)
            if reason:
                dropped += [Dropped(year, code, division, reason) for code in secret]
                continue
            country_cell = panel.employment[(year, country, division)]
            published = sum(cell.value or 0 for cell in cells.values() if cell is not None)
            residual = round((country_cell.value or 0) - published)
            if residual < 0:
                reason = f"negative residual ({residual}: country minus published regions)"
                dropped += [Dropped(year, code, division, reason) for code in secret]
                continue
            units = [panel.units.get((year, code, division)) for code in secret]
            known = [u.value for u in units if u is not None and u.value is not None]
            by_units = len(known) == len(secret) and sum(known) > 0
            weights = [float(w) for w in known] if by_units else [1.0] * len(secret)
            shares = split_largest_remainder(residual, weights)
            for code, value in zip(secret, shares, strict=True):
                estimates.append(
                    Estimate(
                        year,
                        code,
                        division,
                        value,
                        residual,
                        "local_units" if by_units else "equal",
                        len(secret),
                    )
                )
    return estimates, dropped


def _not_estimable(
    panel: Panel, year: int, country: str, division: str, cells: Mapping[str, Cell | None]
) -> str:
    country_cell = panel.employment.get((year, country, division))
    if country_cell is None or country_cell.value is None:
        flags = country_cell.flags if country_cell else ""
        return f"country value {country} not published ({flags or ':'})"
    missing = [
        code
        for code, cell in cells.items()
        if cell is None or (cell.value is None and not cell.confidential)
    ]
    if missing:
        return "not available (':') in " + ", ".join(missing)
    return ""


@dataclass(frozen=True)
class Records:
    rows: list[dict[str, object]]
    estimated: list[Estimate]
    dropped: list[Dropped]


def engine_records(panel: Panel, years: Iterable[int] | None = None) -> Records:
    """Engine rows: NUTS-2 regions (published and estimated cells) and countries (published).

    Cells that are ``:`` without a number are not rows; confidential cells that could not be
    estimated are listed in ``dropped``. ``establishments`` are the local units where published.
    """
    wanted = set(years) if years is not None else None
    estimates, dropped = estimate_confidential(panel)
    estimated = {(e.year, e.geo, e.division): e for e in estimates}
    rows: list[dict[str, object]] = []
    for key in sorted(panel.employment):
        year, geo, division = key
        if wanted is not None and year not in wanted:
            continue
        if len(geo) not in (2, 4) or geo.endswith(EXTRA_REGIO):
            continue
        cell = panel.employment[key]
        if cell.value is not None:
            value = round(cell.value)
        elif key in estimated:
            value = estimated[key].employment
        else:
            continue
        units = panel.units.get(key)
        rows.append(
            {
                "year": year,
                "region_type": "nuts2" if len(geo) == 4 else "country",
                "region_code": geo,
                "industry_code": division,
                "employment": value,
                "establishments": round(units.value)
                if units is not None and units.value is not None
                else None,
                "employment_reported": None if key in estimated else value,
            }
        )
    keep = [e for e in estimates if wanted is None or e.year in wanted]
    lost = [d for d in dropped if wanted is None or d.year in wanted]
    return Records(rows, keep, lost)
