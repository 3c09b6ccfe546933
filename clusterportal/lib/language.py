"""Content in two languages: German records with optional English twins (`name_en`)."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext


def localized(german: str, english: str) -> str:
    """The English text while English is active (page or API request) and there is one;
    else the German text."""
    if english and (get_language() or "de").startswith("en"):
        return english
    return german


def long_date(value: datetime.date) -> str:
    """The day, the month's name and the year the page's language writes them:
    "5. Juni 2024", "5 June 2024" (Django's English DATE_FORMAT is American)."""
    return date_format(value, pgettext("Datumsformat", "j. F Y"))
