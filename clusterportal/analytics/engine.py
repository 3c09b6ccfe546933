"""The atlas engine: employment by industry in, cluster statistics by region out.

The heavy work is DuckDB SQL over the loaded inputs: one scan maps industries to
clusters and sums them per year x region x cluster; everything after that runs on
that much smaller table. NumPy does the relatedness matrices. The definitions are
in docs/atlas-method.md.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeVar

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from clusterportal.analytics import relatedness
from clusterportal.analytics.errors import InputError
from clusterportal.analytics.inputs import (
    CELL_KEY,
    FLAG_MIDPOINTS,
    RegionLinks,
    check_regions,
    employment_numbers,
    employment_sql,
    flag_sql,
    load_clusters,
    load_crosswalk,
    load_employment,
    load_overrides,
    load_region_links,
    parse_reference,
    summarise_industries,
)
from clusterportal.analytics.sources import (
    Loaded,
    Source,
    finite_checks,
    first_row,
    raise_first_duplicate,
    raise_first_violation,
    release,
    sha256_of,
    sql_string,
)

ENGINE_VERSION = "1.0.0"

Method = Literal["cmp", "eco"]

# sum_clusters spots duplicate cells with one bit per input code of a cluster: an
# INTEGER holds 31 such bits, a BIGINT 63, a HUGEINT 127; the wider, the more it
# costs to OR them together (on 10 million rows BIGINT took 0.04 s more than INTEGER).
_DUP_BITS = {"INTEGER": 31, "BIGINT": 63, "HUGEINT": 127}
METHODS: tuple[Method, ...] = ("cmp", "eco")
T = TypeVar("T")
U = TypeVar("U")

# Output columns, in order: part of the public interface (docs/atlas-cli.md).
REGION_CLUSTER_COLUMNS = (
    "year",
    "region_type",
    "region_code",
    "cluster_code",
    "cluster_name",
    "cluster_type",
    "employment",
    "establishments",
    "wage",
    "share",
    "reference_share",
    "lq",
)
CLASSIFICATION_COLUMNS: dict[Method, tuple[str, ...]] = {
    "cmp": ("qualifying", "significant", "strong", "strong10"),
    "eco": ("size_star", "specialisation_star", "focus_star", "stars", "strong"),
}
REGION_SUMMARY_COLUMNS = (
    "year",
    "region_type",
    "region_code",
    "total_employment",
    "traded_employment",
    "local_employment",
    "strong_clusters",
    "strong_employment",
    "strong_employment_share",
    "portfolio",
)
GROWTH_COLUMNS = (
    "year_from",
    "year_to",
    "region_type",
    "region_code",
    "cluster_code",
    "employment_from",
    "employment_to",
    "employment_change",
    "employment_cagr",
    "lq_from",
    "lq_to",
)


@dataclass(frozen=True)
class EcoThresholds:
    """Star thresholds of the European Cluster Observatory method (classic defaults)."""

    size_top: float = 0.10
    specialisation_lq: float = 2.0
    focus_top: float = 0.10
    strong_stars: int = 2

    def __post_init__(self) -> None:
        for name in ("size_top", "focus_top"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise ValueError(f"{name} must be above 0 and at most 1, not {value}")
        if self.specialisation_lq <= 0:
            raise ValueError("specialisation_lq must be above 0")
        if not 1 <= self.strong_stars <= 3:
            raise ValueError("strong_stars must be 1, 2 or 3")


@dataclass(frozen=True)
class UnmappedCode:
    """An industry code with no cluster: dropped with --allow-unmapped, reported."""

    code: str
    stage: Literal["crosswalk", "clusters"]
    rows: int
    employment: float
    first_row: int


@dataclass
class Result:
    region_clusters: pa.Table
    region_summary: pa.Table
    cluster_relatedness: pa.Table
    region_density: pa.Table
    cluster_growth: pa.Table | None
    unmapped: list[UnmappedCode]
    manifest: dict[str, Any] = field(default_factory=dict)

    def tables(self) -> dict[str, pa.Table]:
        """The output tables by file stem (growth only when it was asked for)."""
        out = {
            "region_clusters": self.region_clusters,
            "region_summary": self.region_summary,
            "cluster_relatedness": self.cluster_relatedness,
            "region_density": self.region_density,
        }
        if self.cluster_growth is not None:
            out["cluster_growth"] = self.cluster_growth
        return out


class Stages:
    """Times the named stages of a run and reports each as it ends."""

    def __init__(self, report: Callable[[str], None] | None) -> None:
        self.report = report
        self.timings: dict[str, float] = {}
        self.started = time.perf_counter()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.timings[name] = round(seconds, 4)
        if self.report:
            self.report(f"{name:<30} {seconds:7.2f} s")

    def total(self) -> float:
        return time.perf_counter() - self.started


def stderr_progress(line: str) -> None:
    print(f"atlas: {line}", file=sys.stderr, flush=True)


def connect(
    threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be at least 1, not {threads}")
    con = duckdb.connect(":memory:")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")  # the engine reports its own stages
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    if memory_limit:
        try:
            con.execute(f"SET memory_limit = {sql_string(memory_limit)}")
        except duckdb.Error as exc:
            con.close()
            raise ValueError(f"memory limit {memory_limit!r}: {exc}") from None
    return con


def compute(
    employment: Source,
    clusters: Source,
    *,
    method: Method = "cmp",
    reference: str | None = None,
    regions: Source | None = None,
    industry_crosswalk: Source | None = None,
    overrides: Source | None = None,
    allow_unmapped: bool = False,
    growth: tuple[int, int] | None = None,
    eco: EcoThresholds | None = None,
    progress: Callable[[str], None] | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> Result:
    """Compute the cluster atlas tables. Raises InputError for bad input.

    Sources are file paths (CSV, optionally gzipped, or Parquet) or Arrow tables.
    `reference` is `TYPE:CODE`; without it each region type is compared with the
    sum of its regions. `growth` is (year_from, year_to).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    ref = parse_reference(reference) if reference else None
    if growth is not None and not growth[0] < growth[1]:
        raise ValueError(f"growth: the first year must come before the second, not {growth}")
    eco = eco or EcoThresholds()
    stages = Stages(progress)
    con = connect(threads, memory_limit)
    sources = {
        "employment": employment,
        "clusters": clusters,
        "regions": regions,
        "industry_crosswalk": industry_crosswalk,
        "overrides": overrides,
    }
    # Hash the input files on a side thread (hashlib releases the GIL) while
    # DuckDB reads them: on a 170 MB file that hides about half a second.
    hasher = ThreadPoolExecutor(max_workers=1)
    digests = {
        role: hasher.submit(sha256_of, src)
        for role, src in sources.items()
        if src is not None and not isinstance(src, pa.Table) and os.path.isfile(src)
    }
    try:
        inputs = _Inputs.load(con, stages, sources)
        # Row numbers of the inputs are fixed now. From here on every query that
        # needs an order says so (ORDER BY), and DuckDB may build the intermediate
        # tables in any order: about a tenth less CPU on 30 million rows.
        con.execute("SET preserve_insertion_order = false")
        run = _Run(con, method, ref, eco)
        with stages.stage("map industries, number regions"):
            # Small statements on the cluster definitions beside a scan of the employment
            # input: each keeps about one core busy (1 M rows: the big group-by starts
            # 132 -> 117 ms after the start, medians of 9).
            side_by_side(
                con,
                lambda beside: run.map_industries(inputs.xw, beside),
                lambda: run.number_regions(inputs.emp, inputs.links),
            )
        with stages.stage("sum clusters"):
            run.sum_clusters(inputs.emp, inputs.ov)
            unmapped = run.take_out_unmapped(inputs.emp, inputs.cl, inputs.xw, allow_unmapped)
            run.check_duplicates(inputs.emp, unmapped)
        if inputs.links is not None:
            with stages.stage("aggregate regions"):
                run.aggregate_regions(inputs.links)
        with stages.stage("location quotients"):
            run.location_quotients(inputs.emp)
        with stages.stage("classify"):
            run.classify()
        with stages.stage("relatedness"):
            rel, density = run.relatedness()
        growth_table = None
        if growth is not None:
            with stages.stage("growth"):
                growth_table = run.growth(inputs.emp, *growth)
        with stages.stage("region summary"):
            summary = run.region_summary()
        result = Result(
            region_clusters=run.region_clusters(),
            region_summary=summary,
            cluster_relatedness=rel,
            region_density=density,
            cluster_growth=growth_table,
            unmapped=unmapped,
        )
        result.manifest = _manifest(
            result,
            method=method,
            reference=reference,
            eco=eco,
            allow_unmapped=allow_unmapped,
            growth=growth,
            inputs=inputs.by_role(),
            timings=stages.timings,
            digests={role: future.result() for role, future in digests.items()},
        )
        return result
    finally:
        hasher.shutdown(wait=False, cancel_futures=True)
        # Closing frees the memory of every table (11 ms on 1 million rows, 54 ms on
        # 30 million) and DuckDB lets go of the GIL meanwhile: nothing returned needs the
        # connection, so it closes beside the caller's next step (writing the files).
        threading.Thread(target=con.close, name="atlas-close-duckdb").start()


