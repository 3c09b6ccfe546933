"""The change-request API with the personas: propose by PATCH, review by POST, tokens only."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from clusterportal.accounts.models import ApiToken
from clusterportal.changes import profile_fields
from clusterportal.changes.api import FIELD_KINDS
from clusterportal.changes.models import ChangeRequest, edit_token
from clusterportal.registry.models import ClusterInitiative, Organisation
from clusterportal.registry.tests import factories
from clusterportal.tests.helpers import error_of
from clusterportal.tests.personas import CARS, NETWORK, TEXTILES

pytestmark = pytest.mark.django_db

SECOND_NECKAR_ALB = "mvh"  # Medical Valley Hechingen, also in Region Neckar-Alb
# Token and user (1), the caller's roles (1), the count (1), the page with initiatives,
# authors and reviewers (1): the same for one request as for a page of them.
LIST_QUERIES = 4


def initiative_url(slug: str) -> str:
    return f"/api/v1/initiatives/{slug}"


def request_url(pk: int, action: str = "") -> str:
    return f"/api/v1/change-requests/{pk}" + (f"/{action}" if action else "")


class Caller:
    """The test client with one person's API token."""

    def __init__(self, client, user=None, token: str | None = None):
        self.client = client
        self.token = token if token is not None else (ApiToken.issue(user)[1] if user else None)

    def headers(self, **extra: str) -> dict[str, str]:
        headers = {"authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **extra}

    def get(self, url: str, params: dict | None = None, **headers: str):
        return self.client.get(url, params or {}, headers=self.headers(**headers))

    def patch(self, slug: str, body, **headers: str):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.patch(
            initiative_url(slug),
            data,
            content_type="application/json",
            headers=self.headers(**headers),
        )

    def post(self, url: str, body=None, **headers: str):
        data = "" if body is None else body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(
            url, data, content_type="application/json", headers=self.headers(**headers)
        )

    def propose(self, slug: str, body: dict) -> dict:
        response = self.patch(slug, body)
        assert response.status_code == 202, response.content
        return response.json()


@pytest.fixture
def as_(client, people):
    callers: dict[int, Caller] = {}

    def caller(user) -> Caller:
        if user.pk not in callers:
            callers[user.pk] = Caller(client, user)
        return callers[user.pk]

    return caller


# --- proposing ---------------------------------------------------------------------


def test_a_manager_proposes_changes_and_the_public_profile_stays_until_approval(client, people, as_):  # fmt: skip
    before = client.get(initiative_url(TEXTILES))

    response = as_(people.mia).patch(
        TEXTILES, {"description": "Technische Textilien aus der Region.", "activities_per_year": 12}
    )

    assert response.status_code == 202
    body = response.json()
    change = ChangeRequest.objects.get()
    assert body["id"] == change.pk
    assert body["status"] == "pending"
    assert body["url"] == f"http://testserver/api/v1/change-requests/{change.pk}"
    assert body["initiative"]["slug"] == TEXTILES
    assert body["changes"] == {"description": "Technische Textilien aus der Region.", "activities_per_year": 12}  # fmt: skip
    assert body["base"] == {"description": "", "activities_per_year": None}
    assert body["revision"] == 1 and body["created_at"] and body["author"] == "Mia"
    assert response["X-Edit-Token"] == edit_token(people.textiles)
    after = client.get(initiative_url(TEXTILES))
    assert after.json()["description"] == "" and after.json()["activities_per_year"] is None
    assert after["ETag"] == before["ETag"]
    assert client.get(initiative_url(TEXTILES), headers={"if-none-match": before["ETag"]}).status_code == 304  # fmt: skip


def test_the_patch_shares_the_address_of_the_public_get_and_other_methods_are_a_json_405(client, people, as_):  # fmt: skip
    assert client.get(initiative_url(TEXTILES)).status_code == 200
    for response in (client.put(initiative_url(TEXTILES)), client.delete(initiative_url(TEXTILES))):
        error = error_of(response, 405, "method_not_allowed")
        assert response["Allow"] == "GET, PATCH"
        assert "use GET, PATCH" in error["message"]


def test_a_manager_of_another_initiative_may_not_propose_and_nothing_is_stored(people, as_):
    error = error_of(as_(people.max).patch(TEXTILES, {"city": "Stuttgart"}), 403, "permission_denied")  # fmt: skip
    assert TEXTILES in error["message"]
    assert not ChangeRequest.objects.exists()


def test_a_company_user_may_not_propose(people, as_):
    error_of(as_(people.ute).patch(TEXTILES, {"city": "Albstadt"}), 403, "permission_denied")
    assert not ChangeRequest.objects.exists()


def test_a_curator_may_propose_for_any_initiative(people, as_):
    assert as_(people.clara).patch(CARS, {"city": "Stuttgart-Mitte"}).status_code == 202


def test_without_a_token_the_answer_is_401_even_for_a_logged_in_session(client, people):
    response = Caller(client).patch(TEXTILES, {"city": "Albstadt"})
    error = error_of(response, 401, "not_authenticated")
    assert "Authorization: Bearer" in error["message"]
    assert response["WWW-Authenticate"] == 'Bearer realm="Clusterportal API"'
    client.force_login(people.mia)  # the session cookie is no way to write
    error_of(Caller(client).patch(TEXTILES, {"city": "Albstadt"}), 401, "not_authenticated")
    error_of(Caller(client).get("/api/v1/change-requests"), 401, "not_authenticated")
    assert not ChangeRequest.objects.exists()


def test_a_token_call_needs_no_csrf_token(people):
    strict = Client(enforce_csrf_checks=True)
    assert Caller(strict, people.mia).patch(TEXTILES, {"city": "Albstadt"}).status_code == 202
    change = ChangeRequest.objects.get()
    approved = Caller(strict, people.rainer).post(request_url(change.pk, "approve"))
    assert approved.status_code == 200


def test_an_unknown_token_is_refused_as_invalid(client, people):
    caller = Caller(client, token="cp_not-a-token")
    error_of(caller.patch(TEXTILES, {"city": "Albstadt"}), 401, "invalid_token")


def test_a_revoked_token_is_refused_as_revoked(client, people):
    token, secret = ApiToken.issue(people.mia)
    caller = Caller(client, token=secret)
    assert caller.patch(TEXTILES, {"city": "Albstadt"}).status_code == 202
    token.revoke()

    error_of(caller.patch(TEXTILES, {"city": "Metzingen"}), 401, "token_revoked")
    assert ChangeRequest.objects.get().changes == {"city": "Albstadt"}


def test_an_unknown_slug_and_an_unpublished_record_are_not_found(people, as_):
    draft = factories.initiative(status=ClusterInitiative.Status.DRAFT)
    error_of(as_(people.clara).patch("gibt-es-nicht", {"city": "Ulm"}), 404, "not_found")
    error_of(as_(people.clara).patch(draft.slug, {"city": "Ulm"}), 404, "not_found")


def test_unknown_fields_are_a_400_naming_them_and_listing_the_editable_ones(people, as_):
    response = as_(people.mia).patch(TEXTILES, {"name": "Neu", "slug": "neu", "city": "Albstadt"})
    error = error_of(response, 400, "invalid_fields")
    assert sorted(error["fields"]) == ["name", "slug"]
    assert "the editable fields are: description," in error["fields"]["slug"][0]
    assert error["message"] == "Invalid fields: name, slug."
    assert not ChangeRequest.objects.exists()


def test_every_bad_field_is_named_at_once(people, as_):
    body = {"name": "Neu", "staff_count": "drei", "website": "javascript:alert(1)", "city": "Ulm"}
    error = error_of(as_(people.mia).patch(TEXTILES, body), 400, "invalid_fields")
    assert sorted(error["fields"]) == ["name", "staff_count", "website"]


def test_a_javascript_address_is_refused_naming_the_website(people, as_):
    response = as_(people.mia).patch(TEXTILES, {"website": "javascript:alert(1)"})
    error = error_of(response, 400, "invalid_fields")
    assert error["fields"] == {"website": ["Enter a valid URL."]}
    assert not ChangeRequest.objects.exists()


def test_an_oversized_description_is_refused_naming_the_field(people, as_):
    response = as_(people.mia).patch(TEXTILES, {"description": "x" * 6000})
    error = error_of(response, 400, "invalid_fields")
    assert error["fields"] == {
        "description": ["Ensure this value has at most 5000 characters (it has 6000)."]
    }
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"description": ["Text"]}, "description", "Expected a string"),
        ({"activities_per_year": "12"}, "activities_per_year", "Expected a whole number"),
        ({"activities_per_year": True}, "activities_per_year", "Expected a whole number"),
        ({"activities_per_year": 1.5}, "activities_per_year", "Expected a whole number"),
        ({"activities_per_year": -1}, "activities_per_year", "greater than or equal to 0"),
        ({"contact_consent": "yes"}, "contact_consent", "Expected true or false"),
        ({"technology_fields": "energy"}, "technology_fields", "Expected a list of slugs"),
        (
            {"technology_fields": ["gibt-es-nicht"]},
            "technology_fields",
            "gibt-es-nicht is not one of the available choices",
        ),  # fmt: skip
        (
            {"management_organisation": "gibt-es-nicht"},
            "management_organisation",
            "not one of the available choices",
        ),  # fmt: skip
        ({"partnerships": [{"country": 1}]}, "partnerships", "Expected a list of objects"),
        ({"partnerships": [{"country": ""}]}, "partnerships", "Partnership 1, country"),
        ({"contact_email": "kein-mail"}, "contact_email", "Enter a valid email address."),
        ({"city": "Reut\x00lingen"}, "city", "Null characters are not allowed."),
    ],
)
def test_values_of_the_wrong_type_or_form_are_a_400_naming_the_field(people, as_, body, field, reason):  # fmt: skip
    error = error_of(as_(people.mia).patch(TEXTILES, body), 400, "invalid_fields")
    assert list(error["fields"]) == [field]
    assert reason in " ".join(error["fields"][field])
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("", "The body is empty"),
        ("[]", "must be a JSON object, not list"),
        ('"Reutlingen"', "must be a JSON object, not str"),
        ("null", "must be a JSON object, not null"),
        ("{}", "names no field to change"),
        ("{city: 1}", "not valid JSON"),
        ('{"city": "A", "city": "B"}', "the key 'city' appears more than once"),
        ('{"staff_fte": NaN}', "NaN is not a JSON number"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        (b"\xff\xfe{", "not valid JSON"),
        (json.dumps({f"f{n}": 1 for n in range(51)}), "The body has 51 keys"),
    ],
)
def test_a_body_that_is_no_json_object_of_fields_is_a_400(people, as_, body, reason):
    error = error_of(as_(people.mia).patch(TEXTILES, body), 400, "invalid_body")
    assert reason in error["message"]


