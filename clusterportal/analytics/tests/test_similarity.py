"""Regions like mine: cosine similarity of LQ vectors."""

from __future__ import annotations

import math

from clusterportal.analytics.similarity import most_similar


def test_the_same_profile_at_another_level_is_most_similar() -> None:
    vectors = {
        1: {10: 2.0, 20: 1.0},
        2: {10: 4.0, 20: 2.0},  # same direction, twice the LQs
        3: {10: 1.0, 20: 2.0},
        4: {30: 5.0},  # nothing in common
        5: {},  # no profile
    }
    ranked = most_similar(vectors, 1)
    assert [key for key, _ in ranked] == [2, 3, 4]
    assert math.isclose(ranked[0][1], 1.0)
    # (2*1 + 1*2) / (sqrt(5) * sqrt(5)) = 0.8
    assert math.isclose(ranked[1][1], 0.8)
    assert ranked[2][1] == 0.0


def test_an_unknown_or_empty_region_has_no_neighbours() -> None:
    assert most_similar({1: {10: 1.0}}, 2) == []
    assert most_similar({1: {}, 2: {10: 1.0}}, 1) == []
