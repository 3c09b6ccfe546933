from clusterportal.matching.words import stem, terms


def test_a_compound_gives_its_head_and_its_first_part():
    found = terms("Medizintechnik")
    assert set(found) == {"medizintechnik", "technik", "medizi"}
    assert found["technik"] == "Technik"


def test_umlauts_and_their_spellings_give_the_same_terms():
    assert set(terms("Lösungen für Kühlung")) == set(terms("LOESUNGEN fuer Kuehlung"))


def test_inflected_forms_share_a_stem_in_german_and_english():
    assert stem("technologien") == stem("technologie") == stem("technologies") == "technologi"
    assert stem("implantate") == stem("implantat")


def test_stop_words_and_words_every_cluster_uses_are_left_out():
    assert terms("Das Netzwerk der Cluster in Baden-Württemberg e.V. und die GmbH") == {}


def test_the_linking_s_of_a_compound_is_dropped():
    assert "verpackung" in terms("Verpackungstechnik")


def test_the_word_as_written_is_kept_for_the_reasons():
    assert terms("Sensorik")["sensorik"] == "Sensorik"
