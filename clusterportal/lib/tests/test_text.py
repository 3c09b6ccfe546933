from clusterportal.lib.fuzzy import deletions, within_one_edit
from clusterportal.lib.text import by_label, collation_key, distinct_words, fold, german_slug, words


def test_fold_maps_umlauts_to_their_two_letter_spelling():
    assert fold("Tübingen") == fold("Tuebingen") == fold("TÜBINGEN") == "tuebingen"
    assert fold("Baden-Württemberg") == "baden wuerttemberg"
    assert fold("Straße") == "strasse"


def test_fold_drops_accents_and_punctuation():
    assert fold("Café Crème, e.V.") == "cafe creme e v"
    assert fold("  <b>Bio</b>  ") == "b bio b"


def test_words_and_slugs_spell_umlauts_out():
    assert words("Medizintechnik & Life Sciences") == ["medizintechnik", "life", "sciences"]
    assert german_slug("Cluster Elektromobilität Süd-West") == "cluster-elektromobilitaet-sued-west"
    assert german_slug("x" * 120, 80) == "x" * 80


def test_deletions_lists_every_one_letter_deletion():
    assert deletions("abc") == {"bc", "ac", "ab"}


def test_within_one_edit_accepts_insert_delete_substitute_and_swap():
    assert within_one_edit("medizintechnik", "medizintechnk")  # deletion
    assert within_one_edit("medizintechnik", "medizinntechnik")  # insertion
    assert within_one_edit("tuebingen", "tuebingan")  # substitution
    assert within_one_edit("technik", "tecnhik")  # neighbours swapped


def test_within_one_edit_rejects_two_edits():
    assert not within_one_edit("technik", "tachnek")
    assert not within_one_edit("abc", "bca")
    assert not within_one_edit("abcd", "ab")


def test_distinct_words_keeps_each_word_once_in_the_order_of_first_use():
    assert distinct_words("cluster innovation cluster region innovation") == (
        "cluster innovation region"
    )
    assert distinct_words("") == ""


def test_collation_key_sorts_umlauts_as_their_base_letters_as_a_dictionary_does():
    kreise = ["Zollernalbkreis", "Ulm", "Tuttlingen", "Tübingen", "Breisgau-Hochschwarzwald"]
    assert sorted([*kreise, "Böblingen"], key=collation_key) == [
        "Böblingen",
        "Breisgau-Hochschwarzwald",
        "Tübingen",
        "Tuttlingen",
        "Ulm",
        "Zollernalbkreis",
    ]


def test_collation_key_ignores_case_and_spells_sharp_s_as_ss():
    assert sorted(["IT", "Industrie 4.0", "ärger", "Abend"], key=collation_key) == [
        "Abend",
        "ärger",
        "Industrie 4.0",
        "IT",
    ]
    assert collation_key("Straße")[0] == collation_key("STRASSE")[0] == "strasse"


def test_collation_key_gives_bad_no_special_place_and_keeps_ties_in_a_fixed_order():
    places = ["Baden-Baden", "Bad Mergentheim", "Backnang", "Müller", "Muller"]
    assert sorted(places, key=collation_key) == [
        "Backnang",
        "Bad Mergentheim",
        "Baden-Baden",
        "Muller",
        "Müller",
    ]


def test_by_label_sorts_choices_by_their_labels():
    choices = [("tut", "Tuttlingen"), ("tue", "Tübingen"), ("boe", "Böblingen")]
    assert [value for value, _ in by_label(choices)] == ["boe", "tue", "tut"]
