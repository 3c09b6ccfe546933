"""The technology-field tree of the JSON API."""

import pytest
from django.http import QueryDict

from clusterportal.registry.filters import InitiativeFilter
from clusterportal.tests.helpers import field_errors

pytestmark = pytest.mark.django_db


def test_the_tree_has_the_34_broad_fields_with_the_list_pages_facet_counts(
    client, django_assert_num_queries
):
    with django_assert_num_queries(2):
        body = client.get("/api/v1/technology-fields").json()

    assert body["count"] == len(body["results"]) == 34
    assert sum(len(top["children"]) for top in body["results"]) == 104
    counts = {top["slug"]: top["initiative_count"] for top in body["results"]}
    facet = next(f for f in InitiativeFilter(QueryDict()).facets() if f.name == "field")
    assert counts == {value.value: value.count for value in facet.values}
    medical = next(top for top in body["results"] if top["slug"] == "medical-engineering")
    assert medical["initiative_count"] == 9
    assert medical["name_en"] == "Medical engineering"
    assert [(c["slug"], c["initiative_count"]) for c in medical["children"]] == [
        ("medizintechnik", 9),
        ("medizintechnologie", 1),
    ]


def test_the_tree_takes_no_parameters(client):
    field_errors(client.get("/api/v1/technology-fields", {"kind": "x"}), "kind")
