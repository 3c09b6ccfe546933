"""The GOLD calculator: min(50 % of the cost, EUR 5,000 first / EUR 4,250 renewal), the
certification's day inside 1.10.2023–30.6.2027 (the ministry's programme page). The
figures are computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from clusterportal.calls import subsidy
from clusterportal.calls.models import Programme
from clusterportal.registry.models import Label

pytestmark = pytest.mark.django_db


@pytest.fixture
def gold() -> Programme:
    return Programme.objects.get(slug="gold-label-foerderung")


def quote(programme: Programme, **query) -> subsidy.Quote:
    form = subsidy.SubsidyForm({key: str(value) for key, value in query.items()})
    assert form.is_valid(), form.errors
    return subsidy.calculate(programme, form.cleaned_data)


def test_the_shipped_programme_has_the_sources_terms(gold):
    assert (gold.rate_percent, gold.cap_eur, gold.cap_renewal_eur) == (50, 5000, 4250)
    assert (gold.valid_from, gold.valid_until) == (
        datetime.date(2023, 10, 1),
        datetime.date(2027, 6, 30),
    )
    assert gold.subsidised_label == "ecei_gold"
    assert gold.source_url.startswith("https://wm.baden-wuerttemberg.de/")


@pytest.mark.parametrize(
    "cost, certification, expected",
    [
        ("8000", "first", Decimal("4000.00")),  # half of 8,000, under the cap
        ("12000", "first", Decimal("5000.00")),  # half is 6,000: the cap of a first
        ("12000", "renewal", Decimal("4250.00")),  # the cap of a renewal
        ("8500", "renewal", Decimal("4250.00")),  # exactly at the cap
        ("8499.99", "renewal", Decimal("4250.00")),  # 4,249.995 rounds half up to 4,250.00
        ("8499.97", "renewal", Decimal("4249.99")),  # 4,249.985 rounds half up to 4,249.99
        ("0.01", "first", Decimal("0.01")),  # 0.005 rounds half up to one cent
    ],
)
def test_the_subsidy_is_half_the_cost_up_to_the_cap(gold, cost, certification, expected):
    assert quote(gold, cost=cost, certification=certification).subsidy == expected


def test_a_certification_outside_the_window_is_refused_with_the_reason(gold):
    late = quote(gold, cost=12000, awarded_on="2027-07-01")
    assert late.subsidy is None
    assert late.refused == (
        "Die Zertifizierung am 2027-07-01 liegt außerhalb des Förderzeitraums 2023-10-01 bis "
        "2027-06-30."
    )
    assert quote(gold, cost=12000, awarded_on="2023-09-30").subsidy is None
    assert quote(gold, cost=12000, awarded_on="2023-10-01").subsidy == Decimal("5000.00")
    assert quote(gold, cost=12000, awarded_on="2027-06-30").subsidy == Decimal("5000.00")


def test_biolagos_gold_label_of_2022_is_before_the_window(gold):
    result = quote(gold, cost=12000, initiative="biolago")
    assert result.subsidy is None
    assert result.refused == (
        "Die Zertifizierung im Jahr 2022 liegt außerhalb des Förderzeitraums 2023-10-01 bis "
        "2027-06-30."
    )
    assert (
        result.label == "BioLAGO e.V. - the health network: Label ECEI Gold, verliehen 2022, "
        "Ende der Gültigkeit nicht bekannt"
    )


def test_afbws_gold_label_of_2024_lies_in_the_window(gold):
    result = quote(gold, cost=12000, certification="renewal", initiative="afbw")
    assert result.subsidy == Decimal("4250.00")
    assert result.refused == ""


def test_a_gold_label_without_any_date_is_refused(gold):
    result = quote(gold, cost=8000, initiative="cyberforum")  # Gold, no year in the sources
    assert result.subsidy is None
    assert "nicht bekannt" in result.refused


def test_a_year_only_partly_in_the_window_cannot_be_decided(gold, people):
    Label.objects.create(initiative=people.textiles, kind="ecei_gold", awarded_year=2023)
    result = quote(gold, cost=8000, initiative=people.textiles.slug)
    assert result.subsidy is None
    assert result.refused.startswith("Bekannt ist nur das Jahr der Zertifizierung, 2023")


def test_an_initiative_without_the_label_gets_the_amount_with_a_note(gold):
    result = quote(gold, cost=8000, initiative="cars")
    assert result.subsidy == Decimal("4000.00")
    assert result.notes and "kein Label ECEI Gold" in result.notes[0]


@pytest.mark.parametrize(
    "query, field",
    [
        ({}, "cost"),
        ({"cost": "abc"}, "cost"),
        ({"cost": "-5"}, "cost"),
        ({"cost": "0"}, "cost"),
        ({"cost": "100", "certification": "third"}, "certification"),
        ({"cost": "100", "initiative": "atlantis"}, "initiative"),
        ({"cost": "100", "awarded_on": "2027-13-01"}, "awarded_on"),
        ({"cost": "100", "initiative": "afbw", "awarded_on": "2024-01-01"}, "awarded_on"),
    ],
)
def test_bad_input_names_the_field(query, field):
    form = subsidy.SubsidyForm(query)
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_a_programme_without_rate_and_cap_has_no_calculator():
    programme = Programme.objects.get(slug="internationalisierung-clusterinitiativen")
    assert not programme.has_calculator
    with pytest.raises(subsidy.NoCalculator):
        subsidy.calculate(programme, {"cost": Decimal(100)})
