"""Who may do what with a posting, each cell both ways with the personas (docs/roles.md).

The posting in question is Mia's, for the textiles initiative in Neckar-Alb (Rainer's Region);
a second one is Max's for CARS (Region Stuttgart, not Rainer's)."""

from __future__ import annotations

import pytest

from clusterportal.partnersearch.tests.helpers import published, write

pytestmark = pytest.mark.django_db


def _persona(people, name):
    return getattr(people, name)


@pytest.fixture
def pending(people):
    return write(people.mia, initiative=people.textiles.slug, organisation_name="")


@pytest.fixture
def public(people):
    return published(people.mia, people.clara, initiative=people.textiles.slug,
                     organisation_name="")  # fmt: skip


@pytest.fixture
def cars_pending(people):
    return write(people.max, initiative=people.cars.slug, organisation_name="")


MATRIX = [
    # permission, posting fixture, who may, who may not
    ("partnersearch.post", None, ["clara", "rainer", "mia", "max", "ute"], ["anonymous"]),
    ("partnersearch.view_posting", "pending", ["clara", "rainer", "mia"], ["max", "ute", "anonymous"]),
    ("partnersearch.view_posting", "public", ["clara", "rainer", "mia", "max", "ute", "anonymous"], []),
    ("partnersearch.view_posting", "cars_pending", ["clara", "max"], ["rainer", "mia", "ute", "anonymous"]),
    ("partnersearch.edit_posting", "public", ["mia", "clara"], ["rainer", "max", "ute", "anonymous"]),
    ("partnersearch.review_posting", "pending", ["clara", "rainer"], ["mia", "max", "ute", "anonymous"]),
    ("partnersearch.review_posting", "cars_pending", ["clara"], ["rainer", "max", "mia", "ute", "anonymous"]),
    ("partnersearch.respond", "public", ["clara", "rainer", "max", "ute"], ["mia", "anonymous"]),
    ("partnersearch.respond", "pending", [], ["clara", "rainer", "max", "ute", "mia", "anonymous"]),
    ("partnersearch.report_outcome", "public", ["mia"], ["clara", "rainer", "max", "ute", "anonymous"]),
    ("partnersearch.review_queue", None, ["clara", "rainer"], ["mia", "max", "ute", "anonymous"]),
    ("partnersearch.see_outcomes", None, ["clara"], ["rainer", "mia", "max", "ute", "anonymous"]),
]  # fmt: skip


@pytest.mark.parametrize(("permission", "fixture", "allowed", "refused"), MATRIX)
def test_the_role_matrix(request, people, permission, fixture, allowed, refused):
    posting = request.getfixturevalue(fixture) if fixture else None
    for name in allowed:
        assert _persona(people, name).has_perm(permission, posting), (name, permission, fixture)
    for name in refused:
        assert not _persona(people, name).has_perm(permission, posting), (name, permission, fixture)


def test_a_pending_posting_is_a_404_for_others_and_shown_to_its_author(client, people, pending):
    url = pending.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(people.ute)
    assert client.get(url).status_code == 404
    client.force_login(people.mia)
    page = client.get(url)
    assert page.status_code == 200
    assert "wartet auf die Prüfung" in page.content.decode()


def test_only_the_author_and_curators_may_edit_or_close(client, people, public):
    client.force_login(people.max)
    assert client.get(f"/partnersuche/{public.pk}/bearbeiten/").status_code == 403
    assert client.post(f"/partnersuche/{public.pk}/schliessen/").status_code == 403
    public.refresh_from_db()
    assert public.status == "published"
    client.force_login(people.mia)
    assert client.get(f"/partnersuche/{public.pk}/bearbeiten/").status_code == 200


def test_the_review_queue_shows_a_contact_only_their_regions_postings(
    client, people, pending, cars_pending
):
    from clusterportal.tests.personas import log_in_with_totp

    log_in_with_totp(client, people.rainer)
    response = client.get("/partnersuche/pruefung/")
    assert [p.pk for p in response.context["postings"]] == [pending.pk]
    log_in_with_totp(client, people.clara)
    response = client.get("/partnersuche/pruefung/")
    assert [p.pk for p in response.context["postings"]] == [pending.pk, cars_pending.pk]
    client.force_login(people.mia)
    assert client.get("/partnersuche/pruefung/").status_code == 403


def test_a_contact_cannot_publish_another_regions_posting(client, people, cars_pending):
    from clusterportal.tests.personas import log_in_with_totp

    log_in_with_totp(client, people.rainer)
    response = client.post(f"/partnersuche/{cars_pending.pk}/pruefen/", {"decision": "publish"})
    assert response.status_code == 403
    cars_pending.refresh_from_db()
    assert cars_pending.status == "pending"


def test_the_author_cannot_send_interest_to_their_own_posting(client, people, public):
    client.force_login(people.mia)
    assert client.get(f"/partnersuche/{public.pk}/interesse/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, public):
    response = client.get(f"/partnersuche/{public.pk}/interesse/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert client.get("/partnersuche/neu/").status_code == 302
