"""Content in two languages: German records with optional English twins (`name_en`)."""

from __future__ import annotations

from django.utils.translation import get_language


def localized(german: str, english: str) -> str:
    """The English text while English is active (page or API request) and there is one;
    else the German text."""
    if english and (get_language() or "de").startswith("en"):
        return english
    return german
