"""A request's steps as model methods: the states, the refusals, the history and the mails."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from clusterportal.services.models import ServiceRequest, StepRefused
from clusterportal.services.tests.helpers import closed_request, make_request, service, soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def mails(mailoutbox, django_capture_on_commit_callbacks):
    """Run each step's after-commit mails; the outbox of the test."""

    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    run.outbox = mailoutbox
    return run


def recipients(outbox) -> list[str]:
    return sorted(address for mail in outbox for address in mail.to)


def test_a_request_goes_from_requested_to_closed_with_its_history(people):
    request = make_request(people)
    assert request.status == ServiceRequest.Status.REQUESTED
    request.assign(people.clara, people.clara)
    assert request.status == ServiceRequest.Status.ASSIGNED
    assert request.advisor == people.clara
    when = soon()
    request.schedule(people.clara, when, "Reutlingen")
    assert request.status == ServiceRequest.Status.SCHEDULED
    assert request.scheduled_for == when
    request.close(people.clara, "Coaching fand statt.")
    assert request.status == ServiceRequest.Status.CLOSED
    assert request.closed_at is not None
    steps = [h.history_change_reason for h in request.history.order_by("history_date", "pk")]
    assert steps == ["requested", "assigned", "scheduled", "closed"]
    users = [h.history_user for h in request.history.order_by("history_date", "pk")]
    assert users == [people.mia, people.clara, people.clara, people.clara]


def test_every_step_is_mailed_to_those_it_concerns_and_not_to_who_took_it(people, mails):
    request = mails(make_request, people)
    # A new request goes to the ClusterAgentur (the curators).
    assert recipients(mails.outbox) == ["clara.curator@wm.example"]
    assert "Einzelcoaching" in mails.outbox[0].subject
    assert "Strategieworkshop" in mails.outbox[0].body
    assert "-- English --" in mails.outbox[0].body
    mails.outbox.clear()
    # Clara assigns herself: the requester hears of it, Clara does not.
    mails(request.assign, people.clara, people.clara)
    assert recipients(mails.outbox) == ["mia.manager@textil.example"]
    mails.outbox.clear()
    mails(request.schedule, people.clara, soon(), "online")
    assert recipients(mails.outbox) == ["mia.manager@textil.example"]
    assert "online" in mails.outbox[0].body
    mails.outbox.clear()
    mails(request.close, people.clara, "erledigt")
    assert recipients(mails.outbox) == ["mia.manager@textil.example"]
    mails.outbox.clear()
    mails(request.ask_for_feedback, people.clara)
    assert recipients(mails.outbox) == ["mia.manager@textil.example"]
    assert "1 bis 5" in mails.outbox[0].body
    mails.outbox.clear()
    mails(request.give_feedback, people.mia, 5, "Sehr hilfreich")
    assert recipients(mails.outbox) == ["clara.curator@wm.example"]
    assert "Sehr hilfreich" in mails.outbox[0].body


def test_an_advisor_assigned_by_a_colleague_is_told(people, mails):
    from clusterportal.accounts.models import Role, grant
    from clusterportal.tests.personas import account

    colleague = account("berta.beraterin@clusteragentur.example", "Berta")
    grant(colleague, Role.Kind.CURATOR)
    request = make_request(people)
    mails(request.assign, people.clara, colleague)
    assert recipients(mails.outbox) == [
        "berta.beraterin@clusteragentur.example",
        "mia.manager@textil.example",
    ]


def test_the_mails_go_through_the_outbox(people, settings, django_capture_on_commit_callbacks):
    from clusterportal.outbox.models import OutboxMessage

    settings.EMAIL_BACKEND = "clusterportal.outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        make_request(people)
    stored = OutboxMessage.objects.filter(to=["clara.curator@wm.example"])
    assert stored.count() == 1
    assert "Neue Anfrage" in stored.get().subject


def test_closing_a_closed_request_is_refused_and_changes_nothing(people):
    request = closed_request(people)
    closed_at = request.closed_at
    with pytest.raises(StepRefused, match="schon abgeschlossen"):
        request.close(people.clara, "noch einmal")
    request.refresh_from_db()
    assert request.closed_at == closed_at
    assert request.closing_note == "Coaching fand statt."