def test_every_editable_field_has_a_json_type_and_is_documented(client):
    assert sorted(FIELD_KINDS) == sorted(profile_fields.EDITABLE)
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/initiatives/{slug}"]["patch"]["requestBody"]
    documented = body["content"]["application/json"]["schema"]["properties"]
    assert sorted(documented) == sorted(profile_fields.EDITABLE)
    assert documented["description"]["maxLength"] == 5000


def test_a_body_over_the_upload_limit_is_a_413(people, as_, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    error_of(as_(people.mia).patch(TEXTILES, {"description": "x" * 2000}), 413, "body_too_large")


def test_a_stale_edit_token_is_a_409_and_nothing_is_stored(people, as_):
    token = edit_token(people.textiles)
    first = as_(people.clara).patch(TEXTILES, {"city": "Albstadt"}, if_match=f'"{token}"')
    assert first.status_code == 202

    second = as_(people.mia).patch(TEXTILES, {"city": "Tübingen"}, if_match=f'"{token}"')

    error = error_of(second, 409, "edit_conflict")
    assert "nothing was stored" in error["message"]
    change = ChangeRequest.objects.get()
    assert change.changes == {"city": "Albstadt"} and change.revision == 1


def test_the_edit_token_of_an_answer_lets_the_next_patch_through(people, as_):
    mia = as_(people.mia)
    token = mia.get(f"{initiative_url(TEXTILES)}/edit-token").json()["edit_token"]
    first = mia.patch(TEXTILES, {"city": "Albstadt"}, if_match=f'"{token}"')
    second = mia.patch(TEXTILES, {"postcode": "72458"}, if_match=f'"{first["X-Edit-Token"]}"')

    assert second.status_code == 202
    assert second.json()["revision"] == 2
    assert second.json()["changes"] == {"city": "Albstadt", "postcode": "72458"}
    # The token of the first answer is spent.
    again = mia.patch(TEXTILES, {"street": "Hauptstr. 1"}, if_match=f'"{first["X-Edit-Token"]}"')
    error_of(again, 409, "edit_conflict")


def test_the_etag_of_the_public_get_is_no_edit_token(client, people, as_):
    etag = client.get(initiative_url(TEXTILES))["ETag"]
    response = as_(people.mia).patch(TEXTILES, {"city": "Albstadt"}, if_match=etag)
    error = error_of(response, 400, "invalid_header")
    assert "not an edit token" in error["fields"]["If-Match"][0]
    assert not ChangeRequest.objects.exists()


def test_values_equal_to_the_profile_are_a_409_nothing_changed(people, as_):
    response = as_(people.mia).patch(TEXTILES, {"city": people.textiles.city})
    error = error_of(response, 409, "nothing_changed")
    assert "equals the published profile" in error["message"]
    assert not ChangeRequest.objects.exists()


def test_the_edit_token_is_for_those_who_may_propose(people, as_):
    answer = as_(people.mia).get(f"{initiative_url(TEXTILES)}/edit-token")
    assert answer.json()["edit_token"] == answer["X-Edit-Token"] == edit_token(people.textiles)
    assert answer.json()["open_request"] is None
    error_of(as_(people.max).get(f"{initiative_url(TEXTILES)}/edit-token"), 403, "permission_denied")  # fmt: skip
    error_of(as_(people.ute).get(f"{initiative_url(TEXTILES)}/edit-token"), 403, "permission_denied")  # fmt: skip


# --- deciding ----------------------------------------------------------------------


def test_the_regional_contact_approves_and_the_public_get_shows_the_change(client, people, as_):
    before = client.get(initiative_url(TEXTILES))
    change = as_(people.mia).propose(TEXTILES, {"description": "Technische Textilien aus der Region."})  # fmt: skip

    response = as_(people.rainer).post(request_url(change["id"], "approve"), {"message": "Danke."})

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["reviewer"] == "Rainer" and response.json()["reason"] == "Danke."
    after = client.get(initiative_url(TEXTILES))
    assert after.json()["description"] == "Technische Textilien aus der Region."
    assert after["ETag"] != before["ETag"]


def test_approving_twice_is_a_409_that_says_the_status(people, as_):
    change = as_(people.mia).propose(TEXTILES, {"city": "Albstadt"})
    assert as_(people.rainer).post(request_url(change["id"], "approve")).status_code == 200
    history = people.textiles.history.count()

    again = as_(people.rainer).post(request_url(change["id"], "approve"))

    error = error_of(again, 409, "already_decided")
    assert "status approved" in error["message"]
    assert people.textiles.history.count() == history
    error_of(as_(people.clara).post(request_url(change["id"], "reject"), {"reason": "Zu spät."}), 409, "already_decided")  # fmt: skip


def test_the_regional_contact_may_not_approve_a_request_of_another_region(people, as_):
    change = as_(people.max).propose(CARS, {"city": "Stuttgart-Feuerbach"})

    error = error_of(as_(people.rainer).post(request_url(change["id"], "approve")), 403, "permission_denied")  # fmt: skip

    assert "regional contact of its Region and the curators" in error["message"]
    assert ChangeRequest.objects.get().status == "pending"
    people.cars.refresh_from_db()
    assert people.cars.city != "Stuttgart-Feuerbach"


def test_a_manager_may_not_decide_the_own_request(people, as_):
    change = as_(people.mia).propose(TEXTILES, {"city": "Albstadt"})
    for action, body in (("approve", None), ("reject", {"reason": "Doch nicht."}), ("ask", {"message": "?"})):  # fmt: skip
        error_of(as_(people.mia).post(request_url(change["id"], action), body), 403, "permission_denied")  # fmt: skip
    assert ChangeRequest.objects.get().status == "pending"


def test_a_curator_approves_a_request_of_a_statewide_network_and_the_regional_contact_may_not(people, as_):  # fmt: skip
    change = as_(people.clara).propose(NETWORK, {"activities_per_year": 24})
    error_of(as_(people.rainer).post(request_url(change["id"], "approve")), 403, "permission_denied")  # fmt: skip

    assert (
        as_(people.clara).post(request_url(change["id"], "approve")).json()["status"] == "approved"
    )
    people.network.refresh_from_db()
    assert people.network.activities_per_year == 24


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, "Required"),
        ({"reason": "   "}, "Required"),
        ({"reason": 5}, "Expected a string."),
        ({"reason": "x" * 2001}, "At most 2000 characters"),
        ({"reason": "Sitz ist Mössingen.", "note": "x"}, None),
    ],
)
def test_a_rejection_needs_a_reason(people, as_, body, reason):
    change = as_(people.mia).propose(TEXTILES, {"city": "Albstadt"})
    error = error_of(as_(people.rainer).post(request_url(change["id"], "reject"), body), 400, "invalid_fields")  # fmt: skip
    if reason:
        assert list(error["fields"]) == ["reason"] and reason in error["fields"]["reason"][0]
    else:
        assert list(error["fields"]) == ["note"]
    assert ChangeRequest.objects.get().status == "pending"


