"""Time and peak memory of reading hostile XLSX uploads (issue 11, finding 3).

Builds each hostile file of clusterportal/lib/tests/hostile_xlsx.py (all under the 5 MB upload
limit), reads it with `read_table` in a fresh process under a memory cap, and prints the
file size, the seconds, the peak resident memory of that process and the outcome.

    .venv/bin/python bench/hostile_xlsx.py                       # this checkout
    .venv/bin/python bench/hostile_xlsx.py --checkout /path/to/an/older/checkout   # "before"
    .venv/bin/python bench/hostile_xlsx.py --cap 1500 wide_row   # one file, 1.5 GB cap

The cap (default 1,500 MB) keeps a bomb from taking the machine down: with the old reader
the outcome is then "MemoryError", and the peak is the cap. `large_but_fair` is no bomb:
the largest ordinary table the limits are made for (50,000 rows of 20 columns).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clusterportal.lib.tests import hostile_xlsx  # noqa: E402

FILES = {**hostile_xlsx.FILES, "large_but_fair": hostile_xlsx.large_but_fair}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", choices=[[], *FILES], help="default: all")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the code to measure")
    parser.add_argument("--cap", type=int, default=1500, help="memory cap in MB")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    print(f"code: {args.checkout}  memory cap: {args.cap} MB  timeout: {args.timeout:.0f} s")
    print(f"{'file':<22}{'size':>10}{'seconds':>10}{'peak MB':>10}  outcome")
    for name in args.files or FILES:
        started = time.perf_counter()
        data = FILES[name]()
        built = time.perf_counter() - started
        result = hostile_xlsx.measure(data, args.checkout, args.cap, args.timeout)
        seconds = f"{result['seconds']:.2f}" if result["seconds"] is not None else "-"
        peak = f"{result['peak_mb']:.0f}" if result["peak_mb"] is not None else "-"
        outcome = str(result["outcome"])[:110]
        print(
            f"{name:<22}{len(data) / 1024:>8.0f}KB{seconds:>10}{peak:>10}  {outcome}"
            f"  (built in {built:.1f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
