"""The sources package is pure Python: no Django, and its build is reproducible."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from clusterportal.analytics.datasets import build


def test_importing_the_sources_package_does_not_import_django() -> None:
    code = (
        "import sys\n"
        "import clusterportal.analytics.datasets.build\n"
        "import clusterportal.analytics.datasets.genesis\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_fresh_build_reproduces_every_committed_file_byte_for_byte(
    built: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = built
    produced = sorted(
        p.relative_to(out) for p in out.rglob("*") if p.is_file() and p.name != "build_report.json"
    )
    assert produced, "the build wrote nothing"
    for relative in produced:
        committed = build.ATLAS / relative
        assert committed.exists(), f"{relative} is built but not committed"
        assert committed.read_bytes() == (out / relative).read_bytes(), f"{relative} drifted"


def test_the_build_reads_only_the_raw_copies_inside_the_project() -> None:
    assert build.RAW == build.ROOT / "data" / "atlas" / "raw"
    source = Path(build.__file__).read_text(encoding="utf-8")
    assert "/work/shared" not in source
