"""The response cache (lib/caching.py): a body per request and data version, nothing else.

The registry's lists through it are tested in registry/tests/test_caching.py.
"""

from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory

from clusterportal.lib.caching import cached_response


class Counter:
    def __init__(self, status: int = 200) -> None:
        self.calls = 0
        self.status = status

    def __call__(self) -> HttpResponse:
        self.calls += 1
        return HttpResponse(f"body {self.calls}", status=self.status, content_type="text/plain")


def get(path: str = "/liste/?a=1", **headers):
    return RequestFactory().get(path, headers=headers)


def test_the_same_request_and_version_is_answered_from_the_cache():
    respond = Counter()
    first = cached_response(get(), "test", ("default", 1, 7), respond)
    again = cached_response(get(), "test", ("default", 1, 7), respond)
    assert respond.calls == 1
    assert again.content == first.content == b"body 1"
    assert again["Content-Type"] == "text/plain"


def test_a_new_version_another_kind_or_query_is_worked_out_again():
    respond = Counter()
    cached_response(get(), "test", ("default", 1, 7), respond)
    cached_response(get(), "test", ("default", 2, 9), respond)
    cached_response(get(), "other", ("default", 2, 9), respond)
    cached_response(get("/liste/?a=2"), "test", ("default", 2, 9), respond)
    assert respond.calls == 4


def test_errors_are_not_kept():
    respond = Counter(status=404)
    cached_response(get(), "test", ("default", 1, 7), respond)
    cached_response(get(), "test", ("default", 1, 7), respond)
    assert respond.calls == 2


def test_a_hit_fills_the_response_given_with_its_headers():
    cached_response(get(), "test", ("default", 1, 7), Counter())
    response = HttpResponse()
    response["ETag"] = '"x"'
    answer = cached_response(get(), "test", ("default", 1, 7), Counter(), response)
    assert answer is response and answer.content == b"body 1" and answer["ETag"] == '"x"'


def test_no_entries_turn_the_cache_off(settings):
    settings.RESPONSE_CACHE_ENTRIES = 0
    respond = Counter()
    cached_response(get(), "test", ("default", 1, 7), respond)
    cached_response(get(), "test", ("default", 1, 7), respond)
    assert respond.calls == 2


def test_a_visitor_with_a_message_waiting_is_neither_answered_from_nor_kept_in_the_cache():
    respond = Counter()
    cached_response(get(), "test", ("default", 1, 7), respond)
    with_message = get()
    with_message._messages = CookieStorage(with_message)
    with_message._messages.add(constants.SUCCESS, "Sie haben sich abgemeldet.")
    cached_response(with_message, "test", ("default", 1, 7), respond)
    assert respond.calls == 2
    cached_response(with_message, "test", ("default", 2, 7), respond)
    assert cached_response(get(), "test", ("default", 2, 7), respond).content == b"body 4"
