"""The site search over the shipped data (load_data): every kind found with the registry's
rules, ranked together, with a facet per kind, on the page and in the API."""

import datetime

import pytest
from django.utils import timezone

from clusterportal.content.models import Article
from clusterportal.content.tests.helpers import article
from clusterportal.events.tests.test_events import event
from clusterportal.registry.models import ClusterInitiative, Membership
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/search"


def search(client, q, **params):
    response = client.get(API, {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def kinds(body) -> dict[str, int]:
    return {value["value"]: value["count"] for value in body["facets"]["kind"]}


def test_one_query_finds_initiatives_news_thema_and_atlas_clusters(client):
    body = search(client, "Medizintechnik")
    # 9 initiatives, as the registry's own search finds them; the news of the Cluster-Forum
    # and the Thema des Monats mention it; the atlas's U.S. editions and the European
    # benchmark-cluster edition call cluster 30 so; the Clusterwettbewerb 2008 and the BMBF's
    # internationalisation rounds name it as a topic.
    assert kinds(body) == {
        "initiative": 9, "news": 1, "thema": 1, "call": 2, "atlas_cluster": 3,
    }  # fmt: skip
    assert body["count"] == 16
    registry = client.get("/api/v1/initiatives", {"q": "Medizintechnik", "page_size": 100})
    found = {r["url"] for r in body["results"] if r["kind"] == "initiative"}
    assert found == {f"http://testserver/cluster/{r['slug']}/" for r in registry.json()["results"]}
    # The initiative named after the subject first, before the atlas's clusters of that name.
    assert body["results"][0]["title"].startswith("MedCare TechArea")
    assert [r["title"] for r in body["results"][1:4]] == ["Medizintechnik"] * 3


def test_documents_get_the_registrys_spelling_rules(client):
    # Umlauts written out, a typo, an elided compound.
    tuebingen = search(client, "Tuebingen")
    assert [r["title"] for r in tuebingen["results"][:4]] == (
        ["Tübingen (Landkreis)"] * 2 + ["Tübingen (NUTS 2)"] * 2
    )
    assert kinds(search(client, "Clusterwettbewrb")) == {"news": 1, "call": 2}
    # The European editions by division (stars, the cmp method, published values only) have
    # "Luftfahrt (H51)".
    assert kinds(search(client, "Luftfahrt")) == {
        "initiative": 4, "news": 1, "call": 2, "atlas_cluster": 3}  # fmt: skip
    # Two letters match whole words only: no shipped text is about AI.
    assert search(client, "KI")["count"] == 0


def test_a_kind_filter_keeps_the_counts_of_every_kind(client):
    body = search(client, "Brunch", kind="event")
    assert [r["kind"] for r in body["results"]] == ["event"]
    assert body["results"][0]["url"] == "http://testserver/veranstaltungen/cluster-brunch-2016/"
    assert kinds(body) == {"news": 1, "event": 1}


def test_english_titles_and_addresses_in_english(client):
    body = client.get(API, {"q": "Medical Devices"}, HTTP_ACCEPT_LANGUAGE="en").json()
    # Three editions with the cluster, equally relevant: their order is not the point.
    assert sorted((r["title"], r["url"]) for r in body["results"]) == [
        ("Medical Devices", "http://testserver/en/atlas/eu-nuts2-benchmark-2010-2014/cluster/30/"),
        ("Medical Devices", "http://testserver/en/atlas/us-cbsa-2019/cluster/30/"),
        ("Medical Devices", "http://testserver/en/atlas/us-states-2016/cluster/30/"),
    ]


def test_new_and_changed_records_are_found_at_once(client):
    assert search(client, "Bauteilprüfung")["count"] == 0
    event("pruefwerkstatt", title="Werkstatt Bauteilprüfung")
    event("entwurf", title="Bauteilprüfung im Entwurf", status="draft")
    article("pruefung", title="Neues zur Bauteilprüfung")
    article(
        "ahead",
        title="Bauteilprüfung morgen",
        published_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    article("review", title="Bauteilprüfung in Prüfung", status=Article.Status.IN_REVIEW)
    body = search(client, "Bauteilpruefung")
    assert sorted(r["title"] for r in body["results"]) == [
        "Neues zur Bauteilprüfung", "Werkstatt Bauteilprüfung",
    ]  # fmt: skip


def test_organisations_are_found_in_published_initiatives_only(client):
    shown = factories.organisation("Präzisionsteile Schwäbisch Gmünd GmbH", city="Aalen")
    hidden = factories.organisation("Präzisionsteile Verborgen GmbH")
    public = ClusterInitiative.objects.get(slug="mvh")
    draft = factories.initiative(status=ClusterInitiative.Status.DRAFT)
    Membership.objects.create(initiative=public, organisation=shown)
    Membership.objects.create(initiative=draft, organisation=hidden)
    body = search(client, "Praezisionsteile")
    assert [(r["kind"], r["title"], r["url"]) for r in body["results"]] == [
        ("organisation", shown.name, "http://testserver/cluster/mvh/#members-heading")
    ]
    assert body["results"][0]["summary"] == f"Aalen, Mitglied in {public.name}"


def test_an_over_long_query_is_cut_not_refused(client):
    body = search(client, "Medizintechnik " + "sehr " * 60)
    assert body["q_shortened"] is not None and len(body["q_shortened"]) <= 200


def test_bad_parameters_and_pages_after_the_last_are_errors(client):
    assert client.get(API, {"q": "Cluster", "kind": "recipe"}).status_code == 400
    assert client.get(API, {"q": "Cluster", "page": 99}).status_code == 404
    assert search(client, "")["count"] == 0


def test_an_unchanged_answer_is_a_304(client):
    first = client.get(API, {"q": "Brunch"})
    again = client.get(API, {"q": "Brunch"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    event("brunch-2", title="Zweiter Brunch")
    assert client.get(API, {"q": "Brunch"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_repeated_search_reads_only_the_data_versions(client, django_assert_num_queries):
    search(client, "Stuttgart")
    # The data versions (registry, articles, publications, events, atlas, calls) in one
    # query, nothing else: the matches, the rows and every kind's index are kept per data
    # version.
    with django_assert_num_queries(1):
        search(client, "Stuttgart")


def test_a_page_of_organisations_costs_one_query_for_their_links(client, django_assert_num_queries):
    public = ClusterInitiative.objects.get(slug="mvh")
    for number in range(5):
        organisation = factories.organisation(f"Quarzwerk Nummer{number} GmbH")
        Membership.objects.create(initiative=public, organisation=organisation)
    search(client, "Quarzwerk")
    with django_assert_num_queries(2):  # the versions, the five organisations' member lists
        assert search(client, "Quarzwerk")["count"] == 5
    with django_assert_num_queries(2):
        body = search(client, "Quarzwerk", page_size=3, page=2)
    assert [r["url"] for r in body["results"]] == [
        "http://testserver/cluster/mvh/#members-heading"
    ] * 2


def test_the_page_lists_results_with_kinds_and_links(client):
    page = client.get("/suche/", {"q": "Brunch"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 Treffer" in html
    assert (
        '<a href="/veranstaltungen/cluster-brunch-2016/">Cluster-Brunch mit der Wirtschaftsministerin</a>'
        in html
    )
    assert client.get("/suche/").status_code == 200
    assert client.get("/suche/", {"kind": "recipe"}).status_code == 400


def test_funding_programmes_and_calls_are_found_archive_included(client):
    body = search(client, "GOLD")
    assert [(r["kind"], r["title"]) for r in body["results"][:2]] == [
        ("call", "Zuschuss zur GOLD-Zertifizierung 2023–2027"),
        ("programme", "Förderung des „Cluster Management Excellence Label GOLD“"),
    ]
    rounds = search(client, "Clusterwettbewerb", kind="call")["results"]
    assert [r["title"] for r in rounds] == [
        "Clusterwettbewerb, 1. Runde (2008)", "Clusterwettbewerb, 2. Runde (2010)",
    ]  # fmt: skip


def test_a_data_change_drops_the_kept_searches_and_their_old_indexes(client, monkeypatch):
    from collections import OrderedDict

    from clusterportal.sitesearch import results

    monkeypatch.setattr(results, "_kept_searches", OrderedDict())
    search(client, "Brunch")
    search(client, "Stuttgart")
    assert len(results._kept_searches) == 2
    event("brunch-3", title="Dritter Brunch")
    assert search(client, "Brunch")["count"] == 3
    # Only the search made after the change is kept: nothing holds the old indexes.
    assert list(results._kept_searches) == ["Brunch"]
