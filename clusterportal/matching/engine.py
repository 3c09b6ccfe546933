"""Ranked partner suggestions with their reasons (docs/matching.md has the why).

    score = 0.45 fields + 0.25 related_fields + 0.15 region + 0.15 words      (each 0..1)

- fields: how much of the one's fields the other has, both ways, averaged: a field shared
  exactly counts 1, a field whose broad parent only is shared 0.5;
- related_fields: the same for broad fields at the level of the atlas's statistical
  clusters: each broad field of the one is as close to the other as the other's closest
  broad field (1 for the same, else their link through the clusters, relatedness.py),
  averaged both ways;
- region: 1 in the same Kreis, 0.7 in the same Region; else by distance,
  0.5 x (1 - km / 60) within 60 km;
- words: the cosine of the two profiles' terms weighted by idf (words.py).

A profile is suggested only when something of its subject matches (fields, related
fields or words): being near is a reason, not a subject. Never the query itself, never a
posting's own initiative, nor an initiative's own postings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, ngettext, override

from clusterportal.lib.text import fold
from clusterportal.matching.index import Index, current_index, distances_km
from clusterportal.matching.profiles import Profile
from clusterportal.matching.sources import KINDS
from clusterportal.matching.words import terms

WEIGHTS = {"fields": 0.45, "related_fields": 0.25, "region": 0.15, "words": 0.15}
EXACT = 1.0
BROAD = 0.5
SAME_KREIS = 1.0
SAME_REGION = 0.7
NEAR = 0.5
NEAR_KM = 60.0
MAX_WORDS_SHOWN = 5


@dataclass(frozen=True)
class Suggestion:
    profile: Profile
    score: float  # 0..1
    parts: dict[str, float]  # "fields", "related_fields", "region", "words"; weighted sum = score
    reasons: list[str]  # sentences in the active language


@dataclass
class _Query:
    """What the engine knows of a query profile, in the index's numbers."""

    profile: Profile
    specific: set[int]  # field pks given that are not broad fields
    tops: set[int]  # broad field pks (given, or parents of the given)
    terms: dict[str, str]


def page_url(profile: Profile) -> str:
    """The profile's page in the active language ("" where it has none)."""
    if not profile.url:
        return ""
    if not _english():
        return profile.url
    # The stored path is German (the default language, no prefix): resolved as German.
    with override("de"):
        return translate_url(profile.url, "en")


def profile_of(kind: str, key: int) -> Profile | None:
    """The indexed profile of a record (None: not public, or no such record)."""
    return profile_in(current_index(), kind, key)


def profile_in(index: Index, kind: str, key: int) -> Profile | None:
    position = index.position.get((kind, key))
    return None if position is None else index.profiles[position]


def suggest(
    query: Profile,
    *,
    kinds: tuple[str, ...] = ("initiative", "posting", "organisation"),
    limit: int = 10,
    exclude_same_fields: bool = False,
) -> list[Suggestion]:
    """The `limit` best partners of `query` among the profiles of `kinds`, best first
    (ties by kind and key). `exclude_same_fields`: only those sharing no specific field
    with it (cross-clustering)."""
    index = current_index()
    return suggest_in(
        index, query, kinds=kinds, limit=limit, exclude_same_fields=exclude_same_fields
    )


def suggest_in(
    index: Index,
    query: Profile,
    *,
    kinds: tuple[str, ...] = KINDS,
    limit: int = 10,
    exclude_same_fields: bool = False,
    only: Profile | None = None,
) -> list[Suggestion]:
    """`suggest` on a given index; `only`: the suggestion of that one profile (the network's
    links), whatever its score."""
    n = len(index)
    if n == 0 or limit <= 0:
        return []
    q = _query(index, query)
    parts, exact_any = _parts(index, q)
    score = weighted(parts)
    allowed = np.isin(index.kind_code, np.array([KINDS.index(k) for k in kinds], dtype=np.int8))
    allowed &= (parts["fields"] > 0) | (parts["related_fields"] > 0) | (parts["words"] > 0)
    own = index.position.get(query.ident)
    if own is not None:
        allowed[own] = False
    if query.initiative_key is not None:
        own_initiative = index.position.get(("initiative", query.initiative_key))
        if own_initiative is not None:
            allowed[own_initiative] = False
    if query.kind == "initiative":
        allowed &= index.initiative_of != query.key
    if exclude_same_fields:
        allowed &= ~exact_any
    if only is not None:
        i = index.position[only.ident]
        return [_suggestion(index, q, i, {k: float(v[i]) for k, v in parts.items()})]
    candidates = np.flatnonzero(allowed)
    if len(candidates) > limit:
        scores = score[candidates]
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        candidates = candidates[scores >= kth]
    # Best first; ties in index order (kind, then key).
    order = candidates[np.lexsort((candidates, -score[candidates]))][:limit]
    return [
        _suggestion(index, q, int(i), {k: float(v[i]) for k, v in parts.items()}) for i in order
    ]


