"""`clusterportal atlas ...`: the engine on a user's own files, no Django, no database.

Exit codes: 0 done, 2 bad input or bad usage (nothing written), 1 a bug.
The flags are a public interface, documented in docs/atlas-cli.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from clusterportal.analytics.engine import (
    METHODS,
    EcoThresholds,
    Result,
    Stages,
    compute,
    stderr_progress,
)
from clusterportal.analytics.errors import InputError
from clusterportal.analytics.output import OutputDirError, check_out_dir, write

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="clusterportal atlas", description="Statistical cluster mapping.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser(
        "compute",
        help="compute cluster statistics from employment by industry",
        description="Compute cluster statistics per year x region x cluster.",
    )
    c.add_argument("--employment", required=True, metavar="FILE", help="employment (CSV/Parquet)")
    c.add_argument("--clusters", required=True, metavar="FILE", help="cluster definitions")
    c.add_argument("--regions", metavar="FILE", help="region links child -> parent")
    c.add_argument("--reference", metavar="TYPE:CODE", help="benchmark region, e.g. country:US")
    c.add_argument("--industry-crosswalk", metavar="FILE", help="from_code,to_code,share")
    c.add_argument("--overrides", metavar="FILE", help="employment overriding cells")
    c.add_argument(
        "--allow-unmapped", action="store_true", help="drop and report unknown industry codes"
    )
    c.add_argument("--growth-from", type=int, metavar="YEAR")
    c.add_argument("--growth-to", type=int, metavar="YEAR")
    c.add_argument("--method", required=True, choices=METHODS)
    c.add_argument("--out", required=True, metavar="DIR", help="output directory")
    d = EcoThresholds()
    c.add_argument("--eco-size-top", type=float, default=d.size_top, metavar="SHARE")
    c.add_argument("--eco-specialisation-lq", type=float, default=d.specialisation_lq)
    c.add_argument("--eco-focus-top", type=float, default=d.focus_top, metavar="SHARE")
    c.add_argument("--eco-strong-stars", type=int, default=d.strong_stars, metavar="N")
    c.add_argument("--threads", type=int, metavar="N", help="DuckDB threads (default: cores)")
    c.add_argument("--memory-limit", metavar="SIZE", help="DuckDB memory limit, e.g. 4GB")
    c.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(args_list)
        return _compute(args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except (InputError, OutputDirError, ValueError) as exc:
        print(f"clusterportal atlas: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _compute(args: argparse.Namespace) -> int:
    if (args.growth_from is None) != (args.growth_to is None):
        raise UsageError("clusterportal atlas compute: give both --growth-from and --growth-to")
    out = check_out_dir(Path(args.out))  # before computing: a bad place fails at once
    progress = None if args.quiet else stderr_progress
    stages = Stages(progress)
    result = compute(
        args.employment,
        args.clusters,
        method=args.method,
        reference=args.reference,
        regions=args.regions,
        industry_crosswalk=args.industry_crosswalk,
        overrides=args.overrides,
        allow_unmapped=args.allow_unmapped,
        growth=(args.growth_from, args.growth_to) if args.growth_from is not None else None,
        eco=EcoThresholds(
            size_top=args.eco_size_top,
            specialisation_lq=args.eco_specialisation_lq,
            focus_top=args.eco_focus_top,
            strong_stars=args.eco_strong_stars,
        ),
        progress=progress,
        threads=args.threads,
        memory_limit=args.memory_limit,
    )
    report_unmapped(result)
    with stages.stage("write outputs"):
        write(result, out)
    if progress:
        progress(f"{'total':<30} {stages.total():7.2f} s")
    return EXIT_OK


def report_unmapped(result: Result) -> None:
    for u in result.unmapped:
        where = "crosswalk" if u.stage == "crosswalk" else "cluster definitions"
        print(
            f"atlas: dropped industry code {u.code!r} (not in the {where}): "
            f"{u.rows} row(s), employment {u.employment:,.0f}, first at row {u.first_row}",
            file=sys.stderr,
        )
