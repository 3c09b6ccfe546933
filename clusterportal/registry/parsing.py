"""Parsers for the free-text cells of registry tables.

The research table holds figures as written in the sources, for instance
members "45 (2008); 52 (~2015); 35 (2007)" or labels "Cluster-Exzellenz BW
(6.2.2015); BMBF-Spitzencluster (2010)". These functions turn such cells into
values and keep what they cannot place as notes; they never guess a number
that is not written there.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

_NUMBER = re.compile(
    r"(?P<qualifier>>|~|about |almost |nearly |c\. )?\s*(?P<value>\d{1,3}(?:,\d{3})+|\d+)"
)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_DATE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_PAREN = re.compile(r"\(([^()]*)\)")
# Parts that state a figure which is not a membership (tenants, a wider network).
_NOT_MEMBERS = ("network:", "on site")


def split_list(text: str, separator: str = ";") -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


@dataclass(frozen=True)
class Count:
    value: int
    year: int | None
    approximate: bool
    companies: bool


def _count(part: str) -> Count | None:
    lowered = part.lower()
    if any(marker in lowered for marker in _NOT_MEMBERS):
        return None
    match = _NUMBER.search(part)
    if match is None:
        return None
    value = int(match.group("value").replace(",", ""))
    if 1800 <= value <= 2100 and match.start() > 0:
        return None  # a year, not a count
    years = [int(y) for inner in _PAREN.findall(part) for y in _YEAR.findall(inner)]
    after_number = lowered[match.end() :].split("(")[0]
    return Count(
        value=value,
        year=max(years) if years else None,
        approximate=bool(match.group("qualifier")) or "~" in part,
        companies="compan" in after_number or "firms" in after_number,
    )


def latest_count(text: str) -> Count | None:
    """The most recent figure in a cell such as '45 (2008); 52 (~2015)'.

    Undated figures rank below dated ones; among equals the first one wins.
    """
    counts = [c for c in (_count(part) for part in split_list(text)) if c is not None]
    if not counts:
        return None
    return max(counts, key=lambda c: (c.year is not None, c.year or 0, -counts.index(c)))


@dataclass
class LabelFact:
    kind: str
    awarded_on: datetime.date | None = None
    awarded_year: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        return "; ".join(self.notes)


# Order matters: the first pattern that matches a part decides its kind.
_LABEL_KINDS = [
    ("cluster_excellence_bw", re.compile(r"cluster-exzellenz", re.I)),
    ("ecei_gold", re.compile(r"\bgold\b", re.I)),
    ("ecei_silver", re.compile(r"\bsil(ver|ber)\b", re.I)),
    ("ecei_bronze", re.compile(r"\bbronze\b", re.I)),
    ("spitzencluster", re.compile(r"spitzencluster", re.I)),
    ("go_cluster", re.compile(r"go-cluster", re.I)),
]


_BRACKETED_NOTE = re.compile(r"^(?P<body>[^\[\]]*?)\s*\[(?P<note>[^\[\]]*)\]$")
_PROGRAMME_NAMES = {"ecei", "eucles/ecei", "bw", "bmbf-", "bmbf"}


class UnknownLabel(ValueError):
    """A label text that names no known label, or a date that does not exist."""


def _label_kind(text: str) -> str:
    for kind, pattern in _LABEL_KINDS:
        if pattern.search(text):
            return kind
    raise UnknownLabel(_("unbekanntes Label „%(value)s“") % {"value": text})


def _top_level_parts(text: str) -> list[str]:
    """Split on ';' outside parentheses and brackets."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += char in "(["
        depth -= char in ")]"
        if char == ";" and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _events(kind: str, part: str) -> list[LabelFact]:
    """One LabelFact per dated award in a part; undated remarks become notes."""
    facts: list[LabelFact] = []
    remarks: list[str] = []
    outside = _PAREN.sub("", part)
    name_match = next(p for k, p in _LABEL_KINDS if k == kind).search(outside)
    assert name_match is not None
    extra = (outside[: name_match.start()] + outside[name_match.end() :]).strip(" /,-")
    for inner in _PAREN.findall(part):
        for piece in split_list(inner):
            date = _DATE.search(piece)
            year = _YEAR.search(piece)
            if date:
                day, month, year_text = (int(g) for g in date.groups())
                try:
                    awarded_on = datetime.date(year_text, month, day)
                except ValueError:  # 30.02., 29.02. of a common year
                    raise UnknownLabel(
                        _("kein gültiges Datum „%(value)s“") % {"value": date.group(0)}
                    ) from None
                fact = LabelFact(kind, awarded_on=awarded_on, awarded_year=year_text)
                rest = (piece[: date.start()] + piece[date.end() :]).strip(" ,;")
            elif year:
                fact = LabelFact(kind, awarded_year=int(year.group(1)))
                rest = piece.strip()
            else:
                (facts[-1].notes if facts else remarks).append(piece)
                continue
            if rest and rest != str(fact.awarded_year):
                fact.notes.append(rest)
            facts.append(fact)
    if not facts:
        facts.append(LabelFact(kind))
    # Words beside the label's name ("Kompetenznetze Deutschland 2009 / go-cluster")
    # are kept as a note, except the bare programme names ECEI / EUCLES.
    if extra and extra.lower() not in _PROGRAMME_NAMES:
        facts[0].notes.insert(0, extra)
    facts[0].notes[:0] = remarks
    return facts


def parse_labels(text: str) -> list[LabelFact]:
    """Awards from a labels cell; one entry per kind and date, undated duplicates dropped.

    A note in square brackets after a label is taken verbatim: "ECEI Gold (2022)
    [European + BW excellence label, ~2022-2023]". Exports write this form, so
    notes holding years or semicolons read back unchanged.
    """
    facts: list[LabelFact] = []
    for part in _top_level_parts(text):
        bracketed = _BRACKETED_NOTE.match(part)
        body = bracketed.group("body") if bracketed else part
        events = _events(_label_kind(body), body)
        if bracketed:
            for fact in events:
                fact.notes = [bracketed.group("note").strip()]
        facts.extend(events)
    merged: dict[tuple, LabelFact] = {}
    for fact in facts:
        key = (fact.kind, fact.awarded_on, fact.awarded_year)
        if key in merged:
            merged[key].notes += [n for n in fact.notes if n not in merged[key].notes]
        else:
            merged[key] = fact
    dated_kinds = {k for k, on, year in merged if on or year}
    return [f for (k, on, year), f in merged.items() if on or year or k not in dated_kinds]


@dataclass(frozen=True)
class Partner:
    name: str
    note: str


def parse_international(text: str) -> list[Partner]:
    """'Schweiz;Österreich (Bodenseeraum)' -> both countries with the shared note."""
    text = text.strip()
    if not text:
        return []
    note = ""
    trailing = re.search(r"\(([^()]*)\)\s*$", text)
    if trailing:
        note = trailing.group(1).strip()
        text = text[: trailing.start()].strip()
    return [Partner(name, note) for name in split_list(text)]


def parse_staff(text: str) -> Count | None:
    return latest_count(text)


def split_sources(text: str) -> list[str]:
    return split_list(text, "|")
