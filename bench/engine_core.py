"""The engine doing the same work as bench/pandas_reference.py, timed in-process.

    python bench/engine_core.py --employment E.parquet --clusters C.csv --out R.parquet

Prints `CORE <seconds>`: from reading the input to region_clusters.parquet written,
without interpreter start-up and imports, and without the relatedness stage (which
the pandas reference does not compute). run_bench.py compares it with the same
figure of the pandas reference.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pyarrow.parquet as pq

from clusterportal.analytics import compute


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employment", type=Path, required=True)
    parser.add_argument("--clusters", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    start = time.perf_counter()
    result = compute(args.employment, args.clusters, method="cmp")
    pq.write_table(result.region_clusters, args.out)
    seconds = time.perf_counter() - start - result.manifest["timings_seconds"]["relatedness"]
    print(f"CORE {seconds:.3f}")


if __name__ == "__main__":
    main()
