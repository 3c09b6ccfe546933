"""Country names in the active language, from django-countries.

django-countries is not an installed app here (its catalogue would change how Django
translates other strings), so its German names are read from its own catalogue directly.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

import django_countries
from django.utils import translation
from django_countries import countries

from clusterportal.lib.text import by_label


@functools.cache
def _catalogue() -> gettext.NullTranslations:
    locale = Path(django_countries.__file__).parent / "locale"
    return gettext.translation("django", localedir=str(locale), languages=["de"])


def german_name(code: str) -> str:
    """The library's German name of a country code."""
    with translation.override("en"):
        english = str(countries.name(code))
    return _catalogue().gettext(english) if english else ""


def country_name(code: str) -> str:
    """The country's name in the active language (German from the library's catalogue)."""
    if (translation.get_language() or "de").startswith("de"):
        return german_name(code)
    return str(countries.name(code))


def country_choices() -> list[tuple[str, str]]:
    """Every ISO 3166-1 country as (code, name in the active language), in dictionary order."""
    return by_label((code, country_name(code)) for code, _name in countries)