@dataclass(frozen=True)
class _Inputs:
    emp: Loaded
    cl: Loaded
    links: RegionLinks | None
    xw: Loaded | None
    ov: Loaded | None

    @classmethod
    def load(
        cls, con: duckdb.DuckDBPyConnection, stages: Stages, sources: dict[str, Source | None]
    ) -> _Inputs:
        with stages.stage("load employment and clusters"):
            emp, cl = _load_side_by_side(
                con, _given(sources["employment"]), _given(sources["clusters"])
            )
        links = xw = ov = None
        if sources["regions"] is not None:
            with stages.stage("load region links"):
                links = load_region_links(con, sources["regions"])
        if sources["industry_crosswalk"] is not None:
            with stages.stage("load industry crosswalk"):
                xw = load_crosswalk(con, sources["industry_crosswalk"])
        if sources["overrides"] is not None:
            with stages.stage("load overrides"):
                ov = load_overrides(con, sources["overrides"], emp)
        return cls(emp, cl, links, xw, ov)

    def by_role(self) -> dict[str, Loaded | None]:
        return {
            "employment": self.emp,
            "clusters": self.cl,
            "regions": self.links.loaded if self.links else None,
            "industry_crosswalk": self.xw,
            "overrides": self.ov,
        }


def _load_side_by_side(
    con: duckdb.DuckDBPyConnection, employment: Source, clusters: Source
) -> tuple[Loaded, Loaded]:
    """Load the employment input and, on a second connection to the same database at the
    same time, the cluster definitions: both are mostly short statements that keep one
    core busy each (1 M rows: 19 -> 13 ms)."""
    clusters_loaded, emp = side_by_side(
        con,
        lambda beside: load_clusters(beside, clusters),
        lambda: load_employment(con, employment),
    )
    return emp, clusters_loaded


def side_by_side(
    con: duckdb.DuckDBPyConnection,
    beside: Callable[[duckdb.DuckDBPyConnection], T],
    main: Callable[[], U],
) -> tuple[T, U]:
    """Run `beside` on a second connection to the database of `con` while `main` runs, and
    return both results. An error of `main` is raised first, as if `main` had run first;
    the two must not touch the same tables."""
    cursor = con.cursor()
    try:
        # Leaving the executor's block waits for the side task, also after an error.
        with ThreadPoolExecutor(1) as side:
            side_result = side.submit(beside, cursor)
            main_result = main()
        return side_result.result(), main_result
    finally:
        cursor.close()


def _given(source: Source | None) -> Source:
    assert source is not None
    return source


