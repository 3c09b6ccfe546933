"""The floor: a bare DuckDB scan of the Parquet panel and one group-by, nothing else.

    python bench/duckdb_bare.py --employment E.parquet --clusters C.csv --out R.parquet

Reads the panel, joins the industry codes to their clusters and sums employment,
establishments and payroll per year x region x cluster into an Arrow table. No wages,
shares, LQs, percentiles, flags, sorting, checks or writing: the least work any
implementation of the method must do. `CORE` stops when the Arrow table is there; the
table is written to --out after that, untimed, so run_same_work.py can check its sums.
"""

from __future__ import annotations

import time

import duckdb
import pyarrow.parquet as pq
from common import io_arguments


def main() -> None:
    args = io_arguments(__doc__ or "")
    start, cpu = time.perf_counter(), time.process_time()
    con = duckdb.connect(":memory:")
    table = con.sql(
        f"""
        SELECT e.year, e.region_type, e.region_code, c.cluster_code,
               sum(e.employment) AS employment, sum(e.establishments) AS establishments,
               sum(e.payroll) AS payroll
          FROM read_parquet('{args.employment}') e
          JOIN read_csv('{args.clusters}', all_varchar = true) c USING (industry_code)
         GROUP BY ALL
        """
    ).to_arrow_table()
    print(f"CORE {time.perf_counter() - start:.3f} {time.process_time() - cpu:.3f}")
    pq.write_table(table, args.out)


if __name__ == "__main__":
    main()
