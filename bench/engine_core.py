"""The engine doing the same work as bench/pandas_reference.py, timed in-process.

    python bench/engine_core.py --employment E.parquet --clusters C.csv --out R.parquet

Prints `CORE <wall seconds> <CPU seconds>`: from reading the input to
region_clusters.parquet written (as the CLI writes it),
without interpreter start-up and imports, and without the two stages that build outputs
the references do not compute: relatedness and the region summary (their times are
subtracted). run_bench.py compares it with the same figure of the pandas reference.
"""

from __future__ import annotations

import time

from common import io_arguments

from clusterportal.analytics import compute
from clusterportal.analytics.output import write_parquet


def main() -> None:
    args = io_arguments(__doc__ or "")
    start, cpu = time.perf_counter(), time.process_time()
    result = compute(args.employment, args.clusters, method="cmp")
    write_parquet(result.region_clusters, args.out)
    # Outputs Polars and pandas do not build. Relatedness is mostly single-threaded NumPy
    # and the summary a small query: their wall time stands for their CPU time.
    timings = result.manifest["timings_seconds"]
    extra = timings["relatedness"] + timings["region summary"]
    wall = time.perf_counter() - start - extra
    print(f"CORE {wall:.3f} {time.process_time() - cpu - extra:.3f}")


if __name__ == "__main__":
    main()
