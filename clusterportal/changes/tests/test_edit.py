"""The self-service edit form: who may open it, what a save does, conflicts, bad input."""

import pytest

from clusterportal.changes.models import ChangeRequest
from clusterportal.changes.tests.pages import form_data, text

pytestmark = pytest.mark.django_db


def edit_url(initiative):
    return f"/cluster/{initiative.slug}/bearbeiten/"


class TestWhoMayEdit:
    def test_the_manager_of_the_initiative_gets_the_form(self, client, people):
        client.force_login(people.mia)
        response = client.get(edit_url(people.textiles))
        assert response.status_code == 200
        page = response.content.decode()
        assert "<legend>Beschreibung</legend>" in page
        assert 'name="edit_token"' in page
        assert 'for="id_description_en"' in page

    def test_a_curator_gets_the_form(self, client, people):
        client.force_login(people.clara)
        assert client.get(edit_url(people.textiles)).status_code == 200

    def test_the_manager_of_an_initiative_in_another_region_gets_403(self, client, people):
        client.force_login(people.max)
        assert client.get(edit_url(people.textiles)).status_code == 403
        assert client.post(edit_url(people.textiles), form_data(people.textiles)).status_code == 403
        assert not ChangeRequest.objects.exists()

    def test_a_company_user_gets_403(self, client, people):
        client.force_login(people.ute)
        assert client.get(edit_url(people.textiles)).status_code == 403

    def test_the_regional_contact_reviews_but_does_not_edit(self, client, people):
        client.force_login(people.rainer)
        assert client.get(edit_url(people.textiles)).status_code == 403

    def test_an_anonymous_visitor_is_sent_to_the_login(self, client, people):
        response = client.get(edit_url(people.textiles))
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/?next=")

    def test_an_unknown_initiative_is_404(self, client, people):
        client.force_login(people.clara)
        assert client.get("/cluster/gibt-es-nicht/bearbeiten/").status_code == 404


class TestSaving:
    def test_a_save_becomes_a_request_and_the_public_profile_stays_until_approval(
        self, client, people
    ):
        client.force_login(people.mia)
        data = form_data(people.textiles, description="Technische Textilien von der Alb.")
        response = client.post(edit_url(people.textiles), data, follow=True)
        change = ChangeRequest.objects.get()
        assert response.redirect_chain[-1][0] == f"/cluster/antraege/{change.pk}/"
        assert f"Ihr Änderungsantrag #{change.pk} ist gestellt." in text(response.content.decode())
        assert change.changes == {"description": "Technische Textilien von der Alb."}
        assert change.author == people.mia
        public = text(client.get(people.textiles.get_absolute_url()).content.decode())
        assert "Technische Textilien von der Alb." not in public

    def test_the_form_starts_from_the_open_request_and_says_so(self, client, people):
        client.force_login(people.mia)
        client.post(edit_url(people.textiles), form_data(people.textiles, city="Albstadt"))
        page = client.get(edit_url(people.textiles)).content.decode()
        change = ChangeRequest.objects.get()
        assert f"Es gibt einen offenen Antrag #{change.pk}" in text(page)
        assert 'name="city" value="Albstadt"' in page

    def test_a_second_save_amends_the_open_request(self, client, people):
        client.force_login(people.mia)
        client.post(edit_url(people.textiles), form_data(people.textiles, city="Albstadt"))
        response = client.post(
            edit_url(people.textiles), form_data(people.textiles, postcode="72458"), follow=True
        )
        change = ChangeRequest.objects.get()
        assert change.revision == 2
        assert change.changes == {"city": "Albstadt", "postcode": "72458"}
        assert "ist ergänzt (Fassung 2)" in text(response.content.decode())

    def test_technology_fields_and_partnerships_are_saved_as_lists(self, client, people):
        client.force_login(people.mia)
        data = form_data(
            people.textiles,
            technology_fields=["faserbasierte-werkstoffe", "leichtbau"],
            **{
                "partnerships-0-country": "Frankreich",
                "partnerships-0-partner_region": "Grand Est",
            },
        )
        client.post(edit_url(people.textiles), data)
        change = ChangeRequest.objects.get()
        assert change.changes["technology_fields"] == ["faserbasierte-werkstoffe", "leichtbau"]
        assert change.changes["partnerships"] == [
            {"country": "Frankreich", "partner_region": "Grand Est", "note": ""}
        ]

    def test_saving_the_profile_unchanged_makes_no_request(self, client, people):
        client.force_login(people.mia)
        response = client.post(edit_url(people.textiles), form_data(people.textiles))
        assert response.status_code == 200
        assert "Keine Änderung gegenüber dem Profil." in text(response.content.decode())
        assert not ChangeRequest.objects.exists()


