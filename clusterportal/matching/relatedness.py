"""How related two broad technology fields are, through the atlas's statistical clusters.

The project maps each top-level technology field of the registry to the clusters of a
cluster definition (data/atlas/definitions/bw_technology_fields_to_clusters.csv, read by
atlas.initiatives.field_clusters). Of the three definitions it maps to, only the U.S.
benchmark clusters (67 clusters, 51 of them traded) are fine enough: the German data's
definition has 11 groups of WZ sections (all of manufacturing is one), and the
"technology field as cluster" definition has no edition. Of the two editions on the U.S.
benchmark clusters, relatedness is read from **us-cbsa-2019**: co-location over 933
metropolitan and micropolitan areas gives far steadier correlations than the 50 states of
us-states-2016 (analytics/relatedness.py: Pearson correlation of location quotients
across regions, negatives clipped to 0).

Two different broad fields are related by
- 1.0 where both map to one and the same cluster (the project put both in it), else
- the largest relatedness phi between a cluster of the one and a cluster of the other,
  divided by PHI_FULL (0.4, about the largest phi of the edition), at most 1; pairs
  below PHI_MIN (0.05, about the 94th percentile) are not related.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max

EDITION = "us-cbsa-2019"
DEFINITION = "us_benchmark_clusters"
PHI_FULL = 0.4
# Weaker co-location is no reason to meet (about the 94th percentile of the edition's phi).
PHI_MIN = 0.05


@dataclass(frozen=True)
class Link:
    """Why two broad fields are related: the clusters and their relatedness (None: the same
    cluster)."""

    value: float  # 0..1
    cluster: tuple[str, str]  # (German, English) name of the first field's cluster
    other: tuple[str, str]  # of the second field's cluster (the same one for a shared one)
    phi: float | None


def field_links(top_slugs: dict[int, str]) -> dict[tuple[int, int], Link]:
    """(top field pk, other top field pk) -> the link, for related pairs (value > 0).
    Empty when the edition is not loaded or not published."""
    from clusterportal.atlas.initiatives import field_clusters
    from clusterportal.atlas.models import Cluster, Edition, Relatedness

    edition = Edition.objects.published().filter(slug=EDITION, definition=DEFINITION).first()
    if edition is None:
        return {}
    groups = (
        Relatedness.objects.filter(edition=edition)
        .values("year", "region_type")
        .annotate(regions=Max("regions"))
        .order_by("-year", "-regions", "region_type")
    )
    # The latest year; of its region types the one with the most regions.
    group = next(iter(groups), None)
    if group is None:
        return {}
    clusters = {
        code: (name_de or name, name)
        for code, name, name_de in Cluster.objects.filter(edition=edition).values_list(
            "code", "name", "name_de"
        )
    }
    phi = {
        (a, b): value
        for a, b, value in Relatedness.objects.filter(
            edition=edition, year=group["year"], region_type=group["region_type"]
        ).values_list("cluster__code", "related_cluster__code", "relatedness")
    }
    mapping = field_clusters(DEFINITION)
    codes = {pk: sorted(mapping.get(slug, ())) for pk, slug in top_slugs.items()}
    links = {}
    for a, codes_a in codes.items():
        for b, codes_b in codes.items():
            if a == b or not codes_a or not codes_b:
                continue
            best = _best(codes_a, codes_b, phi)
            if best is None:
                continue
            value, ca, cb, p = best
            if ca in clusters and cb in clusters:
                links[(a, b)] = Link(value, clusters[ca], clusters[cb], p)
    return links


def _best(codes_a, codes_b, phi) -> tuple[float, str, str, float | None] | None:
    shared = sorted(set(codes_a) & set(codes_b))
    if shared:
        return 1.0, shared[0], shared[0], None
    pairs = [(phi.get((x, y), 0.0), x, y) for x in codes_a for y in codes_b]
    value, x, y = max(pairs, key=lambda p: (p[0], p[1], p[2]))
    if value < PHI_MIN:
        return None
    return min(1.0, value / PHI_FULL), x, y, value
