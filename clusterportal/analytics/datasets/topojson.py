"""A small TopoJSON -> GeoJSON decoder (the subset us-atlas uses).

TopoJSON stores shared borders once as *arcs*. In a quantized topology each arc is a list
of integer positions, delta-encoded (every position after the first is an offset from the
previous one), and ``transform`` maps them back to longitude/latitude:
``x = qx * scale[0] + translate[0]``. A geometry refers to arcs by index; a negative index
``~i`` (that is ``-i - 1``) means arc ``i`` traversed backwards. When arcs are stitched into
a ring, the first point of each following arc repeats the last point of the previous one and
is dropped. Specification: https://github.com/topojson/topojson-specification
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Position = list[float]
Ring = list[Position]


class TopologyError(ValueError):
    """The topology is not of the form this decoder understands."""


def decode_arcs(topology: Mapping[str, Any]) -> list[list[Position]]:
    """Absolute coordinates of every arc (delta-decoded and transformed if quantized)."""
    transform = topology.get("transform")
    arcs: list[list[Position]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([[float(p[0]), float(p[1])] for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points: list[Position] = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append([x * sx + tx, y * sy + ty])
        arcs.append(points)
    return arcs


def stitch(arc_indexes: Sequence[int], arcs: Sequence[Sequence[Position]]) -> Ring:
    """The line (or ring) formed by a sequence of arc references."""
    line: Ring = []
    for index in arc_indexes:
        if index >= 0:
            points = list(arcs[index])
        else:
            points = list(reversed(arcs[~index]))
        if line:
            points = points[1:]
        line.extend(list(p) for p in points)
    return line


def _round_ring(ring: Ring, digits: int | None) -> Ring:
    if digits is None:
        return ring
    rounded: Ring = []
    for x, y in ring:
        point = [round(x, digits), round(y, digits)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded


def _polygon(
    rings: Sequence[Sequence[int]], arcs: Sequence[Sequence[Position]], digits: int | None
) -> list[Ring] | None:
    """Stitched rings of one polygon; rounding can collapse a tiny ring, which is dropped
    (and the whole polygon with it when that ring is the exterior)."""
    stitched = [_round_ring(stitch(ring, arcs), digits) for ring in rings]
    if not stitched or len(stitched[0]) < 4:
        return None
    return [stitched[0]] + [ring for ring in stitched[1:] if len(ring) >= 4]


def geometry_to_geojson(
    geometry: Mapping[str, Any],
    arcs: Sequence[Sequence[Position]],
    digits: int | None = None,
) -> dict[str, Any] | None:
    """One TopoJSON geometry object as a GeoJSON geometry (``None`` for a null geometry)."""
    kind = geometry.get("type")
    if kind is None:
        return None
    if kind == "Polygon":
        polygon = _polygon(geometry["arcs"], arcs, digits)
        return None if polygon is None else {"type": "Polygon", "coordinates": polygon}
    if kind == "MultiPolygon":
        polygons = [_polygon(p, arcs, digits) for p in geometry["arcs"]]
        kept = [p for p in polygons if p is not None]
        return {"type": "MultiPolygon", "coordinates": kept} if kept else None
    if kind == "LineString":
        return {
            "type": "LineString",
            "coordinates": _round_ring(stitch(geometry["arcs"], arcs), digits),
        }
    if kind == "MultiLineString":
        lines = [_round_ring(stitch(line, arcs), digits) for line in geometry["arcs"]]
        return {"type": "MultiLineString", "coordinates": lines}
    raise TopologyError(f"unsupported TopoJSON geometry type {kind!r}")


def object_to_features(
    topology: Mapping[str, Any], name: str, digits: int | None = None
) -> list[dict[str, Any]]:
    """The geometries of ``objects[name]`` as GeoJSON features (``id`` and ``properties`` kept)."""
    if topology.get("type") != "Topology":
        raise TopologyError("not a TopoJSON Topology")
    collection = topology["objects"][name]
    members = (
        collection["geometries"] if collection["type"] == "GeometryCollection" else [collection]
    )
    arcs = decode_arcs(topology)
    features: list[dict[str, Any]] = []
    for member in members:
        feature: dict[str, Any] = {"type": "Feature"}
        if "id" in member:
            feature["id"] = member["id"]
        feature["properties"] = dict(member.get("properties") or {})
        feature["geometry"] = geometry_to_geojson(member, arcs, digits)
        features.append(feature)
    return features
