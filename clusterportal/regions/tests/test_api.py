"""The region endpoints of the JSON API: the tree and its GeoJSON outlines."""

import json

import pytest

from clusterportal.regions.models import Region
from clusterportal.tests.helpers import error_of, field_errors

pytestmark = pytest.mark.django_db

LIST = "/api/v1/regions"


def test_the_list_has_the_12_regionen_and_the_44_kreise_without_outlines(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        kreise = client.get(LIST, {"kind": "kreis"}).json()
    regionen = client.get(LIST, {"kind": "region"}).json()

    assert kreise["count"] == len(kreise["results"]) == 44
    assert regionen["count"] == 12
    assert client.get(LIST).json()["count"] == 62
    assert "geometry" not in kreise["results"][0] and "boundary" not in kreise["results"][0]
    tuebingen = next(r for r in kreise["results"] if r["code"] == "08416")
    assert tuebingen["name"] == "Tübingen"
    assert tuebingen["parent"]["slug"] == "region-neckar-alb"
    assert (
        tuebingen["geojson_url"] == "http://testserver/api/v1/regions/landkreis-tuebingen.geojson"
    )


def test_a_region_lists_its_kreise(client):
    body = client.get(f"{LIST}/region-stuttgart").json()
    assert body["parent"]["slug"] == "regierungsbezirk-stuttgart"
    assert [child["code"] for child in body["children"]] == [
        "08115",
        "08116",
        "08117",
        "08118",
        "08119",
        "08111",
    ]
    assert [
        r["slug"] for r in client.get(LIST, {"parent": "region-stuttgart"}).json()["results"]
    ] == [child["slug"] for child in body["children"]]


def test_the_kreise_come_as_a_feature_collection_of_44_outlines(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(f"{LIST}.geojson", {"kind": "kreis"})
    collection = json.loads(response.content)

    assert response["Content-Type"] == "application/geo+json"
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 44
    codes = {f["properties"]["code"] for f in collection["features"]}
    assert codes == set(Region.objects.filter(kind="kreis").values_list("code", flat=True))
    assert {f["geometry"]["type"] for f in collection["features"]} <= {"Polygon", "MultiPolygon"}


def test_a_single_outline_is_the_same_feature_at_both_addresses(client):
    by_suffix = client.get(f"{LIST}/landkreis-tuebingen.geojson")
    by_format = client.get(f"{LIST}/landkreis-tuebingen", {"format": "geojson"})

    assert by_suffix.content == by_format.content
    feature = json.loads(by_suffix.content)
    assert feature["type"] == "Feature"
    assert feature["id"] == "landkreis-tuebingen"
    assert feature["geometry"] == Region.objects.get(slug="landkreis-tuebingen").boundary
    assert feature["properties"]["designation"] == "Landkreis"


def test_outlines_are_cached_by_etag(client):
    first = client.get(f"{LIST}.geojson", {"kind": "region"})
    assert first["Cache-Control"] == "public, max-age=60"
    again = client.get(
        f"{LIST}.geojson", {"kind": "region"}, headers={"if-none-match": first["ETag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


def test_bad_region_requests_answer_in_the_error_shape(client):
    assert "kind" in field_errors(client.get(LIST, {"kind": "planet"}), "kind")
    assert "parent" in field_errors(client.get(LIST, {"parent": "atlantis"}), "parent")
    assert "format" in field_errors(
        client.get(f"{LIST}/region-stuttgart", {"format": "kml"}), "format"
    )
    assert "format" in field_errors(
        client.get(f"{LIST}/region-stuttgart.geojson", {"format": "json"}), "format"
    )
    error_of(client.get(f"{LIST}/atlantis"), 404, "not_found")
    error_of(client.get(f"{LIST}/atlantis.geojson"), 404, "not_found")
