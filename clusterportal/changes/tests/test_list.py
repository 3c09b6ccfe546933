"""The list of change requests: what each person may see, the status filter, query counts."""

import pytest

from clusterportal.changes.forms import validate
from clusterportal.changes.models import ChangeRequest, edit_token
from clusterportal.registry.models import ClusterInitiative
from clusterportal.tests.personas import account, log_in_with_totp

pytestmark = pytest.mark.django_db

LIST_URL = "/cluster/antraege/"
# Session, user, roles (visible_to), count, page.
LIST_QUERIES = 5


def propose(initiative, author, **values):
    return ChangeRequest.propose(
        initiative, author, validate(initiative, values), edit_token=edit_token(initiative)
    )


@pytest.fixture
def requests(people):
    textiles = propose(people.textiles, people.mia, city="Albstadt")
    cars = propose(people.cars, people.max, city="Esslingen am Neckar")
    return textiles, cars


def shown(client):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    return sorted(change.pk for change in response.context["page"].object_list)


def test_a_curator_sees_every_request(client, people, requests):
    client.force_login(people.clara)
    assert shown(client) == sorted(r.pk for r in requests)


def test_the_contact_of_neckar_alb_sees_the_textiles_request_only(client, people, requests):
    client.force_login(people.rainer)
    assert shown(client) == [requests[0].pk]


def test_a_manager_sees_the_requests_of_their_initiative(client, people, requests):
    client.force_login(people.max)
    assert shown(client) == [requests[1].pk]


def test_a_company_user_sees_none_and_an_anonymous_visitor_is_sent_to_the_login(
    client, people, requests
):
    client.force_login(people.ute)
    assert shown(client) == []
    client.logout()
    assert client.get(LIST_URL).status_code == 302


def test_the_status_filter_keeps_open_or_decided_requests(client, people, requests):
    requests[0].approve(people.rainer)
    client.force_login(people.clara)
    response = client.get(LIST_URL, {"status": "open"})
    assert [c.pk for c in response.context["page"].object_list] == [requests[1].pk]
    response = client.get(LIST_URL, {"status": "approved"})
    assert [c.pk for c in response.context["page"].object_list] == [requests[0].pk]


def test_an_unknown_status_is_a_400_that_names_the_allowed_ones(client, people):
    client.force_login(people.clara)
    response = client.get(LIST_URL, {"status": "erledigt"})
    assert response.status_code == 400
    assert "Unbekannter Status „erledigt“" not in response.content.decode()
    assert "erlaubt sind: open, pending, needs_more" in response.content.decode()


def test_the_list_costs_the_same_queries_for_2_or_40_requests(
    client, people, django_assert_num_queries
):
    authors = [account(f"m{number}@x.example") for number in range(5)]
    for index, initiative in enumerate(ClusterInitiative.objects.published().order_by("pk")[:40]):
        ChangeRequest.objects.create(
            initiative=initiative, author=authors[index % 5], changes={"city": "X"}
        )
    log_in_with_totp(client, people.clara)  # a staff login: with TOTP
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 40
    assert "m1@x.example" in response.content.decode()
