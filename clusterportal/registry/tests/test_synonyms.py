"""Synonyms and abbreviations of the search, kept by curators; ties broken by relevance;
an over-long query cut, not refused. The same on SQLite and PostgreSQL."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clusterportal.lib import versioning
from clusterportal.lib.text import fold
from clusterportal.registry import search
from clusterportal.registry.filters import InitiativeFilter
from clusterportal.registry.models import SearchSynonym
from clusterportal.registry.tests import factories
from clusterportal.taxonomy.models import TechnologyField
from clusterportal.tests.personas import log_in_with_totp

pytestmark = pytest.mark.django_db


def slugs(query):
    filters = InitiativeFilter({"q": query, "page_size": 100})
    assert filters.is_valid(), filters.errors
    return [item.slug for item in filters.page().items]


@pytest.fixture(autouse=True)
def no_shipped_groups():
    """Each test makes the groups it needs (the migration's are tested apart)."""
    SearchSynonym.objects.all().delete()


@pytest.fixture
def ai_network():
    SearchSynonym.objects.create(terms="KI | Künstliche Intelligenz | AI | artificial intelligence")
    return factories.initiative("Netzwerk Künstliche Intelligenz Nordschwarzwald", slug="ki-nord")


def test_an_abbreviation_finds_what_its_long_form_names(ai_network):
    assert slugs("KI") == ["ki-nord"]
    assert slugs("AI") == ["ki-nord"]  # not bodenseeAIrea nor RheinMAIn: whole words only
    assert slugs("artificial intelligence") == ["ki-nord"]


def test_the_long_form_as_a_phrase_and_its_words_apart_find_the_same_record(ai_network):
    assert slugs("Künstliche Intelligenz") == ["ki-nord"]
    assert slugs("kuenstliche intelligenz nordschwarzwald") == ["ki-nord"]


def test_the_abbreviation_is_found_as_a_whole_word_in_a_record():
    SearchSynonym.objects.create(terms="KI | Künstliche Intelligenz")
    factories.initiative("KI-Allianz Kinderland", slug="ki-allianz")
    factories.initiative("Kinderland Netzwerk", slug="kinder")
    assert slugs("Künstliche Intelligenz") == ["ki-allianz"]


def test_a_change_to_the_synonyms_moves_the_data_version_and_the_results(ai_network):
    before = versioning.current("registry")
    group = SearchSynonym.objects.get()
    group.terms = "KI | Künstliche Intelligenz"
    group.save()
    after = versioning.current("registry")
    assert (after.number, after.token) != (before.number, before.token)
    assert slugs("AI") == []
    assert slugs("KI") == ["ki-nord"]


def test_the_cached_api_answer_follows_a_new_synonym(client, ai_network):
    url = "/api/v1/initiatives"
    assert client.get(url, {"q": "Kuenstliche Intelligenz"}).json()["count"] == 1
    assert client.get(url, {"q": "machine intelligence"}).json()["count"] == 0
    SearchSynonym.objects.create(terms="machine intelligence | Künstliche Intelligenz")
    assert client.get(url, {"q": "machine intelligence"}).json()["count"] == 1


def test_the_initial_groups_of_the_issue_are_shipped():
    from importlib import import_module

    migration = import_module("clusterportal.registry.migrations.0010_search_synonyms")
    assert migration.INITIAL_GROUPS == [
        "KI | Künstliche Intelligenz | AI | artificial intelligence",
        "IKT | ICT | Informations- und Kommunikationstechnik",
        "E-Mobilität | Elektromobilität",
    ]


def test_a_technology_field_is_found_by_its_name_in_the_other_language():
    field = TechnologyField.objects.top_level().get(name="Medizintechnik")
    table = search.synonym_table()
    assert fold(field.name_en) in table["medizintechnik"]
    assert set(slugs(field.name_en)) >= set(slugs("Medizintechnik"))


def test_a_group_needs_two_terms_and_is_written_tidily():
    group = SearchSynonym(terms=" IKT|ICT |  ICT ")
    group.full_clean()
    assert group.terms == "IKT | ICT"
    with pytest.raises(ValidationError):
        SearchSynonym(terms="IKT").full_clean()


def test_only_curators_edit_the_synonyms(people):
    add = reverse("admin:registry_searchsynonym_add")
    for person, status in ((people.rainer, 403), (people.clara, 200)):
        client = Client()
        log_in_with_totp(client, person)
        assert client.get(add).status_code == status


def test_an_exact_name_ranks_first_among_equal_scores():
    assert slugs("Solar Cluster")[0] == "solar-cluster-bw"  # before Green City Cluster
    assert slugs("Forst und Holz")[0] == "cluster-forst-und-holz-bw"


def test_a_whole_word_ranks_above_the_word_inside_a_compound():
    assert slugs("Netzwerke")[0] == "netzwerk-zukunft-denken"  # before food.net:z
    assert slugs("lightweight construction")[0] == "leichtbau-bw"  # the field is its subject


def test_an_over_long_query_is_cut_at_a_word_boundary():
    cut = search.cut("Medizintechnik " * 30)
    assert cut.cut_from == 449
    assert cut.text == " ".join(["Medizintechnik"] * 13)  # 194 characters
    assert search.cut("Medizintechnik") == search.Query("Medizintechnik")
    assert search.cut("x" * 300).text == "x" * 200  # no boundary: cut at the limit


def test_the_list_page_says_the_query_was_cut(client):
    response = client.get(reverse("registry:list"), {"q": "Medizintechnik " * 30})
    assert response.status_code == 200
    assert "Ihre Suche wurde auf 200 Zeichen gekürzt." in response.content.decode()
    assert response.context["page"].total == len(slugs("Medizintechnik"))
    assert "gekürzt" not in client.get(reverse("registry:list"), {"q": "Bio"}).content.decode()
