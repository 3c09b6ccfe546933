"""The world map as server-drawn SVG: Natural Earth countries (world-atlas 2.0.2, 1:50m)
in an equirectangular projection, the countries with partnerships filled.

The outlines are turned into SVG paths once per process (they do not change); a request
only chooses the fill of each country. The page shows a table beside it as the text
alternative.
"""

from __future__ import annotations

import functools
import json
from html import escape
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_countries import countries

from clusterportal.analytics.datasets.topojson import object_to_features
from clusterportal.lib.svg import FONT, GRID, NORMAL

FILE = Path("international/world_countries_50m_world-atlas-2.0.2.topojson.json")
WIDTH, NORTH, SOUTH = 960, 84.0, -58.0  # Antarctica is left out
SCALE = WIDTH / 360
HEIGHT = round((NORTH - SOUTH) * SCALE)
LAND = "#e3e7eb"


def _project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180) * SCALE, (NORTH - max(SOUTH, min(NORTH, lat))) * SCALE


def _ring(ring: list[list[float]]) -> str:
    points: list[str] = []
    lons = [lon for lon, _lat in ring]
    # A ring across the antimeridian (Chukotka, Fiji): drawn east of 180°, cut off by the viewBox.
    if max(lons) - min(lons) > 180:
        ring = [[lon + 360 if lon < 0 else lon, lat] for lon, lat in ring]
    for lon, lat in ring:
        x, y = _project(lon, lat)
        point = f"{x:.0f} {y:.0f}"
        if not points or points[-1] != point:
            points.append(point)
    return "M" + "L".join(points) + "Z" if len(points) > 2 else ""


def _path(geometry: dict[str, Any]) -> str:
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    return "".join(_ring(ring) for polygon in polygons for ring in polygon)


@functools.cache
def outlines() -> tuple[tuple[str, str], ...]:
    """(alpha-2 code or "", SVG path) per country of the map."""
    topology = json.loads((settings.DATA_DIR / FILE).read_text(encoding="utf-8"))
    shapes = []
    for feature in object_to_features(topology, "countries"):
        if feature["properties"].get("name") == "Antarctica" or not feature["geometry"]:
            continue
        code = countries.alpha2(feature.get("id", "")) if feature.get("id") else ""
        if path := _path(feature["geometry"]):
            shapes.append((code or "", path))
    return tuple(shapes)


def world_map(highlighted: dict[str, str], *, title: str, desc: str) -> SafeString:
    """The map; `highlighted` maps codes to the text of their tooltip."""
    body = []
    for code, path in outlines():
        if code in highlighted:
            body.append(
                f'<path d="{path}" fill="{NORMAL}" stroke="#ffffff" stroke-width="0.4">'
                f"<title>{escape(highlighted[code])}</title></path>"
            )
        else:
            body.append(f'<path d="{path}" fill="{LAND}" stroke="{GRID}" stroke-width="0.3"/>')
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart world-map" '
        f'role="img" aria-labelledby="world-title world-desc" {FONT}>'
        f'<title id="world-title">{escape(title)}</title><desc id="world-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text is escaped
