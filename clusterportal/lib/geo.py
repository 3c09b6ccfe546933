"""Small GeoJSON helpers: centroids and bounding boxes of (multi)polygons.

Coordinates are lon/lat (CRS84). Areas are planar in degrees, which is exact
enough to place a marker at the centre of a Kreis or to order parts by size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

Ring = Sequence[Sequence[float]]
Geometry = dict[str, Any]  # a GeoJSON geometry object


def _ring_area_and_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area and area-weighted centroid of one ring (shoelace formula)."""
    area2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, list(ring[1:]) + [ring[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area2 == 0:
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area2 / 2, cx / (3 * area2), cy / (3 * area2)


def _polygons(geometry: Geometry) -> Iterable[Sequence[Ring]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        yield geometry["coordinates"]
    elif kind == "MultiPolygon":
        yield from geometry["coordinates"]
    else:
        raise ValueError(f"expected a Polygon or MultiPolygon, got {kind!r}")


def centroid(geometry: Geometry) -> tuple[float, float]:
    """Area-weighted centroid (lon, lat) of a Polygon or MultiPolygon; holes subtract."""
    total = sx = sy = 0.0
    for polygon in _polygons(geometry):
        for index, ring in enumerate(polygon):
            area, x, y = _ring_area_and_centroid(ring)
            # The outer ring adds, holes subtract, whatever their winding order.
            weight = abs(area) if index == 0 else -abs(area)
            total += weight
            sx += x * weight
            sy += y * weight
    if total == 0:
        raise ValueError("geometry has no area")
    return sx / total, sy / total


def bbox(geometries: Iterable[Geometry]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) over all outer rings."""
    xs: list[float] = []
    ys: list[float] = []
    for geometry in geometries:
        for polygon in _polygons(geometry):
            xs.extend(p[0] for p in polygon[0])
            ys.extend(p[1] for p in polygon[0])
    if not xs:
        raise ValueError("no coordinates")
    return min(xs), min(ys), max(xs), max(ys)


def rounded(geometry: Geometry, digits: int) -> Geometry:
    """The geometry with every coordinate rounded (4 digits: about 10 m; pages stay light)."""

    def walk(value: Any) -> Any:
        if isinstance(value, float | int):
            return round(value, digits)
        return [walk(item) for item in value]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def outer_edges(geometry: Geometry) -> Geometry:
    """The outline of a MultiPolygon made of adjacent parts, as a MultiLineString.

    A border two parts share (same vertices, as in one official dataset) is
    dropped; what remains is the outer line, e.g. a Region drawn without the
    borders of its Kreise. Runs of kept segments stay in ring order.
    """

    def key(a: Sequence[float], b: Sequence[float]) -> frozenset[tuple[float, ...]]:
        return frozenset((tuple(a), tuple(b)))

    rings = [ring for polygon in _polygons(geometry) for ring in polygon]
    uses: dict[frozenset[tuple[float, ...]], int] = {}
    for ring in rings:
        for a, b in zip(ring, ring[1:], strict=False):
            uses[key(a, b)] = uses.get(key(a, b), 0) + 1
    lines: list[list[list[float]]] = []
    for ring in rings:
        run: list[list[float]] = []
        for a, b in zip(ring, ring[1:], strict=False):
            if uses[key(a, b)] == 1:
                run = run or [list(a)]
                run.append(list(b))
            elif run:
                lines.append(run)
                run = []
        if run:
            lines.append(run)
    return {"type": "MultiLineString", "coordinates": lines}
