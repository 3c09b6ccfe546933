import pytest

from clusterportal.registry.models import ClusterInitiative
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/initiatives/{}/related"


def test_the_ranked_list_with_score_parts_and_reasons(client):
    response = client.get(URL.format("medicalmountains"), {"limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["weights"] == {
        "fields": 0.45,
        "related_fields": 0.25,
        "region": 0.15,
        "words": 0.15,
    }
    assert body["results"][0] == {
        "kind": "initiative",
        "title": "MedCare TechArea - Clusterverbund Medizintechnik und Gesundheit Tuttlingen/Neckar-Alb",
        "url": "http://testserver/cluster/medcare-techarea/",
        "score": 0.85,
        "parts": {"fields": 1.0, "related_fields": 1.0, "region": 1.0, "words": 0.0},
        "reasons": [
            "Gemeinsame Felder: Gesundheitswirtschaft, Medizintechnik",
            "Gleicher Kreis: Tuttlingen, 0 km",
        ],
    }
    # MMT-Cluster: {Gesundheitswirtschaft, Medizintechnik, Medizintechnologie}: ours in
    # theirs 1, theirs in ours (1 + 1 + 0.5) / 3; fields 0.9167; Mannheim is far away.
    assert body["results"][1]["url"] == "http://testserver/cluster/mmt-cluster/"
    assert body["results"][1]["score"] == pytest.approx(0.45 * 0.9167 + 0.25, abs=1e-4)


def test_the_default_is_ten_and_the_limit_goes_to_fifty(client):
    assert client.get(URL.format("medicalmountains")).json()["count"] == 10
    assert client.get(URL.format("medicalmountains"), {"limit": 20}).json()["count"] == 20
    # Only 43 initiatives have something of MedicalMountains' subject.
    assert client.get(URL.format("medicalmountains"), {"limit": 50}).json()["count"] == 43


def test_a_kind_gives_only_that_kind(client):
    body = client.get(URL.format("medicalmountains"), {"kind": "organisation"}).json()
    assert body == {"count": 0, "weights": body["weights"], "results": []}  # none shipped


def test_english_reasons_and_addresses(client):
    body = client.get(
        URL.format("medicalmountains"), {"limit": 1}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert body["results"][0]["url"] == "http://testserver/en/cluster/medcare-techarea/"
    assert body["results"][0]["reasons"][1] == "Same district: Tuttlingen, 0 km"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 51}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"kind": "company"}, "kind"),
        ({"sort": "score"}, "sort"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, query, field):
    response = client.get(URL.format("medicalmountains"), query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameters"
    assert list(error["fields"]) == [field]


def test_an_unknown_draft_or_inactive_initiative_is_a_404(client):
    draft = factories.initiative(status=ClusterInitiative.Status.DRAFT, fields=["medizintechnik"])
    inactive = ClusterInitiative.objects.filter(is_active=False).first()
    for slug in ("gibt-es-nicht", draft.slug, inactive.slug):
        response = client.get(URL.format(slug))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_the_query_count_does_not_grow_with_the_limit(client, django_assert_num_queries):
    client.get(URL.format("medicalmountains"))  # builds the index
    for limit in (1, 50):
        # The data version and the initiative's key.
        with django_assert_num_queries(2):
            assert client.get(URL.format("medicalmountains"), {"limit": limit}).status_code == 200


def test_every_score_is_the_weighted_sum_of_its_parts(client):
    body = client.get(URL.format("photonics-bw"), {"limit": 50}).json()
    assert body["count"] > 10
    for result in body["results"]:
        total = sum(body["weights"][name] * value for name, value in result["parts"].items())
        assert result["score"] == pytest.approx(total, abs=1e-4)
        assert 0 < result["score"] <= 1
    scores = [result["score"] for result in body["results"]]
    assert scores == sorted(scores, reverse=True)
