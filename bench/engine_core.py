"""The engine doing the same work as bench/pandas_reference.py, timed in-process.

    python bench/engine_core.py --employment E.parquet --clusters C.csv --out R.parquet

Prints `CORE <seconds>`: from reading the input to region_clusters.parquet written,
without interpreter start-up and imports, and without the relatedness stage (which
the pandas reference does not compute). run_bench.py compares it with the same
figure of the pandas reference.
"""

from __future__ import annotations

import time

import pyarrow.parquet as pq
from common import io_arguments

from clusterportal.analytics import compute


def main() -> None:
    args = io_arguments(__doc__ or "")
    start = time.perf_counter()
    result = compute(args.employment, args.clusters, method="cmp")
    pq.write_table(result.region_clusters, args.out)
    seconds = time.perf_counter() - start - result.manifest["timings_seconds"]["relatedness"]
    print(f"CORE {seconds:.3f}")


if __name__ == "__main__":
    main()
