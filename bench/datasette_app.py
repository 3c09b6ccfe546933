"""Datasette as an ASGI app, so that uvicorn can run it in several processes.

    DATASETTE_FILE=bench/out/registry.sqlite3 DATASETTE_METADATA=bench/out/datasette-metadata.json \
        uvicorn bench.datasette_app:app --workers 2 --port 8033

The same app and settings as `datasette serve -i FILE -m METADATA --setting ...`
(bench/run_registry.py), which runs a single process.
"""

import json
import os
from pathlib import Path

from datasette.app import Datasette

from bench.run_registry import DATASETTE_SETTINGS

app = Datasette(
    immutables=[os.environ["DATASETTE_FILE"]],
    metadata=json.loads(Path(os.environ["DATASETTE_METADATA"]).read_text()),
    settings=DATASETTE_SETTINGS,
).app()
