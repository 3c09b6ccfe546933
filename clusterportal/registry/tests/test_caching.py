"""Rendered lists are kept per data version: sent again while nothing changed, never after."""

import pytest
from django.core.cache import caches

from clusterportal.registry.models import Label
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/initiatives"
PAGE = "/cluster/"
SEARCH = {"q": "technik", "field": "medical-engineering"}


@pytest.mark.parametrize("url", [API, PAGE])
def test_a_repeated_search_is_answered_from_the_cache(client, django_assert_num_queries, url):
    first = client.get(url, SEARCH)
    # Only the data version: no full-text query, no rows.
    with django_assert_num_queries(1):
        again = client.get(url, SEARCH)
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("url", [API, PAGE])
def test_without_the_cache_every_search_is_worked_out(
    client, django_assert_num_queries, settings, url
):
    settings.RESPONSE_CACHE_ENTRIES = 0
    first = client.get(url, SEARCH)
    # The data version only: the page is rendered again, and the search's matches and ranks
    # (like the typo vocabulary) are kept in the index of this data version.
    with django_assert_num_queries(1):
        again = client.get(url, SEARCH)
    assert again.content == first.content
    # Another search text is worked out: the data version and the full-text match. (One of
    # its own per page: the index, and what it keeps, outlives a test's transaction.)
    with django_assert_num_queries(2):
        client.get(url, {**SEARCH, "q": "Leichtbau" if url == API else "Textil"})


def test_a_change_anywhere_in_what_the_list_shows_is_seen_at_once(client):
    def gold_count(url: str) -> str:
        response = client.get(url, {"label": "ecei_gold"})
        return response.json()["count"] if url == API else response.content.decode()

    api_before, page_before = gold_count(API), gold_count(PAGE)
    assert api_before == 7 and "7 Einträge" in page_before
    # A label changed on its own (no initiative is saved): the triggers move the version.
    Label.objects.filter(kind="ecei_gold", initiative__slug="afbw").update(kind="ecei_silver")
    assert gold_count(API) == 6
    assert "6 Einträge" in gold_count(PAGE)
    factories.label(factories.initiative())
    assert gold_count(API) == 7


def test_a_renamed_region_is_seen_at_once_on_the_page(client):
    assert "Region Stuttgart" in client.get(PAGE, {"region": "region-stuttgart"}).content.decode()
    factories.region("region-stuttgart").__class__.objects.filter(slug="region-stuttgart").update(
        name="Verband Region Stuttgart"
    )
    html = client.get(PAGE, {"region": "region-stuttgart"}).content.decode()
    assert "Verband Region Stuttgart" in html


def test_languages_hosts_and_parameter_orders_are_kept_apart(client):
    def photonics(body: dict) -> str:
        return next(v["label"] for v in body["facets"]["field"] if v["value"] == "photonics")

    german = client.get(API, {"kind": "state_agency"}).json()
    english = client.get(API, {"kind": "state_agency"}, headers={"accept-language": "en"}).json()
    assert (photonics(german), photonics(english)) == ("Photonik", "Photonics")
    other_host = client.get(API, {"kind": "state_agency"}, HTTP_HOST="localhost").json()
    assert other_host["results"][0]["url"].startswith("http://localhost/")
    assert german["results"][0]["url"].startswith("http://testserver/")
    one = client.get(f"{API}?page_size=1&kind=state_agency").json()
    other = client.get(f"{API}?kind=state_agency&page_size=1").json()
    assert (
        one["next"] == "http://testserver/api/v1/initiatives?page_size=1&kind=state_agency&page=2"
    )
    assert (
        other["next"] == "http://testserver/api/v1/initiatives?kind=state_agency&page_size=1&page=2"
    )


def test_errors_are_not_kept(client):
    assert client.get(API, {"page": 50}).status_code == 404
    assert client.get(PAGE, {"kind": "bakery"}).status_code == 400
    assert client.get(PAGE, {"page": 50}).status_code == 404
    assert caches["responses"]._cache == {}  # noqa: SLF001 (LocMemCache keeps its entries here)
    assert client.get(PAGE).status_code == 200
    assert len(caches["responses"]._cache) == 1  # noqa: SLF001


def test_a_cached_api_list_keeps_its_cache_headers_and_answers_304(client):
    first = client.get(API, {"kind": "state_agency"})
    again = client.get(API, {"kind": "state_agency"})
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=60"
    assert again["Content-Language"] == "de"
    not_modified = client.get(
        API, {"kind": "state_agency"}, headers={"if-none-match": first["ETag"]}
    )
    assert not_modified.status_code == 304


def test_a_signed_in_person_never_gets_a_page_cached_for_visitors(client, people):
    assert "Anmelden" in client.get("/cluster/", {"q": "textil"}).content.decode()
    client.force_login(people.mia)
    page = client.get("/cluster/", {"q": "textil"}).content.decode()
    assert "Mein Konto" in page and ">Anmelden<" not in page
    client.logout()
    assert "Mein Konto" not in client.get("/cluster/", {"q": "textil"}).content.decode()
