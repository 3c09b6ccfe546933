"""The review page: who sees it, the diff, the reviewer's three actions, withdrawal."""

import pytest

from clusterportal.changes.forms import validate
from clusterportal.changes.models import ChangeRequest, Event, edit_token
from clusterportal.changes.tests.pages import text

pytestmark = pytest.mark.django_db


def propose(initiative, author, **values):
    return ChangeRequest.propose(
        initiative, author, validate(initiative, values), edit_token=edit_token(initiative)
    )


def url(change, action=""):
    return f"/cluster/antraege/{change.pk}/{action}"


@pytest.fixture
def textiles_request(people):
    return propose(
        people.textiles,
        people.mia,
        description="Technische Textilien von der Schwäbischen Alb.",
        city="Albstadt",
        technology_fields=["faserbasierte-werkstoffe"],
    )


class TestWhoSeesIt:
    @pytest.mark.parametrize("name", ["mia", "rainer", "clara"])
    def test_the_author_the_contact_of_the_region_and_a_curator_see_it(
        self, client, people, textiles_request, name
    ):
        client.force_login(getattr(people, name))
        assert client.get(url(textiles_request)).status_code == 200

    @pytest.mark.parametrize("name", ["max", "ute"])
    def test_a_manager_of_another_region_and_a_company_user_get_403(
        self, client, people, textiles_request, name
    ):
        client.force_login(getattr(people, name))
        assert client.get(url(textiles_request)).status_code == 403

    def test_an_anonymous_visitor_is_sent_to_the_login(self, client, textiles_request):
        assert client.get(url(textiles_request)).status_code == 302


class TestThePage:
    def test_it_shows_long_texts_side_by_side_and_list_items_added(
        self, client, people, textiles_request
    ):
        client.force_login(people.rainer)
        page = client.get(url(textiles_request)).content.decode()
        assert '<div class="diff-text">' in page
        assert "Technische Textilien von der Schwäbischen Alb." in page
        words = text(page)
        assert "hinzu: Faserbasierte Werkstoffe" in words
        assert "Ort bisher: Reutlingen → beantragt: Albstadt" in words
        assert "Verlauf des Antrags gestellt" in words

    def test_the_reviewer_gets_the_three_actions_and_the_author_only_withdrawal(
        self, client, people, textiles_request
    ):
        client.force_login(people.rainer)
        page = client.get(url(textiles_request)).content.decode()
        assert 'value="approve"' in page and 'value="ask"' in page and 'value="reject"' in page
        assert "Antrag zurückziehen" not in page
        client.force_login(people.mia)
        page = client.get(url(textiles_request)).content.decode()
        assert 'value="approve"' not in page
        assert "Antrag zurückziehen" in page


