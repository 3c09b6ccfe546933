"""Soak test (issue 11, "Prove it under load"): mixed public traffic against gunicorn with
2 workers and the background worker, while a curator imports a big SYNTHETIC file through
the back office, edits an initiative every few seconds, and a backup runs.

    .venv/bin/python bench/soak.py                                  # both databases, 10 minutes
    .venv/bin/python bench/soak.py --minutes 1 --db sqlite --rows 5000   # a short check

Per database (`--db sqlite|postgres|both`) a fresh bench database (SQLite in bench/out/,
PostgreSQL `--postgres-url`, whose name must contain "bench"; it is dropped and made anew),
migrated and loaded with the shipped data, then served as `make run` does (DEBUG off,
gunicorn with 2 workers, `clusterportal db_worker` beside it, no Redis). For `--minutes`:
- `--connections` clients send public requests (list page with filters, registry search on
  the list page and the API, the site search, profiles, API list and detail, CSV exports);
- a curator (staff, session as after a login with TOTP: bench/import_freeze_setup.py)
  uploads a SYNTHETIC file of `--rows` rows (bench/import_speed.py's generator) through the
  back office at `--import-at` of the run, polls its report page until the job is done,
  and POSTs the change form of one initiative every `--edit-every` seconds;
- `clusterportal backup` runs once, in the middle of the run.
Exports are limited to 30 per 10 minutes per client address (RATE_EXPORT, counted per
worker without Redis); all clients are 127.0.0.1, so 429s on exports are intended and are
counted apart. The back office takes files up to 5 MB: a bigger CSV (50,000 rows of the full
format are 18 MB) is uploaded as XLSX, the same rows (about 5 MB), as from Excel.
Prints and writes bench/out/soak-<label>.json and .md. Localhost only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_freeze import NoRedirects, csrf, get, opener_with, wait_for  # noqa: E402
from import_speed import OUT, ROOT  # noqa: E402
from run_registry import SEARCHES, SORTS, Vocabulary, _filters, _query  # noqa: E402

BIN = Path(sys.executable).parent
MANAGE = [sys.executable, "-m", "django"]
UPLOAD_LIMIT = 5 * 1024 * 1024  # settings.DATA_UPLOAD_MAX_MEMORY_SIZE's default
# Path kinds and how often the clients pick each.
WEIGHTS = {
    "list-filtered": 3, "list-search": 2, "api-search": 2, "site-search": 2,
    "profile": 3, "api-list": 2, "api-detail": 2, "export-csv": 1,
}  # fmt: skip
PHASES = ("before", "during", "after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--import-at", type=float, default=0.15, help="fraction of the run")
    parser.add_argument("--edit-every", type=float, default=5, help="seconds")
    parser.add_argument("--port", type=int, default=8141)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/hsoak_bench")
    parser.add_argument("--vocab", action="store_true", help=argparse.SUPPRESS)  # internal
    args = parser.parse_args()
    if args.vocab:
        return print_vocabulary()
    if "bench" not in args.postgres_url.rsplit("/", 1)[-1]:
        sys.exit("the PostgreSQL database is dropped first: its name must contain 'bench'")
    OUT.mkdir(parents=True, exist_ok=True)
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        results = soak(db, args)
        label = f"{db}-{args.minutes:g}min-{args.rows}rows"
        text = report(results)
        print(text)
        (OUT / f"soak-{label}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
        (OUT / f"soak-{label}.md").write_text(text)


def print_vocabulary() -> None:
    """Run with the database under test: the slugs the clients ask for, as JSON."""
    import django

    django.setup()
    from clusterportal.regions.models import Region
    from clusterportal.registry.models import ClusterInitiative
    from clusterportal.taxonomy.models import TechnologyField

    regions = Region.objects.filter(kind=Region.Kind.REGION).values_list("slug", "id")
    kreise = Region.objects.filter(kind=Region.Kind.KREIS).values_list("slug", "id")
    fields = TechnologyField.objects.filter(parent=None).values_list("slug", flat=True)
    published = ClusterInitiative.objects.filter(status="published").order_by("id")
    initiatives = list(published.values_list("slug", "id"))
    print(
        json.dumps(
            {
                "regions": dict(regions),
                "kreise": dict(kreise),
                "fields": list(fields),
                "initiatives": initiatives,
            }
        )
    )


def environment(db: str, args) -> dict[str, str]:
    if db == "sqlite":
        database = OUT / "soak-bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{database}"
    else:
        url = args.postgres_url
        name = url.rsplit("/", 1)[-1]
        server = url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", server, "-q", "-c", sql], check=True)
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "clusterportal.settings",
        "DATABASE_URL": url,
        "CLUSTERPORTAL_VAR_DIR": str(OUT / f"soak-var-{db}"),
        "DEBUG": "0",
        "PLAIN_HTTP": "1",
        "SECRET_KEY": "synthetic-benchmark-key-" + "s" * 40,
        "PORTAL_URL": f"http://127.0.0.1:{args.port}",
    }


def soak(db: str, args) -> dict:
    env = environment(db, args)
    run = dict(env=env, cwd=ROOT, check=True)
    subprocess.run([*MANAGE, "migrate", "--noinput", "-v0"], **run)
    subprocess.run([*MANAGE, "load_data", "-v0"], **run, stdout=subprocess.DEVNULL)
    setup = [sys.executable, str(ROOT / "bench" / "import_freeze_setup.py"), str(args.rows)]
    session_key, import_file = subprocess.run(
        setup, **run, capture_output=True, text=True
    ).stdout.split()[-2:]
    vocab = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--vocab"], **run, capture_output=True, text=True
        ).stdout
    )
    upload = upload_file(Path(import_file))
    results: dict = {"database": db, "minutes": args.minutes, "connections": args.connections}
    results["import file"] = {"rows": args.rows, "name": upload[0], "bytes": len(upload[1])}
    # Their logs (worker timeouts, tracebacks): bench/out/soak-<db>-<server>.log
    logs = {name: open(OUT / f"soak-{db}-{name}.log", "w") for name in ("gunicorn", "db_worker")}
    servers = {
        "gunicorn": subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:clusterportal.gunicorn_conf",
             "clusterportal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{args.port}"],
            env=env, cwd=ROOT, stderr=logs["gunicorn"],
        ),
        "db_worker": subprocess.Popen(
            [*MANAGE, "db_worker"], env={**env, "DB_BUSY_TIMEOUT": "30"}, cwd=ROOT,
            stdout=logs["db_worker"], stderr=subprocess.STDOUT,
        ),
    }  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_for(base)
        results |= Load(base, session_key, upload, vocab, env, args, servers).run()
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGTERM)
        for server in servers.values():
            server.wait(timeout=60)
        for log in logs.values():
            log.close()
    return results


class Load:
    """The public clients, the curator, the backup and the memory sampler of one run."""

    def __init__(self, base, session_key, upload, vocab, env, args, servers) -> None:
        self.base, self.session_key, self.upload = base, session_key, upload
        self.env, self.args, self.servers = env, args, servers
        self.vocab = Vocabulary(vocab["regions"], vocab["kreise"], vocab["fields"], [], [])
        self.initiatives = vocab["initiatives"]
        self.phase = "before"
        self.stop = threading.Event()
        self.requests: list[tuple[str, str, int, float]] = []  # phase, kind, status, seconds
        self.backing_up = False
        self.while_backup: list[float] = []  # seconds of 2xx requests started during it
        self.edits: list[dict] = []
        self.job: dict = {}
        self.backup: dict = {}
        self.memory: dict[str, dict[int, int]] = {"gunicorn worker": {}, "db_worker": {}}

    def run(self) -> dict:
        seconds = self.args.minutes * 60
        threads = [
            threading.Thread(target=self.client, args=(number,))
            for number in range(self.args.connections)
        ]
        threads += [
            threading.Thread(target=self.curator_import, args=(seconds * self.args.import_at,)),
            threading.Thread(target=self.curator_edits),
            threading.Thread(target=self.run_backup, args=(seconds / 2,)),
            threading.Thread(target=self.sample_memory),
        ]
        self.start = time.perf_counter()
        for thread in threads:
            thread.start()
        # The run lasts --minutes, and at least until the import's job has ended (bounded).
        while time.perf_counter() - self.start < seconds or (
            self.phase != "after" and time.perf_counter() - self.start < seconds + 1800
        ):
            time.sleep(0.5)
        self.stop.set()
        for thread in threads:
            thread.join()
        return self.summary(time.perf_counter() - self.start)

    def elapsed(self) -> float:
        return round(time.perf_counter() - self.start, 1)

    # --- public traffic ----------------------------------------------------------------

    def path(self, rng: random.Random) -> tuple[str, str]:
        kind = rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
        filters = _filters(rng, self.vocab, rng.choice([1, 1, 2, 3]))
        search = [("q", rng.choice(SEARCHES))]
        slug = rng.choice(self.initiatives)[0]
        paths = {
            "list-filtered": lambda: "/cluster/?" + _query(filters),
            "list-search": lambda: "/cluster/?" + _query(search + filters[:1]),
            "api-search": lambda: "/api/v1/initiatives?" + _query(search),
            "site-search": lambda: "/api/v1/search?" + _query(search),
            "profile": lambda: f"/cluster/{slug}/",
            "api-list": lambda: (
                "/api/v1/initiatives?" + _query(filters + [("sort", rng.choice(SORTS))])
            ),
            "api-detail": lambda: f"/api/v1/initiatives/{slug}",
            "export-csv": lambda: "/cluster/export.csv?" + _query(filters),
        }
        return kind, paths[kind]()

    def client(self, number: int) -> None:
        rng = random.Random(number)
        while not self.stop.is_set():
            kind, path = self.path(rng)
            phase, backing_up = self.phase, self.backing_up
            try:
                status, seconds, _body = get(self.base + path, timeout=120)
            except OSError as error:  # refused, reset, timed out: an error, status 0
                status, seconds = 0, 120.0
                print(f"{self.elapsed()} s {path}: {error}", file=sys.stderr)
            self.requests.append((phase, kind, status, seconds))
            if backing_up and 200 <= status < 300:
                self.while_backup.append(seconds)

    # --- the curator -------------------------------------------------------------------

    def curator(self):
        """An opener with the curator's session that remembers where a POST redirected."""
        handler = Redirected()
        opener = opener_with(self.session_key)
        opener.add_handler(handler)
        return opener, handler

    def curator_import(self, at: float) -> None:
        self.stop.wait(at)
        if self.stop.is_set():
            return
        url = self.base + "/admin/registry/clusterinitiative/import/"
        opener, handler = self.curator()
        fields = {"csrfmiddlewaretoken": csrf(opener, url), "import": "1"}
        self.phase = "during"
        start = time.perf_counter()
        status, upload_seconds = post_file(opener, url, fields, *self.upload)
        self.job = {"started at s": self.elapsed(), "upload status": status}
        self.job["upload seconds"] = round(upload_seconds, 2)
        if status != 302:
            self.phase = "after"
            return
        polls = []
        while True:  # the report page, polled as the browser does (every 2 s)
            poll_status, seconds, body = get(handler.location, opener, timeout=120)
            polls.append(seconds)
            if 'http-equiv="refresh"' not in body or poll_status != 200:
                break
            time.sleep(2)
        self.phase = "after"
        self.job |= {
            "job seconds (upload to report)": round(time.perf_counter() - start, 1),
            "report status": poll_status,
            "report polls": len(polls),
            "max poll seconds": round(max(polls), 2),
            "outcome": outcome(body),
        }

    def curator_edits(self) -> None:
        """POST the change form of one initiative, its description changed, every few seconds."""
        pk = self.initiatives[0][1]
        url = f"{self.base}/admin/registry/clusterinitiative/{pk}/change/"
        number = 0
        while not self.stop.wait(self.args.edit_every):
            opener, _handler = self.curator()
            at, phase = self.elapsed(), self.phase
            start = time.perf_counter()
            number += 1
            try:
                status, page = self.edit(opener, url, number)
            except (OSError, http.client.HTTPException) as error:  # e.g. the worker was killed
                status, page = 0, repr(error)
            edit = {"at s": at, "phase": phase, "status": status}
            edit["seconds"] = round(time.perf_counter() - start, 2)
            if status != 302:  # the form came back (its fields' errors), or no answer
                edit["errors"] = sorted(set(FormFields.error_fields(page)))[:5] or page[:200]
            self.edits.append(edit)

    @staticmethod
    def edit(opener, url: str, number: int) -> tuple[int, str]:
        """GET the change form, append to the description, POST it: (status, page)."""
        _status, _seconds, body = get(url, opener, timeout=120)
        fields = FormFields.of(body, "clusterinitiative_form")
        fields["description"] = [f"{fields.get('description', [''])[0]} (Soak {number})"[-4000:]]
        fields["_continue"] = ["1"]
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(url, data=data, method="POST")
        request.add_header("Referer", url)
        try:
            with opener.open(request, timeout=120) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    # --- backup and memory -------------------------------------------------------------

    def run_backup(self, at: float) -> None:
        if self.stop.wait(at):
            return
        target = OUT / f"soak-backup-{self.env['DATABASE_URL'].split(':')[0]}.tar.gz"
        target.unlink(missing_ok=True)
        self.backup = {"at s": self.elapsed(), "phase": self.phase}
        start = time.perf_counter()
        self.backing_up = True
        done = subprocess.run(
            [*MANAGE, "backup", str(target)], env=self.env, cwd=ROOT, capture_output=True, text=True
        )
        self.backing_up = False
        self.backup |= {
            "seconds": round(time.perf_counter() - start, 1),
            "exit status": done.returncode,
            "bytes": target.stat().st_size if target.exists() else 0,
            "output": (done.stdout + done.stderr).strip()[-300:],
            "public requests meanwhile: count, p50, p95, p99 ms": percentiles(
                sorted(self.while_backup)
            ),
        }

    def sample_memory(self) -> None:
        """Peak RSS per process: VmHWM (the kernel's high-water mark), read every second."""
        gunicorn, worker = self.servers["gunicorn"].pid, self.servers["db_worker"].pid
        while not self.stop.wait(1):
            children = Path(f"/proc/{gunicorn}/task/{gunicorn}/children").read_text().split()
            for group, pids in (("gunicorn worker", children), ("db_worker", [worker])):
                for pid in map(int, pids):
                    peak = high_water_kb(pid)
                    if peak:
                        self.memory[group][pid] = max(peak, self.memory[group].get(pid, 0))

    # --- figures -----------------------------------------------------------------------

    def summary(self, seconds: float) -> dict:
        by_kind: dict[str, dict] = {}
        errors: dict[str, int] = {}
        intended: dict[str, int] = {}
        for _phase, kind, status, _seconds in self.requests:
            key = f"{status} {kind}"
            if 200 <= status < 300:
                continue
            if status == 429 and kind.startswith("export"):
                intended[key] = intended.get(key, 0) + 1
            else:
                errors[key] = errors.get(key, 0) + 1
        for kind in WEIGHTS:
            by_kind[kind] = {}
            for phase in PHASES:
                times = sorted(
                    s for p, k, status, s in self.requests
                    if p == phase and k == kind and 200 <= status < 300
                )  # fmt: skip
                by_kind[kind][phase] = percentiles(times)
        edits = [edit["seconds"] for edit in self.edits]
        return {
            "seconds": round(seconds, 1),
            "requests": len(self.requests),
            "requests per phase": {p: sum(1 for r in self.requests if r[0] == p) for p in PHASES},
            "errors (non-2xx, not intended)": errors,
            "intended 429 (export rate limit)": intended,
            "ms per kind and phase (2xx only): count, p50, p95, p99": by_kind,
            "import job": self.job,
            "curator edits": {
                "count": len(self.edits),
                "statuses": sorted({edit["status"] for edit in self.edits}),
                "max seconds": max(edits, default=0),
                "median seconds": sorted(edits)[len(edits) // 2] if edits else 0,
                "each": self.edits,
            },
            "backup": self.backup,
            "peak RSS MB": {
                group: [round(kb / 1024) for kb in peaks.values()]
                for group, peaks in self.memory.items()
            },
        }


class Redirected(NoRedirects):
    """Does not follow a redirect (import_freeze.NoRedirects) but keeps its address."""

    location = ""

    def redirect_request(self, request, fp, code, message, headers, newurl):
        self.location = newurl
        return None


class FormFields(HTMLParser):
    """The values one HTML form would submit, as {name: [values]}: the standard library's
    parser is enough for Django's admin forms (no form library among the dependencies)."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.values: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    @classmethod
    def of(cls, html: str, form_id: str) -> dict[str, list[str]]:
        parser = cls(form_id)
        parser.feed(html)
        return parser.values

    @staticmethod
    def error_fields(html: str) -> list[str]:
        import re

        return re.findall(r'class="errorlist[^"]*" id="id_([^"]+)_error"', html)

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.values.setdefault(a["name"], []).append(
                a.get("value") or ("on" if kind in ("checkbox", "radio") else "")
            )
        elif tag == "select":
            self.select = a["name"]
            self.values.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select].append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.values[self.textarea] = [""]

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data) -> None:
        if self.textarea:
            self.values[self.textarea][0] += data


def upload_file(path: Path) -> tuple[str, bytes, str]:
    """The file the curator uploads: the CSV, or where it is above the back office's 5 MB
    (a 50,000-row CSV of the full format is 18 MB) the same rows as XLSX, as a curator would
    save them from Excel. DATA_UPLOAD_MAX_MEMORY_SIZE cannot be raised instead: the background
    job reads every file with lib/tables.py's fixed 5 MB limit."""
    if path.stat().st_size <= UPLOAD_LIMIT:
        return "soak.csv", path.read_bytes(), "text/csv"
    import csv
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    plain = io.BytesIO()
    book.save(plain)
    packed = io.BytesIO()  # openpyxl's default compression leaves 50,000 rows just above 5 MB
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for name in source.namelist():
            target.writestr(name, source.read(name))
    if len(packed.getvalue()) > UPLOAD_LIMIT:
        sys.exit(f"{len(packed.getvalue()):,} bytes of XLSX: above the back office's 5 MB")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "soak.xlsx", packed.getvalue(), xlsx


def post_file(opener, url: str, fields: dict, filename: str, data: bytes, content_type: str):
    """import_freeze.post with a file of bytes (it sends text): (status, seconds)."""
    boundary = "----synthetic-soak"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(url, data=b"".join(parts), method="POST")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("Referer", url)
    start = time.perf_counter()
    try:
        with opener.open(request, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - start


def high_water_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:  # the process has ended
        pass
    return 0


def percentiles(times: list[float]) -> list[float]:
    if not times:
        return [0, 0, 0, 0]

    def at(p: float) -> float:
        return round(1000 * times[min(len(times) - 1, int(p * len(times)))], 1)

    return [len(times), at(0.5), at(0.95), at(0.99)]


def outcome(body: str) -> str:
    """The report's heading and its first lines of figures, as text."""
    start = body.find('id="result-heading"')
    text = body[start : start + 1500] if start >= 0 else body[-1500:]
    words = HTMLText.of(text)
    return " ".join(words.split())[:300]


class HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(parser.parts)

    def handle_data(self, data) -> None:
        self.parts.append(data)


def report(results: dict) -> str:
    job, backup, edits = results["import job"], results["backup"], results["curator edits"]
    lines = [
        f"## Soak: {results['database']}, {results['minutes']:g} min, "
        f"{results['connections']} connections, import of {results['import file']['rows']:,} rows",
        "",
        f"- requests: {results['requests']:,} in {results['seconds']} s "
        f"({results['requests per phase']})",
        f"- errors (non-2xx apart from intended 429): {results['errors (non-2xx, not intended)'] or 0}",
        f"- intended 429 on exports: {results['intended 429 (export rate limit)'] or 0}",
        f"- import file: {results['import file']}",
        f"- import job: {job}",
        f"- curator edits: {edits['count']}, statuses {edits['statuses']}, "
        f"median {edits['median seconds']} s, max {edits['max seconds']} s",
        f"- backup: {backup.get('seconds')} s, {backup.get('bytes', 0):,} bytes, "
        f"exit {backup.get('exit status')}, at {backup.get('at s')} s ({backup.get('phase')} the "
        f"import); public requests meanwhile (n, p50/p95/p99 ms): "
        f"{backup.get('public requests meanwhile: count, p50, p95, p99 ms')}",
        f"- peak RSS MB: {results['peak RSS MB']}",
        "",
        "| path kind | " + " | ".join(f"{p}: n, p50/p95/p99 ms" for p in PHASES) + " |",
        "|---|---:|---:|---:|",
    ]
    for kind, phases in results["ms per kind and phase (2xx only): count, p50, p95, p99"].items():
        cells = [f"{n}: {p50:g} / {p95:g} / {p99:g}" for n, p50, p95, p99 in phases.values()]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
