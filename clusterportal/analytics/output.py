"""Write a Result into an output directory, all or nothing.

Everything is written into a hidden sibling directory first and renamed into
place at the end, so a failed run leaves no partial output behind.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from clusterportal.analytics.engine import Result

MANIFEST = "run.json"
OUTPUT_STEMS = (
    "region_clusters",
    "region_summary",
    "cluster_relatedness",
    "region_density",
    "cluster_growth",
)


class OutputDirError(ValueError):
    """The output directory holds files this engine did not write."""


def _ours(path: Path) -> bool:
    names = {MANIFEST} | {f"{s}.{ext}" for s in OUTPUT_STEMS for ext in ("csv", "parquet")}
    return all(child.name in names for child in path.iterdir())


def check_out_dir(out: Path) -> None:
    """Refuse a directory we would have to overwrite other people's files in."""
    if out.exists() and (not out.is_dir() or not _ours(out)):
        raise OutputDirError(
            f"{out}: exists and holds files other than atlas outputs; "
            "choose a new or empty directory"
        )


def write_csv(table: pa.Table, path: Path) -> None:
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(include_header=True))


def write(result: Result, out: Path) -> list[Path]:
    """Write every table as CSV and Parquet plus run.json; return the written paths."""
    out = Path(out)
    check_out_dir(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        # pyarrow's writers release the GIL: writing the files side by side keeps
        # both cores busy (the CSV writer alone is single-threaded).
        jobs: list[Callable[[], None]] = []
        for stem, table in result.tables().items():
            jobs.append(partial(write_csv, table, tmp / f"{stem}.csv"))
            jobs.append(partial(pq.write_table, table, tmp / f"{stem}.parquet"))
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for future in [pool.submit(job) for job in jobs]:
                future.result()
        (tmp / MANIFEST).write_text(
            json.dumps(result.manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8"
        )
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            out.rename(old / out.name)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(out.iterdir())
