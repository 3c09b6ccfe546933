"""The suggestions beside a posting and GET /partner-search/{id}/suggestions: real initiatives
of the shipped registry, for reasons one can check by hand."""

from __future__ import annotations

import pytest

from clusterportal.partnersearch.tests.helpers import published, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def textiles_request(people):
    # Technical textiles: the registry has the Cluster Technische Textilien Neckar-Alb and
    # the AFBW (Allianz Faserbasierte Werkstoffe) with that very field.
    return published(people.ute, people.clara, technology_fields=["technische-textilien"],
                     title="Partner für Technische Textilien gesucht")  # fmt: skip


def test_the_api_ranks_initiatives_sharing_the_field_with_the_reason(client, textiles_request):
    body = client.get(
        f"/api/v1/partner-search/{textiles_request.pk}/suggestions?kind=initiative"
    ).json()
    assert body["posting"] == textiles_request.pk
    assert body["count"] == len(body["results"]) > 0
    by_title = {r["title"]: r for r in body["results"]}
    textiles = next(r for t, r in by_title.items() if "Technische Textilien Neckar-Alb" in t)
    assert "Gemeinsames Feld: Technische Textilien" in textiles["reasons"]
    assert set(textiles["parts"]) == {"fields", "related_fields", "region", "words"}
    assert textiles["parts"]["fields"] > 0
    assert all(r["kind"] == "initiative" for r in body["results"])
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    # The two initiatives with the exact field come first.
    top_two = {r["title"] for r in body["results"][:2]}
    assert any("Technische Textilien Neckar-Alb" in t for t in top_two)
    assert any("AFBW" in t or "Faserbasierte" in t for t in top_two)


def test_a_posting_of_an_initiative_never_suggests_that_initiative(client, people):
    posting = published(people.mia, people.clara, initiative=people.textiles.slug,
                        organisation_name="", technology_fields=["technische-textilien"])  # fmt: skip
    body = client.get(f"/api/v1/partner-search/{posting.pk}/suggestions?limit=50").json()
    urls = [r["url"] for r in body["results"]]
    assert not [u for u in urls if u.endswith(f"/cluster/{people.textiles.slug}/")]


def test_limit_and_kind_are_checked(client, textiles_request):
    url = f"/api/v1/partner-search/{textiles_request.pk}/suggestions"
    assert client.get(f"{url}?limit=1").json()["count"] == 1
    bad = client.get(f"{url}?limit=51&kind=company")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"limit", "kind"}


def test_no_suggestions_for_a_posting_that_is_not_public(client, people):
    pending = write(people.ute)
    assert client.get(f"/api/v1/partner-search/{pending.pk}/suggestions").status_code == 404


def test_the_posting_page_shows_the_suggestions_with_reasons(client, textiles_request):
    page = client.get(textiles_request.get_absolute_url())
    suggested = page.context["suggested"]
    assert suggested and suggested[0][0].reasons
    assert suggested[0][1].startswith("/cluster/")
    assert "Gemeinsames Feld: Technische Textilien" in page.content.decode()


def test_in_english_every_suggestion_links_the_english_page(client, people, textiles_request):
    # A second posting, so that a posting is among the suggestions too; the index is first
    # built inside an English request: the paths it keeps must still be the German ones.
    other = published(people.mia, people.clara, technology_fields=["technische-textilien"],
                      title="Prüfstand für Technische Textilien")  # fmt: skip
    api = f"/api/v1/partner-search/{textiles_request.pk}/suggestions?limit=50"
    english = client.get(api, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    paths = [r["url"].removeprefix("http://testserver") for r in english]
    assert f"/en/partnersuche/{other.pk}/" in paths
    assert all(p.startswith("/en/") for p in paths if p)
    german = client.get(api).json()["results"]
    assert f"http://testserver/partnersuche/{other.pk}/" in [r["url"] for r in german]
    page = client.get(f"/en{textiles_request.get_absolute_url()}")
    assert all(url.startswith("/en/") for _s, url in page.context["suggested"] if url)
