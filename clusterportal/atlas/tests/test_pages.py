"""The atlas pages: what they show, their CSV downloads, errors and query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BW = "bw-kreise-2015-2020"


def region_url(edition: str, type_: str, code: str) -> str:
    return reverse("atlas:region", kwargs={"edition": edition, "type": type_, "code": code})


def cluster_url(edition: str, code: str) -> str:
    return reverse("atlas:cluster", kwargs={"edition": edition, "cluster": code})


def read_csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_start_page_lists_the_editions_and_the_method(client):
    response = client.get(reverse("atlas:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Baden-Württemberg: 44 Kreise und 12 Regionen, 2015–2020" in page
    assert "USA: 50 Bundesstaaten, 2016" in page
    assert "Standortquotient" in page
    assert reverse("atlas:method") in page


def test_the_main_navigation_links_the_atlas(client):
    page = client.get(reverse("registry:list")).content.decode()
    assert f'href="{reverse("atlas:index")}"' in page


def test_the_region_page_of_stuttgart_shows_its_strong_clusters(client, django_assert_num_queries):
    # 8, and 2 for the link to the Regierungsbezirk in the European edition (a Kreis of the
    # Region, the NUTS-2 region).
    with django_assert_num_queries(10):
        response = client.get(region_url(BW, "region", "stuttgart"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.year == 2020
    assert [row.cluster.code for row in page.strong] == ["M-N", "K"]
    html = response.content.decode()
    assert "Region Stuttgart" in html
    assert "<svg" in html and 'role="img"' in html
    # What the data can and cannot show, and the sources with their licences.
    assert "Was diese Daten zeigen können und was nicht" in html
    assert "© Statistische Ämter des Bundes und der Länder, Deutschland, 2021" in html
    assert "https://www.govdata.de/dl-de/by-2-0" in html


def test_the_region_page_of_michigan_shows_automotive_as_strong(client):
    response = client.get(region_url("us-states-2016", "state", "26"))
    assert response.status_code == 200
    strong = [row.cluster.code for row in response.context["page"].strong]
    assert "4" in strong
    assert len(strong) == 7
    html = response.content.decode()
    assert "Automobilindustrie" in html
    assert "Delgado, M., Porter, M. E., Stern, S. (2016)" in html
    assert "Diese Ausgabe umfasst nur ein Jahr" in html


def test_an_unknown_year_is_a_400_that_names_the_year(client):
    response = client.get(region_url(BW, "region", "stuttgart"), {"year": "2031"})
    assert response.status_code == 400
    assert "Das Jahr 2031 ist nicht in der Ausgabe" in response.content.decode()


def test_an_unknown_region_is_a_404(client):
    assert client.get(region_url(BW, "region", "atlantis")).status_code == 404


def test_the_portfolio_csv_has_the_rows_of_the_table_and_every_column(client):
    url = region_url(BW, "kreis", "08111")
    page = client.get(url, {"year": 2015}).context["page"]
    rows = read_csv(client.get(url + "portfolio.csv", {"year": 2015}))
    assert [r["cluster_code"] for r in rows] == [row.cluster.code for row in page.rows]
    manufacturing = next(r for r in rows if r["cluster_code"] == "C")
    shown = next(row for row in page.rows if row.cluster.code == "C")
    assert float(manufacturing["lq"]) == shown.result.lq
    assert float(manufacturing["employment"]) == shown.result.employment
    assert manufacturing["year"] == "2015"
    assert {"employment_cagr", "density", "stars", "size_star", "initiatives"} <= set(rows[0])


def test_every_table_of_a_region_page_downloads(client):
    url = region_url(BW, "region", "stuttgart")
    for table in ("portfolio", "series", "opportunities", "initiatives"):
        response = client.get(url + f"{table}.csv")
        assert response.status_code == 200, table
    assert client.get(url + "nothing.csv").status_code == 404


def test_the_cluster_page_draws_the_kreise_of_germany_with_a_table_alternative(
    client, django_assert_num_queries
):
    with django_assert_num_queries(5):
        response = client.get(cluster_url("de-kreise-2015-2020", "C"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.region_type.type == "kreis"
    assert page.region_type.has_map
    assert len(page.results) == 397  # 4 Kreise have suppressed manufacturing cells in 2020
    assert page.results[0].lq >= page.results[-1].lq
    html = response.content.decode()
    assert 'id="choropleth-data"' in html
    assert "leaflet/leaflet.js" in html
    assert "© GeoBasis-DE / BKG 2021 (Daten verändert)" in html
    rows = read_csv(client.get(cluster_url("de-kreise-2015-2020", "C") + "regions.csv"))
    assert [r["region_code"] for r in rows] == [r.region.code for r in page.results]


def test_the_automotive_page_of_the_us_states_counts_twelve_strong_states(client):
    response = client.get(cluster_url("us-states-2016", "4"))
    page = response.context["page"]
    assert page.strong_count == 12
    assert page.results[0].region.name == "Michigan"


def test_cbsas_have_a_table_and_no_map(client):
    response = client.get(cluster_url("us-cbsa-2019", "4"))
    assert response.status_code == 200
    assert not response.context["page"].region_type.has_map
    html = response.content.decode()
    assert "keine Umrisse hinterlegt" in html
    assert "choropleth-data" not in html
    assert "CBSAs sind weder Namen noch Umrisse hinterlegt" in html


def test_the_outlines_are_geojson_keyed_by_region_code(client):
    url = reverse("atlas:outlines", kwargs={"edition": BW, "type": "region"})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert len(features) == 12
    assert "stuttgart" in {f["id"] for f in features}
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_comparison_shows_the_chosen_regions_side_by_side(client, django_assert_num_queries):
    url = reverse("atlas:compare", kwargs={"edition": BW})
    query = {"region": ["region:stuttgart", "kreis:08111", "kreis:08212"], "year": "2020"}
    with django_assert_num_queries(4):
        response = client.get(url, query)
    assert response.status_code == 200
    page = response.context["page"]
    assert [r.code for r in page.regions] == ["stuttgart", "08111", "08212"]
    rows = read_csv(client.get(url + "compare.csv", query))
    assert len(rows) == 3 * 12
    karlsruhe_k = next(r for r in rows if r["region_code"] == "08212" and r["cluster_code"] == "K")
    assert karlsruhe_k["strong"] == "true"


def test_the_comparison_rejects_eleven_regions_with_a_400(client):
    codes = ["08111", "08115", "08116", "08117", "08118", "08119", "08121", "08125", "08126"]
    codes += ["08127", "08128"]
    url = reverse("atlas:compare", kwargs={"edition": BW})
    response = client.get(url, {"region": [f"kreis:{c}" for c in codes]})
    assert response.status_code == 400
    assert (
        "Höchstens 10 Regionen lassen sich vergleichen; gewählt sind 11."
        in response.content.decode()
    )


def test_a_draft_edition_is_hidden_from_the_public_and_shown_to_staff(client, admin_client):
    from clusterportal.atlas.models import Edition

    Edition.objects.create(
        slug="draft-test", title="Entwurf", method="cmp", reference_type="country",
        reference_code="US", years=[2016], definition="x", definition_title="x", fingerprint="0",
    )  # fmt: skip
    url = reverse("atlas:edition", kwargs={"edition": "draft-test"})
    assert client.get(url).status_code == 404
    assert admin_client.get(url).status_code == 200


def test_numbers_are_rounded_as_the_charts_round_them_not_cut(client):
    """The audit found an LQ of 0.6374 shown as 0,63, and tables saying 1,63 where their
    chart said 1,64: Django's number_format cuts the digits off."""
    from django.utils import translation

    from clusterportal.atlas.templatetags.atlas_format import percent, quotient, signed_percent

    with translation.override("de"):
        assert [quotient(0.6374), quotient(1.6372), quotient(0.7151)] == ["0,64", "1,64", "0,72"]
        assert [percent(0.12345), signed_percent(-0.1294), signed_percent(-0.00001)] == [
            "12,3 %",
            "-12,9 %",
            "0,0 %",
        ]
    response = client.get(region_url(BW, "region", "stuttgart"))
    cells = response.content.decode()
    rows = response.context["page"].rows
    cut = [r for r in rows if f"{r.result.lq:.2f}" != f"{int(r.result.lq * 100) / 100:.2f}"]
    assert cut  # rows where cutting and rounding differ: the page shows the rounded value
    for row in cut:
        assert f"<td>{row.result.lq:.2f}</td>".replace(".", ",") in cells


