"""English text on German atlas pages marked as English (WCAG 3.1.2): the U.S. and NACE
cluster names where they stand untranslated, and citations the sources prescribe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusterportal.atlas.models import Cluster

pytestmark = pytest.mark.django_db

DELGADO = "Delgado, M., Porter, M. E., Stern, S. (2016)"


def cluster_page(client, code: str, prefix: str = "") -> str:
    url = reverse("atlas:cluster", kwargs={"edition": "us-states-2016", "cluster": code})
    response = client.get(prefix + url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_german_cluster_page_marks_the_us_name_beside_the_german_one(client):
    cluster = Cluster.objects.get(edition__slug="us-states-2016", code="4")
    html = cluster_page(client, "4")
    assert f"<h1>{cluster.name_de}</h1>" in html
    assert f'· <span lang="en">{cluster.name}</span> ·' in html
    assert f'<span lang="en">{DELGADO}' in html


def test_the_english_cluster_page_needs_no_mark(client):
    cluster = Cluster.objects.get(edition__slug="us-states-2016", code="4")
    html = cluster_page(client, "4", prefix="/en")
    assert f"<h1>{cluster.name}</h1>" in html
    assert f'<span lang="en">{cluster.name}' not in html
    assert f"<span>{DELGADO}" in html


def test_a_cluster_without_a_german_name_is_marked_on_german_pages_only(client):
    cluster = Cluster.objects.get(edition__slug="us-states-2016", code="4")
    Cluster.objects.filter(pk=cluster.pk).update(name_de="")
    html = cluster_page(client, "4")
    assert f'<h1 lang="en">{cluster.name}</h1>' in html
    assert f"<h1>{cluster.name}</h1>" in cluster_page(client, "4", prefix="/en")


def test_the_regional_statistics_citation_is_marked_german_on_english_pages(client):
    url = reverse(
        "atlas:region",
        kwargs={"edition": "bw-kreise-2015-2020", "type": "region", "code": "stuttgart"},
    )
    german = client.get(url).content.decode()
    english = client.get("/en" + url).content.decode()
    assert "<span>© Statistische Ämter des Bundes" in german
    assert '<span lang="de">© Statistische Ämter des Bundes' in english


def test_the_edition_page_lists_boeblingen_before_breisgau(client):
    url = reverse("atlas:edition", kwargs={"edition": "bw-kreise-2015-2020"})
    html = client.get(url).content.decode()
    names = ["Böblingen (Landkreis)", "Breisgau-Hochschwarzwald (Landkreis)"]
    names += ["Tübingen (Landkreis)", "Tuttlingen (Landkreis)"]
    positions = [html.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)


def test_the_compare_form_offers_the_kreise_as_a_dictionary_sorts(client):
    url = reverse("atlas:compare", kwargs={"edition": "bw-kreise-2015-2020"})
    html = client.get(url).content.decode()
    first_select = html[html.index('<select name="region"') : html.index("</select>")]
    names = ["Böblingen (Landkreis)", "Breisgau-Hochschwarzwald (Landkreis)"]
    positions = [first_select.index(f">{name}</option>") for name in names]
    assert positions == sorted(positions)
