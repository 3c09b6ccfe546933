"""The shared cache on Redis: what one app server counts or caches, every other one sees.

These tests need a Redis and run in their own step of .ci/run:

    REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/pytest -m redis

The settings are the production ones (settings.py builds both caches from REDIS_URL).
Without REDIS_URL, or with a Redis that does not answer, they fail; `make test` leaves
them out (pyproject.toml: -m "not redis"). A second app server is a second Python
process started here, with the same settings and no database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.core.cache import caches

from clusterportal.tests.personas import PASSWORD, account

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

LOGIN = "/konto/login/"


@pytest.fixture(autouse=True)
def redis_is_there():
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: run REDIS_URL=redis://127.0.0.1:6379/5 pytest -m redis")
    for alias in ("default", "responses"):
        backend = caches[alias]
        assert type(backend).__module__ == "django_redis.cache", alias
        backend.set("ping", "pong", 10)  # raises if Redis does not answer
    caches["default"].clear()  # this database is the tests' own (FLUSHDB, never FLUSHALL)


def other_server(code: str) -> dict:
    """Run `code` in a new process with the same settings; it sets `result`."""
    script = "import django, json\ndjango.setup()\n" + textwrap.dedent(code)
    script += "\nprint(json.dumps(result))\n"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clusterportal.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


LOCKED_ON_OTHER_SERVER = """
from allauth.core.exceptions import ImmediateHttpResponse
from django.test import RequestFactory
from clusterportal.accounts.adapter import AccountAdapter

result = {}
for address in %r:
    request = RequestFactory().post("/konto/login/", REMOTE_ADDR=address)
    try:
        AccountAdapter(request).pre_authenticate(request, email=%r, password="x")
        result[address] = "open"
    except ImmediateHttpResponse as refused:
        result[address] = refused.response.status_code
"""


def test_both_caches_are_redis_with_their_own_keys():
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
    assert settings.CACHES["responses"]["LOCATION"] == settings.REDIS_URL
    assert settings.CACHES["default"]["KEY_PREFIX"] != settings.CACHES["responses"]["KEY_PREFIX"]


def test_failed_logins_on_one_server_lock_the_account_on_every_server(client):
    anna = account("anna@firma.example")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = client.post(
            LOGIN, {"login": anna.email, "password": "falsch"}, REMOTE_ADDR="192.0.2.10"
        )
        assert response.status_code == 200
    seen = other_server(LOCKED_ON_OTHER_SERVER % (["192.0.2.10", "192.0.2.11"], anna.email))
    assert seen == {"192.0.2.10": 429, "192.0.2.11": "open"}
    response = client.post(
        LOGIN, {"login": anna.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )
    assert response.status_code == 429


def test_the_counts_expire_in_redis_by_themselves(client):
    anna = account("anna@firma.example")
    client.post(LOGIN, {"login": anna.email, "password": "falsch"})
    keys = caches["default"].keys("allauth:rl:*")
    assert keys
    for key in keys:
        assert 0 < caches["default"].ttl(key) <= settings.LOGIN_FAILURE_WINDOW


def test_a_list_rendered_on_one_server_is_served_from_redis_on_every_server(
    client, django_assert_max_num_queries
):
    first = client.get("/cluster/")
    assert first.status_code == 200
    stored = other_server(
        """
        from django.core.cache import caches
        cache = caches["responses"]
        result = [[key, cache.ttl(key)] for key in cache.keys("list:*")]
        """
    )
    assert len(stored) == 1
    ((_key, ttl),) = stored
    assert 0 < ttl <= settings.RESPONSE_CACHE_TIMEOUT
    with django_assert_max_num_queries(3):  # the data version and the session, no list query
        again = client.get("/cluster/")
    assert again.content == first.content


def test_sessions_can_live_in_redis_and_reach_every_server(client, people, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    client.force_login(people.mia)
    key = client.session.session_key
    seen = other_server(
        f"""
        from django.contrib.sessions.backends.cache import SessionStore
        result = SessionStore({key!r}).get("_auth_user_id")
        """
    )
    assert seen == str(people.mia.pk)
    assert client.get("/konto/uebersicht/").status_code == 200
