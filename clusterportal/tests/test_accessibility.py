"""What the accessibility review of the account, change-request and admission pages fixed
(WCAG 2.1 AA / BITV 2.0), checked in the markup: the browser checks (axe-core, 390 px) are
not part of the suite.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches

from clusterportal.changes.tests.pages import form_data, text
from clusterportal.tests.personas import PASSWORD, log_in_with_totp

pytestmark = pytest.mark.django_db

FORM = "/cluster/aufnahme/"


@pytest.fixture(autouse=True)
def no_counts_from_other_tests():
    caches["default"].clear()  # login attempts


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


class TestFacets:
    def test_filter_links_carry_no_aria_pressed_and_say_which_is_selected(self, client):
        html = client.get("/cluster/?region=region-neckar-alb").content.decode()
        assert "aria-pressed" not in html  # not allowed on a link (axe: aria-allowed-attr)
        selected = re.search(r'<a [^>]*class="selected"[^>]*>(.*?)</a>', html, re.S).group(1)
        assert "Neckar-Alb" in selected
        assert '<span class="visually-hidden"> (ausgewählt)</span>' in selected
        assert html.count('class="selected"') == 1


class TestMessages:
    def test_the_live_region_wraps_the_list_instead_of_replacing_its_role(self, client, people):
        client.force_login(people.mia)
        html = client.post(
            f"/konto/uebersicht/profil/{people.textiles.slug}/bestaetigen/", follow=True
        ).content.decode()
        assert '<div class="messages" role="status">' in html
        assert '<ul class="messages"' not in html and 'ul role="status"' not in html


class TestErrorSummaries:
    def test_the_admission_form_focuses_its_summary_and_says_error_in_the_title(self, client):
        html = client.post(FORM, {"name": ""}).content.decode()  # as a browser sends it empty
        assert re.search(r'<div class="error error-summary"[^>]*tabindex="-1"[^>]*autofocus>', html)
        assert title(html).startswith("Fehler: ")
        assert not title(client.get(FORM).content.decode()).startswith("Fehler")

    def test_the_edit_form_focuses_its_summary_and_says_error_in_the_title(self, client, people):
        client.force_login(people.mia)
        url = f"/cluster/{people.textiles.slug}/bearbeiten/"
        html = client.post(
            url, form_data(people.textiles, contact_email="keine-adresse")
        ).content.decode()
        assert 'id="error-summary" autofocus>' in html
        assert title(html).startswith("Fehler: ")


class TestAccountPage:
    """What to do next: each role finds its pages from the account page."""

    def test_a_cluster_manager_is_linked_to_editing_the_profile(self, client, people):
        client.force_login(people.mia)
        html = client.get("/konto/uebersicht/").content.decode()
        assert f'href="/cluster/{people.textiles.slug}/bearbeiten/"' in html
        assert 'href="/cluster/antraege/"' in html
        assert "?status=open" not in html and "/cluster/labels/" not in html

    def test_a_regional_contact_is_linked_to_the_open_requests(self, client, people):
        log_in_with_totp(client, people.rainer)
        html = client.get("/konto/uebersicht/").content.decode()
        assert 'href="/cluster/antraege/?status=open"' in html
        assert "/bearbeiten/" not in html and "/cluster/labels/" not in html

    def test_a_curator_is_linked_to_the_label_dashboard(self, client, people):
        log_in_with_totp(client, people.clara)
        html = client.get("/konto/uebersicht/").content.decode()
        assert 'href="/cluster/labels/"' in html
        assert 'href="/cluster/antraege/?status=open"' in html

    def test_a_user_without_a_role_gets_no_such_links(self, client, people):
        client.force_login(people.ute)
        html = client.get("/konto/uebersicht/").content.decode()
        assert "Was Sie hier tun können" not in html
        assert "/cluster/antraege/" not in html

    def test_the_english_page_speaks_english(self, client, people):
        client.force_login(people.mia)
        html = client.get("/en/konto/uebersicht/").content.decode()
        assert "What you can do here" in html


class TestAllauthPages:
    def test_the_login_page_addresses_people_formally_and_explains_the_code(self, client):
        html = client.get("/konto/login/").content.decode()
        page = text(html)
        assert "Du hast" not in page
        assert 'class="wrap account-page"' in html  # labels above inputs, visible errors
        assert 'href="/konto/login/code/"' in html and "Ohne Passwort anmelden" in page
        assert title(html).startswith("Anmelden – ")

    def test_the_login_form_still_logs_in_and_goes_on_to_the_page_asked_for(self, client, people):
        html = client.get("/konto/login/?next=/cluster/antraege/").content.decode()
        assert '<input type="hidden" name="next" value="/cluster/antraege/">' in html
        data = {"login": people.mia.email, "password": PASSWORD, "next": "/cluster/antraege/"}
        response = client.post("/konto/login/", data)
        assert response.status_code == 302 and response["Location"] == "/cluster/antraege/"
        assert client.get("/konto/uebersicht/").status_code == 200

    def test_a_failed_login_is_named(self, client, people):
        html = client.post(
            "/konto/login/", {"login": people.mia.email, "password": "falsch"}
        ).content.decode()
        assert 'class="errorlist nonfield"' in html

    @pytest.mark.parametrize(
        "url", ["/konto/signup/", "/konto/password/reset/", "/konto/login/code/"]
    )
    def test_the_entrance_pages_address_people_formally(self, client, url):
        page = text(client.get(url).content.decode())
        assert not re.search(r"\b(Du|du|dein|deine|dir|Gib)\b", page), url

    @pytest.mark.parametrize(
        "url, english",
        [
            ("/en/konto/login/", "Sign in without a password"),
            ("/en/konto/signup/", "You do not need an account to search the cluster database."),
            ("/en/konto/password/reset/", "Send the reset link"),
            ("/en/konto/login/code/", "Request a login code by e-mail"),
        ],
    )
    def test_the_english_entrance_pages_speak_english(self, client, url, english):
        assert english in text(client.get(url).content.decode())

    def test_totp_activation_shows_the_key_as_text_and_describes_the_qr_code(self, client, people):
        from allauth.mfa.models import Authenticator

        Authenticator.objects.filter(user=people.rainer).delete()
        client.post("/konto/login/", {"login": people.rainer.email, "password": PASSWORD})
        client.post("/konto/reauthenticate/", {"password": PASSWORD})
        response = client.get("/konto/2fa/totp/activate/")
        assert response.status_code == 200
        html = response.content.decode()
        secret = response.context["form"].secret
        assert f'<code class="totp-secret" id="authenticator_secret">{secret}</code>' in html
        assert f'alt="{secret}"' not in html and 'alt="QR-Code für die Authenticator-App"' in html
        assert "disabled" not in html  # the key is not hidden in a disabled input
        assert 'autocomplete="one-time-code"' in html  # allauth's code field
