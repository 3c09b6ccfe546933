"""What the atlas pages show, read in a fixed number of queries, as tables and charts.

Each page object holds its rows once; the HTML table, the CSV download and the
charts are made from the same rows, so a download always equals the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from clusterportal.analytics.similarity import most_similar
from clusterportal.atlas.initiatives import RegionInitiatives
from clusterportal.atlas.models import (
    AtlasRegion,
    Cluster,
    Density,
    Edition,
    Growth,
    RegionSummary,
)
from clusterportal.atlas.models import Result as ResultRow
from clusterportal.lib import svg

# Location-quotient classes of the maps: (lower bound, label, colour); diverging around 1.
# The labels get the decimal separator of the page's language (`lq_legend`).
LQ_CLASSES = [
    (0.0, "< 0.5", "#2166ac"),
    (0.5, "0.5 – 0.8", "#92c5de"),
    (0.8, "0.8 – 1.25", "#f7f7f7"),
    (1.25, "1.25 – 2", "#f4a582"),
    (2.0, "≥ 2", "#b2182b"),
]
NO_DATA_COLOUR = "#bdbdbd"
TOP_SERIES = 6
TOP_OPPORTUNITIES = 10
TOP_REGIONS = 10
TOP_SIMILAR = 10
# The European edition that BW Kreise and Regionen link to, and the NUTS-2 region of each
# Regierungsbezirk (the first three digits of a BW Kreis key: 081 Stuttgart … 084 Tübingen).
EUROPE_EDITION = "eu-nuts2-nace-2010-2014"
REGIERUNGSBEZIRK_NUTS2 = {"081": "DE11", "082": "DE12", "083": "DE13", "084": "DE14"}

RESULT_COLUMNS = [
    "year", "region_type", "region_code", "region_name", "cluster_code", "cluster_name",
    "cluster_name_de", "cluster_type", "employment", "establishments", "wage", "share",
    "reference_share", "lq", "qualifying", "significant", "strong10", "size_star",
    "specialisation_star", "focus_star", "stars", "strong",
]  # fmt: skip
GROWTH_COLUMNS = [
    "year_from", "year_to", "employment_from", "employment_to", "employment_change",
    "employment_cagr", "lq_from", "lq_to",
]  # fmt: skip


def decimal() -> str:
    return str(get_format("DECIMAL_SEPARATOR"))


def lq_legend() -> list[tuple[str, str]]:
    """(label, colour) of each location-quotient class, in the page's language."""
    return [(label.replace(".", decimal()), colour) for _low, label, colour in LQ_CLASSES]


def lq_class(lq: float | None) -> int | None:
    if lq is None:
        return None
    return max(i for i, (low, _label, _colour) in enumerate(LQ_CLASSES) if lq >= low)


def result_values(row: ResultRow) -> dict[str, Any]:
    region, cluster = row.region, row.cluster
    values = {
        "region_type": region.type,
        "region_code": region.code,
        "region_name": region.name,
        "cluster_code": cluster.code,
        "cluster_name": cluster.name,
        "cluster_name_de": cluster.name_de,
        "cluster_type": cluster.type,
    }
    for name in RESULT_COLUMNS:
        values.setdefault(name, getattr(row, name, None))
    return values


def growth_values(growth: Growth | None) -> dict[str, Any]:
    return {name: getattr(growth, name) if growth else None for name in GROWTH_COLUMNS}


