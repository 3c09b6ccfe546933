"""Mail about change requests: the right people, once the step has committed."""

import pytest

from clusterportal.accounts.models import Role, grant
from clusterportal.changes.forms import validate
from clusterportal.changes.models import ChangeRequest, edit_token
from clusterportal.tests.personas import account

pytestmark = pytest.mark.django_db


def propose(initiative, author, **values):
    return ChangeRequest.propose(
        initiative, author, validate(initiative, values), edit_token=edit_token(initiative)
    )


def recipients(mailoutbox):
    return sorted(address for mail in mailoutbox for address in mail.to)


def test_a_new_request_goes_to_the_regional_contact_of_the_region(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = propose(people.textiles, people.mia, city="Albstadt")
    assert recipients(mailoutbox) == ["rainer.regional@neckar-alb.example"]
    mail = mailoutbox[0]
    assert mail.subject == (
        f"Neuer Änderungsantrag #{change.pk} / New change request #{change.pk}: "
        "Cluster Technische Textilien Neckar-Alb"
    )
    assert (
        "Mia hat für „Cluster Technische Textilien Neckar-Alb“ einen Änderungsantrag" in mail.body
    )
    assert "Geänderte Felder: Ort" in mail.body
    assert "Changed fields: Town or city" in mail.body  # the English part
    assert f"http://127.0.0.1:8000/en/cluster/antraege/{change.pk}/" in mail.body
    assert f"http://127.0.0.1:8000/cluster/antraege/{change.pk}/" in mail.body


def test_a_request_of_a_statewide_network_goes_to_the_curators(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    manager = account("nora@afbw.example", "Nora")
    grant(manager, Role.Kind.CLUSTER_MANAGER, initiative=people.network)
    with django_capture_on_commit_callbacks(execute=True):
        propose(people.network, manager, city="Esslingen am Neckar")
    assert recipients(mailoutbox) == ["clara.curator@wm.example"]


def test_a_region_without_a_contact_sends_to_the_curators(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        propose(people.cars, people.max, city="Esslingen am Neckar")
    assert recipients(mailoutbox) == ["clara.curator@wm.example"]


def test_a_decision_goes_to_the_author_and_the_managers_not_to_the_reviewer(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = account("mara@textil.example", "Mara")
    grant(colleague, Role.Kind.CLUSTER_MANAGER, initiative=people.textiles)
    change = propose(people.textiles, people.mia, city="Albstadt")
    with django_capture_on_commit_callbacks(execute=True):
        change.approve(people.rainer, "Danke!")
    assert recipients(mailoutbox) == ["mara@textil.example", "mia.manager@textil.example"]
    assert "Nachricht: Danke!" in mailoutbox[0].body
    assert "angenommen" in mailoutbox[0].subject


def test_a_question_and_a_rejection_reach_the_author(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    change = propose(people.textiles, people.mia, city="Albstadt")
    with django_capture_on_commit_callbacks(execute=True):
        change.ask_for_more(people.rainer, "Welche Adresse genau?")
    assert recipients(mailoutbox) == ["mia.manager@textil.example"]
    assert "Welche Adresse genau?" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        change.reject(people.rainer, "Keine Rückmeldung.")
    assert len(mailoutbox) == 2 and "abgelehnt" in mailoutbox[1].subject


def test_no_mail_leaves_when_the_step_is_rolled_back(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            propose(people.textiles, people.mia, city="Albstadt")
            raise RuntimeError("the caller's transaction fails")
    assert mailoutbox == []
    assert not ChangeRequest.objects.exists()


def test_the_web_form_sends_the_mail_once_the_request_is_saved(
    client, people, mailoutbox, django_capture_on_commit_callbacks
):
    from clusterportal.changes.tests.pages import form_data

    client.force_login(people.mia)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/cluster/{people.textiles.slug}/bearbeiten/",
            form_data(people.textiles, city="Albstadt"),
        )
    assert recipients(mailoutbox) == ["rainer.regional@neckar-alb.example"]
