"""Words in common, German-aware: folded spellings, stems, parts of compounds, no stop words.

A text becomes a set of terms (stems), each with the word it was first written as:

- spelling is folded first (lib/text.fold): case, umlauts and their two-letter spellings
  (Lösung = Loesung), ß = ss, accents;
- stop words (German and English function words, and words every cluster profile uses:
  "Cluster", "Netzwerk", "Baden-Württemberg", "GmbH", ...) are left out;
- each word is stemmed by a light suffix stripper after CISTEM (Weissweiler & Fraser
  2017): "Technologien" and "Technologie" give "technologi", "Implantate" "implantat";
  English plurals fall together too ("technologies");
- a compound that ends with one of the registry's compound heads (registry/search.py
  COMPOUND_HEADS, plus a few more) also gives its head and its first part:
  "Medizintechnik" gives "medizintechnik", "technik" and "medizin"; the linking -s is
  dropped ("Verpackungstechnik" gives "verpackung").

How much a shared term counts is the engine's business (idf: rare terms weigh more).
"""

from __future__ import annotations

import functools
import re

from clusterportal.lib.text import fold
from clusterportal.registry.search import COMPOUND_HEADS

MIN_WORD = 3
MIN_PART = 4
_WORD = re.compile(r"\w+")

STOP_WORDS = frozenset(
    fold(word)
    for word in """
    aber alle allem allen aller alles als also am an ans auch auf aus bei beim bis bzw da
    damit dann das dass dem den denen der des die dies diese diesem diesen dieser dieses
    durch ein eine einem einen einer eines einige fuer für gegen hat haben hier ihr ihre im
    in ins ist jede jeder jedes kann kein keine mit nach neben nicht noch nur ob oder ohne
    sich sie sind so sowie ueber über um und uns unser unsere unter vom von vor wie wir
    wird werden zu zum zur zwischen sowohl e v ev eg gmbh ag mbh kg ggmbh ug
    the a an and or of for to in on at by with from as is are be this that these those our
    their its into via inc ltd
    cluster clusters netzwerk netzwerke netzwerks network networks initiative initiativen
    verein verband region regionen regional regionale baden wuerttemberg württemberg bw
    land landes landesweit landesweites verbund plattform forum
    """.split()
)

# Heads of compounds beyond the registry's list (which are for elided compounds,
# "Luft- und Raumfahrt"): words that end many compounds of the registry's fields.
EXTRA_HEADS = (
    "elektronik", "sensorik", "logistik", "textilien", "werkstoffe", "werkstoff",
    "mobilitaet", "medizin", "kunststoff", "kunststoffe", "holz", "software", "daten",
    "produktion", "verarbeitung", "versorgung", "bildung",
)  # fmt: skip
HEADS = tuple(sorted({*COMPOUND_HEADS, *EXTRA_HEADS}, key=len, reverse=True))
# Heads by their last three letters: a word is checked against a few heads, not all.
_HEADS_BY_END: dict[str, tuple[str, ...]] = {}
for _head in HEADS:
    _HEADS_BY_END[_head[-3:]] = (*_HEADS_BY_END.get(_head[-3:], ()), _head)
_LINKING = ("ungs", "heits", "keits", "ions", "taets", "schafts", "ings")


def stem(word: str) -> str:
    """A light German (and English plural) stem of a folded word, after CISTEM."""
    while len(word) > MIN_WORD + 1:
        if len(word) > 5 and word[-2:] in ("em", "er", "nd"):
            word = word[:-2]
        elif word[-1] in "esn":
            word = word[:-1]
        else:
            break
    return word


def _parts(word: str) -> list[str]:
    """The head and the first part of a compound (folded), or nothing."""
    for head in _HEADS_BY_END.get(word[-3:], ()):
        if word.endswith(head) and len(word) - len(head) >= MIN_PART - 1:
            first = word[: -len(head)]
            if first.endswith(_LINKING):
                first = first[:-1]
            return [head] + ([first] if len(first) >= MIN_PART else [])
    return []


def terms(text: str) -> dict[str, str]:
    """Stem -> the word (as written) it first came from, for every term of `text`."""
    found: dict[str, str] = {}
    for written in _WORD.findall(text):
        for term, surface in _word_terms(written):
            found.setdefault(term, surface)
    return found


@functools.lru_cache(maxsize=200_000)
def _word_terms(written: str) -> tuple[tuple[str, str], ...]:
    """The terms of one written word (a profile's words repeat across profiles: cached)."""
    found: list[tuple[str, str]] = []
    for folded in fold(written).split():
        if len(folded) < MIN_WORD or folded in STOP_WORDS or folded.isdigit():
            continue
        found.append((stem(folded), written if fold(written) == folded else folded))
        for part in _parts(folded):
            if part not in STOP_WORDS:
                found.append((stem(part), part.capitalize()))
    return tuple(found)