def test_a_kreis_strong_in_no_cluster_shows_no_table_of_zero_chances(client):
    """Every Kreis page listed its "Chancen" at 0,0 %: a density of 0 means the Kreis is
    strong in no related cluster, which says nothing about a chance."""
    response = client.get(region_url(BW, "kreis", "08425"))
    page = response.context["page"]
    assert not page.strong and page.opportunities == []
    html = response.content.decode()
    assert "Keine Angabe: Die Region ist in keinem Cluster stark" in html
    stuttgart = client.get(region_url(BW, "region", "stuttgart")).context["page"]
    assert stuttgart.opportunities and all(r.density > 0 for r in stuttgart.opportunities)


def test_german_pages_name_clusters_and_their_kind_in_german(client):
    from django.utils import translation

    html = client.get(region_url(BW, "kreis", "08425")).content.decode()
    assert '<td class="text">überregional</td>' in html
    assert "(traded)" not in html and "(local)" not in html
    cluster = client.get(cluster_url(BW, "C")).content.decode()
    assert "Verarbeitendes Gewerbe (C)" in cluster and "Manufacturing" not in cluster
    # U.S. clusters keep their English name beside the project's German one.
    us = client.get(cluster_url("us-states-2016", "4")).content.decode()
    assert 'lang="en">Automotive</span>' in us
    with translation.override("en"):
        index = client.get(reverse("atlas:index")).content.decode()
    assert "Baden-Württemberg: 44 districts and 12 regions, 2015–2020" in index
    assert "44 Kreise and" not in index


