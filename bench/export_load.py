"""Exports against everyone else (issue 11, finding 5): four clients fetch the XLSX export of
the whole registry in a loop while a profile page is timed; p50/p95 of the profile alone and
under that load, and what the export clients got.

gunicorn with 2 sync workers (the documented settings, DEBUG=0) on the shipped data, on SQLite
(bench/out/export_load.sqlite3) or on PostgreSQL (--postgres-url, a database of your own whose
name contains "bench"). Each export client has an address of its own (X-Forwarded-For, with
TRUSTED_PROXY_COUNT=1), as four people behind one proxy would.

    .venv/bin/python bench/export_load.py
    .venv/bin/python bench/export_load.py --postgres-url postgres://postgres@127.0.0.1:5432/exports_bench
    .venv/bin/python bench/export_load.py --code /tmp/main-checkout     # the figures "before"

--code serves another checkout of the project (e.g. `git archive main | tar -x -C DIR`) with
this virtualenv, for a before/after comparison on the same machine.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PROFILE = "/cluster/biolago/"
EXPORT = "/cluster/export.xlsx"


def get(url: str, client: str) -> tuple[int, float]:
    request = urllib.request.Request(url, headers={"X-Forwarded-For": client})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def environment(code: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(code),
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "PLAIN_HTTP": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXY_COUNT": "1",
        "CLUSTERPORTAL_VAR_DIR": str(OUT / "export_load_var"),
    }


def prepare(env: dict[str, str], code: Path) -> None:
    for command in (["migrate", "--noinput"], ["load_data"]):
        subprocess.run(
            [sys.executable, "-m", "clusterportal.cli", *command],
            env=env, cwd=code, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip


def serve(env: dict[str, str], code: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "-c", "python:clusterportal.gunicorn_conf",
            "clusterportal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
        ],
        env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=open(OUT / "export_load.log", "wb"),
    )  # fmt: skip
    for _ in range(120):
        try:
            if get(f"http://127.0.0.1:{port}/", "10.9.9.9")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start; see bench/out/export_load.log")


def timed_profiles(base: str, count: int) -> list[float]:
    return [get(base + PROFILE, "10.0.1.1")[1] for _ in range(count)]


def under_export_load(base: str, count: int, clients: int) -> tuple[list[float], Counter, list]:
    stop = threading.Event()
    statuses: Counter = Counter()
    export_times: list[float] = []

    def fetch_exports(address: str) -> None:
        while not stop.is_set():
            status, ms = get(base + EXPORT, address)
            statuses[status] += 1
            if status == 200:
                export_times.append(ms)

    threads = [
        threading.Thread(target=fetch_exports, args=(f"10.0.0.{i + 1}",)) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1)  # the exports are under way
    try:
        profiles = timed_profiles(base, count)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return profiles, statuses, export_times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", help="PostgreSQL instead of SQLite")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--port", type=int, default=8121)
    parser.add_argument("--requests", type=int, default=200, help="profile requests per phase")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.postgres_url:
        if "bench" not in args.postgres_url.rsplit("/", 1)[-1]:
            raise SystemExit("Name the PostgreSQL bench database with 'bench' in it.")
        database, url = "PostgreSQL", args.postgres_url
    else:
        database, url = "SQLite", f"sqlite:///{OUT / 'export_load.sqlite3'}"
    env = environment(args.code.resolve(), url)
    prepare(env, args.code)
    server = serve(env, args.code, args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        timed_profiles(base, 20)  # warm both workers
        alone = timed_profiles(base, args.requests)
        loaded, statuses, export_times = under_export_load(base, args.requests, args.clients)
    finally:
        server.terminate()
        server.wait()
    print(f"\n{database}, code {args.code}, gunicorn 2 workers, shared 2-core machine")
    print(f"| profile {PROFILE} | p50 ms | p95 ms |\n|---|---|---|")
    for name, times in (("alone", alone), (f"{args.clients} clients export XLSX", loaded)):
        p50, p95 = percentiles(times)
        print(f"| {name} | {p50:.1f} | {p95:.1f} |")
    answered = ", ".join(f"{count}× {status}" for status, count in sorted(statuses.items()))
    made = f"p50 {percentiles(export_times)[0]:.0f} ms" if export_times else "none"
    print(f"\nexport requests meanwhile: {answered}; time of a 200: {made}")


if __name__ == "__main__":
    main()
