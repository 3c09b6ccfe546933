import pytest

from clusterportal.lib.geo import bbox, centroid

SQUARE = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]


def test_the_centroid_of_a_square_is_its_middle():
    assert centroid({"type": "Polygon", "coordinates": [SQUARE]}) == pytest.approx((2, 2))


def test_a_hole_moves_the_centroid_away_from_it():
    hole = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    # Area 16 - 4 = 12; centroid = (16*(2,2) - 4*(1,1)) / 12 = (7/3, 7/3).
    assert centroid({"type": "Polygon", "coordinates": [SQUARE, hole]}) == pytest.approx(
        (7 / 3, 7 / 3)
    )


def test_a_multipolygon_weighs_its_parts_by_area():
    small = [[10, 0], [12, 0], [12, 2], [10, 2], [10, 0]]
    # (16*(2,2) + 4*(11,1)) / 20 = (3.8, 1.8)
    geometry = {"type": "MultiPolygon", "coordinates": [[SQUARE], [small]]}
    assert centroid(geometry) == pytest.approx((3.8, 1.8))
    assert bbox([geometry]) == (0, 0, 12, 4)


def test_other_geometries_are_rejected():
    with pytest.raises(ValueError, match="expected a Polygon or MultiPolygon, got 'Point'"):
        centroid({"type": "Point", "coordinates": [1, 2]})
