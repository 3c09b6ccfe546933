"""The initiative endpoints of the JSON API, on the real BW data."""

import pytest
from django.http import QueryDict
from django.utils.http import http_date

from clusterportal.lib import versioning
from clusterportal.lib.text import collation_key
from clusterportal.registry.filters import InitiativeFilter
from clusterportal.registry.models import ClusterInitiative
from clusterportal.registry.tests import factories
from clusterportal.tests.helpers import error_of, field_errors

pytestmark = pytest.mark.django_db

LIST = "/api/v1/initiatives"
# The data version (1), and rows, fields, labels of the rows the index has not read yet (3).
LIST_QUERIES = 4


def facets_of(query: str) -> dict:
    filters = InitiativeFilter(QueryDict(query))
    assert filters.is_valid()
    return {
        facet.name: [
            {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
            for v in facet.values
        ]
        for facet in filters.facets()
    }


def test_a_field_gives_the_count_and_the_facets_of_the_list_page(client):
    body = client.get(LIST, {"field": "medical-engineering"}).json()
    page = client.get("/cluster/", {"field": "medical-engineering"}).context["page"]

    assert body["count"] == page.total == 9
    assert [item["slug"] for item in body["results"]] == [
        "biolago",
        "bioregio-stern",
        "biovalley",
        "healthregion-freiburg",
        "mmt-cluster",
        "medcare-techarea",
        "mvh",
        "medicalmountains",
        "technologymountains",
    ]
    assert body["facets"] == facets_of("field=medical-engineering")
    medical = [v for v in body["facets"]["field"] if v["value"] == "medical-engineering"]
    assert medical == [
        {"value": "medical-engineering", "label": "Medizintechnik", "count": 9, "selected": True}
    ]
    schwarzwald = [v for v in body["facets"]["region"] if v["count"] == 3]
    assert [v["value"] for v in schwarzwald] == ["region-schwarzwald-baar-heuberg"]


def test_repeated_values_of_one_filter_are_alternatives_and_filters_combine(client):
    either = client.get(f"{LIST}?field=medical-engineering&field=biotechnology").json()
    both = client.get(
        LIST, {"field": "medical-engineering", "region": "region-schwarzwald-baar-heuberg"}
    ).json()

    assert either["count"] == 13
    assert [item["slug"] for item in both["results"]] == [
        "medcare-techarea",
        "medicalmountains",
        "technologymountains",
    ]


def test_the_search_and_the_other_filters_give_the_real_counts(client):
    assert client.get(LIST, {"q": "technik"}).json()["count"] == 36
    assert client.get(LIST, {"kind": "statewide_network"}).json()["count"] == 21
    assert client.get(LIST, {"label": "ecei_gold"}).json()["count"] == 7
    assert client.get(LIST, {"active": "no"}).json()["count"] == 4
    assert client.get(LIST).json()["count"] == 102


def test_pages_follow_each_other_in_a_stable_order(client):
    first = client.get(LIST, {"page_size": 40}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    assert (first["page"], first["num_pages"], first["previous"]) == (1, 3, None)
    assert first["next"] == "http://testserver/api/v1/initiatives?page_size=40&page=2"
    assert second["previous"] == "http://testserver/api/v1/initiatives?page_size=40&page=1"
    assert third["next"] is None
    slugs = [item["slug"] for page in (first, second, third) for item in page["results"]]
    assert len(slugs) == len(set(slugs)) == 102
    # Sorted by name as a German dictionary sorts (the same on every database).
    by_name = sorted(
        ClusterInitiative.objects.published(), key=lambda i: (*collation_key(i.name), i.pk)
    )
    assert slugs == [i.slug for i in by_name]


def test_a_page_after_the_last_is_a_404_naming_the_page(client):
    error = error_of(client.get(LIST, {"page": 7}), 404, "page_out_of_range")
    assert error["fields"] == {"page": ["page 7 does not exist; the last page is 6"]}


@pytest.mark.parametrize("page_size", [1, 100])
def test_a_list_takes_the_same_queries_whatever_the_page_size(
    client, django_assert_num_queries, fresh_registry_index, page_size
):
    client.get(LIST, {"page": 2, "page_size": 1})  # the process builds its registry index
    with django_assert_num_queries(LIST_QUERIES):
        body = client.get(LIST, {"page_size": page_size}).json()
    assert len(body["results"]) == page_size
    # + the typo vocabulary, the synonyms (groups, field names) and the place names
    # (Regionen and Kreise, seat cities), read once per data version, and the full-text match
    with django_assert_num_queries(LIST_QUERIES + 6):
        body = client.get(LIST, {"page_size": page_size, "q": "technik", "sort": "-name"}).json()
    assert len(body["results"]) == min(page_size, 36)


def test_rows_are_read_once_per_data_version(client, django_assert_num_queries):
    client.get(LIST, {"page_size": 30})
    with django_assert_num_queries(1):  # the data version; rows and facets from the index
        again = client.get(LIST, {"page_size": 30, "kind": "statewide_network"}).json()
    assert again["count"] == 21
    factories.initiative(name="Neues Netzwerk", kind="statewide_network")
    with django_assert_num_queries(LIST_QUERIES + 5):  # + index: vocabulary (2), rows (3)
        changed = client.get(LIST, {"page_size": 30, "kind": "statewide_network"}).json()
    assert changed["count"] == 22
    assert "Neues Netzwerk" in [item["name"] for item in changed["results"]]


def test_the_detail_shows_the_labels_with_their_dates_and_no_internal_notes(
    client, django_assert_num_queries
):
    client.get(f"{LIST}/afbw")  # serialised once per data version, language and host
    with django_assert_num_queries(1):  # the data version
        body = client.get(f"{LIST}/afbw").json()

    assert body["name"] == "Allianz Faserbasierte Werkstoffe Baden-Württemberg e.V."
    assert body["kind"] == "statewide_network"
    assert body["region"] == {
        "slug": "baden-wuerttemberg",
        "name": "Baden-Württemberg",
        "code": "08",
        "kind": "land",
    }
    assert body["kreis"]["slug"] == "stadtkreis-stuttgart"
    assert body["labels"][0] == {
        "kind": "cluster_excellence_bw",
        "name": "Cluster-Exzellenz Baden-Württemberg",
        "awarded_on": "2017-02-23",
        "awarded_year": 2017,
        "valid_until": "2019-02-23",
        "note": "re-certified",
    }
    assert [(label["kind"], label["awarded_year"]) for label in body["labels"]] == [
        ("cluster_excellence_bw", 2017),
        ("cluster_excellence_bw", 2013),
        ("cluster_excellence_bw", 2012),
        ("ecei_gold", 2024),
    ]
    assert [f["parent"]["slug"] for f in body["technology_fields"]] == ["textiles-clothing"] * 3
    assert len(body["sources"]) == 4
    assert [c["code"] for c in body["admission_criteria"]] == [
        "contact",
        "innovation",
        "field",
        "activities",
        "services",
        "partners",
        "companies",
    ]
    assert body["admission_criteria"][2]["met"] is True  # it has technology fields
    assert body["html_url"] == "http://testserver/cluster/afbw/"
    assert "research_notes" not in body
    assert body["contact"] is None


def test_the_contact_person_is_shown_only_with_their_consent(client):
    contact = {
        "contact_person": "Dr. Erika Muster",
        "contact_email": "muster@example.org",
        "contact_phone": "0711 123",
    }
    hidden = factories.initiative(**contact)
    shown = factories.initiative(**contact, contact_consent=True)

    assert client.get(f"{LIST}/{hidden.slug}").json()["contact"] is None
    assert client.get(f"{LIST}/{shown.slug}").json()["contact"] == {
        "person": "Dr. Erika Muster",
        "email": "muster@example.org",
        "phone": "0711 123",
    }


def test_an_unpublished_or_unknown_initiative_is_a_404(client):
    draft = factories.initiative(status=ClusterInitiative.Status.DRAFT)
    for slug in (draft.slug, "nope"):
        error = error_of(client.get(f"{LIST}/{slug}"), 404, "not_found")
        assert slug in error["message"]


def test_an_unchanged_list_answers_304_without_a_body(client):
    first = client.get(LIST, {"field": "medical-engineering"})
    newest = versioning.current("registry").changed_at  # the last change to the registry data

    assert first["Cache-Control"] == "public, max-age=60"
    assert first["Last-Modified"] == http_date(newest.timestamp())
    assert first["ETag"].startswith('W/"')
    again = client.get(
        LIST, {"field": "medical-engineering"}, headers={"if-none-match": first["ETag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_a_changed_record_changes_the_etag_of_the_list_and_of_its_detail(client):
    list_etag = client.get(LIST)["ETag"]
    detail_etag = client.get(f"{LIST}/biolago")["ETag"]

    ClusterInitiative.objects.get(slug="biolago").save()

    headers = {"if-none-match": list_etag}
    assert client.get(LIST, headers=headers).status_code == 200
    changed = client.get(f"{LIST}/biolago", headers={"if-none-match": detail_etag})
    assert changed.status_code == 200
    assert changed["ETag"] != detail_etag


def test_the_etag_does_not_depend_on_the_order_of_the_parameters(client):
    one = client.get(f"{LIST}?field=energy&kind=cluster_initiative")["ETag"]
    other = client.get(f"{LIST}?kind=cluster_initiative&field=energy")["ETag"]
    assert one == other != client.get(f"{LIST}?field=energy")["ETag"]


def test_a_304_costs_no_more_than_validating_the_parameters(client, django_assert_num_queries):
    etag = client.get(LIST)["ETag"]
    with django_assert_num_queries(1):  # the data version
        assert client.get(LIST, headers={"if-none-match": etag}).status_code == 304


# --- bad input: each answered in the error shape, naming the parameter ----------


def test_an_unknown_filter_value_names_the_field(client):
    fields = field_errors(client.get(LIST, {"field": "nope"}), "field")
    assert fields["field"] == ["Select a valid choice. nope is not one of the available choices."]


def test_a_huge_page_number_is_rejected_before_any_search(client):
    fields = field_errors(client.get(LIST, {"page": 1_000_000_000}), "page")
    assert fields["page"] == ["Ensure this value is less than or equal to 100000."]


def test_a_page_size_of_zero_is_rejected(client):
    fields = field_errors(client.get(LIST, {"page_size": 0}), "page_size")
    assert fields["page_size"] == ["Ensure this value is greater than or equal to 1."]


def test_an_over_long_search_text_is_cut_at_a_word_boundary_and_said_so(client):
    data = client.get(LIST, {"q": "Cluster " * 40}).json()  # 320 characters
    assert data["q_shortened"] == " ".join(["Cluster"] * 25)  # 199 characters, whole words
    assert len(data["q_shortened"]) <= 200


def test_a_search_text_within_the_limit_is_not_reported_as_cut(client):
    assert client.get(LIST, {"q": "Cluster"}).json()["q_shortened"] is None


def test_sql_and_html_in_the_search_are_plain_text(client):
    for text in ("'; DROP TABLE registry_clusterinitiative; --", "<script>alert(1)</script>"):
        response = client.get(LIST, {"q": text})
        assert response.status_code == 200
        assert response.json()["count"] == 0
    assert ClusterInitiative.objects.count() == 102


def test_a_single_valued_parameter_given_twice_with_different_values_is_rejected(client):
    fields = field_errors(client.get(f"{LIST}?page=1&page=2&sort=name&sort=-name"), "page", "sort")
    assert fields["page"] == [
        "Given 2 times with different values; this parameter takes one value."
    ]
    assert client.get(f"{LIST}?page=1&page=1").status_code == 200


def test_an_unknown_parameter_is_rejected_with_the_known_ones(client):
    fields = field_errors(client.get(LIST, {"feld": "energy"}), "feld")
    assert fields["feld"] == [
        "Unknown parameter; this endpoint accepts: q, region, kreis, field, kind, label, "
        "criteria, active, sort, page, page_size."
    ]


def test_empty_parameters_count_as_not_given(client):
    assert client.get(f"{LIST}?q=&field=&page=&sort=").json()["count"] == 102


def test_several_bad_parameters_are_reported_together_in_english(client):
    response = client.get(
        LIST, {"kind": "club", "page_size": 101}, headers={"accept-language": "de"}
    )
    fields = field_errors(response, "kind", "page_size")
    assert fields["kind"] == ["Select a valid choice. club is not one of the available choices."]
    assert response.json()["error"]["message"] == "Invalid query parameters: kind, page_size."


def test_a_nul_character_is_rejected_before_it_reaches_the_database(client):
    fields = field_errors(client.get(LIST, {"q": "a\x00b"}), "q")
    assert fields["q"] == ["Contains a NUL character."]
