"""Speed of the registry at European scale: our portal (gunicorn, SQLite and PostgreSQL)
and Datasette over the same SQLite file, driven by wrk from this machine.

    .venv/bin/python bench/run_registry.py                 # everything (about 20 minutes)
    .venv/bin/python bench/run_registry.py --db sqlite --no-datasette --duration 10

What it does (bench/README.md explains the choices and holds the figures):
1. makes the synthetic databases if they are missing (bench/generate_registry.py:
   3,000 initiatives, 150,000 organisations, 500,000 memberships, marked SYNTHETIC);
2. builds fixed, seeded lists of request paths per scenario (bench/out/urls-*.txt);
3. measures the cold start of one worker (first request: URLs, index build, templates);
4. per database, starts `gunicorn clusterportal.wsgi` with 2 workers, requests every path
   once (a check that each answers 200, and the warm-up), runs wrk for a few seconds to
   warm up, then runs wrk per scenario; with and without the response cache;
5. serves the same SQLite file with Datasette and runs the comparable scenarios against
   it and against our portal;
6. prints the tables and writes them, with the raw figures, to bench/out/.

The load generator (wrk, one thread) runs on the same machine as the servers and takes
part of the CPU; the figures are therefore a lower bound for a server of this size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SQLITE_FILE = OUT / "registry.sqlite3"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/clusterportal_bench"
LUA = ROOT / "bench" / "urls.lua"
BIN = Path(sys.executable).parent
PORTS = {"sqlite": 8031, "postgres": 8032, "datasette": 8033}

# --- what users send --------------------------------------------------------------

# German searches: compound parts ("technik" finds Medizintechnik), umlauts and their
# spellings, typos ("Medizintechnk"), two-word queries, one broad word.
SEARCHES = [
    "technik", "Medizintechnik", "Medizintechnk", "Tübingen", "Tuebingen", "Oberflächentechnik",
    "oberflaechen", "Präzision", "Wasserstoff", "Leichtbau Stuttgart", "Robotik", "Robotk",
    "Sensorik Freiburg", "Energie Netzwerk", "Photonik", "Batterietechnik", "Kunststoff",
    "Logistik Ulm", "Gesundheitswirtschaft", "Luftfahrt", "Holzbau", "Mikrosystemtechnik",
    "Biotechnologie", "Umwelttechnik", "Automotive Cluster", "Verpackung", "Textil",
    "Elektronik", "Kreativwirtschaft", "Innovation Mittelstand", "Logistk", "Ludwigsburg",
]  # fmt: skip
# Searches Datasette can answer like us: correctly spelled, given in our folded form.
PLAIN_SEARCHES = [
    "technik", "medizintechnik", "tuebingen", "oberflaechen", "wasserstoff",
    "leichtbau stuttgart", "robotik", "sensorik freiburg", "photonik", "kunststoff",
    "logistik ulm", "luftfahrt", "holzbau", "biotechnologie", "umwelttechnik", "verpackung",
]  # fmt: skip
KINDS = ["cluster_initiative", "statewide_network", "state_agency"]
LABELS = ["cluster_excellence_bw", "ecei_bronze", "ecei_silver", "ecei_gold", "go_cluster"]
CRITERIA = ["all", "contact", "innovation", "field", "activities", "services", "partners"]
SORTS = ["name", "-name", "founded", "-founded", "-members"]
DATASETTE_FACETS = ["kind", "region_id", "seat_kreis_id", "is_active"]
DATASETTE_COLUMNS = [
    "slug", "name", "short_name", "kind", "region_id", "seat_kreis_id", "city", "latitude",
    "longitude", "founded_year", "member_count", "is_active", "listing_confirmed", "updated_at",
]  # fmt: skip


@dataclass
class Vocabulary:
    regions: dict[str, int]  # slug -> id
    kreise: dict[str, int]
    fields: list[str]
    synthetic: list[tuple[str, int]]  # (slug, id) of published initiatives
    real: list[tuple[str, int]]

    @classmethod
    def of(cls, path: Path) -> Vocabulary:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        regions = dict(
            db.execute(
                "SELECT slug, id FROM regions_region WHERE kind = 'region' "
                "OR (kind = 'land' AND code = '08') ORDER BY slug"
            )
        )
        kreise = dict(
            db.execute("SELECT slug, id FROM regions_region WHERE kind = 'kreis' ORDER BY slug")
        )
        fields = [
            slug
            for (slug,) in db.execute(
                "SELECT slug FROM taxonomy_technologyfield WHERE parent_id IS NULL ORDER BY slug"
            )
        ]
        published = list(
            db.execute(
                "SELECT slug, id FROM registry_clusterinitiative "
                "WHERE status = 'published' ORDER BY id"
            )
        )
        db.close()
        synthetic = [row for row in published if row[0].startswith("synthetic-")]
        real = [row for row in published if not row[0].startswith("synthetic-")]
        return cls(regions, kreise, fields, synthetic, real)


def _query(params: list[tuple[str, object]]) -> str:
    return urllib.parse.urlencode([(k, str(v)) for k, v in params])


def _filters(rng: random.Random, vocab: Vocabulary, count: int) -> list[tuple[str, object]]:
    """`count` different facet filters with realistic values (sometimes two of one)."""
    choices = {
        "region": lambda: rng.choice(list(vocab.regions)),
        "kreis": lambda: rng.choice(list(vocab.kreise)),
        "field": lambda: rng.choice(vocab.fields),
        "kind": lambda: rng.choices(KINDS, [70, 25, 5])[0],
        "label": lambda: rng.choice(LABELS),
        "criteria": lambda: rng.choice(CRITERIA),
        "active": lambda: rng.choice(["yes", "yes", "yes", "no"]),
    }
    weights = {"region": 5, "kreis": 2, "field": 5, "kind": 3, "label": 1, "criteria": 1}
    weights["active"] = 1
    names: list[str] = []
    while len(names) < count:
        name = rng.choices(list(weights), list(weights.values()))[0]
        if name not in names:
            names.append(name)
    params: list[tuple[str, object]] = []
    for name in names:
        values = {choices[name]()}
        if name in ("region", "field") and rng.random() < 0.2:
            values.add(choices[name]())  # alternatives: region A or B
        params += [(name, value) for value in sorted(values)]
    return params


def _page(rng: random.Random) -> list[tuple[str, object]]:
    page = rng.choices([1, 2, 3, 5], [70, 15, 10, 5])[0]
    return [("page", page)] if page > 1 else []


def our_paths(vocab: Vocabulary, seed: int) -> dict[str, list[str]]:
    """The request paths of the four scenarios of the issue, in a fixed order."""
    rng = random.Random(seed)
    api_list = []
    for _ in range(200):
        params = _filters(rng, vocab, rng.choices([0, 1, 2, 3], [10, 40, 35, 15])[0])
        if rng.random() < 0.3:
            params.append(("sort", rng.choice(SORTS)))
        api_list.append("/api/v1/initiatives?" + _query(params + _page(rng)))
    api_search = []
    list_page = []
    for target, prefix in ((api_search, "/api/v1/initiatives?"), (list_page, "/cluster/?")):
        for _ in range(200):
            params = [("q", rng.choice(SEARCHES))]
            params += _filters(rng, vocab, rng.choices([0, 1, 2], [35, 45, 20])[0])
            target.append(prefix + _query(params + _page(rng)))
    # The site search (docs/site-search.md): the same words over every kind, sometimes
    # narrowed to one kind or paged.
    site_search = []
    for _ in range(200):
        params = [("q", rng.choice(SEARCHES))]
        if rng.random() < 0.3:
            params.append(
                (
                    "kind",
                    rng.choice(["initiative", "organisation", "news", "event", "atlas_region"]),
                )
            )
        site_search.append("/api/v1/search?" + _query(params + _page(rng)))
    slugs = [slug for slug, _ in rng.sample(vocab.synthetic, 400)] + [s for s, _ in vocab.real]
    rng.shuffle(slugs)
    profile = [f"/cluster/{slug}/" for slug in slugs]
    return {
        "api-list": api_list,
        "api-search": api_search,
        "profile": profile,
        "list-page": list_page,
        "site-search": site_search,
    }


@dataclass
class Comparable:
    """One request both servers can answer: filters Datasette has as columns."""

    q: str | None
    filters: list[tuple[str, str]] = field(default_factory=list)  # (our name, slug)
    page: int = 1

    def ours(self, html: bool) -> str:
        params: list[tuple[str, object]] = [("q", self.q)] if self.q else []
        params += self.filters + [("sort", "name")]
        params += [("page", self.page)] if self.page > 1 else []
        return ("/cluster/?" if html else "/api/v1/initiatives?") + _query(params)

    def datasette(self, html: bool, vocab: Vocabulary) -> str:
        params: list[tuple[str, object]] = [("status", "published")]
        if self.q:
            params.append(("_search", self.q))
        for name, value in self.filters:
            if name == "region":
                params.append(("region_id", vocab.regions[value]))
            elif name == "kreis":
                params.append(("seat_kreis_id", vocab.kreise[value]))
            elif name == "active":
                params.append(("is_active", 1 if value == "yes" else 0))
            else:
                params.append((name, value))
        params += [("_facet", f) for f in DATASETTE_FACETS]
        params += [("_col", c) for c in DATASETTE_COLUMNS]
        params += [("_sort", "name"), ("_size", 20), ("_labels", "on")]
        table = "/registry/registry_clusterinitiative"
        return f"{table}{'' if html else '.json'}?{_query(params)}"


def comparable_specs(vocab: Vocabulary, seed: int) -> tuple[list[Comparable], list[Comparable]]:
    rng = random.Random(seed + 1)

    def filters() -> list[tuple[str, str]]:
        chosen = []
        for name in rng.sample(["region", "kreis", "kind", "active"], rng.choice([0, 1, 1, 2])):
            if name == "region":
                chosen.append((name, rng.choice(list(vocab.regions))))
            elif name == "kreis":
                chosen.append((name, rng.choice(list(vocab.kreise))))
            elif name == "kind":
                chosen.append((name, rng.choices(KINDS, [70, 25, 5])[0]))
            else:
                chosen.append((name, rng.choice(["yes", "yes", "no"])))
        return chosen

    browse = [Comparable(None, filters(), rng.choices([1, 2, 3], [70, 20, 10])[0]) for _ in range(100)]  # fmt: skip
    search = [Comparable(rng.choice(PLAIN_SEARCHES), filters()) for _ in range(100)]
    return browse, search


# --- servers ----------------------------------------------------------------------


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


class Server:
    """A server process we start and stop ourselves (by its process group)."""

    def __init__(self, name: str, argv: list[str], port: int, env: dict[str, str]):
        self.name, self.argv, self.port, self.env = name, argv, port, env
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        log = open(OUT / f"server-{self.name}.log", "w")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            self.argv,
            env={**os.environ, **self.env},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_for_port(self.port, self.process)
        return self

    def __exit__(self, *exc) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def get(self, path: str) -> tuple[int, float, bytes]:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=60) as r:
                body = r.read()
                status = r.status
        except urllib.error.HTTPError as error:
            body, status = error.read(), error.code
        return status, (time.perf_counter() - started) * 1000, body


def portal_env(database_url: str, cache: bool) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "RESPONSE_CACHE_ENTRIES": "500" if cache else "0",
        "LOG_LEVEL": "WARNING",
    }


def portal(
    name: str, database_url: str, port: int, args: argparse.Namespace, *, cache: bool, workers=2
) -> Server:
    argv = [str(BIN / "gunicorn"), "-c", "python:clusterportal.gunicorn_conf"]
    argv += ["clusterportal.wsgi", "-w", str(workers)]
    argv += ["-b", f"127.0.0.1:{port}", "--worker-class", args.worker_class]
    if args.worker_class == "gthread":
        argv += ["--threads", str(args.threads)]
    return Server(name, argv, port, portal_env(database_url, cache))


DATASETTE_METADATA = {
    "databases": {
        "registry": {
            "tables": {
                # Our FTS5 table names its content table in single quotes, which
                # Datasette's detection does not read; the documented setting does.
                "registry_clusterinitiative": {
                    "fts_table": "registry_initiative_fts",
                    "fts_pk": "id",
                },  # fmt: skip
                "regions_region": {"label_column": "name"},
            }
        }
    }
}
DATASETTE_SETTINGS = {
    # Facet suggestions cost a query per column and our API has none; a facet must
    # not be dropped for time (200 ms by default), or Datasette would do less work.
    "suggest_facets": False,
    "facet_time_limit_ms": 5000,
    "sql_time_limit_ms": 5000,
}


def datasette(processes: int) -> Server:
    """`datasette serve -i` (one process), or the same app under uvicorn --workers 2."""
    OUT.joinpath("datasette-metadata.json").write_text(json.dumps(DATASETTE_METADATA))
    # Immutable mode reads the main file only: nothing may wait in the write-ahead log.
    with sqlite3.connect(SQLITE_FILE) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    env = {"DATASETTE_FILE": str(SQLITE_FILE), "DATASETTE_METADATA": str(OUT / "datasette-metadata.json")}  # fmt: skip
    port = PORTS["datasette"]
    if processes == 1:
        argv = [str(BIN / "datasette"), "serve", "-i", str(SQLITE_FILE), "-p", str(port)]
        argv += ["-m", str(OUT / "datasette-metadata.json")]
        for key, value in DATASETTE_SETTINGS.items():
            argv += ["--setting", key, "off" if value is False else str(value)]
    else:
        argv = [str(BIN / "uvicorn"), "bench.datasette_app:app", "--workers", str(processes)]
        argv += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    return Server(f"datasette-{processes}", argv, port, env)


# --- measuring --------------------------------------------------------------------


def check_paths(server: Server, paths: list[str]) -> list[str]:
    """Request each path once (the warm-up); every one must answer 200.

    A page after the last of its result (the generator does not know the counts)
    is replaced by the first page of the same query.
    """
    checked, bad = [], []
    for path in paths:
        status, _ms, _body = server.get(path)
        if status == 404 and re.search(r"[?&]page=\d+", path):
            path = re.sub(r"&page=\d+|page=\d+&?", "", path)
            status, _ms, _body = server.get(path)
        checked.append(path)
        if status != 200:
            bad.append(f"{status} {path}")
    if bad:
        raise RuntimeError(f"{server.name}: {len(bad)} paths fail, first: {bad[:3]}")
    return checked


# --- CPU used by other programs ------------------------------------------------------
# This machine is shared (other test suites may run during a benchmark). We count the
# CPU time of every process during a run and report how much went to programs that are
# not part of the benchmark: not the server's process group, not PostgreSQL backends of
# the bench database, not wrk.

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _busy_ticks() -> int:
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields[:8]) - idle


def _our_ticks(server: Server) -> int:
    total = 0
    group = os.getpgid(server.process.pid) if server.process else None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ours = int(stat.rsplit(")", 1)[1].split()[2]) == group
            if not ours:
                ours = b"clusterportal_bench" in (entry / "cmdline").read_bytes()
            if ours:
                fields = stat.rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return total


def foreign_cores(server: Server, seconds: float = 2.0) -> float:
    """Cores other programs keep busy now (sampled over `seconds`, server idle)."""
    busy, ours = _busy_ticks(), _our_ticks(server)
    time.sleep(seconds)
    return ((_busy_ticks() - busy) - (_our_ticks(server) - ours)) / CLOCK_TICKS / seconds


def wait_for_quiet(server: Server, args: argparse.Namespace) -> float:
    """Wait (at most --quiet-wait seconds) until other programs use < --quiet cores."""
    deadline = time.monotonic() + args.quiet_wait
    while True:
        load = foreign_cores(server)
        if load < args.quiet or time.monotonic() > deadline:
            return load
        print(f"  (other programs use {load:.2f} cores; waiting)", flush=True)
        time.sleep(3)


def wrk(server: Server, paths: list[str], name: str, args: argparse.Namespace, seconds=None):
    url_file = OUT / f"urls-{server.name}-{name}.txt"
    url_file.write_text("\n".join(paths) + "\n")
    argv = ["wrk", "-t1", f"-c{args.connections}", f"-d{seconds or args.duration}s"]
    argv += ["--timeout", "10s", "-s", str(LUA), f"http://127.0.0.1:{server.port}", "--", str(url_file)]  # fmt: skip
    busy, ours = _busy_ticks(), _our_ticks(server)
    children = os.times()
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    after = os.times()
    wrk_ticks = (after.children_user + after.children_system - children.children_user - children.children_system) * CLOCK_TICKS  # fmt: skip
    match = re.search(r"^WRK_RESULT (.*)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    result = json.loads(match.group(1))
    server_ticks = _our_ticks(server) - ours
    foreign = (_busy_ticks() - busy) - server_ticks - wrk_ticks
    result["cpu_server_cores"] = round(server_ticks / CLOCK_TICKS / result["seconds"], 2)
    result["cpu_wrk_cores"] = round(wrk_ticks / CLOCK_TICKS / result["seconds"], 2)
    result["cpu_foreign_cores"] = round(max(0, foreign) / CLOCK_TICKS / result["seconds"], 2)
    errors = sum(v for k, v in result.items() if k.startswith("errors_"))
    if errors:
        print(f"  ! {server.name} {name}: {errors} errors {result}", flush=True)
    return result


def run_scenarios(server: Server, scenarios: dict[str, list[str]], args) -> dict[str, dict]:
    scenarios = {name: check_paths(server, paths) for name, paths in scenarios.items()}
    for paths in scenarios.values():
        wrk(server, paths, "warmup", args, seconds=args.warmup)
    results = {}
    for name, paths in scenarios.items():
        # Other programs took CPU during the run: run it again (up to --retries
        # times) and keep the run they disturbed least.
        runs = []
        for _ in range(1 + args.retries):
            wait_for_quiet(server, args)
            runs.append(wrk(server, paths, name, args))
            if runs[-1]["cpu_foreign_cores"] <= 2 * args.quiet:
                break
        results[name] = r = min(runs, key=lambda run: run["cpu_foreign_cores"])
        r["runs"] = len(runs)
        print(
            f"  {server.name:28} {name:18} p50 {r['p50_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms"
            f"  p99 {r['p99_ms']:7.2f} ms  {r['rps']:8.1f} req/s  cores: server"
            f" {r['cpu_server_cores']:.2f} wrk {r['cpu_wrk_cores']:.2f} others {r['cpu_foreign_cores']:.2f}",
            flush=True,
        )
    return results


def cold_start(database_url: str, name: str, scenarios: dict[str, list[str]], args) -> dict:
    """One worker, fresh: the first request of each kind, then the warm median."""
    port = PORTS[name]
    figures: dict[str, float] = {}
    with portal(f"{name}-cold", database_url, port, args, cache=False, workers=1) as server:
        first = {
            name: next(p for p in paths if "page=" not in p) for name, paths in scenarios.items()
        }
        for label, path in [
            ("first API list (URLs, registry index)", first["api-list"]),
            ("first API search", first["api-search"]),
            ("first list page (templates)", first["list-page"]),
            ("first profile", first["profile"]),
        ]:
            status, ms, _ = server.get(path)
            assert status == 200, (status, path)
            figures[label] = ms
        warm = [server.get(first["api-list"])[1] for _ in range(21)]
        figures["warm API list, same request (median of 21)"] = statistics.median(warm)
    figures["registry index build alone"] = index_build_ms(database_url)
    return figures


def index_build_ms(database_url: str) -> float:
    code = (
        "import time, django; django.setup()\n"
        "from clusterportal.registry import filters\n"
        "times = []\n"
        "for _ in range(5):\n"
        "    t = time.perf_counter(); filters.RegistryIndex(('default', 0, 0)); times.append(time.perf_counter() - t)\n"
        "print(sorted(times)[2] * 1000)\n"
    )
    env = {**os.environ, **portal_env(database_url, False), "DJANGO_SETTINGS_MODULE": "clusterportal.settings"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


def resolve_datasette_pages(
    server: Server, specs: list[Comparable], vocab, html: bool
) -> list[str]:
    """Datasette pages by keyset (_next); follow next_url from page 1 to page n."""
    paths = []
    for spec in specs:
        first = path = spec.datasette(False, vocab)
        for _ in range(spec.page - 1):
            status, _ms, body = server.get(path)
            assert status == 200, (status, path)
            next_url = json.loads(body)["next_url"]
            if next_url is None:  # as for us: a page after the last becomes the first
                path = first
                break
            parts = urllib.parse.urlsplit(next_url)
            path = f"{parts.path}?{parts.query}"
        if html:
            path = path.replace(".json?", "?", 1)
        paths.append(path)
    return paths


def check_datasette_facets(server: Server, paths: list[str]) -> None:
    status, _ms, body = server.get(paths[0])
    data = json.loads(body)
    assert status == 200 and not data.get("facets_timed_out"), data.get("facets_timed_out")
    assert set(data["facet_results"]) == set(DATASETTE_FACETS), data["facet_results"].keys()


# --- reporting --------------------------------------------------------------------


def machine() -> dict[str, str]:
    import django
    import gunicorn

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]  # fmt: skip
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL.replace("postgres://", "postgresql://")) as conn:
            postgres = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as error:  # noqa: BLE001 (a report line, not control flow)
        postgres = f"not reachable ({error.__class__.__name__})"
    datasette = BIN / "datasette"  # only with the bench extra (make bench)
    datasette_version = subprocess.run([str(datasette), "--version"], capture_output=True, text=True).stdout.strip() if datasette.exists() else "not installed"  # fmt: skip
    return {
        "cores (nproc)": str(os.cpu_count()),
        "CPU": cpu,
        "memory": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": postgres,
        "Datasette": datasette_version,
        "wrk": wrk_version,
    }


def table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def ms(value: float) -> str:
    return f"{value:.1f}"


TARGETS = {
    "api-list": (50, 300), "api-search": (35, None), "profile": (30, None), "site-search": (50, None),
}  # fmt: skip


def report(results: dict, args) -> str:
    parts = [f"Concurrency {args.connections} connections, {args.duration} s per scenario, "
             f"gunicorn 2 workers ({args.worker_class}"
             f"{f', {args.threads} threads' if args.worker_class == 'gthread' else ''}), "
             "wrk (1 thread) on the same machine."]  # fmt: skip
    rows = []
    for key, by_scenario in results.get("ours", {}).items():
        for scenario, r in by_scenario.items():
            target = TARGETS.get(scenario)
            met = ""
            if target:
                p95, rps = target
                ok = r["p95_ms"] < p95 and (rps is None or r["rps"] >= rps)
                met = ("yes" if ok else "**no**") + f" (p95 < {p95} ms" + (f", ≥ {rps} req/s)" if rps else ")")  # fmt: skip
            rows.append([scenario, key, ms(r["p50_ms"]), ms(r["p95_ms"]), ms(r["p99_ms"]), f"{r['rps']:.0f}", met])  # fmt: skip
    parts.append(table(rows, ["scenario", "database, cache", "p50 ms", "p95 ms", "p99 ms", "req/s", "target met"]))  # fmt: skip
    comparison = results.get("comparison")
    if comparison:
        rows = []
        ours = comparison["ours (sqlite, cache off)"]
        for key, by_scenario in comparison.items():
            for scenario, r in by_scenario.items():
                base = ours[scenario]
                ratio = ""
                if not key.startswith("ours"):
                    ratio = (
                        f"{base['p50_ms'] / r['p50_ms']:.2f} / {base['p95_ms'] / r['p95_ms']:.2f}"
                        f" / {base['rps'] / r['rps']:.2f}"
                    )
                rows.append([scenario, key, ms(r["p50_ms"]), ms(r["p95_ms"]), f"{r['rps']:.0f}", ratio])  # fmt: skip
        parts.append(table(rows, ["scenario", "server", "p50 ms", "p95 ms", "req/s", "ours ÷ this: p50 / p95 / req/s"]))  # fmt: skip
    cold = results.get("cold")
    if cold:
        rows = [[db, label, ms(value)] for db, figures in cold.items() for label, value in figures.items()]  # fmt: skip
        parts.append(table(rows, ["database", "one fresh worker", "ms"]))
    parts.append(table([[k, v] for k, v in results["machine"].items()], ["machine", ""]))
    return "\n\n".join(parts)


# --- main -------------------------------------------------------------------------


def ensure_databases(databases: list[str]) -> None:
    generator = [sys.executable, str(ROOT / "bench" / "generate_registry.py")]
    if not SQLITE_FILE.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(generator, env={**os.environ, "DATABASE_URL": f"sqlite:///{SQLITE_FILE}"}, check=True)  # fmt: skip
    if "postgres" in databases:
        import psycopg

        admin = POSTGRES_URL.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'clusterportal_bench'").fetchone()  # fmt: skip
            if not exists:
                conn.execute("CREATE DATABASE clusterportal_bench")
        if not exists:
            subprocess.run(generator, env={**os.environ, "DATABASE_URL": POSTGRES_URL}, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--cache", choices=["off", "on", "both"], default="both")
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument("--no-cold", action="store_true")
    parser.add_argument("--duration", type=int, default=20, help="seconds per scenario")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk warm-up per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument("--scenarios", nargs="*", help="only these of ours")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quiet", type=float, default=0.2, help="cores other programs may use")
    parser.add_argument("--quiet-wait", type=int, default=120, help="seconds to wait for that")
    parser.add_argument("--retries", type=int, default=2, help="runs again when disturbed")
    parser.add_argument("--label", default="latest", help="name of the result files")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    ensure_databases(databases)
    urls = {"sqlite": f"sqlite:///{SQLITE_FILE}", "postgres": POSTGRES_URL}
    vocab = Vocabulary.of(SQLITE_FILE)
    scenarios = our_paths(vocab, args.seed)
    if args.scenarios:
        scenarios = {k: v for k, v in scenarios.items() if k in args.scenarios}
    results: dict = {"machine": machine(), "ours": {}, "settings": vars(args)}
    caches = {"off": [False], "on": [True], "both": [False, True]}[args.cache]
    for db in databases:
        if not args.no_cold:
            results.setdefault("cold", {})[db] = cold_start(urls[db], db, our_paths(vocab, args.seed), args)  # fmt: skip
        for cache in caches:
            with portal(f"{db}-cache-{'on' if cache else 'off'}", urls[db], PORTS[db], args, cache=cache) as server:  # fmt: skip
                results["ours"][f"{db}, cache {'on' if cache else 'off'}"] = run_scenarios(server, scenarios, args)  # fmt: skip
    if not args.no_datasette:
        browse, search = comparable_specs(vocab, args.seed)
        profiles = [(slug, pk) for slug, pk in random.Random(args.seed + 2).sample(vocab.synthetic, 300) + vocab.real]  # fmt: skip
        comparison = {}
        with portal("sqlite-cmp", urls["sqlite"], PORTS["sqlite"], args, cache=False) as server:
            comparison["ours (sqlite, cache off)"] = run_scenarios(server, {
                "cmp-api-list": [s.ours(False) for s in browse],
                "cmp-api-search": [s.ours(False) for s in search],
                "cmp-detail-json": [f"/api/v1/initiatives/{slug}" for slug, _ in profiles],
                "cmp-profile": [f"/cluster/{slug}/" for slug, _ in profiles],
                "cmp-list-page": [s.ours(True) for s in search],
            }, args)  # fmt: skip
        for processes in (1, 2):
            with datasette(processes) as server:
                json_browse = resolve_datasette_pages(server, browse, vocab, html=False)
                check_datasette_facets(server, json_browse)
                comparison[f"Datasette, {processes} process{'es' if processes > 1 else ''}"] = run_scenarios(server, {  # fmt: skip
                    "cmp-api-list": json_browse,
                    "cmp-api-search": [s.datasette(False, vocab) for s in search],
                    "cmp-detail-json": [f"/registry/registry_clusterinitiative/{pk}.json?_labels=on" for _, pk in profiles],  # fmt: skip
                    "cmp-profile": [f"/registry/registry_clusterinitiative/{pk}" for _, pk in profiles],  # fmt: skip
                    "cmp-list-page": [s.datasette(True, vocab) for s in search],
                }, args)  # fmt: skip
        results["comparison"] = comparison
    text = report(results, args)
    OUT.joinpath(f"results-{args.label}.json").write_text(json.dumps(results, indent=2))
    OUT.joinpath(f"results-{args.label}.md").write_text(text + "\n")
    print("\n" + text)


if __name__ == "__main__":
    main()
