"""Publications: the atlas editions read from the atlas, citations in BibTeX and RIS."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusterportal.content import citations
from clusterportal.content.models import Publication
from clusterportal.content.publications import entries, from_publication

pytestmark = pytest.mark.django_db


def _study():
    return Publication.objects.create(
        slug="studie-2020",
        title="Cluster & Netzwerke_im Land",
        authors="Muster, Erika; Beispiel, Max",
        publisher="Ministerium",
        year=2020,
        type="study",
        url="https://example.org/studie.pdf",
    )


def test_bibtex_of_a_study_is_exactly_as_expected():
    expected = (
        "@techreport{studie-2020,\n"
        "  title = {Cluster \\& Netzwerke\\_im Land},\n"
        "  author = {Muster, Erika and Beispiel, Max},\n"
        "  institution = {Ministerium},\n"
        "  year = {2020},\n"
        "  language = {de},\n"
        "  url = {https://example.org/studie.pdf}\n"
        "}\n"
    )
    assert citations.bibtex(from_publication(_study())) == expected


def test_ris_of_a_study_is_exactly_as_expected():
    expected = (
        "TY  - RPRT\r\n"
        "TI  - Cluster & Netzwerke_im Land\r\n"
        "AU  - Muster, Erika\r\n"
        "AU  - Beispiel, Max\r\n"
        "PB  - Ministerium\r\n"
        "PY  - 2020\r\n"
        "LA  - de\r\n"
        "UR  - https://example.org/studie.pdf\r\n"
        "ER  - \r\n"
    )
    assert citations.ris(from_publication(_study())) == expected


def test_atlas_editions_are_listed_as_publications_linked_to_the_atlas(client):
    editions = [e for e in entries() if e.type == "atlas_edition"]
    assert any(e.key == "bw-kreise-2015-2020" for e in editions)
    body = client.get(reverse("content:publication_list")).content.decode()
    assert "/atlas/bw-kreise-2015-2020/" in body
    ris = client.get(reverse("content:publication_ris", args=["bw-kreise-2015-2020"]))
    assert ris.status_code == 200 and ris.content.decode().startswith("TY  - DATA\r\n")


def test_the_list_filters_by_type_and_names_a_bad_one(client):
    _study()
    body = client.get(reverse("content:publication_list") + "?type=study").content.decode()
    assert "Cluster &amp; Netzwerke_im Land" in body and "bw-kreise-2015-2020" not in body
    assert client.get(reverse("content:publication_list") + "?type=roman").status_code == 400


def test_each_listed_publication_offers_its_citation_files(client):
    body = client.get(reverse("content:publication_list")).content.decode()
    assert '<a href="/publikationen/bw-kreise-2015-2020/zitat.bib"' in body
    assert '<a href="/publikationen/bw-kreise-2015-2020/zitat.ris"' in body
    assert "Atlas-Ausgabe · " in body  # the kind of each entry in words


def test_a_bad_year_is_named_by_its_label_not_its_parameter(client):
    response = client.get(reverse("content:publication_list") + "?year=abc")
    body = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_year">Jahr: Bitte eine ganze Zahl eingeben.</a>' in body
    assert "year:" not in body


def test_a_stored_publication_cannot_pretend_to_be_an_atlas_edition():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Publication.objects.create(
            slug="x",
            title="x",
            publisher="x",
            year=2020,
            type="atlas_edition",
            url="https://x.example",
        )


def _english_study():
    return Publication.objects.create(
        slug="cluster-study",
        title="Regional clusters in Europe",
        publisher="European Commission",
        year=2021,
        language="en",
        type="study",
        url="https://example.org/clusters.pdf",
    )


def test_an_english_title_is_marked_as_english_on_german_pages_only(client):
    study = _english_study()
    url = reverse("content:publication_detail", args=[study.slug])
    listing = client.get(reverse("content:publication_list")).content.decode()
    assert f'<a lang="en" href="{url}">Regional clusters in Europe</a>' in listing
    german = client.get(url).content.decode()
    assert '<h1 lang="en">Regional clusters in Europe</h1>' in german
    english = client.get("/en" + url).content.decode()
    assert "<h1>Regional clusters in Europe</h1>" in english


def test_a_german_title_with_an_english_twin_is_marked_on_neither_page(client):
    study = _study()
    Publication.objects.filter(pk=study.pk).update(title_en="Clusters and networks")
    url = reverse("content:publication_detail", args=[study.slug])
    assert "<h1>Cluster &amp; Netzwerke_im Land</h1>" in client.get(url).content.decode()
    assert "<h1>Clusters and networks</h1>" in client.get("/en" + url).content.decode()


def test_publications_of_a_year_are_sorted_by_title_as_a_dictionary_sorts():
    for slug, title in [("z", "Zukunft"), ("oe", "Ökonomie"), ("of", "Offene Netze")]:
        Publication.objects.create(
            slug=slug, title=title, publisher="Land", year=1999, type="study", url="https://x.org"
        )
    assert [e.title for e in entries(year=1999)] == ["Offene Netze", "Ökonomie", "Zukunft"]
