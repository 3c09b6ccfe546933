"""The history of a profile for staff, and "zuletzt bestätigt am" on the public profile."""

import pytest
from django.utils import timezone

from clusterportal.changes.forms import validate
from clusterportal.changes.models import ChangeRequest, edit_token
from clusterportal.changes.tests.pages import text
from clusterportal.lib.language import long_date
from clusterportal.tests.personas import log_in_with_totp

pytestmark = pytest.mark.django_db

# Session, user, initiative, roles, history states with users, their requests.
HISTORY_QUERIES = 6


def approved(people, **values):
    initiative = people.textiles
    initiative.refresh_from_db()
    change = ChangeRequest.propose(
        initiative, people.mia, validate(initiative, values), edit_token=edit_token(initiative)
    )
    change.approve(people.rainer)
    return change


def history_url(people):
    return f"/cluster/{people.textiles.slug}/verlauf/"


def test_staff_see_when_who_which_request_and_which_fields(client, people):
    first = approved(people, city="Albstadt", technology_fields=["faserbasierte-werkstoffe"])
    second = approved(people, description="Neu beschrieben.")
    client.force_login(people.rainer)
    response = client.get(history_url(people))
    assert response.status_code == 200
    rows = [text(row) for row in response.content.decode().split("<tr>")[2:]]
    assert f"#{second.pk}" in rows[0] and "Kurzbeschreibung" in rows[0]
    assert "Rainer" in rows[0] and "gestellt von Mia" in rows[0]
    assert f"#{first.pk}" in rows[1]
    assert "Ort" in rows[1] and "Technologiefelder" in rows[1]
    assert "Kurzbeschreibung" not in rows[1]


@pytest.mark.parametrize(
    ("name", "status"), [("clara", 200), ("mia", 200), ("max", 403), ("ute", 403)]
)
def test_the_history_is_for_staff_and_the_initiatives_managers(client, people, name, status):
    client.force_login(getattr(people, name))
    assert client.get(history_url(people)).status_code == status


def test_the_history_page_costs_a_fixed_number_of_queries(
    client, people, django_assert_num_queries
):
    for city in ("Albstadt", "Balingen", "Hechingen"):
        approved(people, city=city)
    log_in_with_totp(client, people.clara)  # a staff login: with TOTP
    with django_assert_num_queries(HISTORY_QUERIES):
        client.get(history_url(people))


class TestPublicProfile:
    def test_it_says_when_the_profile_was_last_confirmed(self, client, people):
        page = text(client.get(people.textiles.get_absolute_url()).content.decode())
        assert "Zuletzt bestätigt am" not in page
        approved(people, city="Albstadt")
        people.textiles.refresh_from_db()
        day = people.textiles.confirmed_at
        page = text(client.get(people.textiles.get_absolute_url()).content.decode())
        assert f"Zuletzt bestätigt am {long_date(timezone.localdate(day))}" in page

    def test_english_pages_show_the_english_texts(self, client, people):
        approved(
            people,
            description="Garne, Gewebe und Vliesstoffe.",
            description_en="Yarns, fabrics and nonwovens.",
            goals="Nur deutsch.",
        )
        german = people.textiles.get_absolute_url()
        page = text(client.get(f"/en{german}").content.decode())
        assert "Yarns, fabrics and nonwovens." in page and "Garne, Gewebe" not in page
        assert "Nur deutsch." in page  # no English text: the German one
        page = text(client.get(german).content.decode())
        assert "Garne, Gewebe und Vliesstoffe." in page and "Yarns, fabrics" not in page

    def test_the_edit_link_is_shown_to_those_who_may_edit(self, client, people):
        edit = f'href="/cluster/{people.textiles.slug}/bearbeiten/"'
        assert edit not in client.get(people.textiles.get_absolute_url()).content.decode()
        client.force_login(people.max)
        assert edit not in client.get(people.textiles.get_absolute_url()).content.decode()
        client.force_login(people.mia)
        page = client.get(people.textiles.get_absolute_url()).content.decode()
        assert edit in page and f'href="/cluster/{people.textiles.slug}/verlauf/"' in page

    def test_markup_that_reached_the_record_another_way_stays_text(self, client, people):
        people.textiles.description = '<script>alert("x")</script>'
        people.textiles.save()
        page = client.get(people.textiles.get_absolute_url()).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert" in page