@dataclass
class Table:
    """Rows as dicts; the CSV has every column, the page shows some of them."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]

    def records(self) -> list[list[Any]]:
        return [[row.get(column) for column in self.columns] for row in self.rows]


@dataclass
class PortfolioRow:
    result: ResultRow
    growth: Growth | None
    density: float | None
    initiatives: list = field(default_factory=list)
    # The location quotient against the region's own country (Europe: NUTS-2 in a country).
    country_lq: float | None = None

    @property
    def cluster(self) -> Cluster:
        return self.result.cluster


@dataclass
class RegionPage:
    edition: Edition
    region: AtlasRegion
    year: int
    summary: RegionSummary | None
    rows: list[PortfolioRow]
    series: dict[Cluster, dict[int, ResultRow]]
    initiatives: RegionInitiatives | None
    country: AtlasRegion | None = None
    similar: list[tuple[AtlasRegion, float]] = field(default_factory=list)

    @classmethod
    def load(cls, edition: Edition, region: AtlasRegion, year: int) -> RegionPage:
        results = list(
            ResultRow.objects.filter(region=region)
            .select_related("cluster")
            .order_by("year", "cluster__position")
        )
        growth = {g.cluster_id: g for g in Growth.objects.filter(region=region)}
        density = {
            d.cluster_id: d.density for d in Density.objects.filter(region=region, year=year)
        }
        summary = RegionSummary.objects.filter(region=region, year=year).first()
        for row in results:
            # The same objects for every row: links need no query per row.
            row.region, row.edition, row.cluster.edition = region, edition, edition
        current = [r for r in results if r.year == year]
        rows = [
            PortfolioRow(r, growth.get(r.cluster_id), density.get(r.cluster_id)) for r in current
        ]
        initiatives = RegionInitiatives.of(region, edition.definition, current)
        if initiatives is not None:
            for row in rows:
                row.initiatives = initiatives.by_cluster.get(row.cluster.code, [])
        top = sorted(
            (r for r in current if r.cluster.is_traded),
            key=lambda r: (not r.strong, -r.employment),
        )[:TOP_SERIES]
        top_clusters = [r.cluster for r in top]
        series: dict[Cluster, dict[int, ResultRow]] = {c: {} for c in top_clusters}
        for r in results:
            if r.cluster in series:
                series[r.cluster][r.year] = r
        page = cls(edition, region, year, summary, rows, series, initiatives)
        if region.type == "nuts2":
            page.add_country(year)
            page.similar = similar_regions(edition, region, year)
        return page

    def add_country(self, year: int) -> None:
        """LQ against the own country = the region's share / the country's share (both of
        total employment in the same edition): the same number a run with the country as
        reference gives (docs/atlas-europe.md)."""
        country = self.region.parent
        if country is None or country.type != "country":
            return
        shares = dict(
            ResultRow.objects.filter(region=country, year=year).values_list("cluster_id", "share")
        )
        for row in self.rows:
            own, theirs = row.result.share, shares.get(row.cluster.pk)
            row.country_lq = own / theirs if own is not None and theirs else None
        self.country = country

    @property
    def has_estimates(self) -> bool:
        return any(r.result.estimated_share is not None for r in self.rows)

    @property
    def estimated_total_share(self) -> float | None:
        """The share of the region's employment (all clusters) that is estimated."""
        if not self.has_estimates:
            return None
        total = sum(r.result.employment for r in self.rows)
        estimated = sum(r.result.employment * (r.result.estimated_share or 0) for r in self.rows)
        return estimated / total if total else None

    @property
    def regierungsbezirke_url(self) -> str | None:
        """The four BW Regierungsbezirke side by side, from any of them."""
        if self.region.type != "nuts2" or self.region.code not in REGIERUNGSBEZIRK_NUTS2.values():
            return None
        query = "&".join(f"region=nuts2:{code}" for code in REGIERUNGSBEZIRK_NUTS2.values())
        return f"{reverse('atlas:compare', args=[self.edition.slug])}?{query}&year={self.year}"

    @property
    def strong(self) -> list[PortfolioRow]:
        return sorted((r for r in self.rows if r.result.strong), key=lambda r: -r.result.employment)

    @property
    def opportunities(self) -> list[PortfolioRow]:
        """Traded clusters the region is not strong in, by relatedness density. A density of
        0 says nothing (the region is strong in no related cluster): a table of 0,0 % rows on
        every Kreis page only looked like a result."""
        rows = [r for r in self.rows if r.density and not r.result.strong]
        return sorted(rows, key=lambda r: -(r.density or 0))[:TOP_OPPORTUNITIES]

    @property
    def multi_year(self) -> bool:
        return len(self.edition.years) > 1

    def portfolio_table(self) -> Table:
        columns = RESULT_COLUMNS + GROWTH_COLUMNS + ["density", "initiatives"]
        if self.has_estimates:
            columns += ["estimated_share"]
        if self.country is not None:
            columns += ["country_code", "lq_country"]
        rows = [
            {
                **result_values(row.result),
                **growth_values(row.growth),
                "estimated_share": row.result.estimated_share,
                "country_code": self.country.code if self.country else None,
                "lq_country": row.country_lq,
                "density": row.density,
                "initiatives": "; ".join(i.slug for i in row.initiatives),
            }
            for row in self.rows
        ]
        return Table("portfolio", columns, rows)

    def series_table(self) -> Table:
        rows = [
            result_values(row)
            for cluster, by_year in self.series.items()
            for _year, row in sorted(by_year.items())
        ]
        return Table("series", RESULT_COLUMNS, rows)

    def opportunities_table(self) -> Table:
        columns = RESULT_COLUMNS + ["density"]
        rows = [{**result_values(r.result), "density": r.density} for r in self.opportunities]
        return Table("opportunities", columns, rows)

    def initiatives_table(self) -> Table | None:
        if self.initiatives is None:
            return None
        columns = ["relation", "cluster_code", "cluster_name", "strong", "lq", "initiative_slug"]
        columns += ["initiative_name", "technology_fields"]
        rows: list[dict[str, Any]] = []

        def add(relation: str, result: ResultRow | None, initiative=None) -> None:
            fields = initiative.technology_fields.all() if initiative else []
            rows.append(
                {
                    "relation": relation,
                    "cluster_code": result.cluster.code if result else None,
                    "cluster_name": result.cluster.label if result else None,
                    "strong": result.strong if result else None,
                    "lq": result.lq if result else None,
                    "initiative_slug": initiative.slug if initiative else None,
                    "initiative_name": initiative.display_name if initiative else None,
                    "technology_fields": "; ".join(str(f) for f in fields),
                }
            )

        for row in self.rows:
            for initiative in row.initiatives:
                add("match", row.result, initiative)
        for result in self.initiatives.white_spots:
            add("strong_cluster_without_initiative", result)
        for item in self.initiatives.unmatched:
            add("initiative_without_strong_cluster", None, item.initiative)
        for result in self.initiatives.strong_not_judgeable:
            add("strong_cluster_not_judgeable", result)
        for item in self.initiatives.not_judgeable:
            add("initiative_not_judgeable", None, item.initiative)
        return Table("initiatives", columns, rows)

    def similar_table(self) -> Table:
        rows = [
            {
                "rank": rank,
                "region_type": r.type,
                "region_code": r.code,
                "region_name": r.name,
                "cosine_similarity": score,
            }  # fmt: skip
            for rank, (r, score) in enumerate(self.similar, start=1)
        ]
        return Table("similar", ["rank", "region_type", "region_code", "region_name",
                                 "cosine_similarity"], rows)  # fmt: skip

    def tables(self) -> dict[str, Table]:
        tables = {
            "portfolio": self.portfolio_table(),
            "series": self.series_table(),
            "opportunities": self.opportunities_table(),
        }
        if self.similar:
            tables["similar"] = self.similar_table()
        initiatives = self.initiatives_table()
        if initiatives is not None:
            tables["initiatives"] = initiatives
        return tables

    def charted(self, cluster: Cluster) -> bool:
        """The bubble chart of method cmp shows traded clusters only: their shares are of
        traded employment, the local clusters' of local employment, which do not compare."""
        return cluster.is_traded or self.edition.method != "cmp"

    def bubble_chart(self):
        growth = self.edition.has_growth
        shown = [r for r in self.rows if r.result.employment > 0 and self.charted(r.cluster)]
        largest = sorted(shown, key=lambda r: -r.result.employment)[:8]
        bubbles = [
            svg.Bubble(
                label=row.cluster.short_label,
                x=(row.growth.employment_cagr if row.growth else None)
                if growth
                else row.result.share,
                y=row.result.lq,
                size=row.result.employment,
                highlight=row.result.strong,
                show_label=row in largest,
            )
            for row in shown
        ]
        if growth:
            x_label = _("Jährliche Wachstumsrate der Beschäftigung %(start)s–%(end)s") % {
                "start": self.edition.growth_from,
                "end": self.edition.growth_to,
            }
        elif self.edition.method == "cmp":
            x_label = _("Anteil an der überregionalen Beschäftigung der Region %(year)s") % {
                "year": self.year
            }
        else:
            x_label = _("Anteil an der Beschäftigung der Region %(year)s") % {"year": self.year}
        return svg.bubble_chart(
            bubbles,
            title=_("Cluster von %(region)s: Standortquotient, Wachstum und Größe")
            % {"region": self.region.label},
            desc=_(
                "Blasendiagramm: waagerecht %(x)s, senkrecht der Standortquotient %(year)s "
                "(logarithmisch, gestrichelt: 1; Werte unter 1/16 am unteren Rand), Fläche der "
                "Blase: Beschäftigte. Rot: starke Cluster. Die Werte stehen in der Tabelle "
                "„Clusterportfolio“."
            )
            % {"x": x_label, "year": self.year},
            x_label=x_label,
            y_label=_("Standortquotient (log)"),
            decimal=decimal(),
        )

    def series_charts(self):
        if not self.multi_year or not self.series:
            return None
        years = self.edition.years
        charts = []
        for name, title, label in (
            ("employment", _("Beschäftigte der wichtigsten Cluster"), _("Beschäftigte")),
            ("lq", _("Standortquotient der wichtigsten Cluster"), _("Standortquotient")),
        ):
            series = [
                svg.Series(
                    c.short_label,
                    [(y, getattr(by_year[y], name) if y in by_year else None) for y in years],
                )
                for c, by_year in self.series.items()
            ]
            desc = _(
                "Liniendiagramm je Jahr (%(label)s); die Werte stehen in der Tabelle darunter."
            )
            charts.append(
                svg.line_chart(
                    series,
                    title=title,
                    desc=desc % {"label": label},
                    y_label=label,
                    ident=f"series-{name}",
                    decimal=decimal(),
                )
            )
        return charts


