"""The pages: the catalogue, a request, the staff dashboard; who may do what, both ways."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusterportal.services.models import ServiceRequest
from clusterportal.services.tests.helpers import COACHING, closed_request, make_request, service
from clusterportal.tests.personas import log_in_with_totp

pytestmark = pytest.mark.django_db


def clara_client(client, people):
    log_in_with_totp(client, people.clara)
    return client


def post_request(client, initiative, slug=COACHING, message="Bitte um ein Coaching"):
    data = {"service": slug, "initiative": initiative, "message": message}
    return client.post(reverse("services:new"), data)


# The catalogue -----------------------------------------------------------------------


def test_the_catalogue_shows_every_shipped_service_with_its_kind(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("services:index"))
    assert response.status_code == 200
    text = response.content.decode()
    for title in ("Einzelcoaching", "Internationalisierungsstrategie", "Qualitätslabel",
                  "Workshops, Gruppencoaching und Qualifizierung"):  # fmt: skip
        assert title in text
    assert "Anfragen<span" not in text  # an anonymous visitor gets no request links


def test_the_catalogue_in_english(client):
    response = client.get("/en/leistungen/")
    assert "One-to-one coaching for cluster managements" in response.content.decode()


def test_a_service_page_names_its_source(client):
    response = client.get(reverse("services:detail", args=[COACHING]))
    assert response.status_code == 200
    assert service().source_url in response.content.decode()


def test_a_managers_catalogue_offers_the_request(client, people):
    client.force_login(people.mia)
    response = client.get(reverse("services:detail", args=[COACHING]))
    assert f"{reverse('services:new')}?service={COACHING}" in response.content.decode()


# Requesting -------------------------------------------------------------------------


def test_a_manager_requests_a_service_for_their_initiative(client, people):
    client.force_login(people.mia)
    response = post_request(client, people.textiles.slug)
    made = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == made.get_absolute_url()
    assert (made.initiative, made.requester) == (people.textiles, people.mia)


def test_the_request_form_offers_only_the_managers_initiatives(client, people):
    client.force_login(people.mia)
    page = client.get(reverse("services:new"), {"service": COACHING}).content.decode()
    assert people.textiles.name in page
    assert people.cars.name not in page


def test_a_request_for_an_initiative_one_does_not_manage_is_refused_with_the_input_kept(
    client, people
):
    client.force_login(people.mia)
    response = post_request(client, people.cars.slug, message="Mein Anliegen bleibt")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Sie verwalten" in text and "CARS" in text or "cars" in text.lower()
    assert "Mein Anliegen bleibt" in text
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("name", ["clara", "rainer", "ute"])
def test_people_who_manage_no_initiative_cannot_request(client, people, name):
    client.force_login(getattr(people, name))
    assert post_request(client, people.textiles.slug).status_code == 403
    assert not ServiceRequest.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login(client, people):
    response = post_request(client, people.textiles.slug)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_a_second_click_gets_a_clear_message_and_no_second_request(client, people):
    client.force_login(people.mia)
    post_request(client, people.textiles.slug)
    response = post_request(client, people.textiles.slug, message="nochmal")
    assert response.status_code == 409
    assert "schon angefragt" in response.content.decode()
    assert ServiceRequest.objects.count() == 1


def test_an_unknown_service_or_an_empty_message_is_a_400(client, people):
    client.force_login(people.mia)
    assert post_request(client, people.textiles.slug, slug="gibt-es-nicht").status_code == 400
    assert post_request(client, people.textiles.slug, message="").status_code == 400


# A request's page and its steps -------------------------------------------------------


def test_the_request_page_is_for_the_initiative_and_the_clusteragentur(client, people):
    request = make_request(people)
    url = request.get_absolute_url()
    for name, status in [("mia", 200), ("max", 403), ("rainer", 403), ("ute", 403)]:
        client.force_login(getattr(people, name))
        assert client.get(url).status_code == status, name
    clara_client(client, people)
    page = client.get(url).content.decode()
    assert "Beratung zuweisen" in page and "Strategieworkshop" in page


def test_staff_assign_schedule_close_and_ask_for_feedback_through_the_page(client, people):
    request = make_request(people)
    clara_client(client, people)
    url = lambda step: reverse(f"services:{step}", args=[request.pk])  # noqa: E731
    assert client.post(url("assign"), {"advisor": people.clara.pk}).status_code == 302
    response = client.post(url("schedule"), {"scheduled_for": "2099-03-02T10:00", "note": "online"})
    assert response.status_code == 302
    assert client.post(url("close"), {"note": "erledigt"}).status_code == 302
    assert client.post(url("ask_feedback")).status_code == 302
    request.refresh_from_db()
    assert request.status == ServiceRequest.Status.CLOSED
    assert request.feedback_requested_at is not None
    page = client.get(request.get_absolute_url()).content.decode()
    for step in ("angefragt", "einer Beratung zugewiesen", "Termin vereinbart", "abgeschlossen",
                 "um Rückmeldung gebeten"):  # fmt: skip
        assert step in page


def test_closing_a_closed_request_on_the_page_is_a_409_that_says_so(client, people):
    request = closed_request(people)
    clara_client(client, people)
    response = client.post(reverse("services:close", args=[request.pk]), {"note": "nochmal"})
    assert response.status_code == 409
    assert "schon abgeschlossen" in response.content.decode()


@pytest.mark.parametrize("step", ["assign", "schedule", "close", "ask_feedback"])
def test_a_manager_cannot_take_the_clusteragenturs_steps(client, people, step):
    request = make_request(people)
    client.force_login(people.mia)
    data = {"advisor": people.clara.pk, "scheduled_for": "2099-03-02T10:00", "note": ""}
    assert client.post(reverse(f"services:{step}", args=[request.pk]), data).status_code == 403
    assert ServiceRequest.objects.get(pk=request.pk).status == ServiceRequest.Status.REQUESTED


def test_the_requester_gives_feedback_once_through_the_page(client, people):
    request = closed_request(people)
    client.force_login(people.mia)
    url = reverse("services:feedback", args=[request.pk])
    assert client.post(url, {"score": "5", "text": "Sehr gut"}).status_code == 302
    response = client.post(url, {"score": "1", "text": "doch nicht"})
    assert response.status_code == 409
    assert "schon gegeben" in response.content.decode()
    request.refresh_from_db()
    assert (request.feedback_score, request.feedback_text) == (5, "Sehr gut")


def test_a_score_outside_the_scale_is_a_400_with_the_text_kept(client, people):
    request = closed_request(people)
    client.force_login(people.mia)
    url = reverse("services:feedback", args=[request.pk])
    response = client.post(url, {"score": "7", "text": "Mein Text bleibt"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Bitte eine Bewertung von 1 bis 5 wählen." in text and "Mein Text bleibt" in text
    assert ServiceRequest.objects.get(pk=request.pk).feedback_at is None


def test_only_the_requester_gives_feedback(client, people):
    from clusterportal.accounts.models import Role, grant
    from clusterportal.tests.personas import account

    colleague = account("kollegin@textil.example", "Kollegin")
    grant(colleague, Role.Kind.CLUSTER_MANAGER, initiative=people.textiles)
    request = closed_request(people)
    assert people.mia.has_perm("services.give_feedback", request)
    for person in (colleague, people.clara, people.max, people.rainer, people.ute):
        assert not person.has_perm("services.give_feedback", request)
        client.force_login(person)
        url = reverse("services:feedback", args=[request.pk])
        assert client.post(url, {"score": "3"}).status_code == 403
    assert not people.anonymous.has_perm("services.give_feedback", request)


def test_a_requester_who_no_longer_manages_the_initiative_gives_no_feedback(people):
    from clusterportal.accounts.models import Role
    from clusterportal.accounts.rules import forget_roles

    request = closed_request(people)
    Role.objects.filter(user=people.mia).delete()
    forget_roles(people.mia)
    assert not people.mia.has_perm("services.give_feedback", request)


# The staff dashboard ----------------------------------------------------------------


def _requests(people, first, last):
    from clusterportal.registry.models import ClusterInitiative

    slugs = ["coaching-clustermanagement", "strategieentwicklung", "kommunikationskonzepte"]
    initiatives = ClusterInitiative.objects.order_by("pk")[first:last]
    for index, initiative in enumerate(initiatives):
        ServiceRequest.open_for(service(slugs[index % 3]), initiative, people.mia, "Bitte")


def test_the_dashboard_reads_the_same_number_of_queries_for_3_or_20_requests(
    client, people, django_assert_num_queries
):
    clara_client(client, people)
    url = reverse("services:requests")
    client.get(url)  # the session and the roles are read once either way
    _requests(people, 0, 3)
    # The session, the user, the roles, the count and the page.
    with django_assert_num_queries(5) as three:
        assert client.get(url).status_code == 200
    _requests(people, 3, 20)
    with django_assert_num_queries(len(three.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_dashboard_shows_open_requests_oldest_first_with_their_age(client, people):
    import datetime

    from django.utils import timezone

    old = make_request(people)
    ServiceRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )
    new = make_request(people, slug="strategieentwicklung")
    done = make_request(people, slug="technologietransfer")
    done.close(people.clara)
    clara_client(client, people)
    page = client.get(reverse("services:requests")).content.decode()
    assert page.index(f"#{old.pk}<") < page.index(f"#{new.pk}<")
    assert f"#{done.pk}<" not in page
    assert '<td class="number overdue">20</td>' in page
    page = client.get(reverse("services:requests"), {"status": "closed"}).content.decode()
    assert f"#{done.pk}<" in page and f"#{old.pk}<" not in page


def test_a_manager_sees_only_their_initiatives_requests(client, people):
    mine = make_request(people)
    theirs = ServiceRequest.open_for(service(), people.cars, people.max, "Bitte")
    client.force_login(people.mia)
    page = client.get(reverse("services:requests")).content.decode()
    assert f"#{mine.pk}<" in page and f"#{theirs.pk}<" not in page


def test_a_bad_filter_is_a_400_naming_it(client, people):
    clara_client(client, people)
    response = client.get(reverse("services:requests"), {"status": "vergessen"})
    assert response.status_code == 400
