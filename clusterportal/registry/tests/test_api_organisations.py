"""The organisation endpoints of the JSON API (the shipped data has none: made here)."""

import pytest

from clusterportal.registry.models import ClusterInitiative, Membership, Organisation
from clusterportal.registry.tests import factories
from clusterportal.tests.helpers import error_of, field_errors

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations"


@pytest.fixture
def organisations():
    tuebingen = factories.region("landkreis-tuebingen")
    stuttgart = factories.region("stadtkreis-stuttgart")
    return {
        "university": factories.organisation(
            "Eberhard Karls Universität Tübingen",
            slug="uni-tuebingen",
            kind=Organisation.Kind.UNIVERSITY,
            region=tuebingen,
            city="Tübingen",
        ),
        "company": factories.organisation(
            "Tübinger Präzisionsteile GmbH", slug="tpt", region=tuebingen
        ),
        "chamber": factories.organisation(
            "IHK Region Stuttgart",
            slug="ihk-stuttgart",
            kind=Organisation.Kind.CHAMBER,
            region=stuttgart,
        ),
    }


def slugs(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_the_name_search_folds_case_and_umlauts_on_every_database(client, organisations):
    assert slugs(client, q="tuebing") == slugs(client, q="TÜBING") == ["uni-tuebingen", "tpt"]
    assert slugs(client, q="TÜBINGER präzision") == ["tpt"]
    assert slugs(client, q="universitaet") == ["uni-tuebingen"]


def test_kind_and_region_filter_and_a_region_includes_its_kreise(client, organisations):
    assert slugs(client, kind="chamber") == ["ihk-stuttgart"]
    assert slugs(client, region="region-neckar-alb") == ["uni-tuebingen", "tpt"]
    assert slugs(client, region="baden-wuerttemberg", kind="university") == ["uni-tuebingen"]


def test_the_list_is_paginated_with_the_same_queries_whatever_the_page_size(
    client, organisations, django_assert_num_queries
):
    for size in (1, 3):
        with django_assert_num_queries(3):  # data version, count, page with its Kreis
            body = client.get(LIST, {"page_size": size}).json()
        assert body["count"] == 3
        assert len(body["results"]) == size
    assert body["results"][0] == {
        "slug": "uni-tuebingen",
        "name": "Eberhard Karls Universität Tübingen",
        "kind": "university",
        "url": "http://testserver/api/v1/organisations/uni-tuebingen",
        "size_class": "",
        "city": "Tübingen",
        "region": {
            "slug": "landkreis-tuebingen",
            "name": "Tübingen",
            "code": "08416",
            "kind": "kreis",
        },
        "updated_at": body["results"][0]["updated_at"],
    }


def test_the_detail_lists_only_published_initiatives(client, organisations):
    company = organisations["company"]
    published = factories.initiative("Netzwerk A", management_organisation=company)
    draft = factories.initiative("Netzwerk B", status=ClusterInitiative.Status.DRAFT)
    Membership.objects.create(initiative=published, organisation=company, since_year=2015)
    Membership.objects.create(initiative=draft, organisation=company)

    body = client.get(f"{LIST}/tpt").json()

    assert [i["slug"] for i in body["managed_initiatives"]] == [published.slug]
    assert body["memberships"] == [
        {
            "initiative": {
                "slug": published.slug,
                "name": "Netzwerk A",
                "url": f"http://testserver/api/v1/initiatives/{published.slug}",
            },
            "role": "member",
            "since_year": 2015,
            "until_year": None,
        }
    ]


def test_bad_organisation_parameters_name_the_field(client, organisations):
    fields = field_errors(
        client.get(LIST, {"region": "atlantis", "kind": "club"}), "region", "kind"
    )
    assert fields["region"] == [
        "Select a valid choice. atlantis is not one of the available choices."
    ]
    error_of(client.get(LIST, {"page": 2}), 404, "page_out_of_range")
    error_of(client.get(f"{LIST}/nope"), 404, "not_found")


def test_an_unchanged_organisation_answers_304(client, organisations):
    etag = client.get(f"{LIST}/tpt")["ETag"]
    assert client.get(f"{LIST}/tpt", headers={"if-none-match": etag}).status_code == 304
    organisations["company"].save()
    assert client.get(f"{LIST}/tpt", headers={"if-none-match": etag}).status_code == 200


def test_a_name_search_is_one_filtered_query_whatever_the_number_of_words(
    client, organisations, django_assert_num_queries
):
    # data version, count, page: the words are index lookups (FTS5 MATCH on SQLite, LIKE
    # on PostgreSQL's trigram index); no name is read into Python
    with django_assert_num_queries(3) as captured:
        assert slugs(client, q="tübinger präzision gmbh") == ["tpt"]
    page_query = captured.captured_queries[-1]["sql"]
    assert page_query.count("LIKE") + page_query.count("MATCH") == 3


def test_the_search_name_follows_the_name_on_every_write_path():
    created = factories.organisation("Müller Maschinenbau")
    assert created.search_name == "mueller maschinenbau"
    (bulk,) = Organisation.objects.bulk_create(
        [Organisation(slug="bulk-org", name="Größenwerk AG", kind="company")]
    )
    assert Organisation.objects.get(slug="bulk-org").search_name == "groessenwerk ag"
    bulk.name = "Straßenbau Süd"
    Organisation.objects.bulk_update([bulk], ["name"])
    assert Organisation.objects.get(slug="bulk-org").search_name == "strassenbau sued"
    Organisation.objects.filter(slug="bulk-org").update(name="Öko-Institut")
    assert Organisation.objects.get(slug="bulk-org").search_name == "oeko institut"
    created.name = "Schäfer GmbH"
    created.save(update_fields=["name"])
    assert Organisation.objects.get(pk=created.pk).search_name == "schaefer gmbh"


def test_short_words_and_renamed_organisations_are_found(client, organisations):
    assert slugs(client, q="ihk") == ["ihk-stuttgart"]  # a trigram at least
    assert slugs(client, q="ag") == []
    Organisation.objects.filter(slug="tpt").update(name="Tübinger Feinwerk AG")
    assert slugs(client, q="feinwerk") == ["tpt"]
    assert slugs(client, q="präzision") == []
    organisation = Organisation.objects.get(slug="ihk-stuttgart")
    organisation.delete()
    assert slugs(client, q="ihk") == []
