"""Relatedness between clusters from co-location, and relatedness density.

For each comparison group (one year, one region type) the regions x traded
clusters matrix of location quotients (0 where a region has no employment in a
cluster) gives Pearson correlations between clusters; negative ones are clipped
to 0 and a cluster is not related to itself. Density of cluster c in region r
(Hidalgo et al. 2007) is sum_{c' != c} phi_cc' x_rc' / sum_{c' != c} phi_cc',
with x = 1 where the region is strong in c'. See docs/atlas-method.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

# A correlation over fewer regions says nothing; such groups get no rows.
MIN_REGIONS = 3

RELATEDNESS_SCHEMA = pa.schema(
    [
        ("year", pa.int32()),
        ("region_type", pa.string()),
        ("cluster_code", pa.string()),
        ("related_cluster_code", pa.string()),
        ("regions", pa.int64()),
        ("correlation", pa.float64()),
        ("relatedness", pa.float64()),
    ]
)
DENSITY_SCHEMA = pa.schema(
    [
        ("year", pa.int32()),
        ("region_type", pa.string()),
        ("region_code", pa.string()),
        ("cluster_code", pa.string()),
        ("density", pa.float64()),
    ]
)


def proximity(lq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(correlation, relatedness) between the columns of a regions x clusters LQ matrix."""
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = np.corrcoef(lq, rowvar=False)
    corr = np.atleast_2d(corr)
    phi = np.where(np.isnan(corr), 0.0, np.clip(corr, 0.0, None))
    np.fill_diagonal(phi, 0.0)
    return corr, phi


def density(phi: np.ndarray, strong: np.ndarray) -> np.ndarray:
    """Regions x clusters relatedness density; NaN where a cluster has no related one."""
    weight = phi.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray = (strong.astype(np.float64) @ phi) / np.where(weight > 0, weight, np.nan)
    return out


@dataclass(frozen=True)
class Panel:
    """The traded-cluster LQ panel, indexed by integers prepared in SQL.

    `groups`: one row per (year, region type): g, year, region_type, n_regions,
    first (offset of its regions in `region_codes`). `cells`: g, r, c, lq, strong,
    sorted by g, where r numbers the regions within the group and c the clusters.
    `region_codes` lists each group's regions in r order; `cluster_codes` in c order.
    """

    groups: pa.Table
    cells: pa.Table
    region_codes: pa.Array
    cluster_codes: pa.Array


def compute(panel: Panel) -> tuple[pa.Table, pa.Table]:
    """Relatedness and density for every (year, region type) group."""
    n_clusters = len(panel.cluster_codes)
    if n_clusters == 0 or panel.groups.num_rows == 0:
        return RELATEDNESS_SCHEMA.empty_table(), DENSITY_SCHEMA.empty_table()
    cell_g = _np(panel.cells, "g")
    cell_r, cell_c = _np(panel.cells, "r"), _np(panel.cells, "c")
    cell_lq, cell_strong = _np(panel.cells, "lq"), _np(panel.cells, "strong")
    rel_parts: list[pa.Table] = []
    den_parts: list[pa.Table] = []
    for g, year, region_type, n_regions, first in zip(
        *(
            panel.groups.column(k).to_pylist()
            for k in ("g", "year", "region_type", "n_regions", "first")
        ),
        strict=True,
    ):
        if n_regions < MIN_REGIONS:
            continue
        lo, hi = np.searchsorted(cell_g, [g, g + 1])
        lq = np.zeros((n_regions, n_clusters))
        strong = np.zeros((n_regions, n_clusters), dtype=bool)
        lq[cell_r[lo:hi], cell_c[lo:hi]] = cell_lq[lo:hi]
        strong[cell_r[lo:hi], cell_c[lo:hi]] = cell_strong[lo:hi]
        corr, phi = proximity(lq)
        a, b = np.nonzero(~np.eye(n_clusters, dtype=bool))
        rel_parts.append(
            _table(
                RELATEDNESS_SCHEMA,
                year,
                region_type,
                cluster_code=panel.cluster_codes.take(pa.array(a)),
                related_cluster_code=panel.cluster_codes.take(pa.array(b)),
                regions=pa.array(np.full(len(a), n_regions), pa.int64()),
                correlation=_floats(corr[a, b]),
                relatedness=_floats(phi[a, b]),
            )
        )
        r_idx, c_idx = np.nonzero(~strong)
        den_parts.append(
            _table(
                DENSITY_SCHEMA,
                year,
                region_type,
                region_code=panel.region_codes.take(pa.array(r_idx + first)),
                cluster_code=panel.cluster_codes.take(pa.array(c_idx)),
                density=_floats(density(phi, strong)[r_idx, c_idx]),
            )
        )
    rel = pa.concat_tables(rel_parts) if rel_parts else RELATEDNESS_SCHEMA.empty_table()
    den = pa.concat_tables(den_parts) if den_parts else DENSITY_SCHEMA.empty_table()
    return rel, den


def _np(table: pa.Table, column: str) -> np.ndarray:
    out: np.ndarray = table.column(column).to_numpy(zero_copy_only=False)
    return out


def _floats(values: np.ndarray) -> pa.Array:
    """float64 with NaN (an undefined correlation or density) as null."""
    return pa.array(values, pa.float64(), mask=np.isnan(values))


def _table(schema: pa.Schema, year: int, region_type: str, **columns: pa.Array) -> pa.Table:
    n = len(next(iter(columns.values())))
    head = {
        "year": pa.array(np.full(n, year, dtype=np.int32)),
        # one string repeated: take() from a one-element array, no Python objects
        "region_type": pa.array([region_type], pa.string()).take(np.zeros(n, dtype=np.int32)),
    }
    return pa.table({**head, **columns}, schema=schema)
