"""What the list page says about a search beyond its results (docs/search.md):

- the places a search text names ("Tübingen": the Landkreis, the Regierungsbezirk and the
  city), so the page can say that it found initiatives seated or active there;
- for an empty result, ways on instead of a dead end: the nearest spelling that finds
  something, the Region around a Kreis or city without initiatives, technology fields
  whose names share the searched word, and the filters whose removal gives results.

Every suggestion carries the count it would give, so none leads to another empty page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from clusterportal.lib.fuzzy import deletions, edit_distance, insertions
from clusterportal.lib.text import fold, words
from clusterportal.regions.models import Region
from clusterportal.registry import search
from clusterportal.registry.models import ClusterInitiative

# Words of a place name a person may put before it ("Region Neckar-Alb", "Landkreis Calw").
PLACE_PREFIXES = ("region", "landkreis", "stadtkreis", "kreis", "regierungsbezirk", "in", "im")
MAX_SPELLING_DISTANCE = 2
MIN_STEM = 5  # letters a field name must share with a query word to be suggested


@dataclass(frozen=True)
class Place:
    label: str  # "Landkreis Tübingen"
    region: Region | None = None  # the Region around it, as a filter to suggest


@dataclass(frozen=True)
class Suggestion:
    label: str  # what the link says
    query: str  # the list's query string it leads to
    count: int  # the entries it finds


def place_table() -> dict[str, list[Place]]:
    """Folded place name -> the places of that name: Regions, Kreise, Regierungsbezirke of
    Baden-Württemberg, and the cities initiatives are seated in (kept per data version)."""
    table: dict[str, list[Place]] = {}
    kinds = (Region.Kind.REGION, Region.Kind.KREIS, Region.Kind.REGIERUNGSBEZIRK)
    regions = {r.pk: r for r in Region.objects.without_boundaries().filter(kind__in=kinds)}
    for region in regions.values():
        around = regions.get(region.parent_id) if region.kind == Region.Kind.KREIS else None
        table.setdefault(fold(region.name), []).append(Place(_place_label(region), around))
    for city, kreis in (
        ClusterInitiative.objects.published().exclude(city="")
        .values_list("city", "seat_kreis__parent").distinct()
    ):  # fmt: skip
        places = table.setdefault(fold(city), [])
        if not any(p.label == city for p in places):
            places.append(Place(city, regions.get(kreis)))
    return table


def _place_label(region: Region) -> str:
    if region.kind == Region.Kind.REGION:
        return _("Region %(name)s") % {"name": region.name}
    if region.kind == Region.Kind.REGIERUNGSBEZIRK:
        return _("Regierungsbezirk %(name)s") % {"name": region.name}
    return str(region)


def named_places(query: str, table: dict[str, list[Place]]) -> list[Place]:
    """The places the whole search text names, as typed ("Tübingen", "Region Neckar-Alb",
    "in Calw"): empty for a text that is more than a place."""
    folded = words(query)
    while folded and folded[0] in PLACE_PREFIXES:
        folded = folded[1:]
    return table.get(" ".join(folded), [])


def spelling(parsed: list[search.QueryWord], vocabulary: dict[str, set[str]]) -> list[str] | None:
    """The query with each word that the vocabulary does not hold replaced by the nearest
    word that it does (up to MAX_SPELLING_DISTANCE edits); None when nothing changes."""
    changed, corrected = False, []
    for word in parsed:
        if (
            " " in word.exact
            or word.exact in vocabulary
            or len(word.exact) < search.MIN_FUZZY_LENGTH
        ):
            corrected.append(word.exact)
            continue
        # The vocabulary holds each word and its one-letter deletions: a word two edits
        # away shares one of these keys (symmetric delete, with insertions for the side
        # that would need two deletions).
        keys = {word.exact} | deletions(word.exact)
        keys |= {two for one in list(keys) for two in deletions(one)} | insertions(word.exact)
        candidates = set().union(*(vocabulary.get(key, ()) for key in keys))
        near = sorted((edit_distance(word.exact, c), c) for c in candidates if c != word.exact)
        if near and near[0][0] <= MAX_SPELLING_DISTANCE:
            corrected.append(near[0][1])
            changed = True
        else:
            corrected.append(word.exact)
    return corrected if changed else None


def related_fields(parsed: list[search.QueryWord], fields: list) -> list:
    """Top-level technology fields whose German or English name shares the first MIN_STEM
    letters of a query word with one of its words ("Robotersysteme" -> "Robotik")."""
    stems = {word.exact[:MIN_STEM] for word in parsed if len(word.exact) >= MIN_STEM}
    found = []
    for technology_field in fields:
        names = words(f"{technology_field.name} {technology_field.name_en}")
        if any(name.startswith(stem) or stem in name for name in names for stem in stems):
            found.append(technology_field)
    return found


def suggest(filters) -> list[Suggestion]:
    """Ways on from an empty result of an `InitiativeFilter` (each with a count > 0): a
    Region or a field is offered as a list of its own (its count is that list's)."""
    from clusterportal.registry.filters import FACETS

    index, found = filters.index, []
    base = _query_dict(filters.form.data)
    base.pop("page", None)

    def query(**changes) -> str:
        data = base.copy()
        for name, value in changes.items():
            data.pop(name, None)
            if value is not None:
                data[name] = value
        return data.urlencode()

    if filters.words:
        vocabulary = index.memo("typo-vocabulary", search.typo_vocabulary)
        corrected = spelling(filters.words, vocabulary)
        if corrected:
            text = " ".join(corrected)
            corrected_data = base.copy()
            corrected_data["q"] = text
            count = len(type(filters)(corrected_data, index=index).matching_ids())
            if count:
                found.append(
                    Suggestion(_("Meinten Sie „%(q)s“?") % {"q": text}, query(q=text), count)
                )
        for region in {p.region.pk: p.region for p in filters.places if p.region}.values():
            count = len(index.values["region"].get(region.slug, ()))
            if count:
                label = _("Initiativen der Region %(name)s") % {"name": region.name}
                found.append(Suggestion(label, f"region={region.slug}", count))
        for technology_field in related_fields(filters.words, index.vocabulary.fields):
            count = len(index.values["field"].get(technology_field.slug, ()))
            if count:
                label = _("Technologiefeld %(name)s") % {"name": technology_field.localized_name}
                found.append(Suggestion(label, f"field={technology_field.slug}", count))
    labels = {name: str(filters.form.fields[name].label) for name in filters.form.fields}
    for name in FACETS:
        if filters.params.get(name):
            count = len(filters.matching_ids(without=name))
            if count:
                label = _("Ohne den Filter „%(name)s“") % {"name": labels[name]}
                found.append(Suggestion(label, query(**{name: None}), count))
    return found


def _query_dict(data) -> QueryDict:
    if isinstance(data, QueryDict):
        return data.copy()
    query = QueryDict(mutable=True)
    for key, value in (data or {}).items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query