def test_two_people_closing_at_once_close_it_once_and_mail_once(people, mails):
    first = make_request(people)
    second = ServiceRequest.objects.get(pk=first.pk)  # read before the first closes it
    mails(first.close, people.clara, "erledigt")
    sent = len(mails.outbox)
    with pytest.raises(StepRefused):
        mails(second.close, people.clara, "auch erledigt")
    assert len(mails.outbox) == sent
    assert ServiceRequest.objects.get(pk=first.pk).closing_note == "erledigt"
    assert first.history.filter(history_change_reason="closed").count() == 1


def test_feedback_is_given_once(people):
    request = closed_request(people)
    request.give_feedback(people.mia, 4, "gut")
    stale = ServiceRequest.objects.get(pk=request.pk)
    with pytest.raises(StepRefused, match="schon gegeben"):
        request.give_feedback(people.mia, 1, "doch nicht")
    with pytest.raises(StepRefused, match="schon gegeben"):
        stale.give_feedback(people.mia, 2, "")
    request.refresh_from_db()
    assert (request.feedback_score, request.feedback_text) == (4, "gut")


@pytest.mark.parametrize("score", [0, 6, -1, "fünf", "", None, 3.5])
def test_a_score_outside_one_to_five_is_refused(people, score):
    request = closed_request(people)
    with pytest.raises(ValidationError) as error:
        request.give_feedback(people.mia, score, "")
    assert error.value.message_dict["score"] == ["Bitte eine Bewertung von 1 bis 5 wählen."]
    request.refresh_from_db()
    assert request.feedback_at is None


def test_the_database_refuses_a_score_outside_the_scale_whoever_writes(people):
    from django.db import IntegrityError, transaction

    request = closed_request(people)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.filter(pk=request.pk).update(feedback_score=9)


def test_feedback_before_the_request_is_closed_is_refused(people):
    request = make_request(people)
    with pytest.raises(StepRefused, match="nach dem Abschluss"):
        request.give_feedback(people.mia, 5, "")


def test_asking_for_feedback_needs_a_closed_request_and_happens_once(people):
    request = make_request(people)
    with pytest.raises(StepRefused):
        request.ask_for_feedback(people.clara)
    request.close(people.clara)
    request.ask_for_feedback(people.clara)
    with pytest.raises(StepRefused, match="schon gebeten"):
        request.ask_for_feedback(people.clara)


def test_a_second_open_request_of_the_same_service_is_refused_and_names_the_first(people):
    first = make_request(people)
    with pytest.raises(StepRefused, match=f"#{first.pk}"):
        make_request(people, message="noch einmal")
    assert ServiceRequest.objects.filter(initiative=people.textiles).count() == 1
    # Once closed, the service can be asked for again.
    first.close(people.clara)
    assert make_request(people, message="wieder").pk != first.pk


def test_only_an_account_of_the_clusteragentur_can_advise(people):
    request = make_request(people)
    for person in (people.mia, people.rainer, people.ute):
        with pytest.raises(StepRefused, match="ClusterAgentur"):
            request.assign(people.clara, person)
    request.refresh_from_db()
    assert request.status == ServiceRequest.Status.REQUESTED


def test_scheduling_needs_an_advisor_and_a_date_ahead(people):
    request = make_request(people)
    with pytest.raises(StepRefused, match="zuerst"):
        request.schedule(people.clara, soon(), "")
    request.assign(people.clara, people.clara)
    with pytest.raises(ValidationError, match="Vergangenheit"):
        request.schedule(people.clara, soon(-1), "")
    assert ServiceRequest.objects.get(pk=request.pk).status == ServiceRequest.Status.ASSIGNED


def test_an_empty_or_overlong_message_is_refused(people):
    with pytest.raises(ValidationError):
        make_request(people, message="   ")
    with pytest.raises(ValidationError):
        make_request(people, message="x" * 2001)
    assert not ServiceRequest.objects.exists()


def test_a_service_that_takes_no_requests_is_refused(people):
    coaching = service()
    coaching.active = False
    coaching.save()
    with pytest.raises(StepRefused, match="keine Anfragen"):
        make_request(people)
