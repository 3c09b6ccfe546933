"""Generate a SYNTHETIC employment panel for the atlas benchmark (not real data).

    python bench/make_synthetic.py --rows 30000000 --out bench/out/synthetic_30m

writes employment.parquet (year, region_type, region_code, industry_code,
employment, establishments, payroll) and clusters.csv into the output folder.
3,200 regions x 1,000 industries; the number of years and the share of
non-zero cells are chosen to give about --rows rows (20 years at 30 million).
Region sizes, industry sizes and region x cluster specialisation are drawn
from log-normal distributions with a fixed seed, so runs are repeatable.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REGIONS = 3_200
INDUSTRIES = 1_000
TRADED_CLUSTERS = 50
LOCAL_CLUSTERS = 16


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)

    years = max(1, round(20 * args.rows / 30_000_000))
    keep = min(1.0, args.rows / (REGIONS * INDUSTRIES * years))
    cluster_of = np.sort(rng.integers(0, TRADED_CLUSTERS + LOCAL_CLUSTERS, INDUSTRIES))
    industry_codes = np.array([f"{100000 + i:06d}" for i in range(INDUSTRIES)], dtype=object)
    region_codes = np.array([f"R{r:05d}" for r in range(REGIONS)], dtype=object)
    region_size = rng.lognormal(0, 1.0, REGIONS)
    industry_size = rng.lognormal(2.5, 1.2, INDUSTRIES)
    special = rng.lognormal(0, 0.8, (REGIONS, TRADED_CLUSTERS + LOCAL_CLUSTERS))

    writer = None
    path = args.out / "employment.parquet"
    total = 0
    for y in range(years):
        mask = rng.random((REGIONS, INDUSTRIES)) < keep
        r, i = np.nonzero(mask)
        growth = 1.02**y
        mean = region_size[r] * industry_size[i] * special[r, cluster_of[i]] * growth
        employment = np.maximum(1, np.round(mean * rng.lognormal(0, 0.3, len(r))))
        establishments = np.maximum(1, np.round(employment / rng.uniform(5, 25, len(r))))
        payroll = np.round(employment * rng.uniform(30, 90, len(r)))
        table = pa.table(
            {
                "year": pa.array(np.full(len(r), 2000 + y, dtype=np.int32)),
                "region_type": pa.array(["synthetic"] * len(r), pa.string()),
                "region_code": pa.array(region_codes[r], pa.string()),
                "industry_code": pa.array(industry_codes[i], pa.string()),
                "employment": pa.array(employment),
                "establishments": pa.array(establishments),
                "payroll": pa.array(payroll),
            }
        )
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=1_000_000)
        total += len(r)
    assert writer is not None
    writer.close()

    with open(args.out / "clusters.csv", "w", encoding="utf-8") as out:
        out.write("industry_code,cluster_code,cluster_name,type\n")
        for code, c in zip(industry_codes, cluster_of, strict=True):
            kind = "traded" if c < TRADED_CLUSTERS else "local"
            number = c + 1 if kind == "traded" else 101 + c - TRADED_CLUSTERS
            out.write(f"{code},{number},Synthetic cluster {number},{kind}\n")
    print(f"{path}: {total:,} rows, {years} years, {math.ceil(keep * 100)}% of cells non-zero")


if __name__ == "__main__":
    main()
