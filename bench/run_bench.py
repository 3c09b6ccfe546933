"""Run the atlas benchmarks and print the figures (see bench/README.md).

    python bench/run_bench.py --cbp PATH/us_cbp2019_cbsa_naics2017_emp_estab.csv.gz \
        --cluster-defs PATH/acr1_naics2012_to_benchmark_cluster.csv [--sizes 1 3 10 30]

Every step runs in its own process under /usr/bin/time, which gives the wall
time and the peak resident memory of that process. Inputs and outputs go to
bench/out/ (ignored by git). The synthetic panel is clearly synthetic
(make_synthetic.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
PY = sys.executable
CLI = [PY, "-m", "clusterportal.cli", "atlas", "compute"]


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds, the whole process
    cpu: float  # user + system seconds, all threads
    peak_gb: float  # peak resident memory
    core_wall: float  # in-process "same work" seconds, if the script prints CORE
    core_cpu: float


def timed(cmd: list[str]) -> Timing:
    """Run one command under /usr/bin/time."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "TIME %e %M %U %S", *cmd],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr}")
    line = [x for x in done.stderr.splitlines() if x.startswith("TIME ")][-1]
    _, wall, rss_kb, user, system = line.split()
    core = [x.split() for x in done.stdout.splitlines() if x.startswith("CORE ")]
    nan = float("nan")
    return Timing(
        wall=float(wall),
        cpu=float(user) + float(system),
        peak_gb=int(rss_kb) / 1024 / 1024,
        core_wall=float(core[-1][1]) if core else nan,
        core_cpu=float(core[-1][2]) if core else nan,
    )


def compare(engine_out: Path, pandas_out: Path) -> str:
    """Every column of region_clusters: the same rows, texts and flags, numbers to 1e-9."""
    return compare_files(engine_out / "region_clusters.parquet", pandas_out)


def compare_files(engine_file: Path, other_file: Path) -> str:
    """compare() for two region_clusters Parquet files."""
    keys = ["year", "region_type", "region_code", "cluster_code"]
    texts = ["cluster_name", "cluster_type"]
    flags = ["qualifying", "significant", "strong", "strong10"]
    numbers = ["employment", "establishments", "wage", "share", "reference_share", "lq"]
    columns = [*keys, *texts, *numbers, *flags]
    ours = pq.read_table(engine_file, columns=columns)
    theirs = pq.read_table(other_file, columns=columns)
    ours = ours.sort_by([(k, "ascending") for k in keys])
    theirs = theirs.sort_by([(k, "ascending") for k in keys])
    if ours.num_rows != theirs.num_rows:
        return f"DIFFERENT row counts {ours.num_rows} vs {theirs.num_rows}"
    for name in [*keys, *texts, *flags]:
        if not ours[name].equals(theirs[name].cast(ours[name].type)):
            return f"DIFFERENT {name}"
    worst = 0.0
    for name in numbers:
        a = ours[name].to_numpy(zero_copy_only=False).astype(float)
        b = theirs[name].to_numpy(zero_copy_only=False).astype(float)
        if not np.array_equal(np.isnan(a), np.isnan(b)):
            return f"DIFFERENT empty values in {name}"
        known = ~np.isnan(a)
        worst = max(worst, float(np.max(np.abs(a[known] - b[known]), initial=0.0)))
    verdict = "identical" if worst <= 1e-9 else "DIFFERENT"
    return f"{verdict} ({ours.num_rows:,} rows x {len(columns)} columns, max |diff| {worst:.1e})"


def bench_us(cbp: Path, defs: Path) -> None:
    us = OUT / "us"
    prep = timed(
        [
            PY,
            str(BENCH / "prepare_us.py"),
            "--cbp",
            str(cbp),
            "--clusters",
            str(defs),
            "--out",
            str(us),
        ]
    )
    run = timed(
        [
            *CLI,
            "--employment",
            str(us / "employment.csv"),
            "--clusters",
            str(us / "clusters.csv"),
            "--method",
            "cmp",
            "--allow-unmapped",
            "--quiet",
            "--out",
            str(OUT / "us_result"),
        ]
    )
    print("U.S. CBP 2019 CBSA (569,017 rows read, 200,009 6-digit rows clustered):")
    print(f"  prepare (read .csv.gz, filter 6-digit, write CSV): {prep.wall:.2f} s")
    print(
        f"  engine end to end (clusterportal atlas compute):   {run.wall:.2f} s "
        f"(CPU {run.cpu:.2f} s), peak {run.peak_gb:.2f} GB"
    )
    print(f"  together: {prep.wall + run.wall:.2f} s")


def bench_synthetic(millions: int, with_pandas: bool) -> None:
    data = OUT / f"synthetic_{millions}m"
    if not (data / "employment.parquet").exists():
        subprocess.run(
            [
                PY,
                str(BENCH / "make_synthetic.py"),
                "--rows",
                str(millions * 1_000_000),
                "--out",
                str(data),
            ],
            check=True,
        )
    rows = pq.read_metadata(data / "employment.parquet").num_rows
    result = OUT / f"synthetic_{millions}m_result"
    emp, cl = str(data / "employment.parquet"), str(data / "clusters.csv")
    cli = timed(
        [
            *CLI,
            "--employment",
            emp,
            "--clusters",
            cl,
            "--method",
            "cmp",
            "--quiet",
            "--out",
            str(result),
        ]
    )
    line = (
        f"synthetic {rows:>11,} rows | CLI, all outputs: {cli.wall:6.2f} s "
        f"(CPU {cli.cpu:6.2f} s), peak {cli.peak_gb:5.2f} GB"
    )
    if with_pandas:
        ref = OUT / f"synthetic_{millions}m_pandas.parquet"
        ours = timed(
            [
                PY,
                str(BENCH / "engine_core.py"),
                "--employment",
                emp,
                "--clusters",
                cl,
                "--out",
                str(OUT / f"synthetic_{millions}m_core.parquet"),
            ]
        )
        theirs = timed(
            [
                PY,
                str(BENCH / "pandas_reference.py"),
                "--employment",
                emp,
                "--clusters",
                cl,
                "--out",
                str(ref),
            ]
        )
        line += (
            f" | same work: engine {ours.core_wall:6.2f} s (CPU {ours.core_cpu:6.2f} s),"
            f" pandas {theirs.core_wall:6.2f} s (CPU {theirs.core_cpu:6.2f} s),"
            f" ratio {theirs.core_wall / ours.core_wall:4.1f}x wall,"
            f" {theirs.core_cpu / ours.core_cpu:4.1f}x CPU"
            f" | pandas peak {theirs.peak_gb:5.2f} GB | {compare(result, ref)}"
        )
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cbp", type=Path)
    parser.add_argument("--cluster-defs", type=Path)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 3, 10, 30])
    parser.add_argument("--no-pandas", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {ram:.0f} GB RAM, load average {os.getloadavg()}")
    if args.cbp and args.cluster_defs:
        bench_us(args.cbp, args.cluster_defs)
    for size in args.sizes:
        bench_synthetic(size, with_pandas=not args.no_pandas)


if __name__ == "__main__":
    main()
