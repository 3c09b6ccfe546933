"""Registered initiatives beside the statistical clusters of a BW region, and the white spots.

The link between the two is the project's own mapping of the registry's
top-level technology fields to the clusters of each definition
(data/atlas/definitions/bw_technology_fields_to_clusters.csv, documented in
docs/atlas-definitions.md). An initiative matches a cluster when one of its
fields (or the broad field above it) maps to that cluster.

White spots are (a) strong clusters of the region that no registered
initiative of the region matches and (b) initiatives of the region that match
no strong cluster there. Where the definition is too coarse for either statement
(COARSE_DEFINITIONS), the page says that it cannot be judged with these data.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, Q

from clusterportal.atlas.models import AtlasRegion
from clusterportal.atlas.models import Result as ResultRow
from clusterportal.lib.text import collation_key
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative
from clusterportal.taxonomy.models import TechnologyField

MAPPING_FILE = Path("atlas/definitions/bw_technology_fields_to_clusters.csv")
# Definitions whose clusters are whole sections of the economy (11 groups of WZ 2008
# sections: all of manufacturing is one). An initiative for vehicles, for sensors or for
# wood maps to the same "Verarbeitendes Gewerbe", among every other industry: neither
# "this initiative has no strong cluster here" nor "this strong cluster has no initiative"
# can be read from such data.
COARSE_DEFINITIONS = {"de_wz2008_section_groups"}


@functools.cache
def _mapping(path: Path) -> dict[str, dict[str, frozenset[str]]]:
    mapping: dict[str, dict[str, set[str]]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_field = mapping.setdefault(row["definition"], {})
            by_field.setdefault(row["technology_field"], set()).add(row["cluster_code"])
    return {d: {f: frozenset(c) for f, c in fields.items()} for d, fields in mapping.items()}


def field_clusters(definition: str) -> dict[str, frozenset[str]]:
    """Top-level technology field slug -> the cluster codes it maps to in `definition`."""
    return _mapping(settings.DATA_DIR / MAPPING_FILE).get(definition, {})


def initiatives_of(region: Region) -> list[ClusterInitiative]:
    """Published, active entries of a registry region: seated in a Kreis, or of a Region
    (also those that name it among the regions they cover), or the Land's networks."""
    if region.kind == Region.Kind.KREIS:
        where = Q(seat_kreis=region)
    else:
        where = Q(region=region) | Q(regions_covered=region)
    fields = TechnologyField.objects.select_related("parent")
    initiatives = (
        ClusterInitiative.objects.published()
        .filter(where, is_active=True)
        .distinct()
        .only("slug", "name", "short_name", "kind")
        .prefetch_related(Prefetch("technology_fields", queryset=fields))
        .order_by("pk")
    )
    return sorted(initiatives, key=lambda initiative: collation_key(initiative.name))


@dataclass
class Unmatched:
    initiative: ClusterInitiative
    # The clusters its fields map to (none of them strong here); empty: fields not mapped.
    clusters: list[ResultRow]
    unmapped_fields: list[TechnologyField]


@dataclass
class RegionInitiatives:
    initiatives: list[ClusterInitiative]
    by_cluster: dict[str, list[ClusterInitiative]] = field(default_factory=dict)
    white_spots: list[ResultRow] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    # COARSE_DEFINITIONS: initiatives that map to clusters none of which is strong here, and
    # strong clusters without an initiative, neither a white spot with these data.
    coarse: bool = False
    not_judgeable: list[Unmatched] = field(default_factory=list)
    strong_not_judgeable: list[ResultRow] = field(default_factory=list)

    @classmethod
    def of(
        cls, region: AtlasRegion, definition: str, results: Iterable[ResultRow]
    ) -> RegionInitiatives | None:
        """None where the region is not one of the registry's (outside BW) or is the benchmark."""
        if region.region is None or region.is_reference:
            return None
        mapping = field_clusters(definition)
        results = list(results)
        by_code = {r.cluster.code: r for r in results}
        page = cls(initiatives_of(region.region))
        for initiative in page.initiatives:
            tops = {f.top for f in initiative.technology_fields.all()}
            codes = set().union(*(mapping.get(top.slug, frozenset()) for top in tops))
            for code in codes:
                page.by_cluster.setdefault(code, []).append(initiative)
            if not any(by_code[c].strong for c in codes if c in by_code):
                page.unmatched.append(
                    Unmatched(
                        initiative,
                        [by_code[c] for c in sorted(codes, key=_position(by_code)) if c in by_code],
                        sorted(
                            (t for t in tops if t.slug not in mapping),
                            key=lambda t: collation_key(t.localized_name),
                        ),
                    )
                )
        page.white_spots = [
            r for r in results if r.strong and r.cluster.code not in page.by_cluster
        ]
        if definition in COARSE_DEFINITIONS:
            page.set_aside_what_cannot_be_judged()
        return page

    def set_aside_what_cannot_be_judged(self) -> None:
        """Too coarse a definition: the white spots become "not judgeable"; initiatives
        whose fields map to no cluster at all stay listed as such (that is no reading of
        the data)."""
        self.coarse = True
        self.strong_not_judgeable, self.white_spots = self.white_spots, []
        self.not_judgeable = [item for item in self.unmatched if item.clusters]
        self.unmatched = [item for item in self.unmatched if not item.clusters]


def _position(by_code: dict[str, ResultRow]):
    return lambda code: by_code[code].cluster.position if code in by_code else 10_000