class _Run:
    """The SQL steps of one computation, sharing one DuckDB connection."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        method: Method,
        ref: tuple[str, str] | None,
        eco: EcoThresholds,
    ) -> None:
        self.con = con
        self.method = method
        self.ref = ref
        self.eco = eco
        self.cls: pa.Table = pa.table({})
        self.dup_bits = "HUGEINT"  # map_industries picks the narrowest type that fits
        # How many region types, clusters and regions there are (location_quotients counts
        # them): the bounds of the group numbers (group_sql) and of the output's sort key.
        self.types = self.clusters = self.regions = 1
        self.split = True  # whether any industry code is split between clusters

    def sql(self, query: str, params: list[object] | None = None) -> None:
        self.con.execute(query, params or [])

    # -- industries -> clusters -------------------------------------------------

    def map_industries(self, xw: Loaded | None, con: duckdb.DuckDBPyConnection) -> None:
        """Build `cinfo` (one row per cluster) and `imap` (input industry code -> cluster,
        share), on `con`: a second connection to the database while number_regions runs
        (so the small inputs are copied into DuckDB tables even when given as Arrow)."""
        con.execute(
            "CREATE TABLE cinfo AS SELECT cluster_code, any_value(cluster_name) AS cluster_name, "
            "any_value(type) AS cluster_type, "
            "CAST(row_number() OVER (ORDER BY cluster_code) AS INTEGER) AS cluster_rank "
            "FROM clusters GROUP BY cluster_code"
        )
        # `pos` numbers the input codes within each cluster: sum_clusters uses it
        # to spot a code that occurs twice in one year x region (a duplicate cell).
        if xw is None:
            mapping = "SELECT industry_code AS from_code, cluster_code, 1.0 AS share FROM clusters"
        else:
            mapping = (
                "SELECT x.from_code, c.cluster_code, sum(x.share) AS share "
                "FROM crosswalk x JOIN clusters c ON x.to_code = c.industry_code GROUP BY ALL"
            )
        con.execute(
            f"""
            CREATE TABLE imap AS
            SELECT m.*, c.cluster_rank,
                   CAST(row_number() OVER (PARTITION BY cluster_code ORDER BY from_code) - 1
                        AS INTEGER) AS pos
              FROM ({mapping}) m JOIN cinfo c USING (cluster_code)
            """
        )
        # An aggregate without GROUP BY gives one row, NULLs when imap is empty.
        [(codes, all_whole)] = con.execute(
            "SELECT coalesce(max(pos) + 1, 0), coalesce(bool_and(share = 1), true) FROM imap"
        ).fetchall()
        self.dup_bits = next(t for t, bits in _DUP_BITS.items() if codes <= bits or bits == 127)
        # The bit of each code, worked out once here instead of once per input row.
        con.execute(
            f"ALTER TABLE imap ADD COLUMN bit {self.dup_bits}; "
            f"UPDATE imap SET bit = CAST(1 AS {self.dup_bits}) << (pos % {_DUP_BITS[self.dup_bits]})"
        )
        # Without a crosswalk every code goes whole to its cluster: no shares to apply.
        self.split = not all_whole

    def number_regions(self, emp: Loaded, links: RegionLinks | None) -> None:
        """`regions`: each region of the input, and each parent of the region links, once,
        numbered in the order of the output (`region_rank`, and `type_rank` for its type).

        The big group-by and every step after it carry these integers instead of the two
        texts; the texts come back at the end (classify). On 10 million rows the joins and
        sums after the group-by take about half as long on integers, more than this scan
        for the distinct regions costs. The region texts are checked here, once each.
        """
        parents = "UNION SELECT parent_type, parent_code FROM region_tree" if links else ""
        self.sql(
            f"""
            CREATE TABLE input_regions AS SELECT DISTINCT region_type, region_code FROM {emp.table}
            """
        )
        check_regions(self.con, emp, "input_regions")
        self.sql(
            f"""
            CREATE TABLE regions AS
            SELECT region_type, region_code,
                   CAST(row_number() OVER (ORDER BY region_type, region_code) AS INTEGER)
                       AS region_rank,
                   CAST(dense_rank() OVER (ORDER BY region_type) AS INTEGER) AS type_rank
              FROM (SELECT * FROM input_regions {parents});
            DROP TABLE input_regions;
            """
        )

    def take_out_unmapped(
        self, emp: Loaded, cl: Loaded, xw: Loaded | None, allow_unmapped: bool
    ) -> list[UnmappedCode]:
        """Find the industry codes without a cluster and take their rows out of `rc`.

        sum_clusters gathers the rows of such codes under an empty cluster_rank, so a
        file without them costs one look at `rc`; only otherwise (or when crosswalk
        codes lead to no cluster) is the input summed per industry code for the report.
        """
        (rows,) = first_row(
            self.con.execute("SELECT count(*) FROM rc WHERE cluster_rank IS NULL").fetchall()
        ) or (0,)
        gaps = 0
        if xw is not None:
            (gaps,) = first_row(
                self.con.execute(
                    "SELECT count(*) FROM crosswalk ANTI JOIN clusters ON to_code = industry_code"
                ).fetchall()
            ) or (0,)
        if not rows and not gaps:
            return []
        summarise_industries(self.con, emp)
        found = self.con.execute(_unmapped_sql(xw)).fetchall()
        unmapped = [
            UnmappedCode(str(code), stage, int(n), float(e or 0), int(first) + 2)
            for code, stage, n, e, first in found
        ]
        if unmapped and not allow_unmapped:
            first = unmapped[0]
            where = f"the cluster definitions ({cl.label})"
            if xw is not None and first.stage == "crosswalk":
                where = f"the industry crosswalk ({xw.label})"
            after = " after the crosswalk" if xw is not None and first.stage == "clusters" else ""
            more = f"; {len(unmapped) - 1} more unknown code(s)" if len(unmapped) > 1 else ""
            raise InputError(
                emp.label,
                first.first_row,
                f"industry code {first.code!r}{after} is not in {where}{more}; "
                "use --allow-unmapped to drop and report them",
            )
        self.sql("DELETE FROM rc WHERE cluster_rank IS NULL")
        return unmapped

    def sum_clusters(self, emp: Loaded, ov: Loaded | None) -> None:
        """The one scan of the big table: impute, override, split, sum per cluster.

        Each aggregate costs about a tenth of this stage on 30 million rows, so
        the ones the data does not need are left out: shares when no code is
        split, the test for unknown establishments and the wage filter when no
        cell lacks those values (Parquet statistics tell that without a scan).
        """
        share = " * m.share" if self.split else ""
        value = employment_sql(emp, "e.")
        join = ""
        if ov is not None:
            keys = ", ".join(CELL_KEY)
            join = f"LEFT JOIN overrides o USING ({keys})"
            value = f"COALESCE(o.employment, {value})"
        if emp.has("employment_reported"):
            reported = "e.employment_reported"
        elif emp.has("employment_flag"):
            reported = f"CASE WHEN {flag_sql('e.employment_flag')} IS NULL THEN e.employment END"
        else:
            reported = "e.employment"
        empty = self._empty_cells(emp)
        # Every value of the numeric columns goes into a sum of `rc` unless a flag,
        # an override, an empty cell or a separate reported employment sets it aside.
        sums_hold_every_value = not (
            ov is not None
            or emp.has("employment_flag")
            or emp.has("employment_reported")
            or any(empty.values())
        )
        establishments = f"sum(e.establishments{share})"
        if empty["establishments"]:
            establishments = (
                f"CASE WHEN count(e.establishments) = count(*) THEN {establishments} END"
            )
        if not emp.has("payroll"):
            wages = "CAST(NULL AS DOUBLE) AS wage_payroll, CAST(NULL AS DOUBLE) AS wage_employment"
        else:
            known = ""
            if empty["payroll"] or reported != "e.employment" or empty["employment"]:
                known = f" FILTER (WHERE e.payroll IS NOT NULL AND {reported} IS NOT NULL)"
            wages = (
                f"sum(e.payroll{share}){known} AS wage_payroll, "
                f"sum({reported}{share}){known} AS wage_employment"
            )
        self.sql(
            f"""
            CREATE TABLE rc AS
            SELECT e.year, g.type_rank, g.region_rank, m.cluster_rank,
                   sum({value}{share}) AS employment,
                   {establishments} AS establishments,
                   {wages},
                   count(*) AS n_cells,
                   bit_count(bit_or(m.bit)) AS n_codes
              FROM employment e {join}
              JOIN regions g ON e.region_type = g.region_type AND e.region_code = g.region_code
              LEFT JOIN imap m ON e.industry_code = m.from_code
             GROUP BY ALL
            """
        )
        self._check_finite(emp, sums_hold_every_value)

    def _empty_cells(self, emp: Loaded) -> dict[str, int]:
        """How many rows leave employment, establishments and payroll empty."""
        names = [n for n in ("employment", "establishments", "payroll") if emp.has(n)]
        counts = first_row(
            self.con.execute(
                f"SELECT {', '.join(f'count(*) - count({n})' for n in names)} FROM {emp.counted}"
            ).fetchall()
        )
        return {n: int(c) for n, c in zip(names, counts, strict=True)} | {
            n: 0 for n in ("employment", "establishments", "payroll") if n not in names
        }

    def _check_finite(self, emp: Loaded, sums_hold_every_value: bool) -> None:
        """NaN and infinite values, found through the sums: a sum over a NaN is NaN, over an
        infinite value infinite or NaN. Only when a sum is not finite, or a value did not go
        into one (rows of unmapped codes, flags, overrides, empty cells), are the rows read."""
        if sums_hold_every_value:
            (suspect,) = first_row(
                self.con.execute(
                    "SELECT count(*) FROM rc WHERE cluster_rank IS NULL OR NOT ("
                    "isfinite(employment) AND isfinite(coalesce(establishments, 0)) "
                    "AND isfinite(coalesce(wage_payroll, 0)))"
                ).fetchall()
            ) or (0,)
            if not suspect:
                return
        raise_first_violation(
            self.con, emp.table, emp.label, finite_checks(employment_numbers(emp))
        )

    def check_duplicates(self, emp: Loaded, unmapped: list[UnmappedCode]) -> None:
        """Find duplicate cells without grouping the big table by its whole key.

        Within one year x region x cluster each input code sets bit `pos`; fewer
        bits than rows means a code came twice (or, in a cluster of more than 127
        codes, two codes share a bit): only then does the exact, slower check run.
        The rows of unmapped codes left `rc` (take_out_unmapped): they get the exact check.
        """
        (suspect,) = first_row(
            self.con.execute("SELECT count(*) FROM rc WHERE n_codes <> n_cells").fetchall()
        ) or (0,)
        if suspect:
            raise_first_duplicate(self.con, emp.table, emp.label, CELL_KEY, "cell")
        if unmapped:
            raise_first_duplicate(
                self.con,
                emp.table,
                emp.label,
                CELL_KEY,
                "cell",
                where="industry_code NOT IN (SELECT from_code FROM imap)",
            )
        self.sql("ALTER TABLE rc DROP COLUMN n_cells; ALTER TABLE rc DROP COLUMN n_codes;")

    def aggregate_regions(self, links: RegionLinks) -> None:
        """Sum children into parents, level by level; a parent given in the input wins."""
        self.sql(
            """
            CREATE TABLE rank_tree AS
            SELECT c.region_rank AS child_rank, p.type_rank AS parent_type_rank,
                   p.region_rank AS parent_rank, l.level
              FROM region_tree l
              JOIN regions c ON c.region_type = l.child_type AND c.region_code = l.child_code
              JOIN regions p ON p.region_type = l.parent_type AND p.region_code = l.parent_code
            """
        )
        for level in range(1, links.levels + 1):
            self.sql(
                f"""
                INSERT INTO rc
                SELECT r.year, l.parent_type_rank, l.parent_rank, r.cluster_rank,
                       sum(r.employment),
                       CASE WHEN count(r.establishments) = count(*)
                            THEN sum(r.establishments) END,
                       sum(r.wage_payroll), sum(r.wage_employment)
                  FROM rc r JOIN rank_tree l ON r.region_rank = l.child_rank
                 WHERE l.level = {level}
                   AND NOT EXISTS (SELECT 1 FROM rc g WHERE g.year = r.year
                                   AND g.region_rank = l.parent_rank)
                 GROUP BY ALL
                """
            )

    # -- location quotients -----------------------------------------------------

    def location_quotients(self, emp: Loaded) -> None:
        self.sql(
            """
            CREATE TABLE rtot AS
            SELECT year, type_rank, region_rank,
                   coalesce(sum(employment) FILTER (WHERE c.cluster_type = 'traded'), 0) AS traded,
                   coalesce(sum(employment) FILTER (WHERE c.cluster_type = 'local'), 0) AS local,
                   sum(employment) AS total
              FROM rc JOIN cinfo c USING (cluster_rank)
             GROUP BY year, type_rank, region_rank
            """
        )
        # Everything after this reads the (much smaller) cluster tables: give the
        # memory of the input back before the outputs are built.
        release(self.con, emp)
        keys, bc, bt, is_ref = self._benchmark(emp)
        if self.method == "cmp":
            den = "CASE WHEN b.cluster_type = 'traded' THEN t.traded ELSE t.local END"
            b_den = "CASE WHEN c.cluster_type = 'traded' THEN bt.b_traded ELSE bt.b_local END"
        else:
            den, b_den = "t.total", "bt.b_total"
        [(types, clusters, regions)] = self.con.execute(
            "SELECT (SELECT max(type_rank) FROM regions), (SELECT count(*) FROM cinfo), "
            "(SELECT count(*) FROM regions)"
        ).fetchall()
        self.types, self.clusters = int(types or 1), int(clusters or 1)
        self.regions = int(regions or 1)
        # The benchmark's side of every year x region type x cluster in one small table,
        # under its group number, so that each result cell needs two joins instead of four.
        # One number, not three keys: with `year` in both small tables DuckDB joined them to
        # each other first, a table as big as the result (30 M rows: 0.72 s against 0.17 s).
        on_bc = " AND ".join(f"bt.{k} = bc.{k}" for k in keys)
        # A reference region is the benchmark of every region type.
        if "type_rank" in keys:
            each_type, type_rank = "", "bt.type_rank"
        else:
            each_type = "CROSS JOIN (SELECT DISTINCT type_rank FROM regions) ty"
            type_rank = "ty.type_rank"
        grp = self.group_sql("bt.year", type_rank, "c.cluster_rank")
        self.sql(
            f"""
            CREATE TABLE bref AS
              WITH bc AS ({bc}), bt AS ({bt})
            SELECT {grp} AS grp, c.cluster_type, bc.b_emp, {b_den} AS b_den
              FROM bt {each_type} CROSS JOIN cinfo c
              LEFT JOIN bc ON {on_bc} AND c.cluster_rank = bc.cluster_rank
            """
        )
        # Built once (classify reads it twice, and a view was worked out twice).
        self.sql(
            f"""
            CREATE TABLE res AS
            SELECT r.year, r.region_rank, r.type_rank, r.cluster_rank,
                   r.employment, r.establishments,
                   r.wage_payroll / NULLIF(r.wage_employment, 0) AS wage,
                   r.employment / NULLIF({den}, 0) AS share,
                   r.employment / NULLIF(b.b_emp, 0) AS reference_share,
                   (r.employment / NULLIF({den}, 0))
                     / NULLIF(b.b_emp / NULLIF(b.b_den, 0), 0) AS lq,
                   {is_ref} AS is_reference,
                   r.employment > 0 AND b.cluster_type = 'traded' AND NOT {is_ref} AS compared
              FROM rc r
              JOIN rtot t ON r.year = t.year AND r.region_rank = t.region_rank
              JOIN bref b ON b.grp = {self.group_sql("r.year", "r.type_rank", "r.cluster_rank")}
            """
        )

    def group_sql(
        self, year: str = "year", type_rank: str = "type_rank", cluster_rank: str = "cluster_rank"
    ) -> str:
        """The group number of a year x region type x cluster, from the SQL of the three:
        one integer stands for the three keys. Percentiles are taken per group, and each
        group has its benchmark."""
        return (
            f"(CAST({year} AS BIGINT) * {self.types} + {type_rank} - 1) "
            f"* {self.clusters} + {cluster_rank} - 1"
        )

    def _benchmark(self, emp: Loaded) -> tuple[list[str], str, str, str]:
        """What each cell is compared with: the keys of its benchmark, the benchmark's
        cluster sums (bc) and totals (bt) as queries, and the SQL test for a cell of the
        reference region itself. Without a reference region the benchmark of each year
        and region type is the sum of its regions."""
        if self.ref is None:
            bc = "SELECT year, type_rank, cluster_rank, sum(employment) AS b_emp FROM rc GROUP BY ALL"
            bt = (
                "SELECT year, type_rank, sum(traded) AS b_traded, sum(local) AS b_local, "
                "sum(total) AS b_total FROM rtot GROUP BY ALL"
            )
            return ["year", "type_rank"], bc, bt, "false"
        ref_rank = self._check_reference(emp)
        ref_where = f"WHERE region_rank = {ref_rank}"
        bc = f"SELECT year, cluster_rank, employment AS b_emp FROM rc {ref_where}"
        bt = (
            "SELECT year, traded AS b_traded, local AS b_local, total AS b_total "
            f"FROM rtot {ref_where}"
        )
        return ["year"], bc, bt, f"(r.region_rank = {ref_rank})"

    def _check_reference(self, emp: Loaded) -> int:
        """The reference region's region_rank; an error unless it has rows in every year."""
        assert self.ref is not None
        rt, rcode = self.ref
        (rank,) = first_row(
            self.con.execute(
                "SELECT region_rank FROM regions WHERE region_type = ? AND region_code = ?",
                [rt, rcode],
            ).fetchall()
        ) or (0,)  # no region has rank 0
        years = self.con.execute(
            "SELECT DISTINCT year FROM rtot EXCEPT "
            "SELECT year FROM rtot WHERE region_rank = ? ORDER BY 1",
            [rank],
        ).fetchall()
        if not years:
            return int(rank)
        (present,) = first_row(
            self.con.execute("SELECT count(*) FROM rtot WHERE region_rank = ?", [rank]).fetchall()
        ) or (0,)
        if not present:
            reason = (
                f"the reference region {rt}:{rcode} is not in the file "
                f"(no row with region_type {rt!r} and region_code {rcode!r} "
                "in a mapped industry)"
            )
        else:
            shown = ", ".join(str(y[0]) for y in years)
            reason = f"the reference region {rt}:{rcode} has no rows for year(s) {shown}"
        raise InputError(emp.label, None, reason)

    # -- classification ---------------------------------------------------------

    def classify(self) -> None:
        """Add the method's flags; percentiles are per year x region type x cluster."""
        if self.method == "cmp":
            wanted = {
                "lq": {"p25_lq": 0.25, "p50_lq": 0.50, "p75_lq": 0.75, "p90_lq": 0.90},
                "employment": {"p25_emp": 0.25},
                "establishments": {"p25_est": 0.25},
            }
            base = "r.compared AND r.employment > g.p25_emp AND r.establishments > g.p25_est"
            flags = f"""
                coalesce({base} AND r.lq > g.p25_lq, false) AS qualifying,
                coalesce({base} AND r.lq > g.p50_lq, false) AS significant,
                coalesce({base} AND r.lq >= g.p75_lq AND r.lq >= 1, false) AS strong,
                coalesce({base} AND r.lq >= g.p90_lq AND r.lq >= 1, false) AS strong10
            """
        else:
            e = self.eco
            wanted = {
                "employment": {"size_min": 1 - e.size_top},
                "share": {"focus_min": 1 - e.focus_top},
            }
            flags = f"""
                coalesce(r.compared AND r.employment >= g.size_min, false) AS size_star,
                coalesce(r.compared AND r.lq >= {float(e.specialisation_lq)!r}, false)
                    AS specialisation_star,
                coalesce(r.compared AND r.share >= g.focus_min, false) AS focus_star
            """
        self.con.register("grp", self._percentiles(wanted))
        extra = ""
        if self.method == "eco":
            stars = " + ".join(
                f"CAST({f} AS INTEGER)" for f in ("size_star", "specialisation_star", "focus_star")
            )
            extra = (
                f", CAST({stars} AS INTEGER) AS stars, "
                f"{stars} >= {int(self.eco.strong_stars)} AS strong"
            )
        # Sorted with its integer keys and numbers only: the texts (region and cluster
        # codes, names, types) are put in afterwards from the small tables they come
        # from, which costs less than carrying them through the sort.
        narrow = self.con.sql(
            f"""
            SELECT *{extra} FROM (
                SELECT r.year, CAST(r.region_rank - 1 AS INTEGER) AS region_row,
                       CAST(r.cluster_rank - 1 AS INTEGER) AS cluster_row,
                       r.employment, r.establishments,
                       r.wage, r.share, r.reference_share, r.lq, r.is_reference,
                       {flags}
                  FROM res r LEFT JOIN grp g USING (year, type_rank, cluster_rank))
             ORDER BY (CAST(year AS BIGINT) * {self.regions} + region_row) * {self.clusters}
                      + cluster_row  -- year, region, cluster as one number: a faster sort
            """
        ).to_arrow_table()
        self.con.unregister("grp")
        regions = self.con.sql(
            "SELECT region_type, region_code FROM regions ORDER BY region_rank"
        ).to_arrow_table()
        clusters = self.con.sql(
            "SELECT cluster_code, cluster_name, cluster_type FROM cinfo ORDER BY cluster_rank"
        ).to_arrow_table()
        # ranks count from 1 without gaps, so rank - 1 is the row of its table
        region_row, cluster_row = narrow["region_row"], narrow["cluster_row"]
        columns: dict[str, pa.ChunkedArray] = {"year": narrow["year"]}
        for name in ("region_type", "region_code"):
            columns[name] = _repeated_texts(regions[name], region_row)
        for name in ("cluster_code", "cluster_name", "cluster_type"):
            columns[name] = _repeated_texts(clusters[name], cluster_row)
        for name in narrow.column_names[3:]:
            columns[name] = narrow[name]
        # Kept for the later steps, which group and join on these rather than on the
        # texts (region_clusters() leaves them out).
        columns["region_row"] = region_row
        columns["cluster_row"] = cluster_row
        # The later steps read this Arrow table back through a view instead of a copy.
        self.cls = pa.table(columns)
        self.con.register("cls", self.cls)

    def _percentiles(self, wanted: dict[str, dict[str, float]]) -> dict[str, np.ndarray]:
        """numpy.percentile of each group's known values, for the columns and quantiles asked.

        DuckDB hands over the compared cells ordered by group; NumPy sorts each group's
        values (thousands of short sorts cost far less than DuckDB's sorted-list
        aggregates) and interpolates as numpy.percentile's default does (_np_percentiles).
        """
        # One integer stands for the three keys: DuckDB sorts on it in half the time.
        group = self.group_sql()
        # NumPy arrays straight from DuckDB and back (no Arrow <-> NumPy conversion:
        # pyarrow's imports pandas for that, a third of a second).
        cells = self.con.sql(
            f"SELECT {group} AS grp, {', '.join(wanted)} FROM res WHERE compared ORDER BY grp"
        ).fetchnumpy()
        grp = np.asarray(cells["grp"])
        n = len(grp)
        starts = np.flatnonzero(np.concatenate(([n > 0], grp[1:] != grp[:-1]))).astype(np.int64)
        rest, cluster = np.divmod(grp[starts], self.clusters)
        year, type_row = np.divmod(rest, self.types)
        out: dict[str, np.ndarray] = {
            "year": year.astype(np.int32),
            "type_rank": (type_row + 1).astype(np.int32),
            "cluster_rank": (cluster + 1).astype(np.int32),
        }
        bounds = [*starts.tolist(), n]
        for column, quantiles in wanted.items():
            values = cells[column].astype(np.float64)  # a copy: sorted in place below
            if hasattr(values, "filled"):
                # DuckDB's NULLs come as a masked array. (isinstance with np.ma would
                # import numpy.ma, 14 ms, on every run without NULLs too.)
                values = values.filled(np.nan)
            for start, end in itertools.pairwise(bounds):
                values[start:end].sort()  # NaN (an empty value) sorts last
            known = np.add.reduceat(~np.isnan(values), starts) if n else starts
            for name, q in quantiles.items():
                out[name] = _np_percentiles(values, starts, known, q)  # NaN: NULL in DuckDB
        return out

    # -- relatedness, growth, outputs --------------------------------------------

    def relatedness(self) -> tuple[pa.Table, pa.Table]:
        """Number regions and clusters in SQL, so NumPy only fills matrices; the codes are
        put back in SQL too (Arrow arrays built from NumPy would import pandas)."""
        self.sql(
            """
            CREATE TEMP TABLE rel_regions AS
            SELECT year, region_row, region_type, region_code,
                   dense_rank() OVER (ORDER BY year, region_type) - 1 AS g,
                   CAST(row_number() OVER (PARTITION BY year, region_type
                                           ORDER BY region_code) - 1 AS INTEGER) AS r
              FROM (SELECT DISTINCT year, region_row FROM cls WHERE NOT is_reference)
              JOIN regions ON region_rank = region_row + 1;
            CREATE TEMP TABLE rel_clusters AS
            SELECT cluster_code, cluster_rank,
                   CAST(row_number() OVER (ORDER BY cluster_code) - 1 AS INTEGER) AS c
              FROM cinfo WHERE cluster_type = 'traded';
            CREATE TEMP TABLE rel_groups AS
            SELECT g, any_value(year) AS year, any_value(region_type) AS region_type,
                   count(*) AS n_regions
              FROM rel_regions GROUP BY g;
            """
        )
        groups = self.con.execute("SELECT g, n_regions FROM rel_groups ORDER BY g").fetchall()
        [(n_clusters,)] = self.con.execute("SELECT count(*) FROM rel_clusters").fetchall()
        cells = self.con.sql(
            """
            SELECT rr.g, rr.r, rc.c, coalesce(x.lq, 0) AS lq, x.strong
              FROM cls x
              JOIN rel_regions rr USING (year, region_row)
              JOIN rel_clusters rc ON rc.cluster_rank = x.cluster_row + 1
             ORDER BY rr.g
            """
        ).fetchnumpy()
        pairs, dens = relatedness.compute(
            relatedness.Panel([(int(g), int(n)) for g, n in groups], cells, int(n_clusters))
        )
        self.con.register("rel_pairs", pairs)
        self.con.register("rel_density", dens)
        try:
            rel = self.con.sql(
                """
                SELECT gr.year, gr.region_type, ca.cluster_code,
                       cb.cluster_code AS related_cluster_code, x.regions,
                       CASE WHEN NOT isnan(x.correlation) THEN x.correlation END AS correlation,
                       CASE WHEN NOT isnan(x.relatedness) THEN x.relatedness END AS relatedness
                  FROM rel_pairs x JOIN rel_groups gr USING (g)
                  JOIN rel_clusters ca ON ca.c = x.a JOIN rel_clusters cb ON cb.c = x.b
                 ORDER BY x.g, x.a, x.b
                """
            ).to_arrow_table()
            den = self.con.sql(
                """
                SELECT rr.year, rr.region_type, rr.region_code, rc.cluster_code,
                       CASE WHEN NOT isnan(x.density) THEN x.density END AS density
                  FROM rel_density x JOIN rel_regions rr USING (g, r)
                  JOIN rel_clusters rc USING (c)
                 ORDER BY x.g, x.r, x.c
                """
            ).to_arrow_table()
        finally:
            self.con.unregister("rel_pairs")
            self.con.unregister("rel_density")
        return rel.cast(relatedness.RELATEDNESS_SCHEMA), den.cast(relatedness.DENSITY_SCHEMA)

    def growth(self, emp: Loaded, year_from: int, year_to: int) -> pa.Table:
        have = {
            int(y)
            for (y,) in self.con.execute(
                "SELECT DISTINCT year FROM rtot WHERE year IN (?, ?)", [year_from, year_to]
            ).fetchall()
        }
        for year in (year_from, year_to):
            if year not in have:
                raise InputError(emp.label, None, f"growth year {year} is not in the file")
        span = year_to - year_from
        return self.con.sql(
            f"""
            WITH f AS (SELECT * FROM cls WHERE year = {year_from}),
                 t AS (SELECT * FROM cls WHERE year = {year_to}),
                 both_years AS (
                    SELECT region_type, region_code FROM rtot JOIN regions USING (region_rank)
                     WHERE year = {year_from}
                    INTERSECT
                    SELECT region_type, region_code FROM rtot JOIN regions USING (region_rank)
                     WHERE year = {year_to}),
                 pairs AS (
                    SELECT region_type, region_code, cluster_code,
                           coalesce(f.employment, 0) AS e0, coalesce(t.employment, 0) AS e1,
                           f.lq AS lq0, t.lq AS lq1
                      FROM f FULL JOIN t USING (region_type, region_code, cluster_code)
                      SEMI JOIN both_years USING (region_type, region_code))
            SELECT {year_from} AS year_from, {year_to} AS year_to,
                   region_type, region_code, cluster_code,
                   e0 AS employment_from, e1 AS employment_to, e1 - e0 AS employment_change,
                   CASE WHEN e0 > 0 THEN pow(e1 / e0, 1.0 / {span}) - 1 END AS employment_cagr,
                   lq0 AS lq_from, lq1 AS lq_to
              FROM pairs
             ORDER BY region_type, region_code, cluster_code
            """
        ).to_arrow_table()

    def region_clusters(self) -> pa.Table:
        return self.cls.select(list(REGION_CLUSTER_COLUMNS + CLASSIFICATION_COLUMNS[self.method]))

    def region_summary(self) -> pa.Table:
        # Strong cells are few: aggregate them alone, then attach them to the totals.
        return self.con.sql(
            """
            WITH s AS (
                SELECT year, region_row, count(*) AS n, sum(employment) AS e,
                       -- the same order as string_agg(... ORDER BY employment DESC,
                       -- cluster_code), whose sorted aggregate cost three times as much
                       array_to_string(list_transform(
                           list_sort(list(struct_pack(k := -employment, c := cluster_code))),
                           lambda x: x.c), ';') AS p
                  FROM cls WHERE strong GROUP BY ALL)
            SELECT t.year, g.region_type, g.region_code,
                   t.total AS total_employment, t.traded AS traded_employment,
                   t.local AS local_employment,
                   coalesce(s.n, 0) AS strong_clusters,
                   coalesce(s.e, 0) AS strong_employment,
                   coalesce(s.e, 0) / NULLIF(t.traded, 0) AS strong_employment_share,
                   coalesce(s.p, '') AS portfolio
              FROM rtot t JOIN regions g USING (region_rank)
              LEFT JOIN s ON s.year = t.year AND s.region_row = t.region_rank - 1
             ORDER BY t.year, t.region_rank
            """
        ).to_arrow_table()


