"""The atlas API returns the numbers of the pages, with filters, pages, errors and ETags."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusterportal.atlas.models import Result
from clusterportal.tests.helpers import error_of, field_errors

pytestmark = pytest.mark.django_db

BASE = "/api/v1/atlas/editions"


def test_the_edition_list_names_the_published_editions(client):
    body = client.get(BASE).json()
    assert body["count"] == 8
    assert body["results"][2]["slug"] == "us-states-2016"
    assert body["results"][2]["reference"] == "country:US"


def test_an_edition_has_its_sources_manifest_clusters_and_region_types(client):
    body = client.get(f"{BASE}/bw-kreise-2015-2020").json()
    assert body["method"] == "eco"
    assert body["years"] == [2015, 2016, 2017, 2018, 2019, 2020]
    assert {s["key"] for s in body["sources"]} >= {"regionalstatistik", "bkg"}
    assert body["manifest"]["parameters"]["reference"] == "land:08"
    assert [t["type"] for t in body["region_types"]] == ["kreis", "region"]
    assert len(body["clusters"]) == 12
    assert body["citation"].startswith("Clusterportal, Regionaler Clusteratlas, Ausgabe bw-kreise")


def test_the_region_endpoint_returns_the_numbers_of_the_region_page(client):
    page = client.get(
        reverse("atlas:region", kwargs={"edition": "us-states-2016", "type": "state", "code": "26"})
    ).context["page"]
    body = client.get(f"{BASE}/us-states-2016/regions/state/26").json()
    api = {r["cluster_code"]: r for r in body["results"]["results"]}
    assert body["results"]["count"] == len(page.rows) == 67
    for row in page.rows:
        assert api[row.cluster.code]["lq"] == row.result.lq
        assert api[row.cluster.code]["employment"] == row.result.employment
        assert api[row.cluster.code]["strong"] == row.result.strong
    assert round(api["4"]["lq"], 6) == 5.805291
    assert body["summaries"][0]["strong_clusters"] == 7


def test_the_cluster_endpoint_filters_strong_regions_and_paginates(client):
    body = client.get(f"{BASE}/us-states-2016/clusters/4", {"strong": "yes", "page_size": 5}).json()
    results = body["results"]
    assert results["count"] == 12
    assert results["num_pages"] == 3
    assert len(results["results"]) == 5
    assert results["next"].endswith("page=2")
    assert all(r["strong"] for r in results["results"])


def test_the_results_endpoint_filters_by_year_and_region_type(client, django_assert_num_queries):
    with django_assert_num_queries(4):
        body = client.get(
            f"{BASE}/bw-kreise-2015-2020/results",
            {"year": 2020, "region_type": "region", "page_size": 1000},
        ).json()
    assert body["count"] == 12 * 12
    expected = Result.objects.filter(
        edition__slug="bw-kreise-2015-2020", year=2020, region__type="region", strong=True
    ).count()
    assert sum(r["strong"] for r in body["results"]) == expected


def test_bad_filters_answer_400_in_the_error_shape(client):
    response = client.get(f"{BASE}/bw-kreise-2015-2020/results", {"year": 2031, "color": "red"})
    assert field_errors(response, "color")
    response = client.get(f"{BASE}/bw-kreise-2015-2020/results", {"year": 2031})
    assert "2031" in field_errors(response, "year")["year"][0]
    response = client.get(f"{BASE}/bw-kreise-2015-2020/results", {"region_type": "planet"})
    field_errors(response, "region_type")


def test_unknown_editions_regions_clusters_and_pages_are_404(client):
    error_of(client.get(f"{BASE}/nope"), 404, "not_found")
    error_of(client.get(f"{BASE}/us-states-2016/regions/state/99"), 404, "not_found")
    error_of(client.get(f"{BASE}/us-states-2016/clusters/999"), 404, "not_found")
    error_of(client.get(f"{BASE}/us-states-2016/results", {"page": 999}), 404, "page_out_of_range")


def test_a_region_type_off_the_schemas_pattern_is_a_400_naming_it(client):
    error = error_of(
        client.get(f"{BASE}/us-states-2016/regions/State!/26"), 422, "validation_failed"
    )
    assert list(error["fields"]) == ["region_type"]


def test_an_edition_answers_304_to_its_etag(client):
    url = f"{BASE}/us-states-2016/regions/state/26"
    response = client.get(url)
    assert response["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
