"""TOTP is mandatory for staff: curators, regional contacts, is_staff (accounts/two_factor.py)."""

from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core.cache import caches
from django.test import Client

from clusterportal.tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

ACTIVATE = "/konto/2fa/totp/activate/"
PAGES = ["/cluster/", "/konto/uebersicht/", "/admin/", "/en/cluster/"]


@pytest.fixture(autouse=True)
def no_counts_from_other_tests():
    caches["default"].clear()  # TOTP codes used and login attempts


@pytest.fixture(autouse=True)
def code_valid_across_a_period_boundary(settings):
    """A code made just before a 30-second step ends is still checked after it."""
    settings.MFA_TOTP_TOLERANCE = 1


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def without_totp(user):
    Authenticator.objects.filter(user=user).delete()
    return user


def sent_to_set_up_totp(response) -> bool:
    return response.status_code == 302 and response["Location"] in (ACTIVATE, "/en" + ACTIVATE)


def test_a_cluster_manager_without_totp_is_not_made_to_set_it_up(client, people):
    client.force_login(people.mia)
    for page in PAGES[:2]:
        assert client.get(page).status_code == 200, page


def test_a_company_user_without_totp_is_not_made_to_set_it_up(client, people):
    client.force_login(people.ute)
    assert client.get("/konto/uebersicht/").status_code == 200


def test_a_regional_contact_without_totp_is_sent_to_set_it_up_from_every_page(client, people):
    client.force_login(without_totp(people.rainer))
    for page in PAGES:
        assert sent_to_set_up_totp(client.get(page)), page
    assert sent_to_set_up_totp(client.post("/konto/uebersicht/tokens/", {"name": "x"}))
    assert not people.rainer.api_tokens.exists()


def test_the_person_is_told_why(client, people):
    client.force_login(without_totp(people.rainer))
    page = client.get("/cluster/", follow=True).content.decode()
    assert "Bitte richten Sie zuerst die Zwei-Faktor-Anmeldung (TOTP) ein." in page


def test_a_curator_and_a_staff_account_without_totp_are_sent_as_well(client, people):
    client.force_login(without_totp(people.clara))
    assert sent_to_set_up_totp(client.get("/cluster/"))
    people.ute.is_staff = True
    people.ute.save()
    client.force_login(people.ute)
    assert sent_to_set_up_totp(client.get("/cluster/"))


def test_the_account_and_totp_pages_logout_static_files_and_the_api_stay_open(client, people):
    client.force_login(without_totp(people.rainer))
    for path in [
        "/konto/2fa/",
        "/konto/email/",
        "/konto/logout/",
        "/konto/reauthenticate/",
        "/en/konto/2fa/",
        "/api/v1/initiatives",
        "/static/css/portal.css",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
    # The activation page asks for the password first (allauth), then shows the code.
    assert client.get(ACTIVATE)["Location"].startswith("/konto/reauthenticate/")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/konto/logout/").status_code == 302


def test_the_regional_contact_gets_through_once_totp_is_set_up(client, people):
    rainer = without_totp(people.rainer)
    client.force_login(rainer)
    reauthenticated = client.post("/konto/reauthenticate/?next=" + ACTIVATE, {"password": PASSWORD})
    assert reauthenticated["Location"] == ACTIVATE
    assert client.get(ACTIVATE).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    activated = client.post(ACTIVATE, {"code": current_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=rainer, type=Authenticator.Type.TOTP).exists()
    for page in PAGES:
        assert client.get(page).status_code in (200, 302), page
        assert not sent_to_set_up_totp(client.get(page)), page
    assert client.get("/cluster/").status_code == 200


def test_a_staff_login_asks_for_the_code_and_then_lets_the_person_in(client, people):
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=people.rainer, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    response = client.post("/konto/login/", {"login": people.rainer.email, "password": PASSWORD})
    assert response["Location"] == "/konto/2fa/authenticate/"
    response = client.post("/konto/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/cluster/").status_code == 200
    assert client.get("/konto/uebersicht/").status_code == 200


def test_a_session_that_logged_in_with_totp_costs_no_query_for_the_check(client, people):
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=people.rainer, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    client.post("/konto/login/", {"login": people.rainer.email, "password": PASSWORD})
    client.post("/konto/2fa/authenticate/", {"code": current_code(secret)})
    client.get("/konto/uebersicht/")
    marked = _queries(client, "/konto/uebersicht/")
    other = Client()
    other.force_login(people.rainer)  # a session that did not log in with TOTP
    other.get("/konto/uebersicht/")
    unmarked = _queries(other, "/konto/uebersicht/")
    # Only the unmarked session asks whether TOTP is set up (the page reads the roles anyway).
    assert len(unmarked) == len(marked) + 1
    assert not [sql for sql in marked if "mfa_authenticator" in sql]
    assert len([sql for sql in unmarked if "mfa_authenticator" in sql]) == 1


def _queries(client, path: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries.captured_queries]