def similar_regions(
    edition: Edition, region: AtlasRegion, year: int
) -> list[tuple[AtlasRegion, float]]:
    """Regions of the same type with the most similar portfolio (analytics.similarity)."""
    vectors: dict[int, dict[int, float]] = {}
    rows = ResultRow.objects.filter(edition=edition, year=year, region__type=region.type)
    for region_id, cluster_id, lq in rows.values_list("region_id", "cluster_id", "lq"):
        vectors.setdefault(region_id, {})[cluster_id] = lq or 0.0
    ranked = most_similar(vectors, region.pk, TOP_SIMILAR)
    found = AtlasRegion.objects.defer("boundary").in_bulk([pk for pk, _ in ranked])
    for other in found.values():
        other.edition = edition
    return [(found[pk], score) for pk, score in ranked]


def nuts2_view(region: AtlasRegion) -> AtlasRegion | None:
    """The NUTS-2 region (Regierungsbezirk) of a BW Kreis or Region in the European edition."""
    if region.type == "kreis" and region.code.startswith("08"):
        prefix = region.code[:3]
    elif region.type == "region" and region.parent is not None and region.parent.code == "08":
        first = region.children.order_by("code").values_list("code", flat=True).first()
        if first is None:
            return None
        prefix = first[:3]
    else:
        return None
    code = REGIERUNGSBEZIRK_NUTS2.get(prefix)
    target = (
        AtlasRegion.objects.filter(
            edition__slug=EUROPE_EDITION,
            edition__status=Edition.Status.PUBLISHED,
            type="nuts2",
            code=code,
        )
        .select_related("edition")
        .defer("boundary", "edition__manifest")
        .first()
    )
    return target