def test_a_rejection_with_a_reason_closes_the_request_and_keeps_the_profile(client, people, as_):
    change = as_(people.mia).propose(TEXTILES, {"city": "Albstadt"})
    response = as_(people.rainer).post(request_url(change["id"], "reject"), {"reason": "Sitz ist Reutlingen."})  # fmt: skip
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["reason"] == "Sitz ist Reutlingen."
    assert client.get(initiative_url(TEXTILES)).json()["city"] == people.textiles.city


def test_asking_for_more_waits_for_the_authors_next_patch(people, as_):
    change = as_(people.mia).propose(TEXTILES, {"city": "Albstadt"})
    asked = as_(people.rainer).post(request_url(change["id"], "ask"), {"message": "Welche PLZ?"})
    assert asked.json()["status"] == "needs_more" and asked.json()["reason"] == "Welche PLZ?"
    again = as_(people.rainer).post(request_url(change["id"], "ask"), {"message": "Und?"})
    error_of(again, 409, "already_asked")
    error_of(as_(people.rainer).post(request_url(change["id"], "ask")), 400, "invalid_fields")

    answer = as_(people.mia).propose(TEXTILES, {"postcode": "72458"})

    assert answer["id"] == change["id"]
    assert (answer["status"], answer["revision"]) == ("pending", 2)


