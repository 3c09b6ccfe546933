"""The TopoJSON decoder: delta-decoded quantized arcs, transform and reversed arcs."""

from __future__ import annotations

from typing import Any

import pytest

from clusterportal.analytics.datasets import topojson

# Two unit squares side by side, sharing the edge x=1. Quantized: one unit = 0.5 degrees,
# origin at (10, 50). Arc 0: the shared edge from (1,0) up to (1,1). Arc 1: the rest of the
# left square, arc 2: the rest of the right square.
TINY: dict[str, Any] = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10.0, 50.0]},
    "objects": {
        "squares": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "L", "properties": {"name": "left"}, "arcs": [[0, 1]]},
                {"type": "MultiPolygon", "id": "R", "arcs": [[[2, -1]]]},
                {"type": None, "id": "N"},
            ],
        }
    },
    "arcs": [
        [[2, 0], [0, 2]],  # (2,0) -> (2,2) in quantized units
        [[2, 2], [-2, 0], [0, -2], [2, 0]],  # (2,2) -> (0,2) -> (0,0) -> (2,0)
        [[2, 0], [2, 0], [0, 2], [-2, 0]],  # (2,0) -> (4,0) -> (4,2) -> (2,2)
    ],
}


def test_it_delta_decodes_and_transforms_quantized_arcs() -> None:
    arcs = topojson.decode_arcs(TINY)
    assert arcs[0] == [[11.0, 50.0], [11.0, 51.0]]
    assert arcs[2][-1] == [11.0, 51.0]


def test_it_stitches_rings_and_drops_the_repeated_joint_point() -> None:
    features = topojson.object_to_features(TINY, "squares")
    left = features[0]
    assert left["id"] == "L" and left["properties"] == {"name": "left"}
    assert left["geometry"] == {
        "type": "Polygon",
        "coordinates": [[[11.0, 50.0], [11.0, 51.0], [10.0, 51.0], [10.0, 50.0], [11.0, 50.0]]],
    }


def test_a_negative_index_walks_the_shared_arc_backwards() -> None:
    right = topojson.object_to_features(TINY, "squares")[1]["geometry"]
    assert right["type"] == "MultiPolygon"
    assert right["coordinates"] == [
        [[[11.0, 50.0], [12.0, 50.0], [12.0, 51.0], [11.0, 51.0], [11.0, 50.0]]]
    ]


def test_a_null_geometry_stays_null_and_unknown_types_are_rejected() -> None:
    assert topojson.object_to_features(TINY, "squares")[2]["geometry"] is None
    with pytest.raises(topojson.TopologyError):
        topojson.geometry_to_geojson({"type": "Sphere", "arcs": []}, [])


def test_rounding_removes_repeated_points_and_collapsed_rings() -> None:
    arcs = [[[0.0, 0.0], [0.00001, 0.0], [0.00001, 0.00001], [0.0, 0.0]]]
    assert topojson.geometry_to_geojson({"type": "Polygon", "arcs": [[0]]}, arcs, 4) is None


def test_the_us_states_file_has_50_states_and_dc_with_codes_and_names(
    built: tuple[Any, dict[str, Any]],
) -> None:
    import json

    out, _ = built
    collection = json.loads((out / "boundaries" / "us_states.geojson").read_text())
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert len(codes) == 51 and "11" in codes and "72" not in codes
    names = {f["properties"]["code"]: f["properties"]["name"] for f in collection["features"]}
    assert names["26"] == "Michigan" and names["11"] == "District of Columbia"
    michigan = next(f for f in collection["features"] if f["properties"]["code"] == "26")
    xs = [p[0] for poly in michigan["geometry"]["coordinates"] for ring in poly for p in ring]
    assert -90.5 < min(xs) < -90.3 and -82.5 < max(xs) < -82.3
