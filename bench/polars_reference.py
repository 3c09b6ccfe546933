"""An idiomatic Polars (lazy) implementation of the cmp method, beside the pandas reference.

    python bench/polars_reference.py --employment E.parquet --clusters C.csv --out R.parquet

The same work and the same inputs as bench/pandas_reference.py (no reference region, no
suppression flags, crosswalk or region links, no input checks), written the way a data
engineer would write it in Polars: one lazy query from scan_parquet to the sorted table,
collected once (Polars picks the threads and the plan) and written as Parquet.

Percentiles are Polars' `quantile(q, "linear")`, NumPy's default formula. NumPy's `_lerp`
interpolates from the upper neighbour when the fraction is at least 0.5; an implementation
that always interpolates from the lower one can differ in the last bit and flip a `>=`.
run_same_work.py therefore checks at every size that the flags and numbers agree with the
pandas reference's and the engine's (results in bench/README.md).
"""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
from common import io_arguments

CELL = ["year", "region_type", "region_code"]
GROUP = ["year", "region_type", "cluster_code"]
FLAGS = ["qualifying", "significant", "strong", "strong10"]
OUTPUT = [*CELL, "cluster_code", "cluster_name", "cluster_type", "employment", "establishments"]
OUTPUT += ["wage", "share", "reference_share", "lq", *FLAGS]


def read(path: Path) -> pl.LazyFrame:
    columns = [*CELL, "industry_code", "employment", "establishments", "payroll"]
    if path.suffix == ".parquet":
        return pl.scan_parquet(path).select(columns)
    return pl.scan_csv(path, schema_overrides={"industry_code": pl.String}).select(columns)


def ratio(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """a / b, empty where b is 0 (the engine's NULLIF)."""
    return a / pl.when(b != 0).then(b)


def percentile(column: str, q: float) -> pl.Expr:
    return pl.col(column).quantile(q, "linear")


def sum_clusters(employment: pl.LazyFrame, clusters: pl.LazyFrame) -> pl.LazyFrame:
    # Wages over the rows where both payroll and employment are known.
    known = pl.col("payroll").is_not_null() & pl.col("employment").is_not_null()
    codes = clusters.select("industry_code", "cluster_code")
    df = employment.join(codes, on="industry_code", how="inner").with_columns(
        wage_payroll=pl.when(known).then(pl.col("payroll")),
        wage_employment=pl.when(known).then(pl.col("employment")),
    )
    # Grouped by the codes only; names and types join the (much smaller) result.
    keys = [*CELL, "cluster_code"]
    names = clusters.group_by("cluster_code").agg(pl.col("cluster_name", "cluster_type").first())
    sums = ["employment", "establishments", "wage_payroll", "wage_employment"]
    rc = df.group_by(keys).agg(
        *(pl.col(c).sum() for c in sums),
        *(pl.col(c).count().alias(f"{c}_known") for c in sums),
        pl.len().alias("rows"),
    )
    # sum(min_count=1): empty when no row knows the value; the establishments of a cell
    # are known only if every row knows them.
    return (
        rc.with_columns(
            *(pl.when(pl.col(f"{c}_known") > 0).then(c).alias(c) for c in sums),
        )
        .with_columns(
            establishments=pl.when(pl.col("establishments_known") == pl.col("rows")).then(
                "establishments"
            ),
        )
        .join(names, on="cluster_code", how="left")
    )


def cmp(employment: pl.LazyFrame, clusters: pl.LazyFrame) -> pl.LazyFrame:
    rc = sum_clusters(employment, clusters).with_columns(
        den=pl.col("employment").sum().over([*CELL, "cluster_type"]),
        b_emp=pl.col("employment").sum().over(GROUP),
        b_den=pl.col("employment").sum().over(["year", "region_type", "cluster_type"]),
    )
    rc = rc.with_columns(
        wage=ratio(pl.col("wage_payroll"), pl.col("wage_employment")),
        share=ratio(pl.col("employment"), pl.col("den")),
        reference_share=ratio(pl.col("employment"), pl.col("b_emp")),
        lq=ratio(
            ratio(pl.col("employment"), pl.col("den")), ratio(pl.col("b_emp"), pl.col("b_den"))
        ),
        compared=(pl.col("employment") > 0) & (pl.col("cluster_type") == "traded"),
    )
    thresholds = (
        rc.filter("compared")
        .group_by(GROUP)
        .agg(
            percentile("lq", 0.25).alias("p25_lq"),
            percentile("lq", 0.50).alias("p50_lq"),
            percentile("lq", 0.75).alias("p75_lq"),
            percentile("lq", 0.90).alias("p90_lq"),
            percentile("employment", 0.25).alias("p25_emp"),
            percentile("establishments", 0.25).alias("p25_est"),
        )
    )
    lq = pl.col("lq")
    base = (
        pl.col("compared")
        & (pl.col("employment") > pl.col("p25_emp"))
        & (pl.col("establishments") > pl.col("p25_est"))
    )
    return (
        rc.join(thresholds, on=GROUP, how="left")
        .with_columns(
            qualifying=(base & (lq > pl.col("p25_lq"))).fill_null(False),
            significant=(base & (lq > pl.col("p50_lq"))).fill_null(False),
            strong=(base & (lq >= pl.col("p75_lq")) & (lq >= 1)).fill_null(False),
            strong10=(base & (lq >= pl.col("p90_lq")) & (lq >= 1)).fill_null(False),
        )
        .select(OUTPUT)
        .sort([*CELL, "cluster_code"])
    )


def main() -> None:
    args = io_arguments(__doc__ or "")
    start, cpu = time.perf_counter(), time.process_time()
    clusters = pl.scan_csv(args.clusters, infer_schema=False).select(
        "industry_code", "cluster_code", "cluster_name", pl.col("type").alias("cluster_type")
    )
    cmp(read(args.employment), clusters).collect().write_parquet(args.out)
    print(f"CORE {time.perf_counter() - start:.3f} {time.process_time() - cpu:.3f}")


if __name__ == "__main__":
    main()