def weighted(parts: dict[str, np.ndarray]) -> np.ndarray:
    """The score of every profile: the weighted sum of its parts."""
    score = np.zeros(len(next(iter(parts.values()))))
    for name, values in parts.items():
        score += WEIGHTS[name] * values
    return score


def _query(index: Index, profile: Profile) -> _Query:
    given = {f for f in profile.fields if f in index.top_of}
    specific = {f for f in given if index.top_of[f] != f}
    tops = {index.top_of[f] for f in given}
    return _Query(profile, specific, tops, terms(profile.text))


def _hits(postings: list[np.ndarray], n: int, weights: list[float] | None = None) -> np.ndarray:
    """Per profile, how many of these inverted lists hold it (or the sum of their weights)."""
    if not postings:
        return np.zeros(n)
    joined = np.concatenate(postings)
    if weights is None:
        return np.bincount(joined, minlength=n).astype(np.float64)
    repeated = np.repeat(np.asarray(weights), [len(p) for p in postings])
    return np.bincount(joined, weights=repeated, minlength=n)


def _parts(index: Index, q: _Query) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every profile's four parts at once, from the inverted lists (no loop over profiles)."""
    n = len(index)
    top_num = index.top_num
    given = sorted(q.specific | (q.tops - {index.top_of[f] for f in q.specific}))
    # The query's fields found in each profile: exact 1, only the broad parent 0.5 ...
    exact = _hits([index.field_postings[index.field_col[f]] for f in sorted(q.specific)], n)
    exact_any = exact > 0
    fields = np.zeros(n)
    for f in given:
        has_top = np.zeros(n)
        has_top[index.top_postings[top_num[index.top_of[f]]]] = 1.0
        if f in q.specific:
            has = np.zeros(n)
            has[index.field_postings[index.field_col[f]]] = 1.0
            fields += has * EXACT + (has_top - has) * BROAD
        else:
            fields += has_top * BROAD
    if given:
        fields /= len(given)
    # ... and each profile's fields found in the query's: its fields under the query's
    # broad fields count 0.5, those of them the query has exactly 1.
    under = _hits(
        [index.field_postings[c] for c in sorted(index.fields_under(q.tops))],
        n,
    )
    back = exact * EXACT + (under - exact) * BROAD
    back = np.divide(back, index.field_count, out=np.zeros(n), where=index.field_count > 0)
    fields = (fields + back) / 2

    # Closeness of broad fields: 1 for the same one, else their link (relatedness.py).
    # Each of the query's broad fields found in each profile (its closest one) ...
    related = np.zeros(n)
    if q.tops:
        for a in q.tops:
            related += index.closest_to[top_num[a]]
        related /= len(q.tops)
        # ... and each of the profile's broad fields found in the query's.
        closest = index.closeness[[top_num[a] for a in q.tops]].max(axis=0)
        linked = np.flatnonzero(closest)
        back = _hits([index.top_postings[t] for t in linked], n, list(closest[linked]))
        back = np.divide(back, index.top_count, out=np.zeros(n), where=index.top_count > 0)
        related = (related + back) / 2

    region = np.zeros(n)
    place = index.place_of(q.profile)
    if place.latitude is not None and place.longitude is not None:
        # Only profiles within a box around the query can be within NEAR_KM (one degree of
        # latitude is 111 km, of longitude at most that): the distance for those only.
        box = NEAR_KM / 111.0
        wide = box / max(np.cos(np.radians(place.latitude)), 0.1)
        inside = np.flatnonzero(
            (np.abs(index.latitude - place.latitude) <= box)
            & (np.abs(index.longitude - place.longitude) <= wide)
        )
        km = distances_km(
            place.latitude, place.longitude, index.latitude[inside], index.longitude[inside]
        )
        region[inside] = np.clip(NEAR * (1 - km / NEAR_KM), 0.0, NEAR)
    if place.region is not None:
        same = index.region == place.region
        region[same] = np.maximum(region[same], SAME_REGION)
    if place.kreis is not None:
        region[index.kreis == place.kreis] = SAME_KREIS

    words = np.zeros(n)
    known = [index.term_num[t] for t in q.terms if t in index.term_num]
    if known:
        weights = index.idf[known] ** 2
        hits = [index.term_postings[t] for t in known]
        dot = np.bincount(
            np.concatenate(hits), weights=np.repeat(weights, [len(h) for h in hits]), minlength=n
        )
        unknown = len(q.terms) - len(known)
        query_norm = np.sqrt(weights.sum() + unknown * float(np.log1p(n)) ** 2)
        words = np.divide(dot, index.norm * query_norm, out=np.zeros(n), where=index.norm > 0)
    return {
        "fields": fields,
        "related_fields": related,
        "region": region,
        "words": np.clip(words, 0.0, 1.0),
    }, exact_any