@dataclass
class RegionType:
    type: str
    count: int
    outlines: int

    @property
    def label(self) -> str:
        from clusterportal.atlas.models import REGION_TYPES

        return str(REGION_TYPES.get(self.type, self.type))

    @property
    def has_map(self) -> bool:
        return self.outlines > 0


def edition_region_types(edition: Edition) -> list[RegionType]:
    """The region types of an edition with their counts; the benchmark's type last."""
    rows = (
        AtlasRegion.objects.filter(edition=edition, is_reference=False)
        .values("type")
        .annotate(n=Count("pk"), outlines=Count("boundary"))
        .order_by("type")
    )
    types = [RegionType(r["type"], r["n"], r["outlines"]) for r in rows]
    # Kreise first (the finest level), then the others alphabetically.
    return sorted(types, key=lambda t: (t.type != "kreis", -t.count))


@dataclass
class ClusterPage:
    edition: Edition
    cluster: Cluster
    year: int
    region_type: RegionType
    results: list[ResultRow]
    growth: dict[int, Growth]

    @classmethod
    def load(
        cls, edition: Edition, cluster: Cluster, year: int, region_type: RegionType
    ) -> ClusterPage:
        results = list(
            ResultRow.objects.filter(cluster=cluster, year=year, region__type=region_type.type)
            .select_related("region")
            .defer("region__boundary")
            .order_by("-lq", "region__name")
        )
        for row in results:
            row.cluster, row.edition, row.region.edition = cluster, edition, edition
        growth = {
            g.region_id: g
            for g in Growth.objects.filter(cluster=cluster, region__type=region_type.type)
        }
        return cls(edition, cluster, year, region_type, results, growth)

    @property
    def top_by_employment(self) -> list[ResultRow]:
        return sorted(self.results, key=lambda r: -r.employment)[:TOP_REGIONS]

    @property
    def strong_count(self) -> int:
        return sum(1 for r in self.results if r.strong)

    def regions_table(self) -> Table:
        columns = ["rank"] + RESULT_COLUMNS + GROWTH_COLUMNS
        rows = [
            {"rank": rank, **result_values(r), **growth_values(self.growth.get(r.region_id))}
            for rank, r in enumerate(self.results, start=1)
        ]
        return Table("regions", columns, rows)

    def tables(self) -> dict[str, Table]:
        return {"regions": self.regions_table()}

    def map_data(self) -> dict[str, Any]:
        """What atlas.js needs to colour the outlines: class and label per region code."""
        return {
            "classes": [{"label": label, "colour": colour} for label, colour in lq_legend()],
            "decimal": decimal(),
            "noData": NO_DATA_COLOUR,
            "attribution": next(
                (
                    s["citation"] if s["key"] == "gisco_nuts" else s["name"]
                    for s in self.edition.sources
                    if s["key"] in ("census_boundaries", "gisco_nuts")
                ),
                "",
            ),
            "regions": {
                r.region.code: {
                    "name": r.region.label,
                    "lq": None if r.lq is None else round(r.lq, 2),
                    "class": lq_class(r.lq),
                    "strong": r.strong,
                    "url": r.region.get_absolute_url(),
                }
                for r in self.results
            },
        }

    @property
    def legend(self) -> list[tuple[str, str]]:
        return lq_legend()


