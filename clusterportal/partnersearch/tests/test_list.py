"""The public list, its filters and facets, the feeds and the API: the same records for the
same parameters, counted by hand."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from clusterportal.partnersearch.tests.helpers import published, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def postings(people):
    """Four public postings and one waiting for the check (never listed).

    | title                       | kind    | purpose      | fields (broad)                   | countries |
    | Sensorik in Textilien       | request | rd_project   | textil (textiles-clothing)       | FR        |
    | Medizintechnik Implantate   | offer   | business     | medizintechnik (medical-eng.)    | US, FI    |
    | Photonik für Textilien      | request | rd_project   | photonik, technische-textilien   | -         |
    | Software für Kliniken       | request | business     | software (information-tech.)     | US        |
    """
    return {
        "sensors": published(people.ute, people.clara, title="Sensorik in Textilien",
                             countries_sought=["FR"]),
        "implants": published(people.max, people.clara, kind="offer", purpose="business",
                              title="Medizintechnik Implantate", technology_fields=["medizintechnik"],
                              description="Wir bieten Fertigung von Implantaten für Medizinprodukte "
                              "in Kleinserien.", countries_sought=["US", "FI"]),
        "photonics": published(people.mia, people.clara, title="Photonik für Textilien",
                               technology_fields=["photonik", "technische-textilien"],
                               initiative=people.textiles.slug, organisation_name=""),
        "software": published(people.ute, people.clara, purpose="business",
                              title="Software für Kliniken", technology_fields=["software"],
                              description="Gesucht: Softwarehäuser für Krankenhäuser und "
                              "Universitätsklinika.", countries_sought=["US"]),
        "pending": write(people.ute, title="Noch nicht geprüft"),
    }  # fmt: skip


def _titles(response) -> list[str]:
    return [posting.title for posting in response.context["page"].items]


def _facet(response, name) -> dict[str, int]:
    facet = next(f for f in response.context["facets"] if f.name == name)
    return {value.value: value.count for value in facet.values}


def test_the_list_shows_public_postings_newest_first(client, postings):
    response = client.get("/partnersuche/")
    assert response.status_code == 200
    assert _titles(response) == ["Software für Kliniken", "Photonik für Textilien",
                                 "Medizintechnik Implantate", "Sensorik in Textilien"]  # fmt: skip
    assert "Noch nicht geprüft" not in response.content.decode()


def test_a_broad_field_takes_in_its_specific_fields(client, postings):
    response = client.get("/partnersuche/?field=textiles-clothing")
    assert _titles(response) == ["Photonik für Textilien", "Sensorik in Textilien"]
    assert _titles(client.get("/partnersuche/?field=textil")) == ["Sensorik in Textilien"]


def test_facets_count_with_every_other_filter_applied(client, postings):
    response = client.get("/partnersuche/?kind=request")
    assert _facet(response, "kind") == {"request": 3, "offer": 1}
    assert _facet(response, "purpose") == {"rd_project": 2, "business": 1}
    assert _facet(response, "field") == {
        "textiles-clothing": 2, "photonics": 1, "information-technology": 1}  # fmt: skip
    assert _facet(response, "country") == {"FR": 1, "US": 1}


def test_a_country_sought_filters(client, postings):
    assert _titles(client.get("/partnersuche/?country=US")) == [
        "Software für Kliniken", "Medizintechnik Implantate"]  # fmt: skip


def test_the_region_takes_the_seat_and_the_regions_sought(client, postings, people):
    # The textiles initiative sits in Neckar-Alb (its Kreis lies in the Region).
    assert _titles(client.get(f"/partnersuche/?region={people.neckar_alb.slug}")) == [
        "Photonik für Textilien"]  # fmt: skip


def test_search_words_are_german_aware(client, postings):
    # Umlauts folded (ä = ae) and parts of compounds ("Klinik" in "Universitätsklinika").
    assert _titles(client.get("/partnersuche/?q=Universitaetsklinika")) == ["Software für Kliniken"]
    assert _titles(client.get("/partnersuche/?q=Klinik")) == ["Software für Kliniken"]
    assert _titles(client.get("/partnersuche/?q=implantat")) == ["Medizintechnik Implantate"]
    assert _titles(client.get("/partnersuche/?q=textil+sensorik")) == ["Sensorik in Textilien"]


def test_sorting_by_expiry(client, postings, people):
    soon = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    published(people.ute, people.clara, title="Läuft bald ab", expires_on=soon)
    response = client.get("/partnersuche/?sort=expiry")
    # The others run 60 days; ties by publication, newest first.
    assert _titles(response) == ["Läuft bald ab", "Software für Kliniken", "Photonik für Textilien",
                                 "Medizintechnik Implantate", "Sensorik in Textilien"]  # fmt: skip


def test_bad_parameters_are_a_400_naming_each(client, postings):
    response = client.get("/partnersuche/?field=nope&country=XX&region=atlantis&sort=random")
    assert response.status_code == 400
    errors = response.context["errors"]
    assert set(errors) == {"field", "country", "region", "sort"}
    assert errors["region"] == ["Keine Region und kein Kreis mit diesem Kurznamen."]
    assert errors["country"] == ["XX ist kein Ländercode nach ISO 3166-1."]


def test_a_page_after_the_last_is_a_404(client, postings):
    assert client.get("/partnersuche/?page=2").status_code == 404


def test_the_list_costs_the_same_queries_whatever_the_page_size(
    client, postings, django_assert_max_num_queries
):
    client.get("/partnersuche/")  # builds the index
    counts = []
    for size in (1, 4):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/partnersuche/?page_size={size}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 12


def test_the_rss_feed_follows_the_filter(client, postings):
    response = client.get("/partnersuche/rss/?field=textiles-clothing")
    assert response.status_code == 200
    items = ET.fromstring(response.content).findall("./channel/item")
    assert [item.findtext("title") for item in items] == [
        "Gesuch: Photonik für Textilien", "Gesuch: Sensorik in Textilien"]  # fmt: skip
    atom = client.get("/partnersuche/atom/?country=US")
    entries = ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 2


def test_a_feed_with_a_bad_parameter_is_a_400_naming_it(client, postings):
    response = client.get("/partnersuche/rss/?field=nope")
    assert response.status_code == 400
    assert response.content.decode().startswith("field: ")


def test_the_api_lists_what_the_page_lists(client, postings):
    body = client.get("/api/v1/partner-search?kind=request&page_size=2").json()
    assert body["count"] == 3
    assert [r["title"] for r in body["results"]] == [
        "Software für Kliniken",
        "Photonik für Textilien",
    ]
    photonics = body["results"][1]
    assert photonics["initiative"] == "cluster-technische-textilien-neckar-alb"
    assert [f["slug"] for f in photonics["technology_fields"]] == [
        "photonik",
        "technische-textilien",
    ]
    kinds = next(f for f in body["facets"] if f["name"] == "kind")["values"]
    assert {v["value"]: v["count"] for v in kinds} == {"offer": 1, "request": 3}
    assert "email" not in str(body).lower()


def test_the_api_gives_one_public_posting_and_404_for_others(client, postings):
    implants = postings["implants"]
    body = client.get(f"/api/v1/partner-search/{implants.pk}").json()
    assert body["kind"] == "offer"
    assert sorted(body["countries_sought"]) == ["FI", "US"]
    response = client.get(f"/api/v1/partner-search/{postings['pending'].pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_refuses_unknown_parameters(client, postings):
    response = client.get("/api/v1/partner-search?feild=textil")
    assert response.status_code == 400
    assert "feild" in response.content.decode()


def test_the_site_search_finds_public_postings_only(client, postings):
    response = client.get("/suche/?q=Implantate")
    titles = [hit.title for hit in response.context["page"].items]
    assert "Medizintechnik Implantate" in titles
    assert not [t for t in titles if "Noch nicht geprüft" in t]
    pending = client.get("/suche/?q=geprüft&kind=posting")
    assert [hit.title for hit in pending.context["page"].items] == []


def test_a_countrys_page_and_api_list_the_public_postings_seeking_it(client, postings):
    page = client.get("/international/US/")
    assert [p.title for p in page.context["page"].postings] == [
        "Software für Kliniken", "Medizintechnik Implantate"]  # fmt: skip
    body = client.get("/api/v1/countries/FI").json()
    assert [(p["title"], p["kind"]) for p in body["postings"]] == [
        ("Medizintechnik Implantate", "offer")]  # fmt: skip
    # "FR" is sought only by the sensors posting; a pending one never shows.
    assert [p["title"] for p in client.get("/api/v1/countries/FR").json()["postings"]] == [
        "Sensorik in Textilien"]  # fmt: skip
