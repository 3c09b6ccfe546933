"""Sources, citations and licences of the shipped atlas data (data/atlas/SOURCES.md).

Each edition copies the entries it uses into its `sources` field when it is
computed, so the attribution is frozen with the results it belongs to. The
project's own German wording is marked for translation (gettext_noop) and
translated when shown (`Edition.localized_sources`), so editions stored before
a translation existed are shown in English too; what a source prescribes as its
citation stays as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

SOURCES: dict[str, dict[str, str]] = {
    "census_cbp": {
        "name": "U.S. Census Bureau, County Business Patterns",
        "citation": "U.S. Census Bureau, County Business Patterns (CBP). https://www.census.gov/programs-surveys/cbp.html",
        "licence": "Public Domain (U.S. government work)",
        "licence_url": "https://www.census.gov/about/policies/citation.html",
        "url": "https://www.census.gov/programs-surveys/cbp.html",
    },
    "census_boundaries": {
        "name": "U.S. Census Bureau, Cartographic Boundary Files 2017 (via us-atlas 3.0.1)",
        "citation": "U.S. Census Bureau, Cartographic Boundary Files, 1:10,000,000 (2017); TopoJSON: us-atlas 3.0.1 (ISC).",
        "licence": "Public Domain (U.S. government work); us-atlas: ISC",
        "licence_url": "https://www.census.gov/about/policies/citation.html",
        "url": "https://www.census.gov/geographies/mapping-files/time-series/geo/cartographic-boundary.html",
    },
    "delgado2016": {
        "name": "Delgado, Porter & Stern (2016): U.S. Benchmark Cluster Definitions",
        "citation": "Delgado, M., Porter, M. E., Stern, S. (2016). Defining clusters of related industries. Journal of Economic Geography 16(1), 1–38. doi:10.1093/jeg/lbv017",
        "licence": gettext_noop(
            "Zitat (wissenschaftliche Veröffentlichung); öffentliche Kopie: GitHub ACR1/industry-clusters"
        ),
        "licence_url": "https://doi.org/10.1093/jeg/lbv017",
        "url": "https://doi.org/10.1093/jeg/lbv017",
    },
    "regionalstatistik": {
        "name": "Regionaldatenbank Deutschland, Tabelle 13111-07-05-4",
        "citation": "© Statistische Ämter des Bundes und der Länder, Deutschland, 2021. Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Wirtschaftsabschnitten (WZ 2008), Stichtag 30.06., Kreise und krfr. Städte (13111-07-05-4).",
        "licence": gettext_noop(
            "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
        ),
        "licence_url": "https://www.govdata.de/dl-de/by-2-0",
        "url": "https://www.regionalstatistik.de/genesis/online?operation=table&code=13111-07-05-4",
    },
    "bkg": {
        "name": gettext_noop("BKG, Verwaltungsgebiete 1:5 000 000 (VG5000), Stand 01.01.2021"),
        "citation": gettext_noop("© GeoBasis-DE / BKG 2021 (Daten verändert)"),
        "licence": gettext_noop(
            "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
        ),
        "licence_url": "https://www.govdata.de/dl-de/by-2-0",
        "url": "http://www.bkg.bund.de",
    },
    "eurostat": {
        "name": "Eurostat, NACE Rev. 2 (RAMON)",
        "citation": gettext_noop(
            "Source: Eurostat. NACE Rev. 2 – Statistical classification of economic activities (Bezeichnungen der Abschnitte)."
        ),
        "licence": gettext_noop("Weiterverwendung mit Quellenangabe (Eurostat copyright notice)"),
        "licence_url": "https://ec.europa.eu/eurostat/about-us/policies/copyright",
        "url": "https://ec.europa.eu/eurostat/web/nace",
    },
    "eurostat_sbs": {
        "name": "Eurostat, Structural Business Statistics by NUTS-2 region and NACE Rev. 2 (sbs_r_nuts06_r2)",
        "citation": "Source: Eurostat, SBS data by NUTS 2 regions and NACE Rev. 2 (from 2008 onwards), sbs_r_nuts06_r2, bulk download (about mid-2017).",
        "licence": gettext_noop("Weiterverwendung mit Quellenangabe (Eurostat copyright notice)"),
        "licence_url": "https://ec.europa.eu/eurostat/about-us/policies/copyright",
        "url": "https://ec.europa.eu/eurostat/databrowser/product/view/sbs_r_nuts06_r2",
    },
    "gisco_nuts": {
        "name": "Eurostat GISCO, NUTS 2021, 1:3 Mio.",
        "citation": "© EuroGeographics for the administrative boundaries",
        "licence": gettext_noop("GISCO-Nutzungsbedingungen (Quellenangabe)"),
        "licence_url": "https://ec.europa.eu/eurostat/web/gisco/geodata/administrative-units",
        "url": "https://ec.europa.eu/eurostat/web/gisco/geodata/administrative-units/territorial-units-statistics",
    },
    "jrc_nuts_converter": {
        "name": "JRC NUTS converter matrices (NUTS 2006/2010/2013 → 2021)",
        "citation": "Pigaiani, C., Batista e Silva, F. (JRC), NUTS conversion matrices, 2022; via the R package nuts (rOpenSci, MIT).",
        "licence": gettext_noop(
            "Europäische Kommission, Weiterverwendung mit Quellenangabe; Paket nuts: MIT"
        ),
        "licence_url": "https://github.com/ropensci/nuts",
        "url": "https://urban.jrc.ec.europa.eu/nutsconverter",
    },
    "clusterportal": {
        "name": gettext_noop("Clusterportal: eigene Klassifikation und Übersetzung"),
        "citation": gettext_noop(
            "Deutsche Clusternamen, Einteilung der Wirtschaftsabschnitte in überregional/lokal und die Zuordnung der Technologiefelder zu Clustern sind eigene Festlegungen des Clusterportal-Projekts (beschrieben auf der Seite „Methode“ des Atlas)."
        ),
        "licence": gettext_noop("AGPL-3.0-or-later (Software und Daten des Projekts)"),
        "licence_url": "https://www.gnu.org/licenses/agpl-3.0.html",
        "url": "",
    },
}


# The language of a citation the source prescribes (the others are translated): a page in
# another language marks it (WCAG 3.1.2). By key, so editions stored earlier are marked too.
CITATION_LANGUAGE = {
    "census_cbp": "en",
    "census_boundaries": "en",
    "delgado2016": "en",
    "regionalstatistik": "de",
    "eurostat_sbs": "en",
    "gisco_nuts": "en",
    "jrc_nuts_converter": "en",
}


def entries(keys: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"key": key, **SOURCES[key]} for key in keys]
