"""The public forms' limits per client address (lib/throttle.py): the third registration
within ten minutes and the second feedback within the hour are refused with 429, a
Retry-After, a message that says why, and nothing written."""

import pytest
from django.core.cache import cache

from clusterportal.events.models import Registration
from clusterportal.events.tests.test_events import event, register, text
from clusterportal.portal.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_limits(settings):
    cache.clear()
    settings.PUBLIC_RATE_LIMITS = {"event_registration": "2/10m/ip", "feedback": "1/h/ip"}
    yield
    cache.clear()


def test_the_api_refuses_the_third_registration_from_one_client(client):
    event(capacity=10)
    for name in ("anna", "ben"):
        assert (
            register(client, "werkstatt", name=name, email=f"{name}@example.org").status_code == 201
        )
    third = register(client, "werkstatt", name="Cem", email="cem@example.org")
    assert third.status_code == 429 and third["Retry-After"] == "600"
    assert third.json()["error"]["code"] == "rate_limited"
    assert sorted(Registration.objects.values_list("name", flat=True)) == ["anna", "ben"]
    # Another client address is counted apart.
    other = client.post(
        "/api/v1/events/werkstatt/registrations",
        {"name": "Dora", "email": "dora@example.org"},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 201


def test_the_page_form_says_why_and_keeps_nothing(client):
    event(capacity=10)
    for name in ("anna", "ben"):
        client.post("/veranstaltungen/werkstatt/", {"name": name, "email": f"{name}@example.org"})
    third = client.post("/veranstaltungen/werkstatt/", {"name": "Cem", "email": "cem@example.org"})
    assert third.status_code == 429 and third["Retry-After"] == "600"
    assert "zu viele Anmeldungen" in text(third)
    assert Registration.objects.count() == 2


def test_a_second_feedback_within_the_hour_is_refused(client):
    form = {"message": "Der Kontrast der Karte ist zu schwach.", "page": "/karte/"}
    assert client.post("/barrierefreiheit/", form).status_code == 302
    again = client.post("/barrierefreiheit/", form)
    assert again.status_code == 429 and again["Retry-After"] == "3600"
    assert "zu viele Nachrichten" in text(again)
    assert Feedback.objects.count() == 1