def _english() -> bool:
    return (get_language() or "de").startswith("en")


def _name(names: tuple[str, str]) -> str:
    return names[1] if _english() else names[0]


def _suggestion(index: Index, q: _Query, position: int, raw: dict[str, float]) -> Suggestion:
    other = index.profiles[position]
    parts = {name: round(value, 4) for name, value in raw.items()}
    score = round(sum(WEIGHTS[name] * value for name, value in parts.items()), 4)
    return Suggestion(other, score, parts, _reasons(index, q, other, parts))


def _reasons(index: Index, q: _Query, other: Profile, parts: dict[str, float]) -> list[str]:
    reasons = []
    theirs = {f for f in other.fields if f in index.top_of}
    shared = sorted(q.specific & theirs, key=lambda f: _name(index.field_names[f]))
    if shared:
        names = ", ".join(_name(index.field_names[f]) for f in shared)
        reasons.append(
            ngettext("Gemeinsames Feld: %(names)s", "Gemeinsame Felder: %(names)s", len(shared))
            % {"names": names}
        )
    their_tops = {index.top_of[f] for f in theirs}
    broad = sorted(
        (q.tops & their_tops) - {index.top_of[f] for f in shared},
        key=lambda f: _name(index.field_names[f]),
    )
    if broad:
        names = ", ".join(_name(index.field_names[f]) for f in broad)
        reasons.append(
            ngettext(
                "Gemeinsames übergeordnetes Feld: %(names)s",
                "Gemeinsame übergeordnete Felder: %(names)s",
                len(broad),
            )
            % {"names": names}
        )
    if related := _related_reason(index, q, their_tops):
        reasons.append(related)
    if parts["region"] > 0:
        reasons.append(_region_reason(index, q.profile, other))
    if parts["words"] > 0:
        theirs_terms = terms(other.text)
        common = [t for t in q.terms if t in theirs_terms and t in index.term_num]
        common.sort(key=lambda t: (-index.idf[index.term_num[t]], t))
        shown: list[str] = []
        for t in common:
            # A compound's part after the compound itself ("Spitzencluster", "Spitzen"): once.
            if not any(t in fold(word) for word in shown) and len(shown) < MAX_WORDS_SHOWN:
                shown.append(q.terms[t])
        reasons.append(gettext("Gemeinsame Wörter: %(words)s") % {"words": ", ".join(shown)})
    return reasons


def _related_reason(index: Index, q: _Query, their_tops: set[int]) -> str | None:
    """The strongest link of a broad field of the query to a different one of theirs."""
    pairs = [
        (index.links[(a, b)], a, b)
        for a in sorted(q.tops)
        for b in sorted(their_tops - q.tops)
        if (a, b) in index.links
    ]
    if not pairs:
        return None
    link, a, b = max(pairs, key=lambda p: p[0].value)
    names = {"field": _name(index.field_names[a]), "other": _name(index.field_names[b])}
    if link.phi is None:
        return gettext(
            "Verwandt über den Cluster %(cluster)s, dem %(field)s und %(other)s zugeordnet sind"
        ) % {**names, "cluster": _name(link.cluster)}
    return gettext(
        "Verwandt über die Cluster %(cluster)s–%(other_cluster)s (Relatedness %(value)s; "
        "%(field)s – %(other)s)"
    ) % {
        **names,
        "cluster": _name(link.cluster),
        "other_cluster": _name(link.other),
        "value": number_format(round(link.phi, 2), 2),
    }


def _region_reason(index: Index, query: Profile, other: Profile) -> str:
    here, there = index.place_of(query), index.place_of(other)
    km = None
    if (
        here.latitude is not None
        and here.longitude is not None
        and there.latitude is not None
        and there.longitude is not None
    ):
        km = float(
            distances_km(
                here.latitude,
                here.longitude,
                np.array([there.latitude]),
                np.array([there.longitude]),
            )[0]
        )
    distance = number_format(round(km)) if km is not None else None
    if here.kreis is not None and here.kreis == there.kreis:
        name = _name(index.region_names[here.kreis])
        if distance is None:
            return gettext("Gleicher Kreis: %(name)s") % {"name": name}
        return gettext("Gleicher Kreis: %(name)s, %(km)s km") % {"name": name, "km": distance}
    if here.region is not None and here.region == there.region:
        name = _name(index.region_names[here.region])
        if distance is None:
            return gettext("Gleiche Region: %(name)s") % {"name": name}
        return gettext("Gleiche Region: %(name)s, %(km)s km") % {"name": name, "km": distance}
    return gettext("In der Nähe: %(km)s km entfernt") % {"km": distance}
