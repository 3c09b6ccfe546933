"""The funding API: programmes, calls with status and filters, a call with its rules, the
eligibility check of an initiative, and the calculator; errors in the one error shape."""

from __future__ import annotations

import pytest

from clusterportal.calls.tests.helpers import berlin, make_call, make_programme

pytestmark = pytest.mark.django_db


def get(client, path, **headers):
    return client.get(f"/api/v1{path}", **headers)


def test_the_programmes_list_names_the_current_ones_and_the_archive_on_request(client):
    body = get(client, "/programmes").json()
    # By name: "Förderprogramm zur …" before "Förderung des …".
    assert [p["slug"] for p in body["results"]] == [
        "internationalisierung-clusterinitiativen", "gold-label-foerderung"
    ]  # fmt: skip
    gold = body["results"][1]
    assert gold["rate_percent"] == "50.00" and gold["cap_eur"] == "5000.00"
    assert gold["cap_renewal_eur"] == "4250.00" and gold["calculator"] is True
    assert gold["valid_from"] == "2023-10-01" and gold["valid_until"] == "2027-06-30"
    assert gold["calls"] == ["gold-label-2023-2027"]
    assert gold["source_url"].startswith("https://wm.baden-wuerttemberg.de/")
    everything = get(client, "/programmes?archive=true").json()
    assert everything["count"] == 6


def test_the_calls_list_has_status_and_facets(client):
    body = get(client, "/calls").json()
    assert body["count"] == 6
    assert body["results"][0]["slug"] == "gold-label-2023-2027"
    assert body["results"][0]["status"] == "open"
    assert body["results"][0]["deadlines"][0]["due_at"] == "2027-06-30T21:59:59.000Z"
    facets = {facet["name"]: facet for facet in body["facets"]}
    assert {v["value"]: v["count"] for v in facets["status"]["values"]} == {"open": 1, "closed": 5}
    countries = {v["value"]: v["count"] for v in facets["country"]["values"]}
    assert countries["DK"] == 2 and countries["US"] == 1


@pytest.mark.parametrize(
    "query, slugs",
    [
        ("status=open", ["gold-label-2023-2027"]),
        ("country=NO", ["innovation-express-2017"]),
        ("programme=clusterwettbewerb", ["clusterwettbewerb-2010", "clusterwettbewerb-2008"]),
        ("topic=aerospace", ["clusterwettbewerb-2010", "clusterwettbewerb-2008"]),
        ("target_group=statewide_networks&status=closed",
         ["efre-clip-1-aufruf", "bmbf-internationalisierung-runden-1-2"]),
        ("status=upcoming", []),
    ],
)  # fmt: skip
def test_the_calls_list_filters(client, query, slugs):
    body = get(client, f"/calls?{query}").json()
    assert [call["slug"] for call in body["results"]] == slugs


