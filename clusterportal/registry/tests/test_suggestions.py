"""What the list page and the API say beyond the results (registry/suggestions.py): the
places a search names, and for an empty result the ways on, each with its count."""

import re

import pytest
from django.db.models import Q

from clusterportal.registry.models import ClusterInitiative

pytestmark = pytest.mark.django_db
LIST = "/api/v1/initiatives"


def answer(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_place_is_named_as_a_place(client):
    body = answer(client, q="Tübingen")
    assert body["places"] == ["Tübingen (Landkreis)", "Regierungsbezirk Tübingen"]
    assert answer(client, q="Region Neckar-Alb")["places"] == ["Region Neckar-Alb"]
    assert answer(client, q="Medizintechnik")["places"] == []
    page = re.sub(r"\s+", " ", client.get("/cluster/", {"q": "Tübingen"}).content.decode())
    assert "„Tübingen“ ist ein Ort: Tübingen (Landkreis), Regierungsbezirk Tübingen." in page


def test_baden_baden_is_not_baden_wuerttemberg(client):
    # "Baden" alone is in 26 entries (Baden-Württemberg); the city has no initiative.
    assert answer(client, q="Baden")["count"] == 26
    body = answer(client, q="Baden-Baden")
    assert body["count"] == 0
    assert body["places"] == ["Baden-Baden (Stadtkreis)"]
    around = ClusterInitiative.objects.published().filter(region__slug="region-mittlerer-oberrhein")
    assert body["suggestions"] == [
        {
            "label": "Initiativen der Region Mittlerer Oberrhein",
            "query": "region=region-mittlerer-oberrhein",
            "count": around.count(),
        }
    ]
    assert around.count() == 4


def test_a_misspelling_two_letters_off_suggests_the_word_that_finds_something(client):
    assert answer(client, q="Medizintechnik")["count"] == 9
    body = answer(client, q="Medzintecnik")  # two letters missing: beyond the typo rule
    assert body["count"] == 0
    assert body["suggestions"] == [
        {"label": "Meinten Sie „medizintechnik“?", "query": "q=medizintechnik", "count": 9}
    ]


def test_an_empty_result_offers_the_field_and_dropping_a_filter(client):
    assert answer(client, q="Photonik")["count"] == 3
    body = answer(client, q="Photonik", region="region-neckar-alb")
    assert body["count"] == 0
    photonics = (
        ClusterInitiative.objects.published()
        .filter(
            Q(technology_fields__slug="photonics") | Q(technology_fields__parent__slug="photonics")
        )
        .distinct()
    )
    assert body["suggestions"] == [
        {
            "label": "Technologiefeld Photonik",
            "query": "field=photonics",
            "count": photonics.count(),
        },
        {"label": "Ohne den Filter „Region“", "query": "q=Photonik", "count": 3},
    ]


def test_a_result_has_no_suggestions_and_the_page_shows_them_with_a_site_search_link(client):
    assert answer(client, q="Photonik")["suggestions"] == []
    page = client.get("/cluster/", {"q": "Medzintecnik"}).content.decode()
    assert '<a href="?q=medizintechnik">Meinten Sie „medizintechnik“?</a>' in page
    assert '<a href="/suche/?q=Medzintecnik">„Medzintecnik“ im ganzen Portal suchen</a>' in page
