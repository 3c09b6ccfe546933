"""NUTS-2 codes of older versions (2010, 2013) -> NUTS 2021 outlines, where the region is the same.

The Eurostat file mixes versions (``DE41``/``DE42`` of NUTS 2010 and ``DE40`` of 2013, ``FR21``
which NUTS 2016 recoded to ``FRF2``). The JRC NUTS converter matrices say how the population
(GEOSTAT 100 m grid, 2021) of each old region spreads over the 2021 regions. A data code is
drawn with a 2021 outline only when the region did not change:

    at least UNCHANGED (99.5 %) of the old region's population lies in one 2021 region, and
    at least UNCHANGED of that 2021 region's population comes from the old region.

The threshold tolerates the slivers of digitising (rows with a few km² and no population);
a real boundary change moves more than 0.5 % of the population. Every other code is listed
with the reason it cannot be drawn (split, merged, boundary changed, no outline, unknown code).
Codes valid in NUTS 2013 are read with the 2013 matrix, other codes with the 2010 one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .tables import Row, SourceFormatError, require_columns

UNCHANGED = 0.995


@dataclass(frozen=True)
class Link:
    old: str
    new: str
    population: float


@dataclass(frozen=True)
class Mapping2021:
    code: str
    version: str  # the NUTS version whose matrix was used ("2013", "2010" or "")
    code_2021: str  # the 2021 code drawn for it, "" when it cannot be drawn
    share_out: float  # share of the old region's population in its main 2021 region
    share_in: float  # share of that 2021 region's population from the old region
    reason: str  # "" when drawn


def links(rows: Sequence[Row], version: str) -> list[Link]:
    """The population links of one JRC matrix (``code_v<version>``, ``code_v2021``, ``pop21``)."""
    old, new = f"code_v{version}", "code_v2021"
    require_columns(rows, (old, new, "pop21", "areaKm"), f"JRC NUTS matrix {version}")
    result = []
    for number, row in enumerate(rows, start=2):
        try:
            population = float(row["pop21"])
        except ValueError:
            raise SourceFormatError(
                f"JRC NUTS matrix {version}, line {number}: pop21 {row['pop21']!r} is no number"
            ) from None
        result.append(Link(row[old], row[new], population))
    return result


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def map_code(
    code: str, version: str, matrix: Sequence[Link], outlines: Iterable[str]
) -> Mapping2021:
    out: dict[str, float] = defaultdict(float)
    into: dict[str, float] = defaultdict(float)
    for link in matrix:
        if link.old == code:
            out[link.new] += link.population
    if not out or sum(out.values()) <= 0:
        return Mapping2021(code, version, "", 0.0, 0.0, f"no population in the {version} matrix")
    for link in matrix:
        if link.new in out:
            into[link.new] += link.population
    main = max(sorted(out), key=lambda new: out[new])
    share_out = out[main] / sum(out.values())
    share_in = out[main] / into[main] if into[main] else 0.0
    parts = ", ".join(
        f"{new} {_percent(value / sum(out.values()))}"
        for new, value in sorted(out.items(), key=lambda item: -item[1])
        if value > 0
    )
    if share_out < UNCHANGED:
        reason = f"split in NUTS 2021: {parts}"
    elif share_in < UNCHANGED:
        reason = (
            f"boundary changed: only {_percent(share_in)} of 2021 region {main} come from {code}"
        )
    elif main not in set(outlines):
        reason = f"no outline for {main} in the NUTS 2021 file"
    else:
        reason = ""
    return Mapping2021(code, version, "" if reason else main, share_out, share_in, reason)


def map_codes(
    codes: Iterable[str],
    matrices: Mapping[str, Sequence[Link]],
    outlines: Iterable[str],
) -> list[Mapping2021]:
    """A mapping for every code; ``matrices`` by version, tried newest first."""
    outline_codes = set(outlines)
    olds = {version: {link.old for link in links} for version, links in matrices.items()}
    result = []
    for code in sorted(set(codes)):
        version = next((v for v in sorted(matrices, reverse=True) if code in olds[v]), "")
        if not version:
            result.append(Mapping2021(code, "", "", 0.0, 0.0, "code in no NUTS matrix"))
            continue
        result.append(map_code(code, version, matrices[version], outline_codes))
    return result
