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


def check_out_dir(out: Path) -> Path:
    """Before any computing: the output place is one we may and can write. Returns it as
    an absolute path. Refused: a directory of other people's files, the current directory
    or one above it (it would be renamed away under the run), and a place whose nearest
    existing directory cannot take a new entry (read-only, no permission)."""
    out = Path(os.path.abspath(out))
    here = Path.cwd()
    if out == here or out in here.parents:
        raise OutputDirError(
            f"{out}: is the current directory or above it; choose a directory of its own"
        )
    if out.exists() and (not out.is_dir() or not _ours(out)):
        raise OutputDirError(
            f"{out}: exists and holds files other than atlas outputs; "
            "choose a new or empty directory"
        )
    _probe(_nearest_existing(out.parent))
    return out


def _nearest_existing(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def _probe(directory: Path) -> None:
    """Make and remove a directory: the one test that also sees read-only file systems
    and holds for root, whom permission bits do not stop."""
    if not directory.is_dir():
        raise OutputDirError(f"{directory}: is not a directory")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".atlas-probe.", dir=directory))
    except OSError as exc:
        raise OutputDirError(f"{directory}: cannot write here ({exc.strerror})") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_csv(table: pa.Table, path: Path) -> None:
    # Batches of 8,192 rows instead of 1,024: the same bytes, written a tenth faster
    # (region_clusters of 3 M input rows: 289 -> 256 ms).
    options = pacsv.WriteOptions(include_header=True, batch_size=8192)
    pacsv.write_csv(table, path, write_options=options)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Without pyarrow's stored schema: the engine keeps repeated texts as dictionary
    columns, and a reader should find plain text columns in the file, as in the CSV.
    Floating-point columns are written without a dictionary: their values rarely
    repeat, and trying one cost a third of the writing time on 1.5 million rows.
    Min/max statistics are kept for the columns a reader selects rows by (texts and
    whole numbers: codes, years); in a file sorted by those, the statistics of numbers
    and flags rule no row group out, and computing them took a tenth of the writing."""
    repeated = [f.name for f in table.schema if not pa.types.is_floating(f.type)]
    keys = [f.name for f in table.schema if _is_key(f.type)]
    codecs = {name: "none" if name in QUOTIENTS else "snappy" for name in table.column_names}
    pq.write_table(
        table,
        path,
        store_schema=False,
        use_dictionary=repeated,
        write_statistics=keys,
        compression=codecs,
        # Values handed to the column writers 65,536 at a time instead of 1,024: far fewer
        # calls per column, the same tables read back (region_clusters at 1 / 3 / 30 M input
        # rows: 27 -> 24, 52 -> 46, 519 -> 432 ms, files of the same size; region_summary at
        # 30 M 0.7 % bigger).
        write_batch_size=65536,
    )


# Quotients of two sums, stored uncompressed: their bytes look random to snappy. In
# region_clusters of every shipped edition it made share, reference_share and lq no
# smaller (ratio 1.00) and wage 6 % bigger; on the synthetic panel it saved 14 % of
# wage (3 % of the file). Trying took a tenth of the writing time (10 M rows: 0.284 ->
# 0.256 s).
QUOTIENTS = frozenset({"wage", "share", "reference_share", "lq"})


def _is_key(column_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(column_type):
        column_type = column_type.value_type
    return bool(pa.types.is_string(column_type) or pa.types.is_integer(column_type))


def write(result: Result, out: Path) -> list[Path]:
    """Write every table as CSV and Parquet plus run.json; return the written paths.
    The directory gets the permissions of the user's umask (mkdtemp makes it 0700), and a
    failure leaves nothing behind: not the hidden directories, nor parents made for it."""
    out = check_out_dir(out)
    made = _missing_parents(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        # pyarrow's writers release the GIL: writing the files side by side keeps
        # both cores busy (the CSV writer alone is single-threaded).
        jobs: list[Callable[[], None]] = []
        for stem, table in result.tables().items():
            jobs.append(partial(write_csv, table, tmp / f"{stem}.csv"))
            jobs.append(partial(write_parquet, table, tmp / f"{stem}.parquet"))
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for future in [pool.submit(job) for job in jobs]:
                future.result()
        (tmp / MANIFEST).write_text(
            json.dumps(result.manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8"
        )
        tmp.chmod(0o777 & ~_umask())
        _replace(out, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for parent in made:  # deepest first
            shutil.rmtree(parent, ignore_errors=True)
        raise
    return sorted(out.iterdir())


def _missing_parents(out: Path) -> list[Path]:
    missing = []
    parent = out.parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    return missing


def _replace(out: Path, tmp: Path) -> None:
    """Earlier outputs in `out` make way for the new ones, one rename each; should the
    second rename fail, the earlier outputs go back."""
    if not out.exists():
        tmp.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    try:
        out.rename(old / out.name)
    except BaseException:
        old.rmdir()
        raise
    try:
        tmp.rename(out)
    except BaseException:
        (old / out.name).rename(out)
        old.rmdir()
        raise
    shutil.rmtree(old)
