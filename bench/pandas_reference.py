"""A plain pandas implementation of the cmp method: the reference for the benchmark.

    python bench/pandas_reference.py --employment E.parquet --clusters C.csv --out R.parquet

It writes the engine's whole region_clusters table (every column, so the benchmark
can compare every value), for the inputs the benchmark uses: no reference region
(each year and region type is compared with the sum of its regions), no
suppression flags, crosswalk or region links, and no input checks.
Percentiles are numpy's default, as in the engine (docs/atlas-method.md).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import io_arguments

CODES = {"region_type": "string", "region_code": "string", "industry_code": "string"}
NUMBERS = ["employment", "establishments", "payroll"]
CELL = ["year", "region_type", "region_code"]
GROUP = ["year", "region_type", "cluster_code"]
FLAGS = ["qualifying", "significant", "strong", "strong10"]
OUTPUT = [*CELL, "cluster_code", "cluster_name", "cluster_type", "employment", "establishments"]
OUTPUT += ["wage", "share", "reference_share", "lq", *FLAGS]


def read(path: Path) -> pd.DataFrame:
    columns = ["year", *CODES, *NUMBERS]
    if path.suffix == ".parquet":
        return pd.read_parquet(path, columns=columns)
    return pd.read_csv(path, usecols=columns, dtype={**CODES, **dict.fromkeys(NUMBERS, float)})


def pct(q: float):  # noqa: ANN201 - a pandas aggregation function
    return lambda s: np.percentile(s, q)


def ratio(a: pd.Series, b: pd.Series) -> pd.Series:
    """a / b, empty where b is 0 (the engine's NULLIF)."""
    return a / b.where(b != 0)


def sum_clusters(employment: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    df = employment.merge(clusters, on="industry_code", how="inner")
    # Wages over the rows where both payroll and employment are known.
    known = df["payroll"].notna() & df["employment"].notna()
    df["wage_payroll"] = df["payroll"].where(known)
    df["wage_employment"] = df["employment"].where(known)
    df["no_establishments"] = df["establishments"].isna()
    keys = [*CELL, "cluster_code", "cluster_name", "cluster_type"]
    sums = ["employment", "establishments", "wage_payroll", "wage_employment"]
    rc = df.groupby(keys, sort=False, observed=True)[[*sums, "no_establishments"]]
    rc = rc.sum(min_count=1).reset_index()
    # The establishments of a cell are known only if every row knows them.
    rc.loc[rc["no_establishments"] > 0, "establishments"] = np.nan
    return rc


def cmp(employment: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    rc = sum_clusters(employment, clusters)
    den = rc.groupby([*CELL, "cluster_type"])["employment"].sum().rename("den")
    rc = rc.join(den, on=[*CELL, "cluster_type"])
    b_emp = rc.groupby(GROUP)["employment"].sum().rename("b_emp")
    b_den = rc.groupby(["year", "region_type", "cluster_type"])["employment"].sum().rename("b_den")
    rc = rc.join(b_emp, on=GROUP).join(b_den, on=["year", "region_type", "cluster_type"])
    rc["wage"] = ratio(rc["wage_payroll"], rc["wage_employment"])
    rc["share"] = ratio(rc["employment"], rc["den"])
    rc["reference_share"] = ratio(rc["employment"], rc["b_emp"])
    rc["lq"] = ratio(rc["share"], ratio(rc["b_emp"], rc["b_den"]))

    compared = (rc["employment"] > 0) & (rc["cluster_type"] == "traded")
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
    return rc[OUTPUT].sort_values([*CELL, "cluster_code"])


def main() -> None:
    args = io_arguments(__doc__ or "")
    start, cpu = time.perf_counter(), time.process_time()
    clusters = pd.read_csv(args.clusters, dtype="string")
    clusters = clusters[["industry_code", "cluster_code", "cluster_name", "type"]]
    clusters = clusters.rename(columns={"type": "cluster_type"})
    cmp(read(args.employment), clusters).to_parquet(args.out, index=False)
    print(f"CORE {time.perf_counter() - start:.3f} {time.process_time() - cpu:.3f}")


if __name__ == "__main__":
    main()
