"""Partnerships with their sources, and events concerning a country, on the map, the ranking,
the country pages and the API.

Checked by hand against data/registry/bw_clusters.csv (international_focus) and
data/registry/international_partnerships.csv (the ministry's "Thema des Monats"):

* USA: the research table names Mannheim Medical Technology Cluster (USA;China) and
  TechnologyMountains (Finnland;USA); the Thema des Monats adds MedicalMountains,
  the Software-Cluster and Forum Organic Electronics: 2 + 3 = 5 initiatives.
* Finland: TechnologyMountains (research table, no source of its own) and MedicalMountains
  (Thema des Monats): 2.
* France: BioValley Deutschland (Frankreich;Schweiz) and Cluster Elektromobilität Süd-West: 2.
* Countries with a partnership: JP, CH, AT, US, CN, FI, FR, TN, LI from the research table
  (9), and BE, NL, DK, BR, SG, KR from the Thema des Monats: 15. "Arabische Staaten" and
  "Vierländerregion Bodensee" name no single country.
"""

import datetime

import pytest
from django.forms import modelform_factory

from clusterportal.events.models import Event
from clusterportal.international import figures

pytestmark = pytest.mark.django_db

THEMA = (
    "https://www.clusterportal-bw.de/en/newsroom/topic-of-the-month/"
    "neue-ansaetze-zur-internationalisierung-von-cluster-initiativen/"
)
USA = {
    "Mannheim Medical Technology Cluster (Cluster Medizintechnologie Mannheim)",
    "TechnologyMountains e.V.",
    "MedicalMountains GmbH",
    "Software-Cluster (Spitzencluster Softwareinnovationen für das digitale Unternehmen)",
    "Spitzencluster Forum Organic Electronics (InnovationLab GmbH)",
}


def event(slug="delegation-finnland", countries=("FI",), status="published", **values):
    return Event.objects.create(
        slug=slug, title="Delegationsreise nach Finnland", organiser="Testveranstalter",
        starts_at=datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC),
        countries=list(countries), status=status, **values,
    )  # fmt: skip


def test_five_initiatives_have_a_partnership_in_the_usa_after_the_thema_des_monats():
    by_code, unmapped = figures.partnerships_by_country()
    assert {p.initiative.name for p in by_code["US"]} == USA
    ranking = figures.ranking()
    assert ranking.partner_codes["US"] == 5
    assert ranking.partner_codes["FI"] == 2
    assert ranking.partner_codes["FR"] == 2
    assert ranking.partner_codes["KR"] == 1
    assert len(ranking.partner_codes) == 15
    assert sorted(p.country for p in unmapped) == ["Arabische Staaten", "Vierländerregion Bodensee"]
    usa = next(row for row in ranking.rows if row.code == "US")
    assert usa.initiatives == 5


def test_the_map_and_the_ranking_count_the_new_partnerships(client):
    text = client.get("/international/").content.decode()
    assert "<title>5 Initiative(n)</title>" in text
    # The map's text alternative: Südkorea and Brasilien are new, each with one initiative.
    assert '<a href="/international/KR/">Südkorea</a></td><td>1</td>' in text
    assert '<a href="/international/BR/">Brasilien</a></td><td>1</td>' in text


def test_the_finland_page_lists_medicalmountains_with_its_source(client):
    response = client.get("/international/FI/")
    text = response.content.decode()
    assert response.status_code == 200
    medical = text.index("MedicalMountains GmbH")
    item = text[medical : text.index("</li>", medical)]
    assert f'<a href="{THEMA}" rel="noopener">' in item
    assert "Thema des Monats" in item
    # TechnologyMountains' partnership comes from the research table: the profile's sources.
    technology = text.index("TechnologyMountains e.V.")
    item = text[technology : text.index("</li>", technology)]
    assert "Projekt MInD" in item and "die Quellen im Profil der Initiative" in item


def test_the_belgium_page_shows_biorns_partner_region(client):
    text = client.get("/international/BE/").content.decode()
    assert "BioRN - Biotechnologie-Cluster Rhein-Neckar</a>, Partnerregion: Health Axis" in text


def test_the_api_gives_each_partnership_its_source_or_null(client):
    body = client.get("/api/v1/countries/FI").json()
    sources = {item["name"]: item["source"] for item in body["initiatives"]}
    assert sources["TechnologyMountains e.V."] is None
    assert sources["MedicalMountains GmbH"]["url"] == THEMA
    assert sources["MedicalMountains GmbH"]["name"].startswith("Wirtschaftsministerium")
    usa = next(r for r in client.get("/api/v1/countries").json()["results"] if r["iso2"] == "US")
    assert usa["initiatives"] == 5


def test_an_event_concerning_a_country_is_on_its_page_and_in_the_api(client):
    event(venue="Helsinki")
    event("entwurf-finnland", status="draft")
    event("reise-nach-frankreich", countries=["FR"])
    text = client.get("/international/FI/").content.decode()
    assert '<a href="/veranstaltungen/delegation-finnland/">' in text
    assert "04.05.2026" in text and "Helsinki" in text
    assert "entwurf-finnland" not in text and "reise-nach-frankreich" not in text
    body = client.get("/api/v1/countries/FI").json()
    assert [e["slug"] for e in body["events"]] == ["delegation-finnland"]
    assert body["events"][0]["starts_at"] == "2026-05-04T09:00:00.000Z"


def test_a_page_without_events_says_so(client):
    text = client.get("/international/KR/").content.decode()
    assert "Keine Veranstaltung im Portal nennt dieses Land." in text
    assert client.get("/api/v1/countries/KR").json()["events"] == []


def test_an_event_with_several_countries_is_on_each_page(client):
    event("nordic-health", countries=["DK", "FI"])
    assert "nordic-health" in client.get("/international/DK/").content.decode()
    assert "nordic-health" in client.get("/international/FI/").content.decode()
    assert "nordic-health" not in client.get("/international/NL/").content.decode()


def test_a_bad_country_code_on_an_event_is_refused_naming_the_field():
    """What the back office's form checks (the field is django-countries' choice list)."""
    form = modelform_factory(Event, fields=["countries"])(data={"countries": ["XX"]})
    assert not form.is_valid()
    assert list(form.errors) == ["countries"]
    assert "XX" in form.errors["countries"][0]


def test_the_country_page_and_its_api_answer_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    event()
    event("nordic-health", countries=["DK", "FI"])
    with django_assert_max_num_queries(10):
        assert client.get("/international/FI/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/countries/FI").status_code == 200


def test_the_english_country_page_translates_the_new_parts(client):
    text = client.get("/en/international/FI/").content.decode()
    assert "Events concerning this country" in text
    assert "the sources on the initiative" in text
