"""The atlas editions shipped with the portal: which data, which definition, which method.

Every edition is computed from data/atlas/ (see data/atlas/SOURCES.md) by
loading.load_editions. The texts say what each data set can and cannot show;
they are shown on every page of the edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class Outlines:
    """A GeoJSON file with the outlines of one region type, keyed by a feature property."""

    region_type: str
    path: str
    code_property: str


@dataclass(frozen=True)
class EditionSpec:
    slug: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    limitations: str
    limitations_en: str
    method: str
    reference: str
    employment: str
    clusters: str
    definition: str
    definition_title: str
    sources: tuple[str, ...]
    # A file with cluster_code and cluster_name_de (the German names).
    names_de: str | None = None
    region_links: str | None = None
    # Files with region_type, region_code, name (and optional parent_code).
    region_names: tuple[str, ...] = ()
    crosswalk: str | None = None
    allow_unmapped: bool = False
    growth: tuple[int, int] | None = None
    # Keep only employment rows of these (region_type, code prefix) pairs; empty: all.
    keep: tuple[tuple[str, str], ...] = ()
    # Rows added to the cluster definition for this edition (industry_code, cluster_code,
    # cluster_name, type, cluster_name_de).
    extra_clusters: tuple[tuple[str, str, str, str, str], ...] = ()
    outlines: tuple[Outlines, ...] = ()
    # Region types whose outlines come from the registry's regions (BW Regionen).
    registry_outlines: tuple[str, ...] = ()
    extra_names: tuple[tuple[str, str, str], ...] = field(default=())
    # Keep only employment rows of these years; empty: all years of the file.
    years: tuple[int, ...] = ()
    # A CSV of estimated cells (year, region_type, region_code, industry_code, employment):
    # every result then says which share of it is estimated (Result.estimated_share) ...
    estimates: str | None = None
    # ... or, with this set, the estimated cells are left out before the engine runs.
    leave_out_estimates: bool = False

    @property
    def reference_type(self) -> str:
        return self.reference.split(":", 1)[0]

    @property
    def reference_code(self) -> str:
        return self.reference.split(":", 1)[1]


# The employees the Federal Employment Agency could not assign to a section
# count in the totals: with this group the sections add up to the published
# total of every region (the Land totals 4,359,526 in 2015 and 4,726,571 in 2020).
NOT_ASSIGNABLE = (
    "X",
    "X",
    "Not assignable to a section (X)",
    "local",
    "Keinem Wirtschaftsabschnitt zuordenbar (X)",
)

SECTION_LIMITS_DE = (
    "Die Daten kennen nur 11 Gruppen von Wirtschaftsabschnitten der WZ 2008 (z. B. das ganze "
    "Verarbeitende Gewerbe als C). Sie zeigen die sektorale Spezialisierung der Kreise, keine "
    "Cluster im engeren Sinn: Automobilbau und Nahrungsmittel stecken beide in C. Betriebszahlen "
    "und Löhne sind nicht veröffentlicht. Zellen, die die Statistikämter geheim halten, fehlen "
    "(in Baden-Württemberg nur Tübingen und Ulm 2020: A, F, X); nichts ist geschätzt. "
    "Die Einteilung in überregional und lokal ist eine eigene Festlegung."
)
SECTION_LIMITS_EN = (
    "The data has only 11 groups of WZ 2008 sections (e.g. all of manufacturing as C). It shows "
    "the sectoral specialisation of Kreise, not clusters in the narrow sense: car making and food "
    "both sit in C. Establishments and wages are not published. Cells the statistical offices "
    "withhold are missing (in Baden-Württemberg only Tübingen and Ulm in 2020: A, F, X); nothing "
    "is estimated. The traded/local split is the project's own choice."
)

# What both German editions share: the data, the definition, the method, the sources.
GERMAN: dict = {
    "method": "eco",
    "employment": "atlas/de/svb_wz2008_sections_2015_2020.parquet",
    "clusters": "atlas/definitions/de_wz2008_section_groups.csv",
    "names_de": "atlas/definitions/de_wz2008_section_groups.csv",
    "definition": "de_wz2008_section_groups",
    # The definition titles are translated when shown (Edition.localized_definition_title).
    "definition_title": gettext_noop("WZ 2008, Gruppen von Wirtschaftsabschnitten (11 Gruppen)"),
    "sources": ("regionalstatistik", "bkg", "eurostat", "clusterportal"),
    "region_names": ("atlas/de/regions.csv",),
    "growth": (2015, 2020),
    "extra_clusters": (NOT_ASSIGNABLE,),
    "outlines": (Outlines("kreis", "atlas/boundaries/de_kreise_vg5000_2021.geojson", "ARS"),),
}

EDITIONS: tuple[EditionSpec, ...] = (
    EditionSpec(
        slug="bw-kreise-2015-2020",
        title="Baden-Württemberg: 44 Kreise und 12 Regionen, 2015–2020",
        title_en="Baden-Württemberg: 44 districts and 12 regions, 2015–2020",
        summary=(
            "Sozialversicherungspflichtig Beschäftigte am Arbeitsort (30. Juni) nach Gruppen von "
            "Wirtschaftsabschnitten der WZ 2008 in den 44 Stadt- und Landkreisen und den 12 "
            "Regionen, verglichen mit Baden-Württemberg; Sterne nach der Methode des European "
            "Cluster Observatory; Wachstum 2015–2020."
        ),
        summary_en=(
            "Employees subject to social insurance at the workplace (30 June) by groups of WZ 2008 "
            "sections in the 44 districts (Kreise) and the 12 regions, compared with Baden-Württemberg; stars "
            "by the European Cluster Observatory method; growth 2015–2020."
        ),
        limitations=SECTION_LIMITS_DE,
        limitations_en=SECTION_LIMITS_EN,
        **GERMAN,
        reference="land:08",
        region_links="atlas/de/region_links_bw_kreis_region_land.csv",
        keep=(("kreis", "08"), ("land", "08")),
        registry_outlines=("region",),
    ),
    EditionSpec(
        slug="de-kreise-2015-2020",
        title="Deutschland: 401 Kreise und 16 Länder, 2015–2020",
        title_en="Germany: 401 Kreise and 16 Länder, 2015–2020",
        summary=(
            "Sozialversicherungspflichtig Beschäftigte am Arbeitsort (30. Juni) nach Gruppen von "
            "Wirtschaftsabschnitten der WZ 2008 in den 401 Kreisen (Gebietsstand 2021) und den 16 "
            "Ländern, verglichen mit Deutschland; Sterne nach der Methode des European Cluster "
            "Observatory; Wachstum 2015–2020."
        ),
        summary_en=(
            "Employees subject to social insurance at the workplace (30 June) by groups of WZ 2008 "
            "sections in the 401 Kreise (territorial status 2021) and the 16 Länder, compared with "
            "Germany; stars by the European Cluster Observatory method; growth 2015–2020."
        ),
        limitations=SECTION_LIMITS_DE.replace(
            "(in Baden-Württemberg nur Tübingen und Ulm 2020: A, F, X)",
            "(323 Zellen in ganz Deutschland, aufgeführt in data/atlas/de/svb_cell_notes.csv)",
        )
        + " Für die Länder sind keine Umrisse hinterlegt; sie erscheinen nur als Tabelle.",
        limitations_en=SECTION_LIMITS_EN.replace(
            "(in Baden-Württemberg only Tübingen and Ulm in 2020: A, F, X)",
            "(323 cells across Germany, listed in data/atlas/de/svb_cell_notes.csv)",
        )
        + " No outlines of the Länder are shipped; they appear as a table only.",
        **GERMAN,
        reference="bund:DG",
        region_links="atlas/de/region_links_kreis_land.csv",
    ),
    EditionSpec(
        slug="us-states-2016",
        title="USA: 50 Bundesstaaten, 2016",
        title_en="United States: 50 states, 2016",
        summary=(
            "Beschäftigte, Betriebe und Löhne der County Business Patterns 2016 in den 67 "
            "Benchmark-Clustern von Delgado, Porter und Stern (2016) für die 50 Bundesstaaten, "
            "verglichen mit den USA; starke Cluster nach der Methode des U.S. Cluster Mapping "
            "Project."
        ),
        summary_en=(
            "Employment, establishments and wages of County Business Patterns 2016 in the 67 "
            "benchmark clusters of Delgado, Porter and Stern (2016) for the 50 states, compared "
            "with the United States; strong clusters by the U.S. Cluster Mapping Project method."
        ),
        limitations=(
            "Ein Jahr, daher kein Wachstum und keine Zeitreihe. Die Eingaben sind bereits zu "
            "Clustern summiert (wie vom U.S. Cluster Mapping Project aufbereitet); die Beschäftigung "
            "enthält Schätzwerte für vom Census Bureau zurückgehaltene Zellen. Der District "
            "of Columbia fehlt in den Eingaben. Die deutschen Clusternamen sind eine eigene "
            "Übersetzung."
        ),
        limitations_en=(
            "One year, hence no growth and no time series. The inputs are already summed to "
            "clusters (as published by the U.S. Cluster Mapping Project); employment includes "
            "estimates for cells withheld by the Census Bureau. The District "
            "of Columbia is not in the inputs. The German cluster names are our own translation."
        ),
        method="cmp",
        reference="country:US",
        employment="reference/us_states_2016_cluster_inputs.csv",
        clusters="reference/us_benchmark_clusters_identity.csv",
        names_de="atlas/definitions/us_benchmark_cluster_names_de.csv",
        definition="us_benchmark_clusters",
        definition_title=gettext_noop(
            "U.S. Benchmark Clusters (Delgado, Porter & Stern 2016), 67 Cluster"
        ),
        sources=("census_cbp", "delgado2016", "census_boundaries", "clusterportal"),
        region_names=("atlas/us/regions.csv",),
        extra_names=(("country", "US", "United States"),),
        outlines=(Outlines("state", "atlas/boundaries/us_states.geojson", "code"),),
    ),
    EditionSpec(
        slug="us-cbsa-2019",
        title="USA: 933 Metropolitan und Micropolitan Areas (CBSA), 2019",
        title_en="United States: 933 metropolitan and micropolitan areas (CBSA), 2019",
        summary=(
            "Beschäftigte und Betriebe der County Business Patterns 2019 nach NAICS 2017 "
            "(übersetzt nach NAICS 2012) in den 67 Benchmark-Clustern von Delgado, Porter und "
            "Stern (2016) für 933 Core Based Statistical Areas, verglichen mit der Summe aller "
            "CBSAs; starke Cluster nach der Methode des U.S. Cluster Mapping Project."
        ),
        summary_en=(
            "Employment and establishments of County Business Patterns 2019 by NAICS 2017 "
            "(translated to NAICS 2012) in the 67 benchmark clusters of Delgado, Porter and Stern "
            "(2016) for 933 core based statistical areas, compared with the sum of all CBSAs; "
            "strong clusters by the U.S. Cluster Mapping Project method."
        ),
        limitations=(
            "Für die CBSAs sind weder Namen noch Umrisse hinterlegt: sie erscheinen mit ihrem "
            "Census-Schlüssel und nur als Tabelle, ohne Karte. Der Vergleichsraum ist die Summe "
            "der veröffentlichten 6-stelligen Zellen aller CBSAs, nicht die USA insgesamt: Kreise "
            "außerhalb jeder CBSA und vom Census Bureau zurückgehaltene Zellen fehlen (5,6 % der "
            "Beschäftigten). Zurückgehaltene Zellen sind nicht geschätzt; Löhne fehlen in der "
            "Quelle. Ein Jahr, daher kein Wachstum."
        ),
        limitations_en=(
            "No names or outlines of the CBSAs are shipped: they appear by their Census code and "
            "as a table only, without a map. The benchmark is the sum of the published 6-digit "
            "cells of all CBSAs, not the U.S. total: counties outside any CBSA and cells withheld "
            "by the Census Bureau are missing (5.6 % of employment). Withheld cells are not "
            "estimated; wages are not in the source. One year, hence no growth."
        ),
        method="cmp",
        reference="country:US-CBSA",
        employment="atlas/us/cbp2019_cbsa_naics2017.parquet",
        clusters="atlas/definitions/us_benchmark_clusters_naics2012.csv",
        names_de="atlas/definitions/us_benchmark_cluster_names_de.csv",
        definition="us_benchmark_clusters",
        definition_title=gettext_noop(
            "U.S. Benchmark Clusters (Delgado, Porter & Stern 2016), NAICS 2012, 67 Cluster"
        ),
        sources=("census_cbp", "delgado2016", "clusterportal"),
        crosswalk="atlas/us/naics2017_to_naics2012.csv",
        region_names=("atlas/us/regions.csv",),
    ),
)


EU_YEARS = (2010, 2011, 2012, 2013, 2014)
EU_LIMITS_DE = (
    "Die Daten sind Eurostats regionale Strukturelle Unternehmensstatistik (Stand etwa Mitte "
    "2017): tätige Personen nach NACE-Abteilungen, nur die gewerbliche Wirtschaft (Abschnitte "
    "B–N ohne K, dazu S95), also ohne Landwirtschaft, Finanzdienstleistungen, öffentliche "
    "Verwaltung, Bildung und Gesundheit. Vertrauliche Zellen sind aus dem Rest des Landes "
    "geschätzt (Landeswert minus veröffentlichte Regionen, aufgeteilt nach örtlichen Einheiten); "
    "jedes Ergebnis nennt seinen geschätzten Anteil. Wo der Landeswert selbst geheim ist, fehlt "
    "die Zelle. EU-28 ist die Summe der Staaten mit Daten im jeweiligen Jahr (Kroatien erst ab "
    "2014). 2015 fehlt, weil dort 12 Staaten keine Abteilungswerte haben; 2008 und 2009 fehlen "
    "Frankreich und Kroatien. Regionen, deren Grenzen sich bis NUTS 2021 geändert haben, "
    "erscheinen ohne Umriss. Die Einteilung in überregional und lokal folgt den "
    "Benchmark-Clustern, denen die Abteilung zugeordnet ist."
)
EU_LIMITS_EN = (
    "The data is Eurostat's regional structural business statistics (vintage about mid-2017): "
    "persons employed by NACE division, business economy only (sections B–N without K, plus "
    "S95), so without agriculture, finance, public administration, education and health. "
    "Confidential cells are estimated from the country's residual (country value minus the "
    "published regions, split by local units); every result states its estimated share. Where "
    "the country value itself is withheld, the cell is missing. EU-28 is the sum of the "
    "countries with data in each year (Croatia from 2014). 2015 is left out because 12 "
    "countries have no division values for it; 2008 and 2009 lack France and Croatia. Regions "
    "whose boundaries changed by NUTS 2021 appear without an outline. The traded/local split "
    "follows the benchmark cluster a division is assigned to."
)
# The edition without estimates: its own sentence on confidential cells.
PUBLISHED_ONLY_LIMITS_DE = EU_LIMITS_DE.replace(
    "Vertrauliche Zellen sind aus dem Rest des Landes geschätzt (Landeswert minus veröffentlichte "
    "Regionen, aufgeteilt nach örtlichen Einheiten); jedes Ergebnis nennt seinen geschätzten "
    "Anteil. Wo der Landeswert selbst geheim ist, fehlt die Zelle.",
    "Vertrauliche Zellen fehlen in dieser Ausgabe ganz (keine Schätzungen); Summen und "
    "Standortquotienten beruhen nur auf veröffentlichten Werten.",
)
PUBLISHED_ONLY_LIMITS_EN = EU_LIMITS_EN.replace(
    "Confidential cells are estimated from the country's residual (country value minus the "
    "published regions, split by local units); every result states its estimated share. Where "
    "the country value itself is withheld, the cell is missing.",
    "Confidential cells are left out of this edition (no estimates); totals and location "
    "quotients rest on published values only.",
)
EUROPE: dict = {
    "reference": "eu:EU28",
    "employment": "atlas/eu/sbs_nuts2_nace_divisions_2008_2015.parquet",
    "estimates": "atlas/eu/sbs_estimated_cells.csv",
    "years": EU_YEARS,
    "growth": (2010, 2014),
    "region_names": ("atlas/eu/regions.csv",),
    "region_links": "atlas/eu/region_links_nuts2_country_eu28.csv",
    "outlines": (Outlines("nuts2", "atlas/boundaries/eu_nuts2_2021.geojson", "code"),),
    "sources": ("eurostat_sbs", "eurostat", "gisco_nuts", "jrc_nuts_converter", "clusterportal"),
}

# The three editions with each NACE division as its own cluster (stars, cmp, published only).
EUROPE_BY_DIVISION: dict = {
    **EUROPE,
    "clusters": "atlas/definitions/eu_nace_divisions.csv",
    "names_de": "atlas/definitions/eu_nace_divisions.csv",
    "definition": "eu_nace_divisions",
    "definition_title": gettext_noop("NACE Rev. 2, Abteilungen der gewerblichen Wirtschaft (68)"),
}

EDITIONS += (
    EditionSpec(
        slug="eu-nuts2-nace-2010-2014",
        title="Europa: NUTS-2-Regionen nach NACE-Abteilungen, 2010–2014",
        title_en="Europe: NUTS 2 regions by NACE division, 2010–2014",
        summary=(
            "Tätige Personen der gewerblichen Wirtschaft in 68 NACE-Abteilungen für rund 280 "
            "NUTS-2-Regionen in 28 EU-Staaten und Norwegen, verglichen mit der EU-28 und mit "
            "dem eigenen Staat; Sterne nach der Methode des European Cluster Observatory "
            "(Größe, Spezialisierung, Fokus); Wachstum 2010–2014."
        ),
        summary_en=(
            "Persons employed in the business economy in 68 NACE divisions for about 280 NUTS 2 "
            "regions in 28 EU countries and Norway, compared with the EU-28 and with their own "
            "country; stars by the European Cluster Observatory method (size, specialisation, "
            "focus); growth 2010–2014."
        ),
        limitations=EU_LIMITS_DE,
        limitations_en=EU_LIMITS_EN,
        method="eco",
        **EUROPE_BY_DIVISION,
    ),
    EditionSpec(
        slug="eu-nuts2-nace-cmp-2010-2014",
        title="Europa: NUTS-2-Regionen nach NACE-Abteilungen, Methode des U.S. Cluster Mapping "
        "Project, 2010–2014",
        title_en="Europe: NUTS 2 regions by NACE division, U.S. Cluster Mapping Project method, "
        "2010–2014",
        summary=(
            "Dieselben Abteilungen wie die Ausgabe mit Sternen, hier mit der Methode des U.S. "
            "Cluster Mapping Project beurteilt (stark: Standortquotient im oberen Viertel und "
            "mindestens 1, Beschäftigte und örtliche Einheiten über dem unteren Viertel), "
            "verglichen mit der EU-28: so lassen sich die beiden Methoden auf "
            "denselben Daten nebeneinanderlegen."
        ),
        summary_en=(
            "The same divisions as the edition with stars, judged by the U.S. Cluster Mapping "
            "Project method (strong: location quotient in the top quarter and at least 1, "
            "employment and local units above the bottom quarter), compared with the EU-28: the two methods side by side on the same data."
        ),
        limitations=EU_LIMITS_DE,
        limitations_en=EU_LIMITS_EN,
        method="cmp",
        **EUROPE_BY_DIVISION,
    ),
    EditionSpec(
        slug="eu-nuts2-nace-published-2010-2014",
        title="Europa: NUTS-2-Regionen nach NACE-Abteilungen, nur veröffentlichte Werte, 2010–2014",
        title_en="Europe: NUTS 2 regions by NACE division, published values only, 2010–2014",
        summary=(
            "Die Ausgabe mit Sternen ohne die geschätzten vertraulichen Zellen: nur was Eurostat "
            "veröffentlicht. Regionen mit vielen vertraulichen Werten erscheinen hier kleiner; "
            "der Vergleich mit der Ausgabe mit Schätzungen zeigt, was die Schätzung ausmacht."
        ),
        summary_en=(
            "The edition with stars without the estimated confidential cells: only what "
            "Eurostat publishes. Regions with many confidential values look smaller here; "
            "comparing with the edition with estimates shows what the estimates change."
        ),
        limitations=PUBLISHED_ONLY_LIMITS_DE,
        limitations_en=PUBLISHED_ONLY_LIMITS_EN,
        method="eco",
        leave_out_estimates=True,
        **EUROPE_BY_DIVISION,
    ),
    EditionSpec(
        slug="eu-nuts2-benchmark-2010-2014",
        title="Europa: NUTS-2-Regionen in Benchmark-Clustern aus NACE-Abteilungen, 2010–2014",
        title_en="Europe: NUTS 2 regions in benchmark clusters from NACE divisions, 2010–2014",
        summary=(
            "Dieselben Daten, die NACE-Abteilungen zu den Benchmark-Clustern von Delgado, Porter "
            "und Stern (2016) zusammengefasst, soweit eine Abteilung ganz einem Cluster "
            "zugeordnet werden kann; starke Cluster nach der Methode des U.S. Cluster Mapping "
            "Project, verglichen mit der EU-28. Jeder Cluster nennt, welchen Anteil seiner "
            "NACE-Klassen die Abteilungsdaten abdecken."
        ),
        summary_en=(
            "The same data, with NACE divisions summed to the benchmark clusters of Delgado, "
            "Porter and Stern (2016) where a division can go whole to one cluster; strong "
            "clusters by the U.S. Cluster Mapping Project method, compared with the EU-28. Each "
            "cluster states which share of its NACE classes the division data covers."
        ),
        limitations=EU_LIMITS_DE
        + " Eine Abteilung zählt ganz zu dem Cluster, der den größten Teil ihres US-Gewichts "
        "trägt; Cluster, deren Klassen in Abteilungen anderer Cluster liegen, sind nur zum "
        "genannten Anteil abgedeckt. Die deutschen Clusternamen sind eine eigene Übersetzung.",
        limitations_en=EU_LIMITS_EN
        + " A division counts whole to the cluster carrying most of its U.S. weight; clusters "
        "whose classes sit in other clusters' divisions are covered only to the stated share. "
        "The German cluster names are our own translation.",
        method="cmp",
        clusters="atlas/definitions/eu_benchmark_clusters_from_divisions.csv",
        names_de="atlas/definitions/eu_benchmark_clusters_from_divisions.csv",
        definition="eu_benchmark_from_divisions",
        definition_title=gettext_noop(
            "U.S. Benchmark Clusters (Delgado, Porter & Stern 2016) aus NACE-Abteilungen"
        ),
        **{**EUROPE, "sources": EUROPE["sources"] + ("delgado2016",)},
    ),
)