class TestDeciding:
    def test_the_contact_of_neckar_alb_approves_and_the_public_page_shows_the_new_text(
        self, client, people, textiles_request
    ):
        client.force_login(people.rainer)
        response = client.post(url(textiles_request, "entscheiden/"), {"action": "approve"})
        assert response.status_code == 302
        textiles_request.refresh_from_db()
        assert textiles_request.status == ChangeRequest.Status.APPROVED
        assert textiles_request.reviewer == people.rainer
        page = text(client.get(people.textiles.get_absolute_url()).content.decode())
        assert "Technische Textilien von der Schwäbischen Alb." in page
        assert "Zuletzt bestätigt am" in page
        latest = people.textiles.history.latest()
        assert latest.history_user == people.rainer

    def test_the_contact_of_neckar_alb_cannot_review_a_request_for_cars_in_stuttgart(
        self, client, people
    ):
        change = propose(people.cars, people.max, city="Stuttgart-Mitte")
        client.force_login(people.rainer)
        assert client.get(url(change)).status_code == 403
        response = client.post(url(change, "entscheiden/"), {"action": "approve"})
        assert response.status_code == 403
        change.refresh_from_db()
        assert change.status == ChangeRequest.Status.PENDING

    def test_the_manager_cannot_approve_their_own_request(self, client, people, textiles_request):
        client.force_login(people.mia)
        response = client.post(url(textiles_request, "entscheiden/"), {"action": "approve"})
        assert response.status_code == 403

    def test_approving_twice_is_a_409_with_a_message_and_changes_nothing(
        self, client, people, textiles_request
    ):
        client.force_login(people.rainer)
        client.post(url(textiles_request, "entscheiden/"), {"action": "approve"})
        history = people.textiles.history.count()
        client.force_login(people.clara)
        response = client.post(url(textiles_request, "entscheiden/"), {"action": "approve"})
        assert response.status_code == 409
        assert "Über diesen Antrag ist schon entschieden (angenommen)." in text(
            response.content.decode()
        )
        assert people.textiles.history.count() == history
        assert textiles_request.events.filter(action=Event.Action.APPROVED).count() == 1

    def test_rejecting_a_decided_request_is_a_409(self, client, people, textiles_request):
        client.force_login(people.rainer)
        client.post(url(textiles_request, "entscheiden/"), {"action": "approve"})
        response = client.post(
            url(textiles_request, "entscheiden/"), {"action": "reject", "message": "doch nicht"}
        )
        assert response.status_code == 409
        textiles_request.refresh_from_db()
        assert textiles_request.status == ChangeRequest.Status.APPROVED

    def test_a_rejection_needs_a_reason_and_then_keeps_the_profile(
        self, client, people, textiles_request
    ):
        client.force_login(people.rainer)
        response = client.post(url(textiles_request, "entscheiden/"), {"action": "reject"})
        assert response.status_code == 400
        assert "Eine Ablehnung braucht eine Begründung." in response.content.decode()
        response = client.post(
            url(textiles_request, "entscheiden/"),
            {"action": "reject", "message": "Der Sitz ist in Mössingen."},
            follow=True,
        )
        assert "Der Antrag ist abgelehnt" in text(response.content.decode())
        textiles_request.refresh_from_db()
        assert textiles_request.status == ChangeRequest.Status.REJECTED
        assert textiles_request.reason == "Der Sitz ist in Mössingen."
        people.textiles.refresh_from_db()
        assert people.textiles.city == "Reutlingen"

    def test_ask_for_more_then_the_manager_amends_and_the_request_is_pending_again(
        self, client, people, textiles_request
    ):
        from clusterportal.changes.tests.pages import form_data

        client.force_login(people.rainer)
        response = client.post(url(textiles_request, "entscheiden/"), {"action": "ask"})
        assert response.status_code == 400  # a question needs its text
        client.post(
            url(textiles_request, "entscheiden/"),
            {"action": "ask", "message": "Bitte die Anzahl der Aktivitäten angeben."},
        )
        textiles_request.refresh_from_db()
        assert textiles_request.status == ChangeRequest.Status.NEEDS_MORE

        client.force_login(people.mia)
        page = text(client.get(f"/cluster/{people.textiles.slug}/bearbeiten/").content.decode())
        assert "Rückfrage der Prüfung: Bitte die Anzahl der Aktivitäten angeben." in page
        edit = f"/cluster/{people.textiles.slug}/bearbeiten/"
        client.post(edit, form_data(people.textiles, activities_per_year="14"))
        textiles_request.refresh_from_db()
        assert textiles_request.status == ChangeRequest.Status.PENDING
        assert textiles_request.revision == 2
        assert textiles_request.changes["activities_per_year"] == 14
        assert textiles_request.changes["city"] == "Albstadt"  # the first proposal stays
        actions = list(textiles_request.events.values_list("action", flat=True))
        assert actions == ["submitted", "asked", "amended"]

    def test_an_unknown_action_is_a_400(self, client, people, textiles_request):
        client.force_login(people.rainer)
        response = client.post(url(textiles_request, "entscheiden/"), {"action": "publish"})
        assert response.status_code == 400

    def test_deciding_needs_post(self, client, people, textiles_request):
        client.force_login(people.rainer)
        assert client.get(url(textiles_request, "entscheiden/")).status_code == 405

    def test_approval_refuses_when_the_profile_moved_and_names_the_field(
        self, client, people, textiles_request
    ):
        people.textiles.city = "Metzingen"
        people.textiles.save()
        client.force_login(people.rainer)
        response = client.post(url(textiles_request, "entscheiden/"), {"action": "approve"})
        assert response.status_code == 409
        page = text(response.content.decode())
        assert "Das Profil wurde seit dem Antrag geändert: Ort." in page
        assert "Seit dem Antrag im Profil geändert: Ort" in page
        people.textiles.refresh_from_db()
        assert people.textiles.description == ""


class TestWithdrawing:
    def test_the_author_withdraws_and_a_second_withdrawal_is_a_409(
        self, client, people, textiles_request
    ):
        client.force_login(people.mia)
        response = client.post(url(textiles_request, "zurueckziehen/"), follow=True)
        assert "Der Antrag ist zurückgezogen." in text(response.content.decode())
        textiles_request.refresh_from_db()
        assert textiles_request.status == ChangeRequest.Status.WITHDRAWN
        assert client.post(url(textiles_request, "zurueckziehen/")).status_code == 409

    def test_the_reviewer_cannot_withdraw_it(self, client, people, textiles_request):
        client.force_login(people.rainer)
        assert client.post(url(textiles_request, "zurueckziehen/")).status_code == 403