@dataclass
class Comparison:
    edition: Edition
    year: int
    regions: list[AtlasRegion]
    results: dict[tuple[int, int], ResultRow]
    clusters: list[Cluster]

    @classmethod
    def load(cls, edition: Edition, keys: list[str], year: int) -> Comparison:
        pairs = [key.split(":", 1) for key in keys]
        where = Q(pk__in=[])
        for region_type, code in pairs:
            where |= Q(type=region_type, code=code)
        found = {
            r.key: r for r in AtlasRegion.objects.filter(where, edition=edition).defer("boundary")
        }
        regions = [found[key] for key in keys if key in found]
        for region in regions:
            region.edition = edition
        rows = list(
            ResultRow.objects.filter(region__in=regions, year=year)
            .select_related("cluster")
            .order_by("cluster__position")
        )
        by_pk = {r.pk: r for r in regions}
        results = {}
        clusters: dict[int, Cluster] = {}
        for row in rows:
            row.region, row.edition, row.cluster.edition = by_pk[row.region_id], edition, edition
            results[(row.cluster_id, row.region_id)] = row
            clusters.setdefault(row.cluster_id, row.cluster)
        return cls(
            edition, year, regions, results, sorted(clusters.values(), key=lambda c: c.position)
        )

    def cell(self, cluster: Cluster, region: AtlasRegion) -> ResultRow | None:
        return self.results.get((cluster.pk, region.pk))

    def matrix(self) -> list[tuple[Cluster, list[ResultRow | None]]]:
        return [(c, [self.cell(c, r) for r in self.regions]) for c in self.clusters]

    def compare_table(self) -> Table:
        rows = [
            result_values(cell)
            for _cluster, cells in self.matrix()
            for cell in cells
            if cell is not None
        ]
        return Table("compare", RESULT_COLUMNS, rows)

    def tables(self) -> dict[str, Table]:
        return {"compare": self.compare_table()}

    def small_multiples(self) -> list[tuple[Cluster, Any]]:
        """A bar chart of the regions' LQs per traded cluster in which one of them is strong
        (or, if none is, the 12 clusters with the highest LQ among them)."""
        traded = [(c, cells) for c, cells in self.matrix() if c.is_traded]
        chosen = [(c, cells) for c, cells in traded if any(x and x.strong for x in cells)]
        if not chosen:
            chosen = sorted(
                traded,
                key=lambda item: -max((x.lq or 0) for x in item[1] if x) if any(item[1]) else 0,
            )[:12]
        charts = []
        for index, (cluster, cells) in enumerate(chosen):
            bars = [
                svg.Bar(r.label, cell.lq if cell else None)
                for r, cell in zip(self.regions, cells, strict=True)
            ]
            charts.append(
                (
                    cluster,
                    svg.bar_chart(
                        bars,
                        title=_("Standortquotient: %(cluster)s") % {"cluster": cluster.label},
                        desc=_(
                            "Balken je Region; gestrichelt: Standortquotient 1; rot: starker Cluster."
                        ),
                        reference=1.0,
                        highlight=[bool(cell and cell.strong) for cell in cells],
                        ident=f"compare-{index}",
                        decimal=decimal(),
                    ),
                )
            )
        return charts
