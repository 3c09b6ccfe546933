"""The engine's five inputs: their columns and the checks each must pass.

Each `load_*` function reads one input into a DuckDB table and raises an
`InputError` (file, spreadsheet row, reason) for the first bad row it finds.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from clusterportal.analytics.errors import InputError
from clusterportal.analytics.sources import (
    Column,
    Loaded,
    Source,
    first_row,
    load,
    not_empty_checks,
    number_checks,
    raise_first_duplicate,
    raise_first_violation,
)

# County Business Patterns employment-size classes of withheld cells and the
# midpoint each is imputed with (the U.S. Cluster Mapping convention).
FLAG_MIDPOINTS: dict[str, float] = {
    "A": 10,
    "B": 60,
    "C": 175,
    "E": 375,
    "F": 750,
    "G": 1750,
    "H": 3750,
    "I": 7500,
    "J": 17500,
    "K": 37500,
    "L": 75000,
    "M": 100000,
}

CELL_KEY = ("year", "region_type", "region_code", "industry_code")

EMPLOYMENT_COLUMNS = (
    Column("year", "year"),
    Column("region_type", "code"),
    Column("region_code", "code"),
    Column("industry_code", "code"),
    Column("employment", "number"),
    Column("establishments", "number"),
    Column("payroll", "number", required=False),
    Column("employment_reported", "number", required=False),
    Column("employment_flag", "code", required=False),
)
CLUSTER_COLUMNS = (
    Column("industry_code", "code"),
    Column("cluster_code", "code"),
    Column("cluster_name", "text"),
    Column("type", "code"),
    Column("subcluster_code", "code", required=False),
    Column("subcluster_name", "text", required=False),
)
REGION_LINK_COLUMNS = (
    Column("child_type", "code"),
    Column("child_code", "code"),
    Column("parent_type", "code"),
    Column("parent_code", "code"),
)
CROSSWALK_COLUMNS = (
    Column("from_code", "code"),
    Column("to_code", "code"),
    Column("share", "number"),
)
OVERRIDE_COLUMNS = (
    Column("year", "year"),
    Column("region_type", "code"),
    Column("region_code", "code"),
    Column("industry_code", "code"),
    Column("employment", "number"),
)

# Tolerance for "shares per from_code sum to 1".
SHARE_TOLERANCE = 1e-6


def flag_sql(column: str = "employment_flag") -> str:
    """The flag with blank cells read as 'no flag'."""
    return f"NULLIF(trim({column}), '')"


def employment_sql(emp: Loaded, prefix: str = "") -> str:
    """Employment with withheld cells imputed by their size-class midpoint."""
    if not emp.has("employment_flag"):
        return f"{prefix}employment"
    cases = " ".join(f"WHEN '{k}' THEN {float(v)!r}" for k, v in FLAG_MIDPOINTS.items())
    return f"CASE {flag_sql(prefix + 'employment_flag')} {cases} ELSE {prefix}employment END"


def load_employment(con: duckdb.DuckDBPyConnection, source: Source) -> Loaded:
    """Load the employment table and check its values row by row.

    NaN and infinite values are looked for later, in the cluster sums, where one
    would show (engine._Run._check_finite): the tests for empty and negative values
    cost next to nothing on a Parquet file (DuckDB answers them from its statistics),
    the test for NaN reads every value. The texts of regions and industry codes are
    checked later too, once per distinct value: the regions on the list of distinct
    regions (check_regions, from engine._Run.number_regions), the industry codes on the
    industry summary (summarise_industries), which is built only when some code has no
    cluster. On 30 million rows that is the difference between seconds and a blink.
    Duplicate cells are found while summing clusters (engine._Run.check_duplicates).
    """
    emp = load(con, source, "employment", EMPLOYMENT_COLUMNS)
    require_rows(emp)
    has_flag = emp.has("employment_flag")
    checks = [(f"{c} IS NULL", f"'{c} is empty'") for c in CELL_KEY]
    empty_employment = "employment IS NULL"
    if has_flag:
        empty_employment += f" AND {flag_sql()} IS NULL"
        letters = ", ".join(f"'{k}'" for k in FLAG_MIDPOINTS)
        checks.append(
            (
                f"{flag_sql()} NOT IN ({letters})",
                f"'employment_flag ''' || employment_flag || ''' is not a suppression class "
                f"letter (one of {', '.join(FLAG_MIDPOINTS)})'",
            )
        )
    checks.append(
        (
            empty_employment,
            "'employment is empty'"
            + (" || ' and the row has no employment_flag'" if has_flag else ""),
        )
    )
    numbers = employment_numbers(emp)
    try:
        raise_first_violation(
            con, emp.table, emp.label, checks + number_checks(numbers, finite=False)
        )
    except InputError:
        # The error names the earliest bad row, and a NaN or infinite value may come first:
        # all checks again, in the order that decides the reason for a row failing two.
        raise_first_violation(con, emp.table, emp.label, checks + number_checks(numbers))
        raise
    return emp


def employment_numbers(emp: Loaded) -> list[str]:
    """The numeric columns of the employment input."""
    numbers = ("employment", "establishments", "payroll", "employment_reported")
    return [c for c in numbers if emp.has(c)]


def check_regions(con: duckdb.DuckDBPyConnection, emp: Loaded, regions: str) -> None:
    """The region texts of the employment input, checked once per distinct region.

    `regions` is a table holding each region of the input once. Only when a region fails
    is the input scanned for each region's first row, so that the error names the
    earliest row.
    """
    checks = not_empty_checks(("region_type", "region_code"))
    checks.append(("contains(region_type, ':')", "'region_type may not contain a colon'"))
    anyone = " OR ".join(f"({cond})" for cond, _ in checks)
    (bad,) = first_row(
        con.execute(f"SELECT count(*) FROM {regions} WHERE {anyone}").fetchall()
    ) or (0,)
    if not bad:
        return
    con.execute(
        "CREATE TABLE employment_regions AS SELECT region_type, region_code, "
        f"min(rid) AS first_rowid FROM {emp.table} GROUP BY ALL"
    )
    raise_first_violation(con, "employment_regions", emp.label, checks, row_column="first_rowid")


def summarise_industries(con: duckdb.DuckDBPyConnection, emp: Loaded) -> None:
    """`employment_industries`: per input industry code its rows, imputed employment and
    first row, for the report of codes without a cluster; an empty code is an error."""
    con.execute(
        f"""
        CREATE TABLE employment_industries AS
        SELECT industry_code, count(*) AS nrows, sum({employment_sql(emp)}) AS emp,
               min(rid) AS first_rowid
          FROM {emp.table} GROUP BY industry_code
        """
    )
    raise_first_violation(
        con,
        "employment_industries",
        emp.label,
        not_empty_checks(("industry_code",)),
        row_column="first_rowid",
    )


def require_rows(loaded: Loaded) -> None:
    """A header alone (a file cut off after its first line) gave exit 0 and empty results."""
    if loaded.rows == 0:
        raise InputError(loaded.label, 2, "the file has a header but no data rows")


def load_clusters(con: duckdb.DuckDBPyConnection, source: Source) -> Loaded:
    cl = load(con, source, "clusters", CLUSTER_COLUMNS, copy_arrow=True)
    require_rows(cl)
    checks = not_empty_checks(("industry_code", "cluster_code", "cluster_name", "type"))
    checks.append(
        (
            "type NOT IN ('traded', 'local')",
            "'type ''' || type || ''' is neither traded nor local'",
        )
    )
    raise_first_violation(con, cl.table, cl.label, checks)
    raise_first_duplicate(con, cl.table, cl.label, ("industry_code",), "industry_code")
    clash = first_row(
        con.execute(
            f"""
        SELECT b.rid, a.rid, b.cluster_code FROM {cl.table} a JOIN {cl.table} b
          ON a.cluster_code = b.cluster_code AND a.rid < b.rid
         WHERE a.cluster_name <> b.cluster_name OR a.type <> b.type
         ORDER BY b.rid, a.rid LIMIT 1
        """
        ).fetchall()
    )
    if clash:
        raise InputError(
            cl.label,
            int(clash[0]) + 2,
            f"cluster {clash[2]!r} has another name or type than in row {int(clash[1]) + 2}",
        )
    return cl


@dataclass(frozen=True)
class RegionLinks:
    loaded: Loaded
    levels: int


def load_region_links(con: duckdb.DuckDBPyConnection, source: Source) -> RegionLinks:
    """Load child -> parent links into `region_tree`, with each parent's height as `level`.

    A leaf region has height 0 and a parent is one above its highest child, so
    aggregating level by level from 1 upward sums every child before its parent.
    """
    links = load(con, source, "region_links", REGION_LINK_COLUMNS)
    checks = not_empty_checks(("child_type", "child_code", "parent_type", "parent_code"))
    checks.append(
        (
            "child_type = parent_type AND child_code = parent_code",
            "'a region cannot be its own parent'",
        )
    )
    raise_first_violation(con, links.table, links.label, checks)
    raise_first_duplicate(
        con,
        links.table,
        links.label,
        ("child_type", "child_code", "parent_type"),
        "link to a parent of the same type",
    )
    rows = con.execute(
        f"SELECT child_type, child_code, parent_type, parent_code, rid FROM {links.table} "
        "ORDER BY rid"
    ).fetchall()
    children: dict[tuple[str, str], list[tuple[tuple[str, str], int]]] = {}
    for child_type, child_code, parent_type, parent_code, rowid in rows:
        children.setdefault((parent_type, parent_code), []).append(
            ((child_type, child_code), int(rowid))
        )
    height: dict[tuple[str, str], int] = {}

    def visit(node: tuple[str, str], path: dict[tuple[str, str], int]) -> int:
        if node in height:
            return height[node]
        below = 0
        for child, rowid in children.get(node, []):
            if child in path:
                raise InputError(
                    links.label,
                    rowid + 2,
                    f"the links form a cycle through {child[0]}:{child[1]}",
                )
            path[child] = rowid
            below = max(below, 1 + visit(child, path))
            del path[child]
        height[node] = below
        return below

    for parent in children:
        visit(parent, {parent: -1})
    con.execute(
        "CREATE TABLE region_levels (parent_type VARCHAR, parent_code VARCHAR, level INTEGER)"
    )
    con.executemany(
        "INSERT INTO region_levels VALUES (?, ?, ?)",
        [[t, c, h] for (t, c), h in height.items() if h > 0],
    )
    con.execute(
        f"CREATE TABLE region_tree AS SELECT l.child_type, l.child_code, l.parent_type, "
        f"l.parent_code, v.level FROM {links.table} l JOIN region_levels v "
        "USING (parent_type, parent_code)"
    )
    return RegionLinks(links, max(height.values(), default=0))


def load_crosswalk(con: duckdb.DuckDBPyConnection, source: Source) -> Loaded:
    xw = load(con, source, "crosswalk", CROSSWALK_COLUMNS, copy_arrow=True)
    checks = not_empty_checks(("from_code", "to_code"))
    checks.append(("share IS NULL", "'share is empty'"))
    checks.append(
        ("NOT (share > 0 AND share <= 1)", "'share must be above 0 and at most 1, not ' || share")
    )
    raise_first_violation(con, xw.table, xw.label, checks)
    raise_first_duplicate(con, xw.table, xw.label, ("from_code", "to_code"), "code pair")
    bad = first_row(
        con.execute(
            f"""
        SELECT min(rid), from_code, sum(share) FROM {xw.table} GROUP BY from_code
        HAVING abs(sum(share) - 1) > {SHARE_TOLERANCE} ORDER BY 1 LIMIT 1
        """
        ).fetchall()
    )
    if bad:
        raise InputError(
            xw.label,
            int(bad[0]) + 2,
            f"the shares of from_code {bad[1]!r} sum to {float(bad[2]):.6g}, not 1",
        )
    return xw


def load_overrides(con: duckdb.DuckDBPyConnection, source: Source, emp: Loaded) -> Loaded:
    ov = load(con, source, "overrides", OVERRIDE_COLUMNS)
    checks = [("year IS NULL", "'year is empty'")]
    checks += not_empty_checks(("region_type", "region_code", "industry_code"))
    checks += number_checks(("employment",), allow_empty=False)
    raise_first_violation(con, ov.table, ov.label, checks)
    raise_first_duplicate(con, ov.table, ov.label, CELL_KEY, "cell")
    keys = ", ".join(CELL_KEY)
    missing = first_row(
        con.execute(
            f"SELECT o.rid, {keys} FROM {ov.table} o ANTI JOIN {emp.table} e USING ({keys}) "
            "ORDER BY o.rid LIMIT 1"
        ).fetchall()
    )
    if missing:
        shown = ", ".join(f"{k}={v}" for k, v in zip(CELL_KEY, missing[1:], strict=True))
        raise InputError(ov.label, int(missing[0]) + 2, f"no such cell in {emp.label} ({shown})")
    return ov


def parse_reference(text: str) -> tuple[str, str]:
    """`TYPE:CODE` -> (type, code); the code may itself contain colons."""
    region_type, sep, code = text.partition(":")
    if not sep or not region_type or not code:
        raise ValueError(f"reference {text!r} is not of the form TYPE:CODE (e.g. country:US)")
    return region_type, code
