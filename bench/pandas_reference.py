"""A plain pandas implementation of the cmp method: the reference for the benchmark.

    python bench/pandas_reference.py --employment E.parquet --clusters C.csv --out R.parquet

No reference region (each year and region type is compared with the sum of its
regions), no flags, crosswalk or region links: the core of the method only.
Percentiles are numpy's default, as in the engine (docs/atlas-method.md).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import io_arguments

CODES = {"region_type": "string", "region_code": "string", "industry_code": "string"}
GROUP = ["year", "region_type", "cluster_code"]


def read(path: Path) -> pd.DataFrame:
    columns = ["year", *CODES, "employment", "establishments"]
    if path.suffix == ".parquet":
        return pd.read_parquet(path, columns=columns)
    return pd.read_csv(path, usecols=columns, dtype={**CODES, "employment": float})


def pct(q: float):  # noqa: ANN201 - a pandas aggregation function
    return lambda s: np.percentile(s, q)


def cmp(employment: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    df = employment.merge(clusters, on="industry_code", how="inner")
    keys = ["year", "region_type", "region_code", "cluster_code", "type"]
    rc = df.groupby(keys, sort=False, observed=True)[["employment", "establishments"]].sum()
    rc = rc.reset_index()
    den = rc.groupby(["year", "region_type", "region_code", "type"])["employment"].sum()
    rc = rc.join(den.rename("den"), on=["year", "region_type", "region_code", "type"])
    b_emp = rc.groupby(GROUP)["employment"].sum().rename("b_emp")
    b_den = rc.groupby(["year", "region_type", "type"])["employment"].sum().rename("b_den")
    rc = rc.join(b_emp, on=GROUP).join(b_den, on=["year", "region_type", "type"])
    rc["lq"] = (rc["employment"] / rc["den"]) / (rc["b_emp"] / rc["b_den"])

    compared = (rc["employment"] > 0) & (rc["type"] == "traded")
    g = rc[compared].groupby(GROUP)
    thresholds = pd.DataFrame(
        {
            "p25_lq": g["lq"].agg(pct(25)),
            "p50_lq": g["lq"].agg(pct(50)),
            "p75_lq": g["lq"].agg(pct(75)),
            "p90_lq": g["lq"].agg(pct(90)),
            "p25_emp": g["employment"].agg(pct(25)),
            "p25_est": g["establishments"].agg(pct(25)),
        }
    )
    rc = rc.join(thresholds, on=GROUP)
    base = compared & (rc["employment"] > rc["p25_emp"]) & (rc["establishments"] > rc["p25_est"])
    rc["qualifying"] = base & (rc["lq"] > rc["p25_lq"])
    rc["significant"] = base & (rc["lq"] > rc["p50_lq"])
    rc["strong"] = base & (rc["lq"] >= rc["p75_lq"]) & (rc["lq"] >= 1)
    rc["strong10"] = base & (rc["lq"] >= rc["p90_lq"]) & (rc["lq"] >= 1)
    out = ["year", "region_type", "region_code", "cluster_code", "employment", "lq"]
    out += ["qualifying", "significant", "strong", "strong10"]
    return rc[out].sort_values(["year", "region_type", "region_code", "cluster_code"])


def main() -> None:
    args = io_arguments(__doc__ or "")
    start, cpu = time.perf_counter(), time.process_time()
    clusters = pd.read_csv(args.clusters, dtype="string")[["industry_code", "cluster_code", "type"]]
    cmp(read(args.employment), clusters).to_parquet(args.out, index=False)
    print(f"CORE {time.perf_counter() - start:.3f} {time.process_time() - cpu:.3f}")


if __name__ == "__main__":
    main()
