"""U.S. inputs: NAICS 2017 -> 2012 crosswalk, the benchmark cluster definition, CBP 2019.

The benchmark definition (Delgado, Porter & Stern 2016, public copy by ACR1) is keyed by
NAICS 2012 codes, mixed with a few NAICS 2017 and vendor ("EMSI") codes. County Business
Patterns 2019 is coded in NAICS 2017. The engine translates the data with the crosswalk built
here and then maps NAICS 2012 codes to clusters with the definition built here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .tables import Row, SourceFormatError, require_columns

#: ACR1 flag values that mark a standard NAICS row (the others, "1" and "TRUE", are the
#: 37 rows flagged ``emsi_nonstandard``).
STANDARD_FLAGS = frozenset({"0", "FALSE"})

US_REFERENCE_TYPE = "country"
US_REFERENCE_CODE = "US-CBSA"

SHARE_DECIMALS = 6


@dataclass(frozen=True)
class CrosswalkLink:
    from_code: str
    to_code: str
    share: float
    relation: str  # identical | title_changed | concordance


@dataclass(frozen=True)
class ClusterAssignment:
    industry_code: str
    cluster_code: str
    cluster_name: str
    type: str
    subcluster_code: str
    subcluster_name: str
    origin: str  # acr1 | via_2017_standard | via_2017_flagged
    source_codes: str  # the ACR1 code(s) the assignment was taken from


@dataclass(frozen=True)
class DefinitionResult:
    assignments: list[ClusterAssignment]
    excluded: list[Row]  # ACR1 rows left out, with a "reason" key


def six_digit_titles(rows: Iterable[Row], code_column: str) -> dict[str, str]:
    """NAICS 6-digit code -> title from a code list."""
    return {
        row[code_column]: row["title_en"]
        for row in rows
        if len(row[code_column]) == 6 and row[code_column].isdigit()
    }


def changed_links_2012_to_2017(rows: Sequence[Row]) -> list[tuple[str, str]]:
    """The concordance pairs (NAICS 2012, NAICS 2017) for codes that changed in 2017."""
    require_columns(rows, ("naics2012", "naics2017"), "NAICS 2012->2017 changed links")
    return sorted((row["naics2012"], row["naics2017"]) for row in rows)


def equal_shares(count: int) -> list[float]:
    """``count`` shares that add up to exactly 1 in six-decimal notation."""
    base = round(1.0 / count, SHARE_DECIMALS)
    shares = [base] * (count - 1)
    shares.append(round(1.0 - base * (count - 1), SHARE_DECIMALS))
    return shares


def build_crosswalk_2017_to_2012(
    titles_2012: Mapping[str, str],
    titles_2017: Mapping[str, str],
    changed: Sequence[tuple[str, str]],
) -> list[CrosswalkLink]:
    """Every NAICS 2017 6-digit code -> its NAICS 2012 code(s), shares summing to 1.

    Codes present in both vintages map 1:1 (one, 721310, only changed its title). Codes
    that changed follow the Census concordance pairs in ``changed``; where one 2017 code
    receives several 2012 codes, the shares are equal (no employment split is published).
    """
    targets: dict[str, list[str]] = defaultdict(list)
    for code_2012, code_2017 in changed:
        if code_2012 not in titles_2012:
            raise SourceFormatError(f"changed link names unknown NAICS 2012 code {code_2012}")
        if code_2017 not in titles_2017:
            raise SourceFormatError(f"changed link names unknown NAICS 2017 code {code_2017}")
        targets[code_2017].append(code_2012)
    links: list[CrosswalkLink] = []
    for code in sorted(titles_2017):
        if code in targets:
            if code in titles_2012:
                raise SourceFormatError(f"{code} exists in both vintages but has changed links")
            sources = sorted(targets[code])
            for to_code, share in zip(sources, equal_shares(len(sources)), strict=True):
                links.append(CrosswalkLink(code, to_code, share, "concordance"))
        elif code in titles_2012:
            same_title = titles_2012[code] == titles_2017[code]
            relation = "identical" if same_title else "title_changed"
            links.append(CrosswalkLink(code, code, 1.0, relation))
        else:
            raise SourceFormatError(f"NAICS 2017 code {code} is new but has no concordance link")
    reached = {link.to_code for link in links}
    unreached = sorted(set(titles_2012) - reached)
    if unreached:
        raise SourceFormatError(f"NAICS 2012 codes not reached by the crosswalk: {unreached}")
    return links


def cluster_codes_by_name(identity: Sequence[Row]) -> dict[str, tuple[str, str]]:
    """Benchmark cluster name -> (cluster code, traded/local) from the identity file."""
    require_columns(identity, ("cluster_code", "cluster_name", "type"), "cluster identity")
    return {row["cluster_name"]: (row["cluster_code"], row["type"]) for row in identity}


def subcluster_codes(acr1: Sequence[Row], codes: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Our own stable subcluster numbering: ``<cluster>.<nn>`` by name within each cluster.

    The public ACR1 copy names subclusters but carries no codes.
    """
    names: dict[str, set[str]] = defaultdict(set)
    for row in acr1:
        if row["cluster"] in codes and row["subcluster"] not in ("", "NA"):
            names[row["cluster"]].add(row["subcluster"])
    result: dict[str, str] = {}
    for cluster, subclusters in names.items():
        cluster_code = codes[cluster][0]
        for index, name in enumerate(sorted(subclusters), start=1):
            result[f"{cluster}\x00{name}"] = f"{cluster_code}.{index:02d}"
    return result


