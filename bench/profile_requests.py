"""Profile requests in one process with cProfile (no server, no network).

    DATABASE_URL=sqlite:///bench/out/registry.sqlite3 .venv/bin/python bench/profile_requests.py \
        bench/out/urls-sqlite-cache-off-api-list.txt [--repeat 2] [--top 40]

Requests every path of the file through Django's test client (DEBUG off, as in
production), once to warm up and then `--repeat` times under cProfile, and prints
the mean time per request and the functions that take the time.

`--cpu` measures instead of profiling: each path `--repeat` times, the thread's CPU time
of each request (time.thread_time), and prints the mean over paths of each path's
fastest request. Other programs on the machine barely move that figure (it counts no
waiting), so two commits can be compared while the machine is busy; wall-clock figures
under load come from run_registry.py on a quiet machine.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterportal.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault(
    "SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--cpu", action="store_true", help="CPU time per request, no profiler")
    args = parser.parse_args()
    paths = [line.strip() for line in open(args.paths) if line.strip()]
    client = Client(HTTP_HOST="127.0.0.1")
    for path in paths:
        assert client.get(path).status_code == 200, path
    if args.cpu:
        fastest = cpu_times(client, paths, args.repeat)
        fastest.sort()
        mean = sum(fastest) / len(fastest)
        median = fastest[len(fastest) // 2]
        print(
            f"{len(paths)} paths x {args.repeat}: CPU per request (fastest of each path) "
            f"mean {mean * 1000:.2f} ms, median {median * 1000:.2f} ms"
        )
        return
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.repeat):
        for path in paths:
            client.get(path)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(
        f"{len(paths) * args.repeat} requests, {elapsed * 1000 / len(paths) / args.repeat:.2f} ms each (under cProfile)"
    )
    started = time.perf_counter()
    for path in paths:
        client.get(path)
    print(f"without profiler: {(time.perf_counter() - started) * 1000 / len(paths):.2f} ms each")
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


def cpu_times(client, paths: list[str], repeat: int) -> list[float]:
    """Per path, the least CPU time one request of it took."""
    fastest = [float("inf")] * len(paths)
    for _ in range(repeat):
        for number, path in enumerate(paths):
            started = time.thread_time()
            client.get(path)
            fastest[number] = min(fastest[number], time.thread_time() - started)
    return fastest


if __name__ == "__main__":
    main()
