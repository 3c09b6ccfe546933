"""German country labels (Destatis GENESIS, the registry's partnerships) to ISO 3166-1 alpha-2.

The names come from a maintained library: django-countries' own German catalogue (read
directly, so the rest of the portal's country names stay as they are). A label matches
when it equals the library's German name after the period GENESIS appends ("(ab 1999)",
"(bis 04/1992)", "(05/1992 bis 12/1992)") is taken off. Where GENESIS (or the registry)
names a country differently from the library, OVERRIDES says which code it is. Every label
that does not map is in UNMAPPED with the reason; the loader reports each unmapped label
it meets, and a label that is in neither table is reported as new.
"""

from __future__ import annotations

import functools
import re

from django.utils.translation import gettext_lazy as _
from django_countries import countries

# The names in the active language are the library's (lib/countries.py); re-exported here.
from clusterportal.lib.countries import country_name, german_name

__all__ = ["OVERRIDES", "UNMAPPED", "country_name", "german_name", "iso_code"]

PERIOD = re.compile(r"\s*\((?:ab|bis) [^)]*\)$|\s*\(\d\d/\d{4} bis [^)]*\)$")

# GENESIS's (or the registry's) name -> code, where the library's German name differs.
OVERRIDES = {
    "Amerikanische Überseeinseln, kleinere": "UM",
    "Arabische Republik Syrien": "SY",
    "Bahamas": "BS",
    "Besetzte palästinensische Gebiete": "PS",
    "Bolivarische Republik Venezuela": "VE",
    "Botsuana": "BW",
    "Brunei Darussalam": "BN",
    "Cabo Verde": "CV",
    "Cote d'Ivoire": "CI",
    "Curacao": "CW",
    "Demokratische Republik Kongo": "CD",
    "Demokratische Volksrepublik Korea": "KP",
    "Demokratische Volksrepublik Laos": "LA",
    "Falklandinseln": "FK",
    "Französische Südgebiete": "TF",
    "Färöer": "FO",
    "Föderierte Staaten von Mikronesien": "FM",
    "Grenada": "GD",
    "Heiliger Stuhl (Vatikanstadt)": "VA",
    "Hongkong": "HK",
    "Islamische Republik Iran": "IR",
    "Kiribati": "KI",
    "Mosambik": "MZ",
    "Nauru": "NR",
    "Norfolkinseln": "NF",
    "Nördliche Marianen": "MP",
    "Papua-Neuguinea": "PG",
    "Plurinationaler Staat Bolivien": "BO",
    "Republik Korea": "KR",
    "Republik Moldau": "MD",
    "Reunion": "RE",
    "Russische Föderation": "RU",
    "Sao Tome und Principe": "ST",
    "Saudi-Arabien": "SA",
    "St. Barthelemy": "BL",
    "St. Helena, Ascension und Tristan da Cunha": "SH",
    "St. Pierre und Miquelon": "PM",
    "Suriname": "SR",
    "Südgeorgien u.d.Südlichen Sandwichinseln": "GS",
    "Timor-Leste": "TL",
    "Türkei": "TR",
    "Vereinigte Republik Tansania": "TZ",
    # The registry's partnerships
    "USA": "US",
}

# The reasons are shown on the overview page: German, translated like every other text.
HISTORIC = _("ein Staat oder eine Gruppe, die es nicht mehr gibt; heute ohne ISO-3166-1-Code")
NOT_A_COUNTRY = _("kein Land (eine Kategorie der Außenhandelsstatistik)")
PART_OF_SPAIN = _("ein Gebiet ohne eigenen ISO-3166-1-Code (Teil Spaniens)")

# Every label of the shipped files that maps to no country, and why.
UNMAPPED = {
    "Amerikanisch-Ozeanien (bis 2000)": HISTORIC,
    "Australisch-Ozeanien (bis 2000)": HISTORIC,
    "Neuseeländisch-Ozeanien (bis 2000)": HISTORIC,
    "Polargebiete (bis 2000)": HISTORIC,
    "Belgien und Luxemburg (bis 1998)": HISTORIC,
    "Ceuta und Melilla (bis 1998)": HISTORIC,
    "Jugoslawien (05/1992 bis 12/1992)": HISTORIC,
    "Jugoslawien (bis 04/1992)": HISTORIC,
    "Serbien und Montenegro (01/1993 bis 05/2005)": HISTORIC,
    "Sowjetunion (bis 04/1992)": HISTORIC,
    "Tschechoslowakei (bis 1992)": HISTORIC,
    "Niederländische Antillen (bis 2012)": _(
        "ein Gebiet, das es nicht mehr gibt (2010 aufgelöst, der Code AN ist zurückgezogen)"
    ),
    "Svalbard (bis 1996)": _(
        "bis 1996 ein eigenes Gebiet der Statistik; der ISO-Code SJ umfasst auch Jan Mayen"
    ),
    "Kanarische Inseln (bis 1996)": PART_OF_SPAIN,
    "Ceuta (ab 1999)": PART_OF_SPAIN,
    "Melilla (ab 1999)": PART_OF_SPAIN,
    "Kosovo (ab 06/2005)": _("ohne ISO-3166-1-Code (XK ist ein frei vergebener Code)"),
    "Hohe See (ab 2013)": NOT_A_COUNTRY,
    "Schiffs- und Luftfahrzeugbedarf": NOT_A_COUNTRY,
    "Vertrauliche Länder": NOT_A_COUNTRY,
    "Nicht ermittelte Länder und Gebiete": NOT_A_COUNTRY,
    "Nicht ermittelte Länder (innergem. Warenverkehr)": NOT_A_COUNTRY,
    # The registry's partnerships
    "Arabische Staaten": _("eine Gruppe von Staaten, kein einzelnes Land"),
    "Vierländerregion Bodensee": _(
        "eine grenzüberschreitende Region (Deutschland, Österreich, Schweiz, Liechtenstein)"
    ),
}


@functools.cache
def _codes_by_german_name() -> dict[str, str]:
    return {german_name(code): code for code, _name in countries}


def iso_code(label: str) -> str | None:
    """The alpha-2 code of a German label, or None if it names no country."""
    label = label.strip()
    if label in UNMAPPED:
        return None
    name = PERIOD.sub("", label)
    return OVERRIDES.get(name) or _codes_by_german_name().get(name)