def test_a_subfield_finds_nothing_a_parent_field_finds_its_subfields(client):
    # "medien" is a subfield of the creative industries: the 2010 round is tagged with it.
    body = get(client, "/calls?topic=medien").json()
    assert [call["slug"] for call in body["results"]] == ["clusterwettbewerb-2010"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=soon", "status"),
        ("country=XX", "country"),
        ("programme=atlantis", "programme"),
        ("topic=alchemy", "topic"),
        ("page_size=1000", "page_size"),
        ("colour=red", "colour"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client, query, field):
    response = get(client, f"/calls?{query}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_a_page_after_the_last_is_a_404(client):
    response = get(client, "/calls?page=9")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "page_out_of_range"


def test_a_call_with_its_rules_in_words(client):
    body = get(client, "/calls/gold-label-2023-2027").json()
    assert body["eligibility_rules"] == [
        {"rule": "listed", "parameters": {},
         "requirement": "In der Clusterdatenbank geführt und veröffentlicht"},
        {"rule": "initiative_kind",
         "parameters": {"kinds": ["cluster_initiative", "statewide_network"]},
         "requirement": "Art: Regionale Cluster-Initiative oder Landesweites Netzwerk"},
    ]  # fmt: skip
    english = get(client, "/calls/gold-label-2023-2027", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (
        english["eligibility_rules"][0]["requirement"]
        == "Listed and published in the Clusterdatenbank"
    )


def test_an_unknown_call_is_a_404_naming_the_slug(client):
    response = get(client, "/calls/no-such-call")
    assert response.status_code == 404
    assert response.json()["error"]["fields"] == {
        "slug": ["There is no call with the slug 'no-such-call'."]
    }


def test_the_eligibility_of_an_initiative_with_the_data_behind_each_rule(client):
    body = get(client, "/calls/gold-label-2023-2027/eligibility/leichtbau-bw?on=2026-12-06").json()
    assert body["result"] == "not_met" and body["day"] == "2026-12-06"
    listed, kind = body["outcomes"]
    assert listed["result"] == "not_met" and "aktiv: nein" in listed["data"]
    assert kind == {
        "rule": "initiative_kind",
        "requirement": "Art: Regionale Cluster-Initiative oder Landesweites Netzwerk",
        "result": "not_met", "data": ["Art: Landesagentur"], "facts": {"kind": "state_agency"},
    }  # fmt: skip
    afbw = get(client, "/calls/gold-label-2023-2027/eligibility/afbw").json()
    assert afbw["result"] == "met"


def test_a_label_rule_says_which_label_it_read(client):
    call = make_call("label-aufruf", eligibility_rules=[
        {"rule": "label_valid", "parameters": {"kinds": ["cluster_excellence_bw"]}}])  # fmt: skip
    body = get(client, f"/calls/{call.slug}/eligibility/vdc-fellbach?on=2020-03-20").json()
    outcome = body["outcomes"][0]
    assert outcome["result"] == "not_met"
    assert outcome["data"] == [
        "Label Cluster-Exzellenz Baden-Württemberg, verliehen am 2018-03-19, gültig bis 2020-03-19"
    ]
    assert outcome["facts"]["label"] == {
        "kind": "cluster_excellence_bw", "awarded_on": "2018-03-19", "awarded_year": 2018,
        "valid_until": "2020-03-19",
    }  # fmt: skip


def test_eligibility_errors_name_the_field(client):
    unknown = get(client, "/calls/gold-label-2023-2027/eligibility/atlantis")
    assert unknown.status_code == 404
    assert list(unknown.json()["error"]["fields"]) == ["initiative"]
    bad_day = get(client, "/calls/gold-label-2023-2027/eligibility/afbw?on=yesterday")
    assert bad_day.status_code == 400
    assert list(bad_day.json()["error"]["fields"]) == ["on"]
    no_call = get(client, "/calls/nope/eligibility/afbw")
    assert no_call.status_code == 404 and list(no_call.json()["error"]["fields"]) == ["slug"]


@pytest.mark.parametrize(
    "query, subsidy",
    [
        ("cost=8000&certification=first", "4000.00"),
        ("cost=12000&certification=first", "5000.00"),
        ("cost=12000&certification=renewal", "4250.00"),
        ("cost=12000&initiative=afbw", "5000.00"),
    ],
)
def test_the_calculator_in_the_api(client, query, subsidy):
    body = get(client, f"/programmes/gold-label-foerderung/subsidy?{query}").json()
    assert body["subsidy"] == subsidy and body["refused"] == ""


def test_the_calculator_refuses_a_label_outside_the_window_with_the_reason(client):
    body = get(
        client, "/programmes/gold-label-foerderung/subsidy?cost=12000&initiative=biolago"
    ).json()
    assert body["subsidy"] is None
    assert body["refused"].startswith("Die Zertifizierung im Jahr 2022 liegt außerhalb")
    english = get(client, "/programmes/gold-label-foerderung/subsidy?cost=12000&awarded_on=2027-07-01",
                  HTTP_ACCEPT_LANGUAGE="en").json()  # fmt: skip
    assert english["refused"] == (
        "The certification on 2027-07-01 lies outside the funding period 2023-10-01 to 2027-06-30."
    )


@pytest.mark.parametrize(
    "query, field",
    [
        ("", "cost"),
        ("cost=lots", "cost"),
        ("cost=100&certification=third", "certification"),
        ("cost=100&initiative=atlantis", "initiative"),
        ("cost=100&awarded_on=soon", "awarded_on"),
        ("cost=100&discount=5", "discount"),
    ],
)
def test_calculator_errors_are_a_400_naming_the_field(client, query, field):
    response = get(client, f"/programmes/gold-label-foerderung/subsidy?{query}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_a_programme_without_rate_and_cap_has_no_calculator(client):
    response = get(client, "/programmes/internationalisierung-clusterinitiativen/subsidy?cost=1")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_calculator"


def test_lists_answer_304_for_their_etag_and_change_with_the_data(client):
    first = get(client, "/calls")
    etag = first["ETag"]
    assert get(client, "/calls", HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_call("neu", programme=make_programme("neu"), deadlines=[berlin(2030, 1, 1)])
    assert get(client, "/calls", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_list_takes_the_same_number_of_queries_whatever_the_page_size(
    client, django_assert_num_queries
):
    programme = make_programme("viele")
    for number in range(30):
        make_call(f"aufruf-{number}", programme=programme, deadlines=[berlin(2030, 1, 1 + number)])
    get(client, "/calls?page_size=1")  # warm: the version row and caches
    with django_assert_num_queries(9) as small:
        get(client, "/calls?page_size=1")
    with django_assert_num_queries(len(small)):
        get(client, "/calls?page_size=100")


def test_the_calculator_answers_304_for_its_etag(client):
    path = "/programmes/gold-label-foerderung/subsidy?cost=8000"
    etag = get(client, path)["ETag"]
    assert get(client, path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    other = get(client, "/programmes/gold-label-foerderung/subsidy?cost=9000")
    assert other["ETag"] != etag
