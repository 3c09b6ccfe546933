"""Failed logins are counted per account and client, in the shared cache (accounts/adapter.py).

The audit found the old throttle counting per process and per REMOTE_ADDR: behind the
TLS proxy five wrong passwords from anyone locked every staff member out. These tests
log in through allauth's page as a person does; tests/test_shared_cache.py runs the
same counting against Redis.
"""

from __future__ import annotations

import pytest
from allauth.core.internal import ratelimit
from django.core.cache import caches

from clusterportal.tests.personas import account

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"
PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.2"  # the TLS proxy in front of the app servers


@pytest.fixture(autouse=True)
def no_counts_from_other_tests():
    caches["default"].clear()


@pytest.fixture
def anna(db):
    return account("anna@firma.example", "Anna")


@pytest.fixture
def bert(db):
    return account("bert@firma.example", "Bert")


def attempt(client, user, password: str = "falsch", **meta):
    meta.setdefault("REMOTE_ADDR", "192.0.2.10")
    return client.post(LOGIN, {"login": user.email, "password": password}, **meta)


def fail(client, user, times: int, **meta) -> None:
    for _ in range(times):
        response = attempt(client, user, **meta)
        assert response.status_code == 200  # the form again, with its error
        assert not response.wsgi_request.user.is_authenticated


def logged_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def test_five_wrong_passwords_lock_the_account_for_that_client(client, anna, settings):
    fail(client, anna, settings.LOGIN_FAILURE_LIMIT)
    response = attempt(client, anna, PASSWORD)
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_the_refusal_is_a_clear_429_page_with_retry_after(client, anna, settings):
    fail(client, anna, 5)
    response = attempt(client, anna)
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW) == "900"
    page = response.content.decode()
    assert "<h1>Zu viele Versuche</h1>" in page
    assert 'href="/konto/password/reset/"' in page
    english = client.post(
        "/en" + LOGIN, {"login": anna.email, "password": "x"}, REMOTE_ADDR="192.0.2.10"
    )
    assert english.status_code == 429
    assert "<h1>Too many attempts</h1>" in english.content.decode()


def test_a_locked_account_is_not_locked_for_other_accounts_from_the_same_address(
    client, anna, bert
):
    fail(client, anna, 5, REMOTE_ADDR=PROXY)
    assert attempt(client, anna, PASSWORD, REMOTE_ADDR=PROXY).status_code == 429
    assert logged_in(attempt(client, bert, PASSWORD, REMOTE_ADDR=PROXY))


def test_a_locked_account_still_logs_in_from_another_client(client, anna):
    fail(client, anna, 5, REMOTE_ADDR="192.0.2.10")
    assert logged_in(attempt(client, anna, PASSWORD, REMOTE_ADDR="192.0.2.99"))


def test_behind_a_trusted_proxy_each_forwarded_client_counts_on_its_own(client, anna, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    guesser = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    owner = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    fail(client, anna, 5, **guesser)
    assert attempt(client, anna, PASSWORD, **guesser).status_code == 429
    assert logged_in(attempt(client, anna, PASSWORD, **owner))


def test_a_forwarded_for_header_from_an_untrusted_source_is_ignored(client, anna, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    fail(client, anna, 5, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    # A made-up header does not make a new client: the address is still the same.
    response = attempt(
        client, anna, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1"
    )
    assert response.status_code == 429


def test_only_the_address_the_trusted_proxy_appended_counts(client, anna, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The guesser sends X-Forwarded-For himself; the proxy appends his real address.
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        header = f"{forged}, 198.51.100.7"
        fail(client, anna, 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    response = attempt(
        client, anna, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    assert response.status_code == 429


def test_a_trusted_client_address_header_names_the_client(client, anna, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    fail(client, anna, 5, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.7")
    assert (
        attempt(
            client, anna, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.7"
        ).status_code
        == 429
    )
    assert logged_in(
        attempt(client, anna, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.8")
    )


class Clock:
    """allauth's rate limits read time.time(); this one is moved by hand."""

    def __init__(self, monkeypatch):
        import time

        self.now = time.time()
        fake = type("time", (), {})()
        fake.time = lambda: self.now
        fake.monotonic = time.monotonic
        fake.sleep = time.sleep
        monkeypatch.setattr(ratelimit, "time", fake)


def test_the_lock_ends_after_the_window(client, anna, settings, monkeypatch):
    clock = Clock(monkeypatch)
    fail(client, anna, 5)
    clock.now += settings.LOGIN_FAILURE_WINDOW - 60
    assert attempt(client, anna, PASSWORD).status_code == 429
    clock.now += 61
    assert logged_in(attempt(client, anna, PASSWORD))


def test_a_successful_login_neither_counts_nor_forgives_the_failures_before(client, anna):
    fail(client, anna, 4)
    assert logged_in(attempt(client, anna, PASSWORD))
    client.logout()
    fail(client, anna, 1)
    assert attempt(client, anna, PASSWORD).status_code == 429


def test_one_client_trying_many_accounts_is_stopped(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "3/900s/ip,5/900s/key",
    }
    people = [account(f"person{i}@firma.example") for i in range(4)]
    for person in people[:3]:
        fail(client, person, 1)
    assert attempt(client, people[3], PASSWORD).status_code == 429
    assert logged_in(attempt(client, people[3], PASSWORD, REMOTE_ADDR="192.0.2.11"))


def test_one_account_tried_from_many_clients_is_stopped(client, anna, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "3/900s/key",
    }
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        fail(client, anna, 1, REMOTE_ADDR=address)
    assert attempt(client, anna, PASSWORD, REMOTE_ADDR="192.0.2.4").status_code == 429


def test_the_limits_come_from_the_settings():
    from django.conf import settings

    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "20/900s/ip,5/900s/key"
    assert settings.ACCOUNT_RATE_LIMITS["login_failed_account"] == "50/900s/key"
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    assert settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None


# The back office logs in through the same page.


def test_the_admin_login_sends_to_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/registry/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/admin/registry/"
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/konto/login/?next=/admin/"


def test_the_admin_login_checks_no_password_of_its_own(client, anna):
    anna.is_staff = anna.is_superuser = True
    anna.save()
    response = client.post("/admin/login/", {"username": anna.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
    assert not response.wsgi_request.user.is_authenticated


def test_the_admin_login_does_not_send_elsewhere(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/konto/login/?next=/admin/"


def test_a_signed_in_person_without_staff_rights_gets_403_at_the_admin_login(client, anna):
    client.force_login(anna)
    assert client.get("/admin/login/").status_code == 403
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_a_password_reset_lifts_the_lock_for_the_client_that_reset_it(client, anna, mailoutbox):
    import re

    fail(client, anna, 5)
    client.post("/konto/password/reset/", {"email": anna.email}, REMOTE_ADDR="192.0.2.10")
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+/)", mailoutbox[-1].body)
    form = client.get(link.group(1), REMOTE_ADDR="192.0.2.10", follow=True)
    new = "ein ganz neues Passwort 2026"
    done = client.post(
        form.redirect_chain[-1][0],
        {"password1": new, "password2": new},
        REMOTE_ADDR="192.0.2.10",
    )
    assert done.status_code == 302
    client.logout()
    assert logged_in(attempt(client, anna, new))
