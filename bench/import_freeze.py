"""Does a long import freeze the site? (issue 11, finding 1) Public latency and writes
while `clusterportal import_initiatives` imports a SYNTHETIC file, on SQLite.

    .venv/bin/python bench/import_freeze.py                     # this checkout ("after")
    git archive main | (mkdir -p /tmp/main-code && tar -x -C /tmp/main-code)
    .venv/bin/python bench/import_freeze.py --code /tmp/main-code --label before

Starts gunicorn with 2 workers (as `make run`; with this checkout also the background
worker) on a fresh SQLite database in bench/out/ with the shipped data, and measures
for --seconds before the import and while it runs:
- public pages (list, a profile, the API list) from --clients threads: p50/p95/p99, errors;
- a login every 2 s (session write, last_login) and a 5-row back-office import every
  4 s by a curator: status and seconds each.
The import file is made by bench/import_speed.py's generator (every name "SYNTHETIC").
Localhost only; the machine is shared, so compare runs made one after the other.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
PUBLIC = ["/cluster/", "/cluster/biopro/", "/api/v1/initiatives"]
PASSWORD = "synthetic benchmark password"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose code runs")
    parser.add_argument("--label", default="after")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=8101)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / f"freeze-{args.label}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(args.code),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "clusterportal.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "CLUSTERPORTAL_VAR_DIR": str(OUT / f"freeze-var-{args.label}"),
        "DEBUG": "0",
        "PLAIN_HTTP": "1",
        "SECRET_KEY": "synthetic-benchmark-key-" + "x" * 40,
        "PORTAL_URL": f"http://127.0.0.1:{args.port}",
    }
    run = dict(env=env, cwd=args.code, check=True)
    manage = [sys.executable, "-m", "django"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], **run)
    subprocess.run([*manage, "load_data", "-v0"], **run, stdout=subprocess.DEVNULL)
    session = subprocess.run(
        [sys.executable, __file__.replace("import_freeze", "import_freeze_setup"), str(args.rows)],
        **run,
        capture_output=True,
        text=True,
    ).stdout.split()
    session_key, import_file = session[-2], session[-1]
    servers = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:clusterportal.gunicorn_conf",
             "clusterportal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{args.port}"],
            env=env, cwd=args.code, stderr=subprocess.DEVNULL,
        )
    ]  # fmt: skip
    if (args.code / "clusterportal" / "registry" / "jobs.py").exists():
        worker_env = {**env, "DB_BUSY_TIMEOUT": "30"}
        servers.append(subprocess.Popen([*manage, "db_worker"], env=worker_env, cwd=args.code))
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_for(base)
        results = {"label": args.label, "rows": args.rows}
        results["before the import"] = phase(base, session_key, args, None)
        command = subprocess.Popen(
            [*manage, "import_initiatives", import_file], env=env, cwd=args.code,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        results["during the import"] = phase(base, session_key, args, command)
        out, err = command.communicate()
        results["import command"] = (out.strip() or err.strip().splitlines()[-1])[:200]
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    (OUT / f"import_freeze-{args.label}.json").write_text(json.dumps(results, indent=2))


def wait_for(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/cluster/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def get(url: str, opener=None, timeout: float = 60) -> tuple[int, float, str]:
    start = time.perf_counter()
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=timeout) as response:
            body = response.read().decode(errors="replace")
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read().decode(errors="replace"), error.code
    return status, time.perf_counter() - start, body


def post(opener, url: str, fields: dict, files: dict | None = None) -> tuple[int, float]:
    boundary = "----synthetic-bench"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    for name, (filename, data) in (files or {}).items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: text/csv\r\n\r\n{data}\r\n"
        )
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("Referer", url)
    start = time.perf_counter()
    try:
        with opener.open(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - start


def csrf(opener, url: str) -> str:
    _status, _seconds, body = get(url, opener)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A write answers 302 when it worked: count that, do not follow it."""

    def redirect_request(self, *args, **kwargs):
        return None


def opener_with(session_key: str = ""):
    jar = http.cookiejar.CookieJar()
    if session_key:
        jar.set_cookie(
            http.cookiejar.Cookie(
                0, "sessionid", session_key, None, False, "127.0.0.1", False, False, "/",
                True, False, None, False, None, None, {},
            )
        )  # fmt: skip
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)


def phase(base: str, session_key: str, args, command) -> dict:
    """Public readers and the two writers, until --seconds passed (and the import ended)."""
    stop = threading.Event()
    public: list[tuple[int, float]] = []
    writes: dict[str, list[tuple[int, float]]] = {"login": [], "5-row admin import": []}

    def reader(index: int) -> None:
        while not stop.is_set():
            status, seconds, _body = get(base + PUBLIC[index % len(PUBLIC)])
            public.append((status, seconds))
            index += 1

    def login() -> None:
        while not stop.is_set():
            opener = opener_with()
            token = csrf(opener, base + "/konto/login/")
            writes["login"].append(
                post(
                    opener,
                    base + "/konto/login/",
                    {
                        "csrfmiddlewaretoken": token,
                        "login": "leser@example.org",
                        "password": PASSWORD,
                    },
                )  # fmt: skip
            )
            stop.wait(2)

    def small_import() -> None:
        url = base + "/admin/registry/clusterinitiative/import/"
        number = 0
        while not stop.is_set():
            opener = opener_with(session_key)
            token = csrf(opener, url)
            number += 1
            rows = "".join(
                f"SYNTHETIC Kleinimport {command is not None} {number} {i},cluster_initiative\r\n"
                for i in range(5)
            )
            writes["5-row admin import"].append(
                post(
                    opener,
                    url,
                    {"csrfmiddlewaretoken": token, "import": "1"},
                    {"file": ("klein.csv", "name,kind\r\n" + rows)},
                )  # fmt: skip
            )
            stop.wait(4)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(args.clients)]
    threads += [threading.Thread(target=login), threading.Thread(target=small_import)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    while time.perf_counter() - start < args.seconds or (command and command.poll() is None):
        time.sleep(0.2)
        if time.perf_counter() - start > 600:
            break
    stop.set()
    for thread in threads:
        thread.join()
    latencies = sorted(seconds for _status, seconds in public)

    def percentile(p: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        "seconds": round(time.perf_counter() - start, 1),
        "public requests": len(public),
        "public non-2xx": sum(1 for status, _s in public if status >= 300),
        "public p50/p95/p99 ms": [percentile(0.5), percentile(0.95), percentile(0.99)],
        "public median ms": round(1000 * statistics.median(latencies), 1),
        **{
            name: {
                "statuses": sorted({status for status, _s in results}),
                "count": len(results),
                "max seconds": round(max((s for _st, s in results), default=0), 2),
            }
            for name, results in writes.items()
        },
    }


if __name__ == "__main__":
    main()
