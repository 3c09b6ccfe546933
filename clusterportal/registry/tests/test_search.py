"""German full-text search: the same behaviour on SQLite and PostgreSQL."""

import pytest

from clusterportal.registry.filters import InitiativeFilter
from clusterportal.registry.search import elided_compounds
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db


def names(query, **params):
    filters = InitiativeFilter({"q": query, "page_size": 100, **params})
    assert filters.is_valid(), filters.errors
    return [item.name for item in filters.page().items]


def test_a_word_finds_the_compounds_it_ends_german_words_with():
    found = names("technik")
    assert "Kompetenzzentrum Umwelttechnik e.V." in found
    assert "MedicalMountains GmbH" in found  # via its field "Medizintechnik"
    assert len(found) == 36


def test_umlauts_and_their_two_letter_spelling_find_the_same_records():
    factories.initiative("Netzwerk Tübinger Gesundheitswirtschaft", city="Tübingen")
    found = names("Tübingen")
    assert names("Tuebingen") == found == names("TÜBINGEN")
    # First the one named after the city; then those of the Regierungsbezirk Tübingen.
    assert found[0] == "Netzwerk Tübinger Gesundheitswirtschaft"
    assert len(found) == 10
    assert names("Wuerttemberg") == names("Württemberg")
    assert len(names("Württemberg")) == 30


def test_a_one_letter_typo_is_forgiven():
    assert set(names("Medizintechnk")) == set(names("Medizintechnik"))
    assert "BioLAGO e.V. - the health network" in names("Medizintechnk")
    assert names("Tecnhologymountains") == ["TechnologyMountains e.V."]  # two letters swapped


def test_a_name_match_ranks_above_a_mention_in_the_fields():
    found = names("Medizintechnik")
    # Only MedCare TechArea has the word in its name; the others have it as a field.
    assert (
        found[0]
        == "MedCare TechArea - Clusterverbund Medizintechnik und Gesundheit Tuttlingen/Neckar-Alb"
    )
    assert len(found) == 9


def test_every_word_of_the_query_must_match():
    assert names("Konstanz gesundheit") == ["BioLAGO e.V. - the health network"]


def test_sql_and_html_in_the_query_are_plain_text():
    assert names("'; DROP TABLE registry_clusterinitiative; --") == []
    assert names("<script>alert(1)</script>") == []
    assert len(names("technik")) == 36


def slugs(query):
    filters = InitiativeFilter({"q": query, "page_size": 100})
    assert filters.is_valid(), filters.errors
    return [item.slug for item in filters.page().items]


def test_a_two_letter_word_matches_whole_words_only():
    # "KI" and "AI" are in no shipped record as words, only inside others
    # ("Industrie", "bodenseeairea", "RheinMainNeckar").
    assert slugs("KI") == []
    assert slugs("AI") == []
    assert slugs("EE") == ["plattform-ee-bw"]
    assert slugs("H2") == ["cluster-h2-regio-sbh"]
    factories.initiative("KI-Allianz Neckar")
    assert names("KI") == ["KI-Allianz Neckar"]


def test_a_three_letter_word_matches_at_the_beginning_of_a_word():
    assert set(slugs("Ulm")) == {"bioregionulm", "lcs", "cns"}  # all seated in Ulm
    assert "bioregio-stern" in slugs("Bio")  # a half-typed name
    assert "cec" not in slugs("ein")  # "oberflaechenreinigung" holds it inside a word


def test_an_elided_compound_is_found_by_either_whole_word():
    aerospace = {"lr-bw", "fan", "bodenseeairea", "desk"}  # "Luft- und Raumfahrt"
    assert set(slugs("Luftfahrt")) == aerospace
    assert set(slugs("Raumfahrt")) == aerospace
    assert slugs("Luftfahrt")[:2] == ["bodenseeairea", "lr-bw"]  # in their names
    factories.initiative("Netzwerk Medizin- und Gesundheitstechnik Nord")
    assert "Netzwerk Medizin- und Gesundheitstechnik Nord" in names("Medizintechnik")


def test_the_elided_part_is_taken_from_a_known_head_only():
    assert elided_compounds("Mess-, Steuer- und Regeltechnik") == ["Messtechnik", "Steuertechnik"]
    assert elided_compounds("Luft- und Raumfahrt") == ["Luftfahrt"]
    assert elided_compounds("Süd- und Nordwest") == []  # no known head: nothing guessed
    assert elided_compounds("e-mobil BW und Partner") == []  # a hyphen inside a word


def test_a_region_is_found_as_written_and_by_its_regierungsbezirk():
    neckar_alb = {
        "cluster-technische-textilien-neckar-alb",
        "ihk-netzwerk-automotive-neckar-alb",
        "cluster-holz-und-regenerative-energien-neckar-alb-ihk-cluster-holz",
        "mvh",
    }
    # MedCare TechArea is seated in another Region, with "Neckar-Alb" in its name.
    assert set(slugs("Region Neckar-Alb")) == neckar_alb | {"medcare-techarea"}
    in_tuebingen = set(slugs("Regierungsbezirk Tübingen"))
    assert neckar_alb < in_tuebingen
    assert {"bodenseeairea", "bioregionulm", "lcs"} < in_tuebingen  # other Regionen in it
    # A seat in the city ranks above a seat elsewhere in its Regierungsbezirk.
    assert slugs("Stuttgart")[-1] not in {"cars", "kurs", "amcrs"}


def test_stale_search_text_is_brought_up_to_the_current_rules():
    """An upgrade that changes search.py: load_data rewrites what the rules would write now."""
    from clusterportal.registry.derived import refresh_stale_search_text
    from clusterportal.registry.models import ClusterInitiative

    stale = ClusterInitiative.objects.get(slug="lr-bw")
    updated_at = stale.updated_at
    ClusterInitiative.objects.filter(pk=stale.pk).update(search_name="veraltet")
    assert refresh_stale_search_text() == 1
    stale.refresh_from_db()
    assert "veraltet" not in stale.search_name and "luftfahrt" in stale.search_name
    assert stale.updated_at == updated_at  # the record itself did not change
    assert refresh_stale_search_text() == 0
