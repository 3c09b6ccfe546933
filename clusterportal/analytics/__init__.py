"""The atlas engine: statistical cluster mapping with DuckDB and NumPy, no Django.

    from clusterportal.analytics import compute
    result = compute("employment.csv", "clusters.csv", method="cmp", reference="country:US")
    result.region_clusters  # a pyarrow.Table

See docs/atlas-method.md (definitions) and docs/atlas-cli.md (command line, files).
"""

from clusterportal.analytics.engine import (
    ENGINE_VERSION,
    EcoThresholds,
    Method,
    Result,
    UnmappedCode,
    compute,
)
from clusterportal.analytics.errors import InputError
from clusterportal.analytics.output import write

__all__ = [
    "ENGINE_VERSION",
    "EcoThresholds",
    "InputError",
    "Method",
    "Result",
    "UnmappedCode",
    "compute",
    "write",
]
