"""The shared filter definition: filters, facets, sorting, pagination (real data)."""

import pytest
from django.http import QueryDict

from clusterportal.lib.pagination import PageOutOfRange
from clusterportal.registry.filters import InitiativeFilter
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db


def run(query: str):
    filters = InitiativeFilter(QueryDict(query))
    assert filters.is_valid(), filters.errors
    return filters


def counts(filters, facet_name):
    facet = next(f for f in filters.facets() if f.name == facet_name)
    return {v.value: v.count for v in facet.values if v.count}


def test_without_filters_every_published_initiative_is_listed_by_name():
    page = run("").page()
    assert page.total == 102
    assert page.num_pages == 6
    assert [i.name for i in page.items[:2]] == [
        "Allianz Faserbasierte Werkstoffe Baden-Württemberg e.V.",
        "Allianz Industrie 4.0 Baden-Württemberg",
    ]


def test_kind_facet_counts_the_whole_registry():
    assert counts(run(""), "kind") == {
        "cluster_initiative": 76,
        "statewide_network": 21,
        "state_agency": 5,
    }


def test_values_of_one_filter_are_alternatives_and_filters_combine():
    assert run("field=medical-engineering").page().total == 9
    assert run("field=medical-engineering&field=biotechnology").page().total == 13
    both = run("field=medical-engineering&region=region-schwarzwald-baar-heuberg")
    assert sorted(i.slug for i in both.page().items) == [
        "medcare-techarea",
        "medicalmountains",
        "technologymountains",
    ]


def test_a_facet_ignores_its_own_filter_but_applies_the_others():
    filters = run("field=medical-engineering&region=region-schwarzwald-baar-heuberg")
    # Region counts: medical-engineering initiatives per region (region filter not applied).
    assert counts(filters, "region") == {
        "region-hochrhein-bodensee": 1,
        "region-neckar-alb": 1,
        "region-rhein-neckar": 1,
        "region-schwarzwald-baar-heuberg": 3,
        "region-stuttgart": 1,
        "region-suedlicher-oberrhein": 2,
    }
    assert counts(filters, "kreis") == {"landkreis-tuttlingen": 3}
    selected = next(f for f in filters.facets() if f.name == "region").values
    assert [v.value for v in selected if v.selected] == ["region-schwarzwald-baar-heuberg"]


def test_statewide_networks_are_the_land_value_of_the_region_filter():
    assert run("region=baden-wuerttemberg").page().total == 26


def test_kreis_filters_by_the_seat():
    assert sorted(i.slug for i in run("kreis=landkreis-konstanz").page().items) == [
        "biolago", "clib", "cluster-kultur-und-kreativwirtschaft-bodensee", "cyberlago", "neb", "solarlago",
    ]  # fmt: skip


def test_label_and_status_filters():
    assert run("label=ecei_gold").page().total == 7
    assert run("label=cluster_excellence_bw").page().total == 10
    assert run("active=no").page().total == 4
    assert counts(run(""), "active") == {"yes": 98, "no": 4}


def test_admission_criteria_filter_uses_what_the_data_shows():
    # The research table has no contact data, so no real record meets all criteria.
    assert run("criteria=all").page().total == 0
    # 29 reported member counts, all at least 12; four counts are of companies only.
    assert counts(run(""), "criteria") == {"field": 100, "partners": 29, "companies": 4}


def test_sorting_puts_unknown_values_last_and_is_stable():
    items = run("sort=-founded&page_size=100").page().items
    assert items[0].founded_year == 2022
    assert items[54].founded_year == 1995 and items[55].founded_year is None
    by_members = run("sort=-members&page_size=3").page().items
    assert [(i.slug, i.member_count) for i in by_members] == [
        ("cyberforum", 1200),
        ("bwcon", 650),
        ("automotivecluster-rmn", 600),
    ]


def test_pages_beyond_the_last_are_an_error():
    with pytest.raises(PageOutOfRange, match="page 7 does not exist; the last page is 6"):
        run("page=7").page()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("field=nope", "field"),
        ("region=atlantis", "region"),
        ("kind=company", "kind"),
        ("page=0", "page"),
        ("page=1000000000", "page"),
        ("page_size=500", "page_size"),
        ("sort=random", "sort"),
    ],
)
def test_bad_parameters_are_reported_by_field(query, field):
    filters = InitiativeFilter(QueryDict(query))
    assert not filters.is_valid()
    assert list(filters.errors) == [field]


def test_a_result_page_with_facets_takes_a_fixed_number_of_queries(
    django_assert_num_queries, fresh_registry_index
):
    run("").facets()  # builds the process's registry index once
    # 1 data version, 1 typo vocabulary and 2 synonyms (groups, field names; once per
    # version), 1 full-text, 3 for the rows of the page.
    with django_assert_num_queries(8):
        filters = run("q=technik&field=medical-engineering&page_size=50")
        page = filters.page()
        for item in page.items:
            (
                list(item.technology_fields.all()),
                list(item.labels.all()),
                item.region,
                item.seat_kreis,
            )
        filters.facets()


def test_the_index_follows_changes_to_the_registry():
    assert run("kind=state_agency").page().total == 5
    factories.initiative("Landesagentur für Tests", kind="state_agency")
    assert run("kind=state_agency").page().total == 6
