"""The per-process index of every profile, kept per "matching" data version.

Built once per process and version (a write to any watched table moves the version, and
the next request builds anew): the profiles of every registered kind, and as arrays
- per field and broad field (the parents the engine adds) the profiles that have it
  (inverted lists), and per broad field how close each profile's closest broad field is;
- the relatedness of broad fields through the atlas's clusters (relatedness.py);
- each profile's Kreis, Region and coordinates (a Kreis's or Region's centre where the
  record has none);
- each profile's terms (words.py) with their idf, and per term the profiles using it.
The engine (engine.py) scores every profile against a query with these arrays at once.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection, connections

from clusterportal.lib import versioning
from clusterportal.matching import sources
from clusterportal.matching.profiles import Profile
from clusterportal.matching.relatedness import Link, field_links
from clusterportal.matching.words import terms

VERSION = "matching"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    kreis: int | None
    region: int | None
    latitude: float | None
    longitude: float | None


@dataclass
class Index:
    key: tuple
    profiles: list[Profile]
    position: dict[tuple[str, int], int]
    kind_code: np.ndarray  # per profile: its kind's position in sources.KINDS
    initiative_of: np.ndarray  # per profile: a posting's initiative pk, else -1
    # Technology fields: pk -> (German, English) name; pk -> its top field pk.
    field_names: dict[int, tuple[str, str]]
    top_of: dict[int, int]
    # Fields as column numbers (field_col), broad fields as top numbers (top_num); per
    # profile the number of its fields; per field and broad field its profiles.
    field_col: dict[int, int]
    top_num: dict[int, int]
    field_count: np.ndarray
    field_postings: list[np.ndarray]
    top_postings: list[np.ndarray]
    links: dict[tuple[int, int], Link]
    # Broad fields: closeness[a, t] (1 for a == t, else the link's value, 0 without one);
    # closest_to[a, n]: the closeness of profile n's closest broad field to a; top_count[n].
    closeness: np.ndarray
    closest_to: np.ndarray
    top_count: np.ndarray
    fields_by_top: dict[int, list[int]]  # top pk -> field columns under it (itself too)
    # Places.
    places: dict[int, Place]
    region_names: dict[int, tuple[str, str]]
    kreis: np.ndarray
    region: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    # Words.
    term_num: dict[str, int]
    idf: np.ndarray  # per term, with a sentinel 0 at the end
    term_postings: list[np.ndarray]
    norm: np.ndarray
    memo: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.profiles)

    def fields_under(self, tops: set[int]) -> list[int]:
        """The field columns of these broad fields and of the fields under them."""
        return [col for top in tops for col in self.fields_by_top.get(top, [])]

    def place_of(self, profile: Profile) -> Place:
        """Kreis, Region and coordinates of a profile (the centre of its area if it has none)."""
        place = self.places.get(profile.region_id) if profile.region_id else None
        lat, lon = profile.latitude, profile.longitude
        if place is None:
            return Place(None, None, lat, lon)
        if lat is None or lon is None:
            lat, lon = place.latitude, place.longitude
        return Place(place.kreis, place.region, lat, lon)


_lock = threading.Lock()
_current: Index | None = None
_building: set[tuple] = set()  # keys whose index a background thread is building
_latest: tuple | None = None  # the newest key a request asked for


def current_index() -> Index:
    """The index of the current data version (one query when it is built already).

    At European scale a build takes seconds (docs/matching.md). So once a process has an
    index, a new version is built in a background thread while the previous index answers
    (its suggestions are seconds old); only a process without any index waits for the build.
    settings.MATCHING_BUILD_IN_BACKGROUND = False builds in the request instead (the tests,
    whose writes must show at once)."""
    global _current
    version = versioning.current(VERSION)
    key = (connection.alias, version.number, version.token)
    index = _current
    if index is not None and index.key == key:
        return index
    if index is not None and index.key[0] == key[0] and settings.MATCHING_BUILD_IN_BACKGROUND:
        _start_background_build(key)
        return index
    with _lock:
        if _current is None or _current.key != key:
            _current = build(key)
        return _current


def _start_background_build(key: tuple) -> None:
    global _latest
    with _lock:
        _latest = key
        if key in _building:
            return
        _building.add(key)
    thread = threading.Thread(target=_build_in_background, args=(key,), daemon=True)
    thread.name = "matching-index"
    thread.start()


def _build_in_background(key: tuple) -> None:
    global _current
    try:
        index = build(key)
        with _lock:
            # A slower build of an older version never replaces a newer one. (Not compared
            # by number: a restored database may count from a lower number, with a new token.)
            if _current is None or key == _latest:
                _current = index
    except Exception:  # the previous index goes on answering; the next request tries again
        logger.exception("building the matching index of version %s failed", key[1:])
    finally:
        with _lock:
            _building.discard(key)
        connections.close_all()  # this thread's own connections


def wait_for_background_builds(timeout: float = 60.0) -> None:
    """Until no background build runs (for tests and benchmarks)."""
    for thread in threading.enumerate():
        if thread.name == "matching-index":
            thread.join(timeout)


def build(key: tuple = ()) -> Index:
    from clusterportal.regions.models import Region
    from clusterportal.taxonomy.models import TechnologyField

    profiles: list[Profile] = []
    for kind in sources.KINDS:
        load = sources.loaders().get(kind)
        if load is not None:
            profiles.extend(sorted(load(), key=lambda p: p.key))
    n = len(profiles)

    field_rows = list(
        TechnologyField.objects.values_list("pk", "parent_id", "name", "name_en", "slug")
    )
    field_names = {pk: (name, name_en or name) for pk, _, name, name_en, _ in field_rows}
    top_of = {pk: parent or pk for pk, parent, *_ in field_rows}
    tops = sorted({top for top in top_of.values()})
    top_num = {pk: i for i, pk in enumerate(tops)}
    field_col = {pk: i for i, pk in enumerate(sorted(top_of))}

    field_lists: list[list[int]] = []
    top_lists: list[list[int]] = []
    for profile in profiles:
        known = sorted(f for f in profile.fields if f in top_of)
        field_lists.append([field_col[f] for f in known])
        top_lists.append(sorted({top_num[top_of[f]] for f in known}))
    field_count = np.array([len(f) for f in field_lists], dtype=np.float64)

    places, region_names = _places(Region)
    kreis = np.full(n, -1, dtype=np.int64)
    region = np.full(n, -1, dtype=np.int64)
    latitude = np.full(n, np.nan)
    longitude = np.full(n, np.nan)
    term_lists: list[list[int]] = []
    term_num: dict[str, int] = {}
    for i, profile in enumerate(profiles):
        place = places.get(profile.region_id) if profile.region_id else None
        lat, lon = profile.latitude, profile.longitude
        if place is not None:
            kreis[i] = place.kreis if place.kreis is not None else -1
            region[i] = place.region if place.region is not None else -1
            if lat is None or lon is None:
                lat, lon = place.latitude, place.longitude
        if lat is not None and lon is not None:
            latitude[i], longitude[i] = lat, lon
        term_lists.append(
            sorted({term_num.setdefault(t, len(term_num)) for t in terms(profile.text)})
        )
    term_ptr, term_flat = _csr(term_lists, len(term_num))
    df = np.bincount(term_flat, minlength=len(term_num) + 1)[: len(term_num)]
    idf = np.append(np.log1p(n / np.maximum(df, 1)), 0.0)
    norm = np.sqrt(np.add.reduceat(idf[term_flat] ** 2, term_ptr[:-1])) if n else np.zeros(0)

    links = field_links({pk: slug for pk, parent, _, _, slug in field_rows if parent is None})
    top_postings = _postings(top_lists, len(tops))
    closeness = np.zeros((len(tops), len(tops) + 1))
    for (a, b), link in links.items():
        closeness[top_num[a], top_num[b]] = link.value
    np.fill_diagonal(closeness[:, : len(tops)], 1.0)
    closest_to = np.zeros((len(tops), n), dtype=np.float32)
    for a in range(len(tops)):
        # Ascending, so that each profile keeps the closeness of its closest broad field.
        for t in sorted(np.flatnonzero(closeness[a, : len(tops)]), key=lambda t: closeness[a, t]):
            closest_to[a, top_postings[t]] = closeness[a, t]
    fields_by_top: dict[int, list[int]] = {}
    for pk, col in field_col.items():
        fields_by_top.setdefault(top_of[pk], []).append(col)

    return Index(
        key=key,
        profiles=profiles,
        position={p.ident: i for i, p in enumerate(profiles)},
        kind_code=np.array([sources.KINDS.index(p.kind) for p in profiles], dtype=np.int8),
        initiative_of=np.array(
            [p.initiative_key if p.initiative_key is not None else -1 for p in profiles],
            dtype=np.int64,
        ),
        field_names=field_names,
        top_of=top_of,
        field_col=field_col,
        top_num=top_num,
        field_count=field_count,
        field_postings=_postings(field_lists, len(field_col)),
        top_postings=top_postings,
        links=links,
        closeness=closeness,
        closest_to=closest_to,
        top_count=np.array([len(t) for t in top_lists], dtype=np.float64),
        fields_by_top=fields_by_top,
        places=places,
        region_names=region_names,
        kreis=kreis,
        region=region,
        latitude=latitude,
        longitude=longitude,
        term_num=term_num,
        idf=idf,
        term_postings=_postings(term_lists, len(term_num)),
        norm=norm,
    )


def _csr(lists: list[list[int]], sentinel: int) -> tuple[np.ndarray, np.ndarray]:
    """Offsets and values of lists, each empty list holding `sentinel` (so that
    `np.ufunc.reduceat` over the offsets sees no empty segment)."""
    filled = [values or [sentinel] for values in lists]
    lengths = np.fromiter((len(v) for v in filled), dtype=np.int64, count=len(filled))
    ptr = np.zeros(len(filled) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    flat = np.fromiter((x for v in filled for x in v), dtype=np.int64, count=int(ptr[-1]))
    return ptr, flat


def _postings(lists: list[list[int]], size: int) -> list[np.ndarray]:
    """Per value, the (sorted) positions of the lists that hold it."""
    owners: list[list[int]] = [[] for _ in range(size)]
    for position, values in enumerate(lists):
        for value in values:
            owners[value].append(position)
    return [np.array(o, dtype=np.int64) for o in owners]


def _places(Region) -> tuple[dict[int, Place], dict[int, tuple[str, str]]]:
    rows = list(
        Region.objects.values_list(
            "pk", "kind", "parent_id", "centroid_lat", "centroid_lon", "name", "name_en"
        )
    )
    kinds = {pk: kind for pk, kind, *_ in rows}
    places = {}
    for pk, kind, parent, lat, lon, _, _ in rows:
        if kind == Region.Kind.KREIS:
            region = (
                parent if parent is not None and kinds.get(parent) == Region.Kind.REGION else None
            )
            places[pk] = Place(pk, region, lat, lon)
        elif kind == Region.Kind.REGION:
            places[pk] = Place(None, pk, lat, lon)
        else:
            places[pk] = Place(None, None, lat, lon)
    names = {pk: (name, name_en or name) for pk, _, _, _, _, name, name_en in rows}
    return places, names


def distances_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle distances (haversine, Earth radius 6371 km); NaN where unknown."""
    p1, p2 = math.radians(lat), np.radians(lats)
    dphi = p2 - p1
    dlmb = np.radians(lons) - math.radians(lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
