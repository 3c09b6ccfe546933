"""The initiative map: same filters as the list, markers, outlines, no-JavaScript table."""

import json
import re

import pytest

from clusterportal.lib.geo import outer_edges, rounded
from clusterportal.registry.filters import InitiativeFilter
from clusterportal.registry.mapping import InitiativeMap
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db

MAP_URL = "/karte/"
MEDICAL_ENGINEERING = [
    "biolago", "bioregio-stern", "biovalley", "healthregion-freiburg", "medcare-techarea",
    "medicalmountains", "mmt-cluster", "mvh", "technologymountains",
]  # fmt: skip


def markers(html):
    found = re.search(
        r'<script id="map-markers" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(found.group(1))


def map_of(**params):
    filters = InitiativeFilter(params)
    assert filters.is_valid(), filters.errors
    return InitiativeMap.of(filters.queryset())


class TestMapPage:
    def test_a_filter_gives_exactly_the_matching_initiatives(self, client):
        html = client.get(f"{MAP_URL}?field=medical-engineering").content.decode()
        urls = sorted(marker["url"] for marker in markers(html))
        assert urls == [f"/cluster/{slug}/" for slug in MEDICAL_ENGINEERING]
        assert "9 Einträge" in html

    def test_without_a_filter_it_places_100_and_lists_the_2_without_a_location(self, client):
        html = client.get(MAP_URL).content.decode()
        assert len(markers(html)) == 100
        unplaced = re.search(r'id="unplaced-heading".*?</ul>', html, re.S).group(0)
        assert "FAN Future Aerospace Network" in unplaced
        assert "nanoValley.eu" in unplaced

    def test_without_javascript_it_shows_a_table_of_the_same_entries(self, client):
        html = client.get(f"{MAP_URL}?field=medical-engineering").content.decode()
        table = re.search(r'<details id="map-table".*?</details>', html, re.S).group(0)
        assert table.count("<tr>") == 1 + 9  # header and rows
        assert "<td>Regionale Cluster-Initiative</td>" in table
        assert "<td>Hochrhein-Bodensee</td>" in table
        assert "<td>Konstanz (Landkreis)</td>" in table
        # The map itself stays hidden until map.js shows it.
        assert '<div id="map-panel" class="map-panel" hidden>' in html

    def test_it_shows_the_facets_search_box_and_licence_notice(self, client):
        html = client.get(f"{MAP_URL}?field=medical-engineering").content.decode()
        assert '<aside class="facets"' in html
        assert 'role="search"' in html
        assert '<input type="hidden" name="field" value="medical-engineering">' in html
        assert "© GeoBasis-DE / BKG 2021 (Daten verändert)" in html
        assert 'href="/cluster/?field=medical-engineering"' in html  # back to the list
        assert "Die Positionen sind ungefähr" in html

    def test_a_bad_filter_value_is_a_400_naming_the_field(self, client):
        response = client.get(f"{MAP_URL}?region=atlantis")
        assert response.status_code == 400
        assert "<code>region</code>" in response.content.decode()

    def test_a_name_with_html_stays_text_in_the_marker_data(self, client):
        factories.initiative(
            "</script><script>alert(1)</script>", latitude=48.0, longitude=9.0, city="Ulm"
        )
        html = client.get(MAP_URL).content.decode()
        assert "<script>alert(1)" not in html
        names = [m["name"] for m in markers(html)]
        assert "</script><script>alert(1)</script>" in names

    def test_its_query_count_is_fixed(self, client, django_assert_num_queries):
        client.get(MAP_URL)  # the process builds its registry index once
        # 1 data version, 1 for the markers
        with django_assert_num_queries(2):
            client.get(MAP_URL)
        with django_assert_num_queries(2):
            client.get(f"{MAP_URL}?field=medical-engineering&kind=cluster_initiative")


class TestMarkers:
    def test_initiatives_sharing_a_point_get_distinct_places_in_its_spiral(self):
        found = map_of(field=["medical-engineering"])
        spots = {m["name"]: m["spot"] for m in found.markers}
        # BioValley and HealthRegion both sit at the centre of Freiburg im Breisgau.
        assert spots["BioValley Deutschland e.V."] == [0, 2]
        assert spots["HealthRegion Freiburg"] == [1, 2]
        assert spots["BioLAGO e.V. - the health network"] == [0, 1]

    def test_the_same_filter_always_gives_the_same_markers(self):
        assert (
            map_of(kind=["statewide_network"]).markers == map_of(kind=["statewide_network"]).markers
        )

    def test_a_marker_carries_what_the_popup_shows(self):
        (marker,) = [m for m in map_of(q="BioLAGO").markers if m["name"].startswith("BioLAGO")]
        assert marker == {
            "name": "BioLAGO e.V. - the health network",
            "url": "/cluster/biolago/",
            "kind": "cluster_initiative",
            "kindLabel": "Regionale Cluster-Initiative",
            "city": "Konstanz",
            "active": True,
            "approximate": True,
            "lat": 47.79788,
            "lon": 8.91112,
            "spot": [0, 1],
        }


class TestOutlines:
    def test_the_kreise_come_as_44_features_with_etag_and_cache_headers(self, client):
        response = client.get("/karte/kreise.geojson")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        assert "max-age=3600" in response["Cache-Control"]
        data = json.loads(response.content)
        assert len(data["features"]) == 44
        assert {f["geometry"]["type"] for f in data["features"]} <= {"Polygon", "MultiPolygon"}
        assert data["attribution"]["text"] == "© GeoBasis-DE / BKG 2021 (Daten verändert)"
        names = {f["properties"]["name"] for f in data["features"]}
        assert "Stuttgart (Stadtkreis)" in names and "Konstanz (Landkreis)" in names

    def test_a_revalidation_with_the_etag_is_a_304_without_body(self, client):
        etag = client.get("/karte/kreise.geojson")["ETag"]
        response = client.get("/karte/kreise.geojson", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag

    def test_coordinates_are_rounded_to_four_decimals(self, client):
        data = json.loads(client.get("/karte/kreise.geojson").content)
        ring = data["features"][0]["geometry"]["coordinates"][0]
        point = ring[0] if isinstance(ring[0][0], float) else ring[0][0]
        assert all(len(str(value).split(".")[1]) <= 4 for value in point)

    def test_the_regionen_come_as_12_outer_lines(self, client):
        data = json.loads(client.get("/karte/regionen.geojson").content)
        assert len(data["features"]) == 12
        assert {f["geometry"]["type"] for f in data["features"]} == {"MultiLineString"}

    def test_only_get_and_head_are_allowed(self, client):
        assert client.post("/karte/kreise.geojson").status_code == 405


class TestGeometryHelpers:
    def test_outer_edges_drop_the_border_two_parts_share(self):
        left = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
        right = [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]
        lines = outer_edges({"type": "MultiPolygon", "coordinates": [left, right]})
        segments = {
            frozenset((tuple(a), tuple(b)))
            for line in lines["coordinates"]
            for a, b in zip(line, line[1:], strict=False)
        }
        assert frozenset(((1, 0), (1, 1))) not in segments
        assert len(segments) == 6

    def test_rounded_keeps_the_structure(self):
        geometry = {"type": "Polygon", "coordinates": [[[9.123456, 48.987654], [9.1, 48.9]]]}
        assert rounded(geometry, 4) == {
            "type": "Polygon",
            "coordinates": [[[9.1235, 48.9877], [9.1, 48.9]]],
        }
