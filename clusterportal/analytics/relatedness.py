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
from typing import Any

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


# The NumPy columns compute() returns (engine.py joins the codes back in SQL).
PAIR_TYPES = {
    "g": np.int64,
    "a": np.int64,
    "b": np.int64,
    "regions": np.int64,
    "correlation": np.float64,
    "relatedness": np.float64,
}
DENSITY_TYPES = {"g": np.int64, "r": np.int64, "c": np.int64, "density": np.float64}
PAIR_COLUMNS, DENSITY_COLUMNS = tuple(PAIR_TYPES), tuple(DENSITY_TYPES)


@dataclass(frozen=True)
class Panel:
    """The traded-cluster LQ panel, indexed by integers prepared in SQL.

    `groups`: (g, n_regions) for each comparison group (one year, one region type).
    `cells`: NumPy arrays g, r, c, lq, strong, sorted by g, where r numbers the regions
    within the group and c the `n_clusters` traded clusters.
    """

    groups: list[tuple[int, int]]
    cells: dict[str, np.ndarray]
    n_clusters: int


def compute(panel: Panel) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Relatedness and density for every group, as NumPy columns: pairs (g, a, b,
    regions, correlation, relatedness) with a and b cluster numbers, and densities
    (g, r, c, density) of the cells where the region is not strong. NaN marks an
    undefined value. The caller puts the codes back in (engine.py, in SQL: building
    Arrow arrays from NumPy would import pandas, a quarter of a second)."""
    n_clusters = panel.n_clusters
    cell_g, cell_r, cell_c = (panel.cells[k] for k in ("g", "r", "c"))
    cell_lq, cell_strong = panel.cells["lq"], panel.cells["strong"]
    pairs: dict[str, list[np.ndarray]] = {k: [] for k in PAIR_COLUMNS}
    dens: dict[str, list[np.ndarray]] = {k: [] for k in DENSITY_COLUMNS}
    for g, n_regions in panel.groups:
        if n_regions < MIN_REGIONS or n_clusters == 0:
            continue
        lo, hi = np.searchsorted(cell_g, [g, g + 1])
        lq = np.zeros((n_regions, n_clusters))
        strong = np.zeros((n_regions, n_clusters), dtype=bool)
        lq[cell_r[lo:hi], cell_c[lo:hi]] = cell_lq[lo:hi]
        strong[cell_r[lo:hi], cell_c[lo:hi]] = cell_strong[lo:hi]
        corr, phi = proximity(lq)
        a, b = np.nonzero(~np.eye(n_clusters, dtype=bool))
        regions = np.full(len(a), n_regions, dtype=np.int64)
        _append(pairs, g, a=a, b=b, regions=regions, correlation=corr[a, b], relatedness=phi[a, b])
        r_idx, c_idx = np.nonzero(~strong)
        _append(dens, g, r=r_idx, c=c_idx, density=density(phi, strong)[r_idx, c_idx])
    return _joined(pairs, PAIR_TYPES), _joined(dens, DENSITY_TYPES)


def _append(parts: dict[str, list[np.ndarray]], g: int, **columns: np.ndarray) -> None:
    n = len(next(iter(columns.values())))
    parts["g"].append(np.full(n, g, dtype=np.int64))
    for name, values in columns.items():
        parts[name].append(values)


def _joined(parts: dict[str, list[np.ndarray]], types: dict[str, Any]) -> dict[str, np.ndarray]:
    return {
        name: np.concatenate(parts[name]).astype(kind) if parts[name] else np.zeros(0, kind)
        for name, kind in types.items()
    }