class TestConflicts:
    def test_a_stale_token_keeps_the_input_and_names_what_changed(self, client, people):
        client.force_login(people.mia)
        stale = form_data(people.textiles, description="Meine lange Beschreibung.")
        # Meanwhile a curator changes the city in the back office.
        people.textiles.city = "Metzingen"
        people.textiles.save()
        response = client.post(edit_url(people.textiles), stale)
        assert response.status_code == 409
        page = response.content.decode()
        assert "Inzwischen wurde etwas geändert" in text(page)
        assert "<strong>Ort</strong>: jetzt „Metzingen“" in page
        assert "Meine lange Beschreibung." in page  # the editor's input is kept
        assert not ChangeRequest.objects.exists()
        # The page carries the new token: saving again goes through.
        token = response.context["form"].meta["edit_token"].value()
        assert (
            client.post(edit_url(people.textiles), {**stale, "edit_token": token}).status_code
            == 302
        )
        assert ChangeRequest.objects.get().changes["description"] == "Meine lange Beschreibung."

    def test_a_second_editor_with_the_old_token_gets_a_conflict_and_the_first_request_stays(
        self, client, people
    ):
        client.force_login(people.mia)
        first = form_data(people.textiles, city="Albstadt")
        second = form_data(people.textiles, city="Tübingen")
        assert client.post(edit_url(people.textiles), first).status_code == 302
        response = client.post(edit_url(people.textiles), second)
        assert response.status_code == 409
        assert 'value="Tübingen"' in response.content.decode()
        assert ChangeRequest.objects.get().changes == {"city": "Albstadt"}


class TestBadInput:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("description", "x" * 5001, "höchstens 5000 Zeichen"),
            ("goals_en", "<script>alert(1)</script>", "ohne HTML-Auszeichnungen"),
            ("contact_person", "<b>Chefin</b>", "ohne HTML-Auszeichnungen"),
            ("website", "javascript:alert(1)", "gültige Adresse"),
            ("contact_email", "keine-adresse", "gültige E-Mail-Adresse"),
            ("activities_per_year", "-3", "größer oder gleich 0"),
        ],
    )
    def test_it_names_the_field_next_to_it_and_in_the_summary_and_saves_nothing(
        self, client, people, field, value, message
    ):
        client.force_login(people.mia)
        response = client.post(
            edit_url(people.textiles), form_data(people.textiles, **{field: value})
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert f'<a href="#id_{field}">' in page  # the summary links to the field
        assert f'id="id_{field}-error"' in page
        assert f'aria-describedby="id_{field}-error' in page
        assert message in text(page)
        assert not ChangeRequest.objects.exists()

    def test_a_partnership_row_without_a_country_is_an_error_of_that_row(self, client, people):
        client.force_login(people.mia)
        data = form_data(people.textiles, **{"partnerships-1-partner_region": "Grand Est"})
        response = client.post(edit_url(people.textiles), data)
        assert response.status_code == 400
        assert (
            '<a href="#id_partnerships-1-country">Partnerschaft 2: Land</a>'
            in response.content.decode()
        )
        assert not ChangeRequest.objects.exists()

    def test_a_post_without_the_csrf_token_is_refused(self, people):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(people.mia)
        response = client.post(
            edit_url(people.textiles), form_data(people.textiles, city="Albstadt")
        )
        assert response.status_code == 403
        assert not ChangeRequest.objects.exists()