def test_approval_refuses_when_the_profile_changed_since_and_names_the_fields(people, as_):
    change = as_(people.mia).propose(TEXTILES, {"city": "Albstadt", "postcode": "72458"})
    people.textiles.city = "Metzingen"
    people.textiles.save()

    error = error_of(as_(people.rainer).post(request_url(change["id"], "approve")), 409, "edit_conflict")  # fmt: skip

    assert list(error["fields"]) == ["city"]
    assert "(city)" in error["message"]
    assert ChangeRequest.objects.get().status == "pending"
    people.textiles.refresh_from_db()
    assert (people.textiles.city, people.textiles.postcode) == ("Metzingen", "")


# --- reading -----------------------------------------------------------------------


def test_the_list_shows_the_regional_contact_only_the_requests_of_his_region(people, as_):
    textiles = as_(people.mia).propose(TEXTILES, {"city": "Albstadt"})["id"]
    hechingen = as_(people.clara).propose(SECOND_NECKAR_ALB, {"city": "Hechingen-Stetten"})["id"]
    cars = as_(people.max).propose(CARS, {"city": "Stuttgart-Feuerbach"})["id"]
    network = as_(people.clara).propose(NETWORK, {"activities_per_year": 24})["id"]

    def ids(user, **params) -> list[int]:
        body = as_(user).get("/api/v1/change-requests", params).json()
        return [item["id"] for item in body["results"]]

    assert ids(people.rainer) == [hechingen, textiles]
    assert ids(people.clara) == [network, cars, hechingen, textiles]
    assert ids(people.mia) == [textiles]
    assert ids(people.max) == [cars]
    assert ids(people.ute) == []


