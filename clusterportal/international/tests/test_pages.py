import pytest

from clusterportal.registry.models import ClusterInitiative

pytestmark = pytest.mark.django_db


def test_the_china_page_shows_2011_with_its_share_and_the_ministry_rounding(client):
    response = client.get("/international/CN/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "13.341.130" in text and "7,76" in text and "7,7 %" in text
    assert "Destatis" in text and "dl-de/by-2-0" in text
    mmt = ClusterInitiative.objects.get(partnerships__country="China")
    assert mmt.name in text


def test_the_overview_shows_the_map_its_table_and_the_ranking(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get("/international/")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'class="chart world-map"' in text
    assert "Vertrauliche Länder" in text
    assert "/international/US/" in text


def test_the_english_page_is_translated(client):
    response = client.get("/en/international/CN/")
    assert response.status_code == 200
    assert "Baden-Württemberg's exports" in response.content.decode()


def test_an_unknown_or_lower_case_code_is_a_404(client):
    assert client.get("/international/XX/").status_code == 404
    assert client.get("/international/cn/").status_code == 404


def test_the_api_lists_countries_and_answers_the_china_series(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/countries").json()
    assert body["results"][0]["rank"] == 1
    china = client.get("/api/v1/countries/CN").json()
    row = next(r for r in china["exports"] if r["year"] == 2011)
    assert row["exports_teur"] == 13_341_130
    assert row["share_percent"] == "7.76"
    assert china["source"]["attribution"] == "© Statistisches Bundesamt (Destatis), 2026"


def test_the_api_answers_an_unknown_code_with_the_error_shape(client):
    response = client.get("/api/v1/countries/ZZ")
    assert response.status_code == 404
    assert response.json()["error"]["fields"] == {
        "iso2": ["There is no country with the code 'ZZ'."]
    }
