"""Personal data: download, deleting the account, the privacy page (accounts/privacy.py)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from clusterportal.accounts.models import ApiToken, ContactProfile, Role, grant
from clusterportal.changes.models import ChangeRequest
from clusterportal.registry.models import ClusterInitiative
from clusterportal.tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

DOWNLOAD = "/konto/uebersicht/meine-daten/"
DELETE = "/konto/uebersicht/loeschen/"
REAUTHENTICATE = "/konto/reauthenticate/"


@pytest.fixture
def mia_with_data(people):
    mia = people.mia
    _token, secret = ApiToken.issue(mia, "Webseite")
    ContactProfile.objects.create(
        user=mia,
        display_name="Mia Manager",
        organisation="Textilcluster",
        phone="07121 000",
        consent_given_at=timezone.now(),
        consent_text="2026-11",
    )
    request = ChangeRequest.propose(
        people.textiles, mia, {"activities_per_year": 17}, edit_token=None, note="Neue Zahl"
    )
    return mia, secret, request


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="clusterportal-meine-daten-'
    )
    assert "no-cache" in response["Cache-Control"]
    return json.loads(response.content)


def test_a_person_downloads_what_the_portal_holds_about_them(client, people, mia_with_data):
    mia, _secret, request = mia_with_data
    data = download(client, mia)
    assert data["format"] == "clusterportal-personal-data" and data["version"] == 1
    assert data["account"]["email"] == "mia.manager@textil.example"
    assert data["email_addresses"] == [
        {"email": "mia.manager@textil.example", "verified": True, "primary": True}
    ]
    assert data["roles"] == [
        {
            "role": "cluster_manager",
            "region": None,
            "initiative": people.textiles.slug,
            "granted_at": data["roles"][0]["granted_at"],
            "granted_by": "",
        }
    ]
    assert [token["name"] for token in data["api_tokens"]] == ["Webseite"]
    assert data["contact_profile"]["phone"] == "07121 000"
    assert data["contact_profile"]["consent_text"] == "2026-11"
    assert data["contact_profile"]["shown_publicly"] is True
    (mine,) = data["change_requests"]
    assert (mine["id"], mine["initiative"], mine["note"]) == (
        request.pk,
        people.textiles.slug,
        "Neue Zahl",
    )
    assert mine["changes"] == {"activities_per_year": 17}


def test_the_download_holds_no_secret(client, people, mia_with_data):
    mia, secret, _request = mia_with_data
    text = json.dumps(download(client, mia))
    assert secret not in text
    assert mia.password not in text
    assert ApiToken.objects.get(user=mia).digest not in text
    rainer = json.dumps(download(client, people.rainer))
    assert '"type": "totp"' in rainer
    assert "secret" not in rainer


def test_the_download_is_the_signed_in_persons_own(client, people, mia_with_data):
    response = client.get(DOWNLOAD)
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")
    text = json.dumps(download(client, people.max))
    assert "mia" not in text and "Neue Zahl" not in text


def test_deleting_the_account_asks_for_the_password_or_an_email_code_first(client, people):
    client.force_login(people.mia)
    response = client.post(DELETE, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == REAUTHENTICATE + "?next=%2Fkonto%2Fuebersicht%2Floeschen%2F"
    assert get_user_model().objects.filter(pk=people.mia.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert 'name="password"' in page
    assert "/konto/reauthenticate/code/" in page  # or a code by e-mail


def test_a_wrong_password_deletes_nothing(client, people):
    client.force_login(people.mia)
    client.post(DELETE, {"confirm": "on"})
    response = client.post(f"{REAUTHENTICATE}?next={DELETE}", {"password": "falsch"})
    assert response.status_code == 200
    assert get_user_model().objects.filter(pk=people.mia.pk).exists()


def test_after_the_password_the_account_goes_and_contributions_stay_without_the_name(
    client, people, mia_with_data
):
    mia, _secret, request = mia_with_data
    people.textiles._history_user = mia
    people.textiles.activities_per_year = 9
    people.textiles.save()
    client.force_login(mia)
    client.post(DELETE, {"confirm": "on"})
    response = client.post(f"{REAUTHENTICATE}?next={DELETE}", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/cluster/"
    assert not get_user_model().objects.filter(pk=mia.pk).exists()
    assert not Role.objects.filter(user_id=mia.pk).exists()
    assert not ApiToken.objects.filter(user_id=mia.pk).exists()
    assert not ContactProfile.objects.filter(user_id=mia.pk).exists()
    request.refresh_from_db()
    assert request.author is None
    assert (request.changes, request.note) == ({"activities_per_year": 17}, "Neue Zahl")
    assert request.events.get().actor is None
    latest = ClusterInitiative.history.filter(slug=people.textiles.slug).latest()
    assert latest.activities_per_year == 9 and latest.history_user is None
    assert not client.get("/konto/uebersicht/").wsgi_request.user.is_authenticated
    page = client.get("/cluster/").content.decode()
    assert "Ihr Konto ist gelöscht." in page


def test_without_the_confirmation_nothing_is_deleted(client, people):
    client.force_login(people.mia)
    client.post(DELETE, {})
    response = client.post(f"{REAUTHENTICATE}?next={DELETE}", {"password": PASSWORD})
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=people.mia.pk).exists()


def test_the_only_manager_of_a_profile_is_warned_before_deleting(client, people):
    client.force_login(people.mia)
    page = client.get(DELETE).content.decode()
    assert "Sie pflegen als Einzige(r) das Profil von Cluster Technische Textilien" in page
    grant(people.ute, Role.Kind.CLUSTER_MANAGER, initiative=people.textiles)
    page = client.get(DELETE).content.decode()
    assert "Sie pflegen als Einzige(r)" not in page


def test_the_only_regional_contact_and_the_only_curator_are_warned(client, people):
    from clusterportal.tests.personas import log_in_with_totp

    log_in_with_totp(client, people.rainer)
    assert (
        "Sie sind der einzige regionale Clusterkontakt für" in client.get(DELETE).content.decode()
    )
    log_in_with_totp(client, people.clara)
    assert (
        "Sie sind die einzige Kuratorin / der einzige Kurator."
        in client.get(DELETE).content.decode()
    )


def test_a_person_without_a_role_is_not_warned(client, people):
    client.force_login(people.ute)
    page = client.get(DELETE)
    assert page.status_code == 200
    assert page.context["warnings"] == []


# The privacy page


def test_the_privacy_page_says_what_is_stored_and_why(client):
    page = client.get("/datenschutz/").content.decode()
    for text in [
        "<h1>Datenschutz</h1>",
        "Server-Protokolle",
        "je Konto und Adresse 15 Minuten",
        "Rollen: welche Rolle Sie",
        "in welche Fassung des Einwilligungstexts",
        "Änderungsanträge: wer welche Änderung",
        "Historie: Jede Änderung eines öffentlichen Eintrags",
        "nur, wenn ihre Einwilligung vermerkt ist",
        "Fragen zum Datenschutz beantwortet der Herausgeber:",  # no PRIVACY_CONTACT set
    ]:
        assert text in page, text


def test_the_privacy_page_names_the_operator_from_the_settings(client, settings):
    settings.OPERATOR_NAME = "Beispielagentur GmbH"
    settings.PRIVACY_CONTACT = "datenschutz@beispiel.example"
    page = client.get("/datenschutz/").content.decode()
    assert "Betreiber dieser Installation: Beispielagentur GmbH." in page
    assert "datenschutz@beispiel.example" in page
    assert "Der Betreiber dieser Installation trägt hier" not in page


def test_the_privacy_page_is_in_english_too(client):
    page = client.get("/en/datenschutz/").content.decode()
    assert "<h1>Privacy</h1>" in page
    assert "Server logs" in page


def test_every_page_links_the_privacy_page(client):
    assert 'href="/datenschutz/"' in client.get("/cluster/").content.decode()
    assert 'href="/en/datenschutz/"' in client.get("/en/cluster/").content.decode()
