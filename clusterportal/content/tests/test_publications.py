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