def build_us_definition(
    acr1: Sequence[Row],
    identity: Sequence[Row],
    titles_2012: Mapping[str, str],
    changed: Sequence[tuple[str, str]],
) -> DefinitionResult:
    """The benchmark definition keyed by NAICS 2012 codes only, in the engine's format.

    * ACR1 rows with a NAICS 2012 code and a standard flag are taken as they are.
    * The 37 rows flagged ``emsi_nonstandard`` and the row without a cluster (814110) are
      excluded. Rows whose code is a NAICS 2017 code (flagged or not) are not NAICS 2012
      codes either; they are used only to give the NAICS 2012 codes they replaced (by the
      Census concordance) the same cluster, so that those industries are not silently lost.
    """
    require_columns(
        acr1, ("naics", "traded_local", "cluster", "subcluster", "emsi_nonstandard"), "ACR1"
    )
    codes = cluster_codes_by_name(identity)
    unknown = sorted(
        {row["cluster"] for row in acr1 if row["emsi_nonstandard"] in STANDARD_FLAGS}
        - set(codes)
        - {"NA"}
    )
    sub_codes = subcluster_codes(acr1, codes)

    def assignment(code: str, row: Row, origin: str, source_codes: str) -> ClusterAssignment:
        cluster_code, cluster_type = codes[row["cluster"]]
        if row["traded_local"].lower() != cluster_type:
            raise SourceFormatError(f"ACR1 {row['naics']}: type differs from the identity file")
        return ClusterAssignment(
            industry_code=code,
            cluster_code=cluster_code,
            cluster_name=row["cluster"],
            type=cluster_type,
            subcluster_code=sub_codes.get(f"{row['cluster']}\x00{row['subcluster']}", ""),
            subcluster_name=row["subcluster"] if row["subcluster"] != "NA" else "",
            origin=origin,
            source_codes=source_codes,
        )

    assigned: dict[str, ClusterAssignment] = {}
    by_2017_code: dict[str, Row] = {}
    excluded: list[Row] = []
    for row in acr1:
        code = row["naics"]
        standard = row["emsi_nonstandard"] in STANDARD_FLAGS
        if row["cluster"] not in codes:
            if not standard:
                reason = "emsi_nonstandard (government pseudo-cluster)"
            elif row["cluster"] == "NA":
                reason = "no cluster"
            else:
                reason = "cluster not in identity file"
            excluded.append({**row, "reason": reason})
            continue
        if not standard:
            excluded.append({**row, "reason": "emsi_nonstandard"})
        if code not in titles_2012:
            by_2017_code[code] = row
            if standard:
                excluded.append({**row, "reason": "NAICS 2017 code, not a NAICS 2012 code"})
            continue
        if standard:
            if code in assigned:
                raise SourceFormatError(f"ACR1 lists NAICS {code} twice")
            assigned[code] = assignment(code, row, "acr1", code)
    if unknown:
        raise SourceFormatError(f"ACR1 cluster names not in the identity file: {unknown}")

    successors: dict[str, list[str]] = defaultdict(list)
    predecessors: dict[str, list[str]] = defaultdict(list)
    for code_2012, code_2017 in changed:
        successors[code_2012].append(code_2017)
        predecessors[code_2017].append(code_2012)
    for code_2012 in sorted(successors):
        if code_2012 in assigned:
            continue
        rows = [by_2017_code[c] for c in sorted(successors[code_2012]) if c in by_2017_code]
        if len(rows) != len(successors[code_2012]):
            continue
        if len({row["cluster"] for row in rows}) != 1:
            raise SourceFormatError(f"NAICS {code_2012}: successor codes in different clusters")
        # The subcluster of the successor that this code fills alone, else the lowest code.
        sole = [row for row in rows if predecessors[row["naics"]] == [code_2012]]
        chosen = (sole or rows)[0]
        flagged = any(row["emsi_nonstandard"] not in STANDARD_FLAGS for row in rows)
        origin = "via_2017_flagged" if flagged else "via_2017_standard"
        sources = ";".join(row["naics"] for row in rows)
        assigned[code_2012] = assignment(code_2012, chosen, origin, sources)
    ordered = sorted(assigned.values(), key=lambda a: (int(a.cluster_code), a.industry_code))
    return DefinitionResult(assignments=ordered, excluded=excluded)