def test_public_atlas_pages_name_no_repository_paths(client):
    for url in (reverse("atlas:method"), region_url(BW, "region", "stuttgart")):
        assert "docs/" not in client.get(url).content.decode()


EUROPE = "eu-nuts2-nace-2010-2014"


def test_stuttgarts_nuts2_page_shows_its_portfolio_against_europe_and_germany(client):
    response = client.get(region_url(EUROPE, "nuts2", "DE11") + "?year=2014")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.country.code == "DE"
    [c29] = [row for row in page.rows if row.cluster.code == "C29"]
    # 2014, by hand: (158,012 / 1,602,408) / (906,405 / 27,279,705) = 2.967798 (test_editions).
    assert round(c29.country_lq, 6) == 2.967798
    assert c29.result.stars == 3
    # 21,424 of 1,602,408 persons are in estimated confidential cells: 1.3 %.
    assert round(page.estimated_total_share, 4) == round(21_424 / 1_602_408, 4)
    html = response.content.decode()
    assert "Standortquotient gegenüber Deutschland" in html
    assert "Regionen wie diese" in html
    assert "Regierungsbezirke Baden-Württembergs nebeneinander" in html
    # Regions like mine: ten others of the same type, most similar first.
    assert len(page.similar) == 10
    assert all(other.type == "nuts2" and other.code != "DE11" for other, _ in page.similar)
    scores = [score for _, score in page.similar]
    assert scores == sorted(scores, reverse=True)
    rows = read_csv(client.get(region_url(EUROPE, "nuts2", "DE11") + "similar.csv?year=2014"))
    assert [r["region_code"] for r in rows] == [other.code for other, _ in page.similar]


def test_a_division_map_of_europe_draws_the_nuts2_regions(client):
    response = client.get(cluster_url(EUROPE, "C29") + "?region_type=nuts2&year=2014")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.region_type.has_map
    assert page.top_by_employment[0].region.code == "DE11"
    assert "© EuroGeographics for the administrative boundaries" in response.content.decode()


def test_bw_kreise_and_regionen_link_to_the_nuts2_view_of_their_regierungsbezirk(client):
    kreis = client.get(region_url(BW, "kreis", "08416")).content.decode()  # Tübingen
    assert region_url(EUROPE, "nuts2", "DE14") in kreis
    region = client.get(region_url(BW, "region", "stuttgart")).content.decode()
    assert region_url(EUROPE, "nuts2", "DE11") in region