def _unmapped_sql(xw: Loaded | None) -> str:
    """The codes of employment_industries that lead to no cluster, in the order of their
    first row: (code, stage, rows, employment, first row)."""
    if xw is None:
        return (
            "SELECT industry_code, 'clusters', nrows, emp, first_rowid "
            "FROM employment_industries ANTI JOIN clusters USING (industry_code) "
            "ORDER BY first_rowid"
        )
    return """
        SELECT industry_code, 'crosswalk', nrows, emp, first_rowid
          FROM employment_industries
         WHERE industry_code NOT IN (SELECT from_code FROM crosswalk)
        UNION ALL
        SELECT x.to_code, 'clusters', sum(i.nrows), sum(i.emp * x.share),
               min(i.first_rowid)
          FROM employment_industries i JOIN crosswalk x ON i.industry_code = x.from_code
         WHERE x.to_code NOT IN (SELECT industry_code FROM clusters)
         GROUP BY x.to_code
        ORDER BY 5, 1
    """


def _repeated_texts(texts: pa.ChunkedArray, rows: pa.ChunkedArray) -> pa.ChunkedArray:
    """texts.take(rows) as a dictionary array: each distinct text stored once, the rows
    pointing at it. Copying the texts row by row cost a tenth of the whole run on
    10 million rows, and the Parquet writer encodes a dictionary column faster too;
    readers of the result (to_pylist, DuckDB, the CSV writer) see plain texts.
    Where the small table holds each text once (cluster codes, mostly region codes),
    it is the dictionary and the rows point at it as they are: no pass over the rows.
    Arrow compute only: pa.array() and to_numpy() import pandas (a third of a second)."""
    distinct = pc.unique(texts)
    if len(distinct) == len(texts):
        indices = rows
    else:
        indices = pc.take(pc.index_in(texts, value_set=distinct), rows)
    return pa.chunked_array(
        [pa.DictionaryArray.from_arrays(chunk, distinct) for chunk in indices.chunks],
        type=pa.dictionary(pa.int32(), pa.string()),
    )