def definition_rows(assignments: Iterable[ClusterAssignment]) -> list[tuple[str, ...]]:
    """Rows for the engine's cluster definition file."""
    return [
        (
            a.industry_code,
            a.cluster_code,
            a.cluster_name,
            a.type,
            a.subcluster_code,
            a.subcluster_name,
        )
        for a in assignments
    ]


DEFINITION_HEADER = (
    "industry_code",
    "cluster_code",
    "cluster_name",
    "type",
    "subcluster_code",
    "subcluster_name",
)


def cbp_employment_records(cbp: Sequence[Row]) -> list[dict[str, object]]:
    """CBP 2019 6-digit rows as engine records, plus the summed reference ``country:US-CBSA``.

    The reference is the sum over the 933 CBSAs of the published 6-digit cells. It is not the
    U.S. total: counties outside metro and micro areas are missing, and so is every cell the
    Census Bureau withheld (their employment shows as 0 or the row is absent).
    """
    require_columns(cbp, ("year", "cbsa_code", "naics2017", "emp", "estab", "naics_digits"), "CBP")
    records: list[dict[str, object]] = []
    totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in cbp:
        code = row["naics2017"]
        if row["naics_digits"] != "6":
            continue
        if len(code) != 6 or not code.isdigit():
            raise SourceFormatError(f"CBP: unexpected 6-digit code {code!r}")
        year = int(row["year"])
        employment = int(row["emp"])
        establishments = int(row["estab"])
        records.append(
            {
                "year": year,
                "region_type": "cbsa",
                "region_code": row["cbsa_code"],
                "industry_code": code,
                "employment": employment,
                "establishments": establishments,
            }
        )
        total = totals[(year, code)]
        total[0] += employment
        total[1] += establishments
    for (year, code), (employment, establishments) in totals.items():
        records.append(
            {
                "year": year,
                "region_type": US_REFERENCE_TYPE,
                "region_code": US_REFERENCE_CODE,
                "industry_code": code,
                "employment": employment,
                "establishments": establishments,
            }
        )
    records.sort(key=lambda r: (r["year"], r["region_type"], r["region_code"], r["industry_code"]))
    return records


@dataclass(frozen=True)
class UnmappedCode:
    naics2017: str
    title: str
    employment: int
    establishments: int
    unmapped_share: float  # share of the code's crosswalk weight that reaches no cluster


def unmapped_report(
    records: Sequence[Mapping[str, object]],
    crosswalk: Sequence[CrosswalkLink],
    cluster_of: Mapping[str, str],
    titles_2017: Mapping[str, str],
) -> list[UnmappedCode]:
    """NAICS 2017 codes in CBP whose crosswalked NAICS 2012 codes reach no cluster."""
    employment: dict[str, int] = defaultdict(int)
    establishments: dict[str, int] = defaultdict(int)
    for record in records:
        if record["region_type"] != "cbsa":
            continue
        code = str(record["industry_code"])
        employment[code] += int(str(record["employment"]))
        establishments[code] += int(str(record["establishments"]))
    links: dict[str, list[CrosswalkLink]] = defaultdict(list)
    for link in crosswalk:
        links[link.from_code].append(link)
    report: list[UnmappedCode] = []
    for code in sorted(employment):
        lost = sum(link.share for link in links[code] if link.to_code not in cluster_of)
        if not links[code]:
            lost = 1.0
        if lost > 0:
            report.append(
                UnmappedCode(
                    code,
                    titles_2017.get(code, ""),
                    employment[code],
                    establishments[code],
                    round(lost, SHARE_DECIMALS),
                )
            )
    return report


def crosswalk_weights_2012(
    records: Sequence[Mapping[str, object]], crosswalk: Sequence[CrosswalkLink]
) -> dict[str, float]:
    """U.S. (summed CBSA) employment by NAICS 2012 code, translated with the crosswalk."""
    by_2017: dict[str, int] = defaultdict(int)
    for record in records:
        if record["region_type"] == "cbsa":
            by_2017[str(record["industry_code"])] += int(str(record["employment"]))
    weights: dict[str, float] = defaultdict(float)
    for link in crosswalk:
        weights[link.to_code] += by_2017.get(link.from_code, 0) * link.share
    return dict(weights)
