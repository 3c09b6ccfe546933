"""Every bad posting, message or request gets a message naming the field, and nothing is
written."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from clusterportal.partnersearch.models import Interest, Posting
from clusterportal.partnersearch.tests.helpers import posting_data, published

pytestmark = pytest.mark.django_db

NEW = "/partnersuche/neu/"


def _post(client, user, **changes):
    client.force_login(user)
    return client.post(NEW, posting_data(**changes))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"technology_fields": []}, "technology_fields",
         "Bitte wählen Sie mindestens ein Technologiefeld."),
        ({"technology_fields": ["no-such-field"]}, "technology_fields",
         "Kein Technologiefeld mit dem Kurznamen no-such-field."),
        ({"expires_on": "2020-01-01"}, "expires_on", "Das Ablaufdatum liegt in der Vergangenheit."),
        ({"expires_on": "not a date"}, "expires_on", "Bitte ein gültiges Datum eingeben."),
        ({"title": "Hi"}, "title", "Bitte geben Sie einen Titel mit mindestens 5 Zeichen an."),
        ({"description": "zu kurz"}, "description",
         "Bitte beschreiben Sie in mindestens 20 Zeichen, was Sie suchen."),
        ({"organisation_name": ""}, "organisation_name",
         "Bitte nennen Sie Ihre Organisation oder wählen Sie eine Initiative."),
        ({"purpose": "call_partner"}, "call",
         "Bitte wählen Sie den Förderaufruf, für den Sie Partner suchen."),
        ({"countries_sought": ["XX"]}, "countries_sought",
         "XX ist kein Ländercode nach ISO 3166-1."),
        ({"kind": "sale"}, "kind", "Bitte eine gültige Auswahl treffen. sale ist keine gültige Auswahl."),
    ],
)  # fmt: skip
def test_a_bad_posting_names_the_field_and_nothing_is_stored(
    client, people, changes, field, message
):
    response = _post(client, people.ute, **changes)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert Posting.objects.count() == 0


def test_an_expiry_beyond_a_year_is_refused(client, people):
    too_far = timezone.localdate() + datetime.timedelta(days=366)
    response = _post(client, people.ute, expires_on=too_far.isoformat())
    assert response.status_code == 400
    assert response.context["form"].errors["expires_on"] == [
        "Eine Partnersuche läuft höchstens 365 Tage; bitte ein früheres Datum."]  # fmt: skip
    assert Posting.objects.count() == 0


def test_a_posting_for_an_initiative_one_does_not_manage_is_refused(client, people):
    response = _post(client, people.mia, initiative=people.cars.slug)
    assert response.status_code == 400
    assert response.context["form"].errors["initiative"] == [
        "Sie können nur für eine Initiative suchen, deren Management Sie angehören."]  # fmt: skip
    assert Posting.objects.count() == 0


def test_scripts_and_javascript_links_in_a_description_render_inert(client, people):
    description = (
        "Wir suchen Partner. <script>alert('x')</script> "
        "[Klick](javascript:alert(1)) <img src=x onerror=alert(2)>"
    )
    posting = published(people.ute, people.clara, description=description)
    page = client.get(posting.get_absolute_url()).content.decode()
    prose = page.split('class="prose"')[1].split("</div>")[0]
    # Raw HTML is shown as text, and a javascript: link is no link.
    assert "<script>" not in prose and "&lt;script&gt;" in prose
    assert "<img" not in prose and "&lt;img" in prose
    assert 'href="javascript' not in page and "<a" not in prose


def test_a_message_with_a_script_is_shown_as_text_to_the_owner(client, people):
    posting = published(people.ute, people.clara)
    client.force_login(people.max)
    response = client.post(f"/partnersuche/{posting.pk}/interesse/", {
        "sender_name": "Max", "sender_organisation": "CARS",
        "message": "<script>alert(1)</script> Wir haben Interesse an Ihrem Projekt.",
        "consent": "on"})  # fmt: skip
    assert response.status_code == 302
    client.force_login(people.ute)
    page = client.get(posting.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Wir haben Interesse" in page
    assert "<script>alert(1)" not in page


def test_a_message_without_consent_or_too_short_is_refused_and_not_stored(client, people):
    posting = published(people.ute, people.clara)
    client.force_login(people.max)
    url = f"/partnersuche/{posting.pk}/interesse/"
    response = client.post(url, {"sender_name": "Max", "sender_organisation": "CARS",
                                 "message": "Interesse!"})  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["consent"] == [
        "Ohne Ihr Einverständnis kann die Nachricht nicht gesendet werden."
    ]
    assert Interest.objects.count() == 0


def test_a_message_to_a_closed_posting_is_refused_and_not_stored(client, people):
    posting = published(people.ute, people.clara)
    posting.close(people.ute)
    client.force_login(people.max)
    response = client.post(f"/partnersuche/{posting.pk}/interesse/", {
        "sender_name": "Max", "sender_organisation": "CARS",
        "message": "Wir haben Interesse an Ihrem Projekt.", "consent": "on"})  # fmt: skip
    assert response.status_code == 409
    assert "Diese Partnersuche ist beendet." in response.content.decode()
    assert "Sie nimmt keine Nachrichten mehr an" in response.content.decode()
    assert Interest.objects.count() == 0
    # Its page says that it ended, and shows nothing of its text.
    page = client.get(posting.get_absolute_url())
    assert page.status_code == 410
    assert "Verbundprojekt" not in page.content.decode()


def test_a_message_to_an_expired_posting_says_so(client, people, monkeypatch):
    posting = published(people.ute, people.clara, expires_on=timezone.localdate().isoformat())
    client.force_login(people.max)
    form_page = client.get(f"/partnersuche/{posting.pk}/interesse/")
    assert form_page.status_code == 200
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    response = client.post(f"/partnersuche/{posting.pk}/interesse/", {
        "sender_name": "Max", "sender_organisation": "CARS",
        "message": "Wir haben Interesse an Ihrem Projekt.", "consent": "on"})  # fmt: skip
    assert response.status_code == 409
    assert "abgelaufen und nicht mehr öffentlich" in response.content.decode()
    assert Interest.objects.count() == 0


def test_bursts_of_postings_are_rate_limited_per_account_and_the_form_is_kept(
    client, people, settings
):
    from django.core.cache import cache

    cache.clear()
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "partnersearch_post": "2/h/user"}
    for number in range(2):
        assert _post(client, people.ute, title=f"Partnersuche Nummer {number}").status_code == 302
    refused = _post(client, people.ute, title="Partnersuche Nummer 3")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Partnersuche Nummer 3" in refused.content.decode()  # what was typed is kept
    assert Posting.objects.count() == 2
    # Another account is not affected.
    assert _post(client, people.max, title="Partnersuche von Max").status_code == 302


def test_bursts_of_messages_are_rate_limited_per_account(client, people, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS, "partnersearch_interest": "1/h/user"}  # fmt: skip
    posting = published(people.ute, people.clara)
    client.force_login(people.max)
    data = {"sender_name": "Max", "sender_organisation": "CARS",
            "message": "Wir haben Interesse an Ihrem Projekt.", "consent": "on"}  # fmt: skip
    url = f"/partnersuche/{posting.pk}/interesse/"
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 429
    assert Interest.objects.count() == 1
