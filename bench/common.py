"""What the two same-work scripts (engine_core.py, pandas_reference.py) share."""

from __future__ import annotations

import argparse
from pathlib import Path


def io_arguments(doc: str) -> argparse.Namespace:
    """--employment, --clusters and --out, the interface of both same-work scripts."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--employment", type=Path, required=True)
    parser.add_argument("--clusters", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    return parser.parse_args()
