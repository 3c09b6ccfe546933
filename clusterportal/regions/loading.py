"""Load the BW region tree (Land > Regierungsbezirk > Region > Kreis) with boundaries."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.db import transaction

from clusterportal.lib.geo import centroid
from clusterportal.lib.loading import LoadReport, upsert
from clusterportal.lib.text import german_slug
from clusterportal.regions.models import Region

KREISE_FILE = "registry/bw_kreise.csv"
BOUNDARIES_FILE = "boundaries/de_kreise_bw_vg5000_2021.geojson"
# Official keys of the four Regierungsbezirke (first three digits of the AGS).
REGIERUNGSBEZIRKE = {"Stuttgart": "081", "Karlsruhe": "082", "Freiburg": "083", "Tübingen": "084"}


class RegionDataError(ValueError):
    pass


def _multipolygon(geometries: list[dict]) -> dict:
    """All parts as one MultiPolygon (inner borders stay; the map draws the parts)."""
    parts: list = []
    for geometry in geometries:
        parts += (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
    return {"type": "MultiPolygon", "coordinates": parts}


def _centroid_values(geometry: dict) -> dict[str, float]:
    lon, lat = centroid(geometry)
    return {"centroid_lat": round(lat, 5), "centroid_lon": round(lon, 5)}


@transaction.atomic
def load_bw_regions(data_dir: Path) -> LoadReport:
    report = LoadReport("regions")
    with open(data_dir / KREISE_FILE, encoding="utf-8") as handle:
        kreise = list(csv.DictReader(handle))
    with open(data_dir / BOUNDARIES_FILE, encoding="utf-8") as handle:
        features = {f["properties"]["ARS"]: f for f in json.load(handle)["features"]}
    missing = sorted({k["ags"] for k in kreise} - set(features))
    if missing:
        raise RegionDataError(f"{BOUNDARIES_FILE}: no boundary for Kreis {', '.join(missing)}")

    def put(kind, code, values):
        obj, created, changed = upsert(Region, {"kind": kind, "code": code}, values)
        report.count(created, changed)
        return obj

    germany = put(
        Region.Kind.COUNTRY,
        "DE",
        {"name": "Deutschland", "name_en": "Germany", "slug": "deutschland"},
    )
    all_geometries = [features[k["ags"]]["geometry"] for k in kreise]
    land = put(
        Region.Kind.LAND,
        "08",
        {
            "name": "Baden-Württemberg",
            "name_en": "Baden-Württemberg",
            "slug": "baden-wuerttemberg",
            "parent": germany,
            **_centroid_values(_multipolygon(all_geometries)),
        },
    )
    bezirke = {}
    for name, code in REGIERUNGSBEZIRKE.items():
        geometries = [
            features[k["ags"]]["geometry"] for k in kreise if k["regierungsbezirk"] == name
        ]
        bezirke[name] = put(
            Region.Kind.REGIERUNGSBEZIRK,
            code,
            {
                "name": name,
                "designation": "Regierungsbezirk",
                "slug": f"regierungsbezirk-{german_slug(name)}",
                "parent": land,
                **_centroid_values(_multipolygon(geometries)),
            },
        )
    regions = {}
    for name in dict.fromkeys(k["region"] for k in kreise):
        members = [k for k in kreise if k["region"] == name]
        bezirk_names = {k["regierungsbezirk"] for k in members}
        if len(bezirk_names) != 1:
            raise RegionDataError(f"{KREISE_FILE}: region {name} lies in several Regierungsbezirke")
        boundary = _multipolygon([features[k["ags"]]["geometry"] for k in members])
        regions[name] = put(
            Region.Kind.REGION,
            german_slug(name),
            {
                "name": name,
                "designation": "Region",
                "slug": f"region-{german_slug(name)}",
                "parent": bezirke[bezirk_names.pop()],
                "boundary": boundary,
                **_centroid_values(boundary),
            },
        )
    for kreis in kreise:
        geometry = features[kreis["ags"]]["geometry"]
        put(
            Region.Kind.KREIS,
            kreis["ags"],
            {
                "name": kreis["name"],
                "designation": kreis["kreis_type"],
                "slug": german_slug(f"{kreis['kreis_type']} {kreis['name']}"),
                "parent": regions[kreis["region"]],
                "boundary": geometry,
                "source_url": kreis["source_url"].split(" | ")[0][:500],
                **_centroid_values(geometry),
            },
        )
    return report
