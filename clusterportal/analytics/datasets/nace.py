"""The benchmark clusters carried over to WZ 2008 / NACE Rev. 2 through public concordances.

Chain: NAICS 2012 -> ISIC Rev. 4 (Census Bureau concordance) -> NACE Rev. 2 class (Eurostat
RAMON's ISIC reference of each class) -> WZ 2008 (identical codes down to 4 digits).

Both joins are many-to-many, so a NACE class can receive NAICS industries from several
benchmark clusters. Each NACE class goes to the cluster with the largest U.S. employment
weight among its source NAICS codes (County Business Patterns 2019, summed over CBSAs and
translated to NAICS 2012). A NAICS code linked to several ISIC classes gives its weight to its
main link(s) (see :func:`primary_links`); an ISIC class shared by m NACE classes gives each of
them 1/m, so no employment is counted twice when classes are added up to divisions.
Employment of NAICS codes outside any cluster competes as "no cluster": when it wins, the
class stays unassigned. Where no source NAICS code has CBP employment (farming, government),
the number of concordance links is the weight instead. Ties go to the lowest cluster code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .naics import ClusterAssignment
from .tables import Row, SourceFormatError, require_columns

NO_CLUSTER = ""


@dataclass
class Contributions:
    """Weight reaching one NACE class (or division), by cluster and by subcluster."""

    employment: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    links: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    subclusters: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    naics: set[str] = field(default_factory=set)

    def add(self, other: Contributions) -> None:
        for key, value in other.employment.items():
            self.employment[key] += value
        for key, value in other.links.items():
            self.links[key] += value
        for sub_key, value in other.subclusters.items():
            self.subclusters[sub_key] += value
        self.naics |= other.naics


@dataclass(frozen=True)
class NaceAssignment:
    code: str
    cluster_code: str  # "" when the class stays unassigned
    share_of_weight: float
    basis: str  # cbp2019_employment | concordance_links
    weight: float
    n_naics: int
    clusters_reached: int
    subcluster_code: str
    runner_up: str
    runner_up_share: float


def isic_to_nace(nace_rows: Sequence[Row]) -> dict[str, list[str]]:
    """ISIC Rev. 4 class -> NACE Rev. 2 classes (RAMON's reference column)."""
    require_columns(nace_rows, ("level", "code", "isic_rev4_ref"), "NACE Rev. 2")
    result: dict[str, list[str]] = defaultdict(list)
    for row in nace_rows:
        if row["level"] == "4":
            result[row["isic_rev4_ref"]].append(row["code"])
    return {key: sorted(value) for key, value in result.items()}


def nace_classes_for(isic: str, lookup: Mapping[str, list[str]]) -> list[str]:
    """NACE classes of an ISIC class; ``012X`` style group links reach every class below."""
    if isic.endswith("X"):
        prefix = isic[:-1]
        return sorted(
            {c for key, classes in lookup.items() if key.startswith(prefix) for c in classes}
        )
    return lookup.get(isic, [])


def primary_links(links: Mapping[str, str]) -> set[str]:
    """The ISIC links of one NAICS code that carry its employment weight.

    The Census notes describe carve-outs ("dump truck lifting mechanisms") on the minor links
    and the remainder ("except ...") on the main one. The main link(s) carry the weight;
    without an "except" note, the links without a note; failing that, all links equally.
    """
    main = {isic for isic, note in links.items() if note.strip().lower().startswith("except")}
    if not main:
        main = {isic for isic, note in links.items() if not note.strip()}
    return main or set(links)


def contributions_by_class(
    concordance: Sequence[Row],
    nace_rows: Sequence[Row],
    clusters: Mapping[str, ClusterAssignment],
    weights: Mapping[str, float],
) -> dict[str, Contributions]:
    """Weight of every NACE class, split by the cluster of its source NAICS codes."""
    require_columns(concordance, ("naics2012", "isic4", "notes"), "NAICS-ISIC concordance")
    lookup = isic_to_nace(nace_rows)
    notes_of: dict[str, dict[str, str]] = defaultdict(dict)
    for row in concordance:
        if row["naics2012"] == "0":
            continue  # ISIC 9810/9820: household own use, linked to "all of NAICS"
        notes_of[row["naics2012"]].setdefault(row["isic4"], row["notes"])
    result: dict[str, Contributions] = defaultdict(Contributions)
    for naics, links in sorted(notes_of.items()):
        assignment = clusters.get(naics)
        cluster = assignment.cluster_code if assignment else NO_CLUSTER
        primary = primary_links(links)
        for isic in sorted(links):
            classes = nace_classes_for(isic, lookup)
            if not classes:
                raise SourceFormatError(f"ISIC {isic} (from NAICS {naics}) reaches no NACE class")
            link_part = 1.0 / len(links) / len(classes)
            weight_part = (1.0 / len(primary) if isic in primary else 0.0) / len(classes)
            weight = weights.get(naics, 0.0) * weight_part
            for nace in classes:
                target = result[nace]
                target.employment[cluster] += weight
                target.links[cluster] += link_part
                target.naics.add(naics)
                if assignment is not None:
                    target.subclusters[(cluster, assignment.subcluster_code)] += weight
    return dict(result)


def _ranked(bucket: Mapping[str, float]) -> list[tuple[str, float]]:
    def order(item: tuple[str, float]) -> tuple[float, int, int]:
        key, value = item
        return (-value, key == NO_CLUSTER, int(key) if key else 0)

    return sorted(((k, v) for k, v in bucket.items() if v > 0), key=order)


def assign(code: str, contributions: Contributions) -> NaceAssignment:
    """The cluster a NACE class or division gets, by the rule in the module docstring."""
    total = sum(contributions.employment.values())
    bucket, basis = (contributions.employment, "cbp2019_employment")
    if total <= 0:
        bucket, basis = (contributions.links, "concordance_links")
        total = sum(bucket.values())
    ranked = _ranked(bucket)
    if not ranked:
        return NaceAssignment(
            code, NO_CLUSTER, 0.0, basis, 0.0, len(contributions.naics), 0, "", "", 0.0
        )
    winner, value = ranked[0]
    runner_up, runner_value = ranked[1] if len(ranked) > 1 else ("", 0.0)
    subs = sorted(
        ((sub, v) for (cluster, sub), v in contributions.subclusters.items() if cluster == winner),
        key=lambda item: (-item[1], item[0]),
    )
    return NaceAssignment(
        code=code,
        cluster_code=winner,
        share_of_weight=value / total,
        basis=basis,
        weight=total,
        n_naics=len(contributions.naics),
        clusters_reached=len([k for k, _ in ranked if k != NO_CLUSTER]),
        subcluster_code=subs[0][0] if subs and subs[0][1] > 0 else "",
        runner_up="none" if runner_up == NO_CLUSTER and runner_value > 0 else runner_up,
        runner_up_share=runner_value / total,
    )


def assign_classes(
    contributions: Mapping[str, Contributions], nace_rows: Sequence[Row]
) -> list[NaceAssignment]:
    """An assignment (possibly empty) for every NACE Rev. 2 class, in code order."""
    classes = sorted(row["code"] for row in nace_rows if row["level"] == "4")
    return [assign(code, contributions.get(code, Contributions())) for code in classes]


def assign_divisions(
    contributions: Mapping[str, Contributions], nace_rows: Sequence[Row]
) -> list[NaceAssignment]:
    """The same rule applied to the 88 divisions (2-digit), summing their classes."""
    divisions = sorted(row["code"] for row in nace_rows if row["level"] == "2")
    summed: dict[str, Contributions] = {code: Contributions() for code in divisions}
    for code, value in contributions.items():
        summed[code[:2]].add(value)
    return [assign(code, summed[code]) for code in divisions]


@dataclass(frozen=True)
class Coverage:
    classes: int
    assigned: int
    unassigned: int
    assigned_by_links: int
    conflicts: int
    conflict_weight: float
    total_weight: float
    unassigned_weight: float


def coverage(assignments: Sequence[NaceAssignment]) -> Coverage:
    """How many classes got a cluster, how many had rival clusters and what those weigh."""
    assigned = [a for a in assignments if a.cluster_code]
    conflicts = [a for a in assigned if a.clusters_reached > 1]
    employment_based = [a for a in assignments if a.basis == "cbp2019_employment"]
    return Coverage(
        classes=len(assignments),
        assigned=len(assigned),
        unassigned=len(assignments) - len(assigned),
        assigned_by_links=len([a for a in assigned if a.basis == "concordance_links"]),
        conflicts=len(conflicts),
        conflict_weight=sum(
            a.weight * (1 - a.share_of_weight) for a in conflicts if a.basis == "cbp2019_employment"
        ),
        total_weight=sum(a.weight for a in employment_based),
        unassigned_weight=sum(a.weight for a in employment_based if not a.cluster_code),
    )
