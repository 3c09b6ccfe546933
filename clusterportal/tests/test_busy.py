"""A write that cannot get the database's lock in time answers 503 "busy, try again".

On main such a write failed after 20 s with a 500 (`database is locked`), holding
one of the two gunicorn workers all that time.
"""

import json

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation

from clusterportal.tests.personas import PASSWORD, account

pytestmark = pytest.mark.django_db


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


def test_a_login_that_finds_the_database_locked_is_answered_503_busy(client, monkeypatch):
    account("kurator@example.org")
    monkeypatch.setattr(SessionStore, "save", locked)
    response = client.post(
        reverse("account_login"), {"login": "kurator@example.org", "password": PASSWORD}
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Gerade beschäftigt" in page
    assert "Bitte versuchen Sie es in einigen Sekunden erneut." in page


def test_the_busy_page_is_english_on_english_pages(client, monkeypatch):
    account("curator@example.org")
    monkeypatch.setattr(SessionStore, "save", locked)
    with translation.override("en"):
        url = reverse("account_login")
    response = client.post(url, {"login": "curator@example.org", "password": PASSWORD})
    assert response.status_code == 503
    page = response.content.decode()
    assert "Busy right now" in page
    assert "Please try again in a few seconds." in page


def test_the_api_answers_a_locked_database_with_a_json_503(rf):
    from clusterportal.api import _server_error

    response = _server_error(rf.get("/api/v1/initiatives"), OperationalError("database is locked"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert json.loads(response.content)["error"]["code"] == "busy"


def test_only_lock_timeouts_count_as_busy():
    from clusterportal.lib.busy import is_busy

    assert is_busy(OperationalError("database is locked"))
    assert not is_busy(OperationalError("no such table: registry_clusterinitiative"))
    assert not is_busy(ValueError("database is locked"))
