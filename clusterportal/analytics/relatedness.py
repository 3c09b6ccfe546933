"""Relatedness between clusters from co-location, and relatedness density.

For each comparison group (one year, one region type) the regions x traded
clusters matrix of location quotients (0 where a region has no employment in a
cluster) gives Pearson correlations between clusters; negative ones are clipped
to 0 and a cluster is not related to itself. Density of cluster c in region r
(Hidalgo et al. 2007) is sum_{c' != c} phi_cc' x_rc' / sum_{c' != c} phi_cc',
with x = 1 where the region is strong in c'. See docs/atlas-method.md.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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


def compute(
    cells: pa.Table, regions: pa.Table, clusters: pa.ChunkedArray
) -> tuple[pa.Table, pa.Table]:
    """Relatedness and density for every (year, region type) group.

    `cells`: year, region_type, region_code, cluster_code, lq, strong for traded
    clusters; `regions`: year, region_type, region_code of every compared region,
    both sorted by year, region_type, region_code; `clusters`: traded cluster codes.
    """
    codes = np.array(clusters.to_pylist(), dtype=object)
    n_clusters = len(codes)
    rel_parts: list[pa.Table] = []
    den_parts: list[pa.Table] = []
    if n_clusters == 0 or regions.num_rows == 0:
        return RELATEDNESS_SCHEMA.empty_table(), DENSITY_SCHEMA.empty_table()
    col = pc.index_in(cells.column("cluster_code"), value_set=pa.array(codes)).to_numpy(
        zero_copy_only=False
    )
    region_groups = _group_bounds(regions)
    cell_groups = _group_bounds(cells)
    region_code_all = regions.column("region_code")
    cell_region = cells.column("region_code")
    lq_all = cells.column("lq").to_numpy(zero_copy_only=False)
    strong_all = cells.column("strong").to_numpy(zero_copy_only=False)
    for key, (r0, r1) in region_groups.items():
        n_regions = r1 - r0
        if n_regions < MIN_REGIONS:
            continue
        c0, c1 = cell_groups.get(key, (0, 0))
        names = region_code_all.slice(r0, n_regions)
        row = pc.index_in(cell_region.slice(c0, c1 - c0), value_set=names).to_numpy(
            zero_copy_only=False
        )
        lq = np.zeros((n_regions, n_clusters))
        strong = np.zeros((n_regions, n_clusters), dtype=bool)
        lq[row, col[c0:c1]] = lq_all[c0:c1]
        strong[row, col[c0:c1]] = strong_all[c0:c1]
        corr, phi = proximity(lq)
        rel_parts.append(_relatedness_table(key, n_regions, codes, corr, phi))
        dens = density(phi, strong)
        r_idx, c_idx = np.nonzero(~strong)
        values = dens[r_idx, c_idx]
        den_parts.append(
            pa.table(
                {
                    "year": pa.array(np.full(len(r_idx), key[0]), pa.int32()),
                    "region_type": pa.array([key[1]] * len(r_idx), pa.string()),
                    "region_code": names.take(pa.array(r_idx)),
                    "cluster_code": pa.array(codes[c_idx], pa.string()),
                    "density": pa.array(values, pa.float64(), mask=np.isnan(values)),
                },
                schema=DENSITY_SCHEMA,
            )
        )
    rel = pa.concat_tables(rel_parts) if rel_parts else RELATEDNESS_SCHEMA.empty_table()
    den = pa.concat_tables(den_parts) if den_parts else DENSITY_SCHEMA.empty_table()
    return rel, den


def _relatedness_table(
    key: tuple[int, str], n_regions: int, codes: np.ndarray, corr: np.ndarray, phi: np.ndarray
) -> pa.Table:
    n = len(codes)
    a, b = np.nonzero(~np.eye(n, dtype=bool))
    values = corr[a, b]
    return pa.table(
        {
            "year": pa.array(np.full(len(a), key[0]), pa.int32()),
            "region_type": pa.array([key[1]] * len(a), pa.string()),
            "cluster_code": pa.array(codes[a], pa.string()),
            "related_cluster_code": pa.array(codes[b], pa.string()),
            "regions": pa.array(np.full(len(a), n_regions), pa.int64()),
            "correlation": pa.array(values, pa.float64(), mask=np.isnan(values)),
            "relatedness": pa.array(phi[a, b], pa.float64()),
        },
        schema=RELATEDNESS_SCHEMA,
    )


def _group_bounds(table: pa.Table) -> dict[tuple[int, str], tuple[int, int]]:
    """(year, region_type) -> [start, end) row range of a table sorted by those keys."""
    if table.num_rows == 0:
        return {}
    years = table.column("year").to_numpy(zero_copy_only=False)
    types = table.column("region_type").to_numpy(zero_copy_only=False)
    change = np.flatnonzero((years[1:] != years[:-1]) | (types[1:] != types[:-1])) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [table.num_rows]))
    return {
        (int(years[s]), str(types[s])): (int(s), int(e)) for s, e in zip(starts, ends, strict=True)
    }
