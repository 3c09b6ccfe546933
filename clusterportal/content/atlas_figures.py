"""Atlas figures beside an article: for each tagged technology field, the matching clusters
(the project's mapping, atlas/initiatives.field_clusters) in each tagged Region, from the
BW Kreise edition's latest year."""

from __future__ import annotations

from dataclasses import dataclass

from clusterportal.atlas.initiatives import field_clusters
from clusterportal.atlas.models import AtlasRegion, Edition, Result

EDITION = "bw-kreise-2015-2020"


@dataclass
class Figure:
    field: object  # TechnologyField
    region: object  # regions.Region
    atlas_region: AtlasRegion
    result: Result
    edition: Edition


def figures_for(article) -> tuple[Edition | None, list[Figure]]:
    # Not the calculation's protocol and sources (large JSON): the figures need neither.
    edition = Edition.objects.published().defer("manifest", "sources").filter(slug=EDITION).first()
    fields = list(article.technology_fields.select_related("parent"))
    regions = list(article.regions.all())
    if edition is None or not fields or not regions or not edition.years:
        return edition, []
    year = max(edition.years)
    mapping = field_clusters(edition.definition)
    atlas_regions = {
        a.region_id: a for a in AtlasRegion.objects.filter(edition=edition, region__in=regions)
    }
    figures = []
    for field in fields:
        top = field.parent or field
        codes = mapping.get(field.slug) or mapping.get(top.slug) or frozenset()
        for region in regions:
            atlas_region = atlas_regions.get(region.pk)
            if atlas_region is None or not codes:
                continue
            rows = (
                Result.objects.filter(
                    edition=edition, year=year, region=atlas_region, cluster__code__in=codes
                )
                .select_related("cluster")
                .order_by("cluster__position", "cluster__code")
            )
            figures += [Figure(field, region, atlas_region, row, edition) for row in rows]
    return edition, figures
