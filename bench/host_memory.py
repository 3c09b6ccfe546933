"""What fresh memory costs on this host: the time to touch each page of new memory once.

    python bench/host_memory.py [--mb 200] [--rounds 3]

Every program that builds tables pays this on the first write to each page it gets from
the system (a page fault, then the kernel zeroes the page). On the 2-core KVM hosts of
this project the cost per 4 KiB page differed enough between hosts to change which
implementation wins at 1-3 million rows (bench/README.md, "What the host changes"), so the
same-work figures are worth reading with this figure beside them. Also prints a
CPU-bound reference (NumPy sorting 10 million random doubles), to tell a slow CPU from
slow fresh memory.
"""

from __future__ import annotations

import argparse
import mmap
import statistics
import time

import numpy as np

PAGE = mmap.PAGESIZE


def touch_fresh_pages(megabytes: int) -> float:
    """Seconds per page to write one byte into each page of a new anonymous mapping."""
    size = megabytes << 20
    memory = mmap.mmap(-1, size)
    try:
        # Writing the first byte of each page through a NumPy view keeps the Python loop
        # out of the measure: one strided store per page.
        pages = np.frombuffer(memory, dtype=np.uint8)[::PAGE]
        start = time.perf_counter()
        pages[:] = 1
        seconds = time.perf_counter() - start
        del pages
    finally:
        memory.close()
    return seconds / (size // PAGE)


def sort_reference() -> float:
    values = np.random.default_rng(1).random(10_000_000)
    start = time.perf_counter()
    values.sort()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    per_page = [touch_fresh_pages(args.mb) for _ in range(args.rounds)]
    sorts = [sort_reference() for _ in range(args.rounds)]
    print(
        f"fresh memory: {statistics.median(per_page) * 1e6:.2f} us per {PAGE // 1024} KiB page "
        f"(median of {args.rounds} x {args.mb} MB; range "
        f"{min(per_page) * 1e6:.2f}-{max(per_page) * 1e6:.2f})"
    )
    print(f"NumPy sort of 10 M doubles: {statistics.median(sorts):.3f} s (median)")


if __name__ == "__main__":
    main()
