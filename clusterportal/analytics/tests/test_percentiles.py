"""The engine's percentiles equal numpy.percentile's default to the last bit, ties included."""

from __future__ import annotations

import numpy as np

from clusterportal.analytics.engine import _np_percentiles

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def engine_percentiles(groups: list[np.ndarray], q: float) -> np.ndarray:
    """The groups laid out as the engine lays them out: one after the other, each sorted
    with its known values first (NaN, an empty value, sorts last)."""
    values = np.concatenate([np.sort(g) for g in groups])
    sizes = np.array([len(g) for g in groups])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    known = np.array([int(np.count_nonzero(~np.isnan(g))) for g in groups])
    return _np_percentiles(values, starts, known, q)


def test_it_matches_numpy_percentiles_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    groups = [rng.lognormal(0, 1, n) for n in (1, 2, 3, 4, 7, 50, 51, 333)]
    for q in QUANTILES:
        got = engine_percentiles(groups, q)
        for g, values in enumerate(groups):
            assert got[g] == np.percentile(values, q * 100), (g, q)


def test_it_matches_numpy_percentiles_on_ties() -> None:
    rng = np.random.default_rng(11)
    groups = [rng.integers(0, 4, n).astype(float) for n in (5, 10, 37, 200)]
    groups.append(np.array([1.0, 1.0, 1.0, 1.0]))
    for q in QUANTILES:
        got = engine_percentiles(groups, q)
        for g, values in enumerate(groups):
            assert got[g] == np.percentile(values, q * 100), (g, q)


def test_it_leaves_empty_values_out_and_gives_an_empty_group_no_percentile() -> None:
    groups = [np.array([4.0, np.nan, 1.0, 2.0]), np.array([np.nan, np.nan]), np.array([7.0])]
    got = engine_percentiles(groups, 0.75)
    assert got[0] == np.percentile([1.0, 2.0, 4.0], 75) == 3.0
    assert np.isnan(got[1])
    assert got[2] == 7.0


def test_it_interpolates_from_the_upper_neighbour_as_numpy_does() -> None:
    # (n - 1) * 0.9 = 2.7, gamma >= 0.5: numpy computes b - (b - a) * (1 - gamma), which
    # here differs in the last bit from a + (b - a) * gamma (DuckDB's quantile_cont)
    values = np.array([0.6033675479951784, 1.02455622239378, 1.7247903772902056, 4.691821334019852])
    got = engine_percentiles([values], 0.9)[0]
    assert got == np.percentile(values, 90) == 3.8017120470009584
    assert got != 3.801712047000958  # the lower neighbour's formula
