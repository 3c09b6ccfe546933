"""Engine, Polars, pandas and a bare DuckDB scan doing the same work, alternated.

    python bench/run_same_work.py [--sizes 1 3 10 30] [--repeat 3] [--only engine polars]

For each synthetic size (bench/out/synthetic_<N>m, made by make_synthetic.py if missing)
it runs the four same-work scripts one after the other, each in its own process, and
repeats that round --repeat times, so a busy moment of a shared machine falls on all of
them alike. Each script prints `CORE <wall> <cpu>`: from reading the input to its result
(see each script's docstring). Medians of the rounds, ratios against the engine, and the
agreement of the outputs are printed and written to bench/out/same_work.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
from run_bench import OUT, PY, compare_files, timed

BENCH = Path(__file__).resolve().parent
SCRIPTS = {
    "engine": "engine_core.py",
    "polars": "polars_reference.py",
    "pandas": "pandas_reference.py",
    "duckdb": "duckdb_bare.py",
}


def data_for(millions: int) -> Path:
    data = OUT / f"synthetic_{millions}m"
    if not (data / "employment.parquet").exists():
        rows = str(millions * 1_000_000)
        subprocess.run(
            [PY, str(BENCH / "make_synthetic.py"), "--rows", rows, "--out", str(data)], check=True
        )
    return data


def sums_agree(engine_file: Path, bare_file: Path) -> str:
    """The bare group-by's employment total per cell equals the engine's."""
    ours = pq.read_table(engine_file, columns=["employment"])
    theirs = pq.read_table(bare_file, columns=["employment"])
    a, b = pc.sum(ours["employment"]).as_py(), pc.sum(theirs["employment"]).as_py()
    same = ours.num_rows == theirs.num_rows and a == b
    return f"{'same' if same else 'DIFFERENT'} rows and employment total ({theirs.num_rows:,})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 3, 10, 30])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=list(SCRIPTS), default=list(SCRIPTS))
    parser.add_argument("--label", default="same_work")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load}", flush=True)
    # The hosts differ most in what fresh memory costs, and that moves the ratios at
    # 1-3 M rows (bench/README.md, "What the host changes"): record it with the figures.
    host = subprocess.run(
        [PY, str(BENCH / "host_memory.py")], check=True, capture_output=True, text=True
    ).stdout.strip()
    print(host, flush=True)
    results: dict[str, dict[str, object]] = {}
    for size in args.sizes:
        data = data_for(size)
        emp, cl = data / "employment.parquet", data / "clusters.csv"
        outs = {name: OUT / f"synthetic_{size}m_{name}.parquet" for name in args.only}
        walls: dict[str, list[float]] = {name: [] for name in args.only}
        cpus: dict[str, list[float]] = {name: [] for name in args.only}
        for _ in range(args.repeat):
            for name in args.only:
                t = timed(
                    [
                        PY,
                        str(BENCH / SCRIPTS[name]),
                        "--employment",
                        str(emp),
                        "--clusters",
                        str(cl),
                        "--out",
                        str(outs[name]),
                    ]
                )
                walls[name].append(t.core_wall)
                cpus[name].append(t.core_cpu)
                print(f"  {size}m {name:<7} {t.core_wall:6.2f} s (CPU {t.core_cpu:6.2f} s)",
                      flush=True)  # fmt: skip
        median = {name: statistics.median(w) for name, w in walls.items()}
        agreement = {}
        if "engine" in outs:
            for name in ("polars", "pandas"):
                if name in outs:
                    agreement[name] = compare_files(outs["engine"], outs[name])
            if "duckdb" in outs:
                agreement["duckdb"] = sums_agree(outs["engine"], outs["duckdb"])
        line = f"{size}m: " + ", ".join(f"{n} {median[n]:.2f} s" for n in median)
        if "engine" in median:
            e = median["engine"]
            ratios = {n: median[n] / e for n in median if n != "engine"}
            line += " | " + ", ".join(f"{n}/engine {r:.2f}x" for n, r in ratios.items())
        print(line, flush=True)
        for name, verdict in agreement.items():
            print(f"  engine vs {name}: {verdict}", flush=True)
        results[f"{size}m"] = {
            "rows": pq.read_metadata(emp).num_rows,
            "wall": walls,
            "cpu": cpus,
            "median_wall": median,
            "agreement": agreement,
        }
    out = OUT / f"{args.label}.json"
    out.write_text(json.dumps({"load_before": load, "host": host, "sizes": results}, indent=1))
    print(f"written {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
