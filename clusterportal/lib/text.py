"""Text helpers for German: folding for search and slugs.

`fold` maps every spelling a user might type to one form: lower case,
umlauts as their two-letter spelling (ü -> ue), ß -> ss, other accents
dropped, punctuation to spaces. "Tübingen", "Tuebingen" and "TÜBINGEN" all
fold to "tuebingen".
"""

from __future__ import annotations

import re
import unicodedata

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    lowered = text.lower().translate(_GERMAN)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", ascii_only).strip()


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
