"""What holds for the whole JSON API: errors, docs, schema, caching, languages."""

import json
import logging
import re

import pytest
from django.test import Client, RequestFactory
from ninja.errors import HttpError, ValidationError

from clusterportal.api import api
from clusterportal.management.commands.export_openapi import SCHEMA_FILE, schema_text
from clusterportal.tests.helpers import error_of

pytestmark = pytest.mark.django_db


def test_the_index_links_the_docs_the_schema_and_every_list(client):
    body = client.get("/api/v1/").json()
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
    assert sorted(body["endpoints"]) == [
        "atlas-editions",
        "calls",
        "initiatives",
        "organisations",
        "programmes",
        "regions",
        "technology-fields",
    ]
    for url in body["endpoints"].values():
        assert client.get(url).status_code == 200


def test_the_served_schema_is_the_committed_one(client):
    served = client.get("/api/v1/openapi.json").json()
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    regenerate = (
        "The API changed but docs/openapi.json did not. Regenerate it with "
        "`clusterportal export_openapi --write` (or `clusterportal export_openapi > "
        "docs/openapi.json`), read the diff, and commit it."
    )
    assert served == committed, regenerate
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), regenerate


def test_every_operation_documents_its_errors_in_the_one_shape(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path == "/api/v1/":
                continue
            error = operation["responses"]["400"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/Error"}, (path, method)
            if method == "get":  # writes have no 304
                assert "304" in operation["responses"], (path, method)
            if operation.get("security"):  # token holders: who, and in what scope
                assert {"401", "403"} <= set(operation["responses"]), (path, method)


def test_the_docs_page_loads_nothing_from_the_internet(client):
    page = client.get("/api/v1/docs")
    html = page.content.decode()

    assert page.status_code == 200
    assert re.findall(r"(?:https?:)?//[\w.-]+", html) == []
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call a validator
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset


def test_an_unknown_path_is_a_json_404(client):
    error_of(client.get("/api/v1/nope"), 404, "not_found")
    error_of(client.get("/api/v2/initiatives"), 404, "not_found")
    hint = error_of(client.get("/api/v1/initiatives/"), 404, "not_found")["message"]
    assert "Did you mean /api/v1/initiatives (without the final slash)?" in hint


def test_a_wrong_method_is_a_json_405_that_names_the_allowed_one(client):
    response = client.post("/api/v1/initiatives", {"name": "x"})
    error = error_of(response, 405, "method_not_allowed")
    assert error["message"] == "The method POST is not allowed here; use GET."
    assert response["Allow"] == "GET"
    error_of(client.delete("/api/v1/regions/region-stuttgart"), 405, "method_not_allowed")


def test_a_crash_is_logged_and_answered_as_a_json_500(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("clusterportal.taxonomy.api.checked_query", broken)
    # The client would re-raise what got_request_exception reports (error trackers hear it).
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/technology-fields")

    error = error_of(response, 500, "server_error")
    assert "fire" not in error["message"]
    assert caplog.records[-1].exc_info[1].args == ("database on fire",)


def test_ninjas_own_validation_and_http_errors_take_the_one_shape():
    request = RequestFactory().get("/api/v1/initiatives")
    invalid = ValidationError(
        [{"loc": ("query", "page"), "msg": "Input should be a valid integer", "type": "x"}]
    )
    error = error_of(api.on_exception(request, invalid), 422, "validation_failed")
    assert error["fields"] == {"page": ["Input should be a valid integer"]}
    error_of(api.on_exception(request, HttpError(404, "gone")), 404, "not_found")


def test_head_answers_the_headers_of_get_without_a_body(client):
    get = client.get("/api/v1/regions")
    head = client.head("/api/v1/regions")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.content))


def test_data_follows_accept_language_and_ignores_the_language_cookie(client):
    client.cookies["django_language"] = "en"
    german = client.get("/api/v1/initiatives", {"field": "medical-engineering"})
    english = client.get(
        "/api/v1/initiatives",
        {"field": "medical-engineering"},
        headers={"accept-language": "en-GB,en;q=0.8"},
    )

    def label(response):
        facet = response.json()["facets"]["field"]
        return next(v["label"] for v in facet if v["value"] == "medical-engineering")

    assert (label(german), german["Content-Language"]) == ("Medizintechnik", "de")
    assert (label(english), english["Content-Language"]) == ("Medical engineering", "en")
    assert "Accept-Language" in english["Vary"]
    assert german["ETag"] != english["ETag"]
    assert english.json()["results"][0]["html_url"] == "http://testserver/en/cluster/biolago/"


def test_a_failed_if_match_is_a_412_in_the_one_shape(client):
    for url in ("/api/v1/initiatives", "/api/v1/regions"):  # data ETag, body ETag
        error_of(client.get(url, headers={"if-match": '"other"'}), 412, "precondition_failed")


def test_the_docs_page_says_its_language_and_leads_back_to_the_portal(client):
    html = client.get("/api/v1/docs").content.decode()
    assert '<html lang="en">' in html and '<main id="swagger-ui">' in html
    assert '<header class="api-docs-header"><a href="/">← Clusterportal</a></header>' in html
    assert '"deepLinking": false' in html  # no links inside Swagger's operation buttons


@pytest.mark.parametrize("url", ["/api/v1/openapi.json", "/api/v1/docs"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
def test_the_schema_and_the_docs_page_are_read_only(client, url, method):
    response = client.generic(method, url)
    error = error_of(response, 405, "method_not_allowed")
    assert error["message"] == f"The method {method} is not allowed here; use GET."
    assert response["Allow"] == "GET"
    assert client.head(url).status_code == 200


def test_the_region_type_parameter_documents_the_pattern_it_is_checked_with(client):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = schema["paths"]["/api/v1/atlas/editions/{slug}/results"]["get"]["parameters"]
    (region_type,) = [p for p in parameters if p["name"] == "region_type"]
    assert region_type["schema"] == {"type": "string", "maxLength": 20, "pattern": "^[a-z0-9_-]+$"}


def test_a_request_without_a_client_address_is_a_json_403_not_a_crash(client):
    # Found by schemathesis: allauth's rate limit raises PermissionDenied without REMOTE_ADDR.
    response = client.post(
        "/api/v1/events/cluster-brunch-2016/registrations",
        "{}",
        content_type="application/json",
        REMOTE_ADDR="",
    )
    error = error_of(response, 403, "permission_denied")
    assert error["message"] == "Unable to determine client IP address"
