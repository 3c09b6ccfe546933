"""NUL characters never reach the database (issue 11, finding 4).

PostgreSQL cannot take a text with NUL: `/atlas/.../cluster/%00/` answered 500 there and 404
on SQLite. lib/security.RejectNulMiddleware answers 400 before any view runs; these tests walk
every URL pattern of the project and put %00 into each of its parameters, on whichever
database the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL).
"""

import json

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLResolver


def _formats(resolver: URLResolver, prefix: str = ""):
    """(format string, parameter names) of every pattern, as reverse() knows them."""
    for _key, entries in resolver.reverse_dict.lists():
        for possibilities, *_rest in entries:
            for format_string, parameters in possibilities:
                yield prefix + format_string, tuple(parameters)
    for _namespace, (namespace_prefix, sub) in resolver.namespace_dict.items():
        yield from _formats(sub, prefix + namespace_prefix)


def _patterns():
    return sorted(set(_formats(get_resolver())))


def _urls_with_nul():
    """Each pattern with %00 in one of its parameters (the others 'x'), or in the query."""
    for format_string, parameters in _patterns():
        if not parameters:
            yield "/" + format_string.replace("%%", "%") + "?q=%00"
        for nul_parameter in parameters:
            values = {name: "%00" if name == nul_parameter else "x" for name in parameters}
            yield "/" + format_string % values


URLS = list(_urls_with_nul())


def test_the_walk_covers_the_project_patterns_named_in_the_issue():
    assert "/atlas/x/cluster/%00/" in URLS
    assert "/api/v1/atlas/editions/x/clusters/%00" in URLS
    assert "/cluster/%00/" in URLS
    assert len(URLS) > 150


@pytest.mark.django_db
def test_every_url_with_nul_in_a_parameter_is_a_bad_request(client):
    # One test for all (some 370 requests): a test each would cost a transaction each.
    answers = {url: client.get(url).status_code for url in URLS}
    assert {url: status for url, status in answers.items() if status != 400} == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/atlas/bw-kreise-2015-2020/cluster/%00/",
        "/atlas/bw-kreise-2015-2020/region/%00/",
        "/atlas/bw-kreise-2015-2020/region/%00.csv",
        "/cluster/?q=%00",
        "/cluster/?region=%00",
    ],
)
def test_the_urls_of_the_issue_answer_the_400_page_in_german(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL-Zeichen" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_nul_in_its_error_shape(client):
    response = client.get("/api/v1/atlas/editions/bw-kreise-2015-2020/clusters/%00")
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "status": 400,
            "code": "invalid_parameters",
            "message": "The request contains a NUL character (%00) in its path.",
            "fields": {},
        }
    }


@pytest.mark.django_db
def test_nul_in_a_json_body_is_refused_before_the_view_naming_the_field(client):
    response = client.post(
        "/api/v1/events/cluster-brunch-2016/registrations",
        data=json.dumps({"name": "Nul\u0000", "answers": [{"text": "a\u0000"}]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "status": 400,
        "code": "invalid_fields",
        "message": "The body contains a NUL character in: answers.0.text, name.",
        "fields": {
            "answers.0.text": ["Null characters are not allowed."],
            "name": ["Null characters are not allowed."],
        },
    }


@pytest.mark.django_db
def test_nul_in_an_api_query_names_the_parameter(client):
    response = client.get("/api/v1/atlas/editions?page=1&q%00=x")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"q\x00": ["Contains a NUL character."]}


@pytest.mark.django_db
def test_nul_in_a_form_field_is_refused_before_the_view(client):
    response = client.post(
        "/konto/login/",
        "login=a%00%40example.org&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "NUL-Zeichen" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_a_multipart_form_field_is_refused_before_the_view(client):
    response = client.post("/cluster/aufnahme/", {"name": "Cluster\x00", "kind": "x"})
    assert response.status_code == 400
    assert "NUL-Zeichen" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_a_cookie_is_refused(client):
    client.cookies["sessionid"] = "abc\x00"
    assert client.get("/").status_code == 400


@pytest.mark.django_db
def test_an_ordinary_request_passes(client):
    assert client.get("/cluster/?q=Medizintechnik").status_code == 200
    assert client.get("/api/v1/initiatives?q=Medizintechnik").status_code == 200
