"""Eligibility rules against hand-checked records of the shipped Clusterdatenbank
(data/registry/bw_clusters.csv), each rule both ways, and the validation of a call's rules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from clusterportal.calls import eligibility
from clusterportal.calls.eligibility import Result, check, parse_rules
from clusterportal.calls.models import Call
from clusterportal.registry.models import ClusterInitiative, Label, Organisation

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 6)


def run(rule: dict, slug: str, day: datetime.date = DAY) -> eligibility.Outcome:
    rules = parse_rules([rule])
    initiative = eligibility.initiatives_for_check(rules).get(slug=slug)
    return check(rules, initiative, day).outcomes[0]


# listed and published


def test_afbw_is_listed_published_and_active():
    outcome = run({"rule": "listed"}, "afbw")
    assert outcome.result == Result.MET
    assert outcome.facts == {"status": "published", "listing_confirmed": True, "is_active": True}
    assert "Eintrag in der Clusterdatenbank laut Quellen bestätigt: ja" in outcome.data


def test_an_entry_the_sources_do_not_show_as_listed_is_not_shown_rather_than_refused():
    # AMCRS: in the research table, but its listing in the Clusterdatenbank is unconfirmed.
    outcome = run({"rule": "listed"}, "amcrs")
    assert outcome.result == Result.NOT_SHOWN
    assert outcome.facts["listing_confirmed"] is False


def test_an_initiative_that_ended_is_not_listed():
    outcome = run({"rule": "listed"}, "leichtbau-bw")  # Leichtbau BW: no longer active
    assert outcome.result == Result.NOT_MET
    assert "aktiv: nein" in outcome.data


def test_a_draft_is_not_listed():
    ClusterInitiative.objects.filter(slug="afbw").update(status="draft")
    assert run({"rule": "listed"}, "afbw").result == Result.NOT_MET


# admission criteria


def test_no_shipped_record_shows_every_admission_criterion():
    # Cluster Technische Textilien Neckar-Alb: a technology field and enough partners.
    outcome = run({"rule": "admission"}, "cluster-technische-textilien-neckar-alb")
    assert outcome.result == Result.NOT_SHOWN
    assert outcome.facts["field"] is True and outcome.facts["partners"] is True
    assert outcome.facts["services"] is False
    assert "Serviceleistungen: von den Daten nicht belegt" in outcome.data


def test_a_record_that_shows_every_admission_criterion_meets_the_rule(people):
    textiles = people.textiles
    textiles.management_organisation = Organisation.objects.create(
        slug="techtex-management", name="Clustermanagement TechTex", kind="company"
    )
    textiles.street, textiles.postcode = "Musterstraße 1", "72764"
    textiles.contact_person, textiles.contact_email = "A. Person", "info@example.org"
    textiles.contact_phone, textiles.website = "07121 0", "https://example.org"
    textiles.innovation_driven, textiles.activities_per_year = True, 3
    textiles.services = "Netzwerktreffen"
    textiles.save()
    ClusterInitiative.objects.filter(pk=textiles.pk).update(
        listed_companies=100, listed_members=100
    )
    outcome = run({"rule": "admission"}, textiles.slug)
    assert outcome.result == Result.MET


def test_the_admission_rule_reads_the_same_whether_the_criteria_were_loaded_or_not():
    rules = parse_rules([{"rule": "admission"}])
    for slug in ("cluster-technische-textilien-neckar-alb", "afbw", "nanovalley-eu"):
        loaded = eligibility.initiatives_for_check(rules).get(slug=slug)
        plain = eligibility.initiatives_for_check().get(slug=slug)
        assert check(rules, loaded, DAY).outcomes == check(rules, plain, DAY).outcomes


def test_the_admission_rule_can_ask_for_some_criteria_only():
    rule = {"rule": "admission", "parameters": {"criteria": ["field", "partners"]}}
    outcome = run(rule, "cluster-technische-textilien-neckar-alb")
    assert outcome.result == Result.MET
    assert outcome.facts == {"field": True, "partners": True}
    assert outcome.requirement == "Aufnahmekriterien erfüllt: Technologiefeld, Partner"


# labels


def test_vdc_fellbachs_label_is_valid_to_its_last_day_and_not_after():
    # Cluster-Exzellenz BW, re-awarded 19 March 2018: valid two years (Label.term_end).
    rule = {"rule": "label_valid", "parameters": {"kinds": ["cluster_excellence_bw"]}}
    last = datetime.date(2020, 3, 19)
    outcome = run(rule, "vdc-fellbach", last)
    assert outcome.result == Result.MET
    assert outcome.data == [
        "Label Cluster-Exzellenz Baden-Württemberg, verliehen am 2018-03-19, gültig bis 2020-03-19"
    ]
    assert outcome.facts["label"]["valid_until"] == "2020-03-19"
    assert run(rule, "vdc-fellbach", last + datetime.timedelta(days=1)).result == Result.NOT_MET


def test_the_latest_label_counts_not_an_earlier_one():
    # AFBW: Cluster-Exzellenz 2012 (no date), 2013, and re-certified 23 February 2017.
    rule = {"rule": "label_valid", "parameters": {"kinds": ["cluster_excellence_bw"]}}
    outcome = run(rule, "afbw", datetime.date(2018, 1, 1))
    assert outcome.result == Result.MET
    assert outcome.facts["label"]["awarded_on"] == "2017-02-23"


def test_a_gold_label_without_a_known_end_is_not_shown():
    rule = {"rule": "label_valid", "parameters": {"kinds": ["ecei_gold"]}}
    outcome = run(rule, "biolago")
    assert outcome.result == Result.NOT_SHOWN
    assert outcome.data == ["Label ECEI Gold, verliehen 2022, Ende der Gültigkeit nicht bekannt"]


def test_no_label_of_the_kind_is_not_met():
    rule = {"rule": "label_valid", "parameters": {"kinds": ["ecei_gold"]}}
    outcome = run(rule, "cluster-technische-textilien-neckar-alb")
    assert outcome.result == Result.NOT_MET
    assert outcome.data == ["Kein Label ECEI Gold in der Clusterdatenbank"]


def test_a_label_with_dates_entered_is_described_with_them(people):
    Label.objects.create(
        initiative=people.textiles, kind="ecei_gold", awarded_on=datetime.date(2022, 5, 1),
        valid_until=datetime.date(2024, 4, 30),
    )  # fmt: skip
    rule = {"rule": "label_valid", "parameters": {"kinds": ["ecei_gold"]}}
    outcome = run(rule, people.textiles.slug, datetime.date(2024, 5, 1))
    assert outcome.result == Result.NOT_MET
    assert outcome.data == ["Label ECEI Gold, verliehen am 2022-05-01, gültig bis 2024-04-30"]


def test_a_label_that_ends_within_the_window_meets_the_expiry_rule():
    rule = {"rule": "label_expiring",
            "parameters": {"kinds": ["cluster_excellence_bw"], "months": 12}}  # fmt: skip
    # TechnologyMountains: awarded 3 July 2015, valid until 3 July 2017.
    assert run(rule, "technologymountains", datetime.date(2016, 7, 3)).result == Result.MET
    assert run(rule, "technologymountains", datetime.date(2016, 7, 2)).result == Result.NOT_MET
    assert run(rule, "technologymountains", datetime.date(2017, 7, 3)).result == Result.MET
    expired = run(rule, "technologymountains", datetime.date(2017, 7, 4))
    assert expired.result == Result.NOT_MET
    assert expired.facts["window"] == ["2017-07-04", "2018-07-04"]


# seat


def test_the_textiles_cluster_has_its_seat_in_neckar_alb_and_in_baden_wuerttemberg():
    rule = {"rule": "seat", "parameters": {"region": "region-neckar-alb"}}
    outcome = run(rule, "cluster-technische-textilien-neckar-alb")
    assert outcome.result == Result.MET
    assert outcome.facts["seat_kreis"] == "landkreis-reutlingen"
    assert outcome.data == ["Sitz: Reutlingen (Stadt- oder Landkreis Reutlingen, Region "
                            "Neckar-Alb, Land Baden-Württemberg)"]  # fmt: skip
    land = {"rule": "seat", "parameters": {"region": "baden-wuerttemberg"}}
    assert run(land, "cluster-technische-textilien-neckar-alb").result == Result.MET


def test_cars_in_stuttgart_has_no_seat_in_neckar_alb():
    rule = {"rule": "seat", "parameters": {"region": "region-neckar-alb"}}
    assert run(rule, "cars").result == Result.NOT_MET


def test_a_statewide_network_without_a_seat_is_in_the_land_but_not_shown_in_a_region():
    # i-n: a state-wide network, filed under the Land, no Kreis of its seat.
    land = {"rule": "seat", "parameters": {"region": "baden-wuerttemberg"}}
    assert run(land, "i-n").result == Result.MET
    region = {"rule": "seat", "parameters": {"region": "region-stuttgart"}}
    assert run(region, "i-n").result == Result.NOT_SHOWN


def test_an_entry_without_seat_or_region_is_not_shown():
    rule = {"rule": "seat", "parameters": {"region": "baden-wuerttemberg"}}
    outcome = run(rule, "nanovalley-eu")
    assert outcome.result == Result.NOT_SHOWN
    assert outcome.data == ["Sitz und Region nicht angegeben"]


# kind


def test_the_kind_of_initiative_both_ways():
    rule = {"rule": "initiative_kind", "parameters": {"kinds": ["cluster_initiative"]}}
    assert run(rule, "cars").result == Result.MET
    assert run(rule, "afbw").result == Result.NOT_MET
    assert run(rule, "afbw").data == ["Art: Landesweites Netzwerk"]


# a call's rules together


def test_the_gold_call_admits_afbw_and_refuses_a_state_agency():
    call = Call.objects.get(slug="gold-label-2023-2027")
    afbw = eligibility.initiatives_for_check().get(slug="afbw")
    assert check(call.parsed_rules(), afbw, DAY).result == Result.MET
    agency = eligibility.initiatives_for_check().get(slug="leichtbau-bw")
    result = check(call.parsed_rules(), agency, DAY)
    assert result.result == Result.NOT_MET
    assert [o.result for o in result.outcomes] == [Result.NOT_MET, Result.NOT_MET]


def test_a_check_reads_the_registry_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    rules = parse_rules([
        {"rule": "listed"}, {"rule": "admission"},
        {"rule": "label_valid", "parameters": {"kinds": ["ecei_gold"]}},
        {"rule": "seat", "parameters": {"region": "region-neckar-alb"}},
        {"rule": "initiative_kind", "parameters": {"kinds": ["cluster_initiative"]}},
    ])  # fmt: skip
    with django_assert_max_num_queries(2):  # the record with places and criteria; its labels
        initiative = eligibility.initiatives_for_check(rules).get(slug="biolago")
        check(rules, initiative, DAY)


# validation


def test_unknown_rules_and_bad_parameters_are_refused_naming_each():
    with pytest.raises(ValidationError) as caught:
        parse_rules([
            {"rule": "nonsense"},
            {"rule": "seat", "parameters": {"region": "atlantis", "extra": 1}},
            {"rule": "label_valid"},
            {"rule": "label_expiring", "parameters": {"kinds": ["ecei_gold"], "months": 0}},
            "listed",
            {"rule": "listed", "when": "now"},
        ])  # fmt: skip
    messages = caught.value.messages
    assert messages[0].startswith("Regel 1 (nonsense): unbekannte Regel; bekannt sind: admission")
    assert "Regel 2 (seat), extra: unbekannter Parameter." in messages
    assert any(m.startswith("Regel 2 (seat), region:") for m in messages)
    assert any(m.startswith("Regel 3 (label_valid), kinds:") for m in messages)
    assert any(m.startswith("Regel 4 (label_expiring), months:") for m in messages)
    assert "Regel 5: braucht einen Namen unter „rule“." in messages
    assert "Regel 6 (listed): unbekannte Angabe when." in messages


def test_a_call_with_bad_rules_does_not_validate():
    call = Call.objects.get(slug="gold-label-2023-2027")
    call.eligibility_rules = [{"rule": "seat", "parameters": {}}]
    with pytest.raises(ValidationError) as caught:
        call.full_clean()
    assert "eligibility_rules" in caught.value.message_dict