def test_the_list_filters_by_status_and_initiative_and_pages(people, as_):
    textiles = as_(people.mia).propose(TEXTILES, {"city": "Albstadt"})["id"]
    cars = as_(people.max).propose(CARS, {"city": "Stuttgart-Feuerbach"})["id"]
    as_(people.clara).post(request_url(cars, "reject"), {"reason": "Nein."})
    clara = as_(people.clara)

    def ids(**params) -> list[int]:
        return [item["id"] for item in clara.get("/api/v1/change-requests", params).json()["results"]]  # fmt: skip

    assert ids(status="pending") == [textiles]
    assert ids(status=["pending", "rejected"]) == [cars, textiles]
    assert ids(initiative=CARS) == [cars]
    page = clara.get("/api/v1/change-requests", {"page_size": 1, "page": 2}).json()
    assert (page["count"], page["num_pages"], page["results"][0]["id"]) == (2, 2, textiles)
    assert page["previous"] == "http://testserver/api/v1/change-requests?page_size=1&page=1"
    error = error_of(clara.get("/api/v1/change-requests", {"status": "offen", "feld": "x"}), 400, "invalid_parameters")  # fmt: skip
    assert list(error["fields"]) == ["feld"]
    error_of(clara.get("/api/v1/change-requests", {"initiative": "gibt-es-nicht"}), 400, "invalid_parameters")  # fmt: skip
    error_of(clara.get("/api/v1/change-requests", {"page": 3}), 404, "page_out_of_range")


