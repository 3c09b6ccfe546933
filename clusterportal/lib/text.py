"""Text helpers for German: folding for search and slugs, and the sort order of names.

`fold` maps every spelling a user might type to one form: lower case,
umlauts as their two-letter spelling (ü -> ue), ß -> ss, other accents
dropped, punctuation to spaces. "Tübingen", "Tuebingen" and "TÜBINGEN" all
fold to "tuebingen".

`collation_key` sorts names as a German dictionary does (DIN 5007-1).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django import forms

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# The combining diacritical marks NFKD splits off Latin letters (ä -> a + U+0308).
_ACCENTS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    lowered = text.lower().translate(_GERMAN)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", ascii_only).strip()


def collation_key(text: str) -> tuple[str, str]:
    """The key that sorts names as a German dictionary does (DIN 5007-1): ä as a,
    ö as o, ü as u, ß as ss, other accents dropped, upper and lower case alike.

    Databases and Python compare code points, which put every umlaut after z
    ("Breisgau" before "Böblingen"); ICU would be a dependency for this one rule.
    English sorts these names the same way. Names that differ only by accent or
    case follow in code-point order, so the order is the same on every run.
    """
    if text.isascii():  # most names: nothing to decompose (ten times faster)
        return text.casefold(), text
    base_letters = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    return base_letters.casefold(), text


def by_label(options: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Choices, as (value, label) pairs, sorted by their labels as a dictionary sorts."""
    return sorted(options, key=lambda option: collation_key(option[1]))


def offer_by_label(field: forms.ModelChoiceField[Any]) -> None:
    """Let a model choice field offer its records by their labels in the page's language, as
    a dictionary sorts them (an ordered queryset would put "Böblingen" after "Breisgau").
    Call it in the form's __init__, after the page's language is active."""
    queryset = field.queryset if field.queryset is not None else []
    records = sorted(queryset, key=lambda r: collation_key(field.label_from_instance(r)))
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = empty + [
        (field.prepare_value(r), field.label_from_instance(r)) for r in records
    ]


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    folded = fold(text)
    return folded.split() if folded else []


def distinct_words(folded: str) -> str:
    """Each word of a folded text once, in the order of first use.

    A search word never holds a space, so it occurs in a text exactly when it occurs
    in one of the text's words: the shorter text finds the same records, faster.
    """
    return " ".join(dict.fromkeys(folded.split()))


def german_slug(text: str, max_length: int = 80) -> str:
    """A URL slug that spells umlauts out (Württemberg -> wuerttemberg)."""
    slug = "-".join(words(text))
    return slug[:max_length].rstrip("-")
