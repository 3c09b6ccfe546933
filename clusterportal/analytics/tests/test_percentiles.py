"""The SQL percentile equals numpy.percentile's default to the last bit, ties included."""

from __future__ import annotations

import numpy as np

from clusterportal.analytics.engine import connect
from clusterportal.analytics.sources import first_row

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def sql_percentiles(groups: list[np.ndarray]) -> dict[tuple[int, float], float]:
    con = connect(threads=1)
    con.execute("CREATE TABLE v (g INTEGER, x DOUBLE)")
    rows = [(g, float(x)) for g, values in enumerate(groups) for x in values]
    con.executemany("INSERT INTO v VALUES (?, ?)", rows)
    out: dict[tuple[int, float], float] = {}
    for q in QUANTILES:
        for g, value in con.execute(
            "SELECT g, np_percentile(list(x ORDER BY x), ?) FROM v GROUP BY g", [q]
        ).fetchall():
            out[(g, q)] = value
    return out


def test_it_matches_numpy_percentiles_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    groups = [rng.lognormal(0, 1, n) for n in (1, 2, 3, 4, 7, 50, 51, 333)]
    got = sql_percentiles(groups)
    for g, values in enumerate(groups):
        for q in QUANTILES:
            assert got[(g, q)] == np.percentile(values, q * 100), (g, q)


def test_it_matches_numpy_percentiles_on_ties() -> None:
    rng = np.random.default_rng(11)
    groups = [rng.integers(0, 4, n).astype(float) for n in (5, 10, 37, 200)]
    groups.append(np.array([1.0, 1.0, 1.0, 1.0]))
    got = sql_percentiles(groups)
    for g, values in enumerate(groups):
        for q in QUANTILES:
            assert got[(g, q)] == np.percentile(values, q * 100), (g, q)
    # DuckDB's own quantile_cont agrees on ties too (both interpolate equal neighbours).
    con = connect(threads=1)
    (value,) = first_row(
        con.execute(
            "SELECT quantile_cont(x, 0.75) FROM (VALUES (1.0), (2.0), (2.0), (2.0), (9.0)) t(x)"
        ).fetchall()
    ) or (None,)
    assert value == np.percentile([1.0, 2.0, 2.0, 2.0, 9.0], 75)
