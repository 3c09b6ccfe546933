"""Admission criteria of the BW Clusterdatenbank, evaluated from the record's data."""

import pytest

from clusterportal.registry import admission
from clusterportal.registry.filters import InitiativeFilter
from clusterportal.registry.models import ClusterInitiative
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db


def complete_initiative(**values):
    """An initiative whose data shows every criterion (the 'Mustercluster' persona)."""
    management = factories.organisation("Mustercluster Management GmbH")
    defaults = dict(
        management_organisation=management,
        street="Hauptstraße 1",
        postcode="70173",
        city="Stuttgart",
        contact_person="Erika Mustermann",
        contact_email="info@mustercluster.example",
        contact_phone="+49 711 000000",
        website="https://mustercluster.example",
        innovation_driven=True,
        activities_per_year=3,
        services="Netzwerktreffen, Projektanbahnung, Messebeteiligungen",
    )
    record = factories.initiative("Mustercluster", fields=["medizintechnik"], **(defaults | values))
    factories.members(record, companies=6, others=6)
    return record


def met(record):
    return {result.criterion.code: result.met for result in admission.evaluate(record)}


def test_a_complete_record_meets_all_seven_criteria():
    record = complete_initiative()
    assert met(record) == dict.fromkeys(
        ["contact", "innovation", "field", "activities", "services", "partners", "companies"], True
    )
    found = InitiativeFilter({"criteria": ["all"]})
    assert found.is_valid()
    assert [i.slug for i in found.page().items] == [record.slug]


def test_each_missing_fact_leaves_its_criterion_not_shown():
    record = complete_initiative(contact_phone="", activities_per_year=2, services="")
    assert met(record) == {
        "contact": False,
        "innovation": True,
        "field": True,
        "activities": False,
        "services": False,
        "partners": True,
        "companies": True,
    }


def test_the_member_list_decides_partners_and_company_share():
    record = factories.initiative()
    factories.members(record, companies=5, others=6)  # 11 partners, 5 companies
    assert (met(record)["partners"], met(record)["companies"]) == (False, False)
    factories.members(record, companies=1)  # 12 partners, 6 companies: exactly half
    record.refresh_from_db()
    assert (record.listed_members, record.listed_companies) == (12, 6)
    assert (met(record)["partners"], met(record)["companies"]) == (True, True)


def test_reported_counts_stand_in_for_a_missing_member_list():
    record = factories.initiative(member_count=40, member_companies_count=19)
    assert (met(record)["partners"], met(record)["companies"]) == (True, False)
    ClusterInitiative.objects.filter(pk=record.pk).update(member_companies_count=20)
    assert met(record)["companies"] is True


def test_real_records_show_what_their_sources_give():
    cyberforum = ClusterInitiative.objects.get(slug="cyberforum")
    assert [code for code, ok in met(cyberforum).items() if ok] == ["field", "partners"]


def test_evaluate_takes_one_query(django_assert_num_queries):
    record = complete_initiative()
    with django_assert_num_queries(1):
        admission.evaluate(record)