def test_the_list_takes_the_same_queries_for_one_request_as_for_a_page(people, as_, django_assert_max_num_queries):  # fmt: skip
    clara = as_(people.clara)
    clara.propose(TEXTILES, {"city": "Albstadt"})
    clara.get("/api/v1/change-requests")  # the token's first use of the minute is written down
    with django_assert_max_num_queries(LIST_QUERIES):
        assert clara.get("/api/v1/change-requests").json()["count"] == 1
    for slug in (CARS, NETWORK, SECOND_NECKAR_ALB, "biolago"):
        clara.propose(slug, {"activities_per_year": 7})
    with django_assert_max_num_queries(LIST_QUERIES):
        assert clara.get("/api/v1/change-requests").json()["count"] == 5


def test_a_request_is_403_for_who_may_not_see_it_and_an_unknown_one_404(people, as_):
    change = as_(people.max).propose(CARS, {"city": "Stuttgart-Feuerbach"})
    for user in (people.rainer, people.mia, people.ute):
        error_of(as_(user).get(request_url(change["id"])), 403, "permission_denied")
    error_of(as_(people.rainer).get(request_url(change["id"] + 1000)), 404, "not_found")
    error_of(as_(people.clara).post(request_url(change["id"] + 1000, "approve")), 404, "not_found")
    assert as_(people.max).get(request_url(change["id"])).status_code == 200


def test_the_detail_holds_the_steps_and_the_current_edit_token(people, as_):
    change = as_(people.mia).propose(TEXTILES, {"city": "Albstadt"})
    as_(people.rainer).post(request_url(change["id"], "ask"), {"message": "Welche PLZ?"})

    body = as_(people.mia).get(request_url(change["id"])).json()

    assert body["edit_token"] == edit_token(people.textiles)
    assert [(e["action"], e["actor"], e["message"]) for e in body["events"]] == [
        ("submitted", "Mia", ""),
        ("asked", "Rainer", "Welche PLZ?"),
    ]
    assert as_(people.mia).get(f"{initiative_url(TEXTILES)}/edit-token").json()["open_request"] == body["url"]  # fmt: skip


def test_answers_for_a_token_are_private_to_caches(client, people, as_):
    as_(people.mia).propose(TEXTILES, {"city": "Albstadt"})
    listed = as_(people.mia).get("/api/v1/change-requests")
    assert listed["Cache-Control"] == "private, no-cache"
    assert "Authorization" in listed["Vary"]
    again = as_(people.mia).get("/api/v1/change-requests", if_none_match=listed["ETag"])
    assert again.status_code == 304 and again["Cache-Control"] == "private, no-cache"
    assert client.get(initiative_url(TEXTILES))["Cache-Control"] == "public, max-age=60"


# --- the member list ------------------------------------------------------------------


def test_a_member_list_is_proposed_by_api_and_written_on_approval(people, as_):
    known = Organisation.objects.create(slug="textil-ag", name="Textil AG", kind="company")
    body = as_(people.mia).propose(
        TEXTILES,
        {
            "members": [
                {"organisation": "textil-ag", "role": "member", "since": 2012},
                {"name": "Hochschule Reutlingen", "kind": "university"},
            ]
        },
    )
    assert [row.get("organisation") for row in body["changes"]["members"]] == [
        "hochschule-reutlingen",
        "textil-ag",
    ]
    assert not people.textiles.memberships.exists()
    ChangeRequest.objects.get(pk=body["id"]).approve(people.rainer)
    people.textiles.refresh_from_db()
    assert (people.textiles.listed_members, people.textiles.listed_companies) == (2, 1)
    assert people.textiles.memberships.get(organisation=known).since_year == 2012


def test_a_member_row_of_the_wrong_shape_is_a_400_naming_members(people, as_):
    response = as_(people.mia).patch(TEXTILES, {"members": ["textil-ag"]})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["members"]
    assert not ChangeRequest.objects.exists()