def _np_percentiles(
    values: np.ndarray, starts: np.ndarray, known: np.ndarray, q: float
) -> np.ndarray:
    """numpy.percentile(group, 100 * q) per group, operation for operation.

    `values` holds the groups one after the other, each sorted with its `known` values
    first; a group without any gives NaN (an empty value). NumPy's default ('linear'):
    virtual index (n - 1) * q, its floor and the next index (both the last one from
    n - 1 on), gamma = index - floor, and _lerp, which interpolates from the upper
    neighbour when gamma >= 0.5. The same arithmetic in the same order keeps every
    bit, so flags that compare with `>=` come out as with numpy.percentile.
    """
    virtual = (known - 1) * q
    below = np.floor(virtual)
    last = virtual >= known - 1
    lower = np.where(last, known - 1, below).astype(np.int64)
    upper = np.where(last, known - 1, below + 1).astype(np.int64)
    gamma = virtual - below
    empty = known == 0
    a = values[starts + np.where(empty, 0, lower)] if len(values) else np.zeros(len(starts))
    b = values[starts + np.where(empty, 0, upper)] if len(values) else np.zeros(len(starts))
    diff = b - a
    result = a + diff * gamma
    np.subtract(b, diff * (1 - gamma), out=result, where=gamma >= 0.5)
    result[empty] = np.nan
    return result


def _manifest(
    result: Result,
    *,
    method: Method,
    reference: str | None,
    eco: EcoThresholds,
    allow_unmapped: bool,
    growth: tuple[int, int] | None,
    inputs: dict[str, Loaded | None],
    timings: dict[str, float],
    digests: dict[str, str],
) -> dict[str, Any]:
    return {
        "engine": "clusterportal.analytics",
        "engine_version": ENGINE_VERSION,
        "method": method,
        "parameters": {
            "reference": reference,
            "allow_unmapped": allow_unmapped,
            "growth": list(growth) if growth else None,
            "eco": asdict(eco) if method == "eco" else None,
            "flag_midpoints": FLAG_MIDPOINTS,
        },
        "inputs": {
            role: {"path": src.path, "sha256": digests.get(role), "rows": src.rows}
            for role, src in inputs.items()
            if src is not None
        },
        "outputs": {name: table.num_rows for name, table in result.tables().items()},
        "unmapped": [asdict(u) for u in result.unmapped],
        "timings_seconds": timings,
    }
