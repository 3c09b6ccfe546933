"""Delivery from the outbox: sent once, failures kept with their error and retried."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.mail import send_mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from clusterportal.outbox.models import OutboxMessage
from clusterportal.outbox.tests.backends import OverlappingBackend

pytestmark = pytest.mark.django_db

FAILING = "clusterportal.outbox.tests.backends.FailingBackend"
UNREACHABLE = "clusterportal.outbox.tests.backends.UnreachableBackend"
OVERLAPPING = "clusterportal.outbox.tests.backends.OverlappingBackend"


def queue(count: int = 1) -> list[OutboxMessage]:
    for number in range(count):
        send_mail(f"Nachricht {number}", "Text", None, [f"person{number}@example.org"])
    return list(OutboxMessage.objects.order_by("pk"))


def later(minutes: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_delivery_sends_each_pending_message_once_and_marks_it_sent():
    queue(3)

    first = OutboxMessage.objects.deliver()
    second = OutboxMessage.objects.deliver()

    assert (first.sent, first.failed) == (3, 0)
    assert (second.sent, second.failed) == (0, 0)
    assert sorted(message.subject for message in mail.outbox) == [
        "Nachricht 0",
        "Nachricht 1",
        "Nachricht 2",
    ]
    for message in OutboxMessage.objects.all():
        assert message.status == OutboxMessage.Status.SENT
        assert message.attempts == 1
        assert message.sent_at is not None


def test_a_failing_mail_server_keeps_the_message_with_its_error_and_a_later_run_sends_it_once(
    settings, monkeypatch
):
    [message] = queue()
    settings.OUTBOX_DELIVERY_BACKEND = FAILING

    failed = OutboxMessage.objects.deliver()

    message.refresh_from_db()
    assert (failed.sent, failed.failed) == (0, 1)
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert message.next_attempt_at > timezone.now()

    # The server is back, but the retry waits for its time.
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert OutboxMessage.objects.deliver().sent == 0
    assert mail.outbox == []

    moment = later(2)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert OutboxMessage.objects.deliver().sent == 1
    assert OutboxMessage.objects.deliver().sent == 0

    message.refresh_from_db()
    assert [sent.subject for sent in mail.outbox] == ["Nachricht 0"]
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2


def test_the_wait_between_retries_doubles_and_stops_growing_at_six_hours():
    delays = [OutboxMessage.retry_delay(attempts).total_seconds() for attempts in range(1, 6)]
    assert delays == [60, 120, 240, 480, 960]
    assert OutboxMessage.retry_delay(12) == datetime.timedelta(hours=6)
    assert OutboxMessage.retry_delay(1000) == datetime.timedelta(hours=6)


@override_settings(OUTBOX_DELIVERY_BACKEND=UNREACHABLE)
def test_an_unreachable_server_fails_the_batch_and_ends_the_run():
    queue(3)

    delivery = OutboxMessage.objects.deliver(batch_size=2)

    assert (delivery.sent, delivery.failed) == (0, 2)
    assert delivery.errors == ["ConnectionRefusedError: [Errno 111] Connection refused"]
    attempts = sorted(OutboxMessage.objects.values_list("attempts", flat=True))
    assert attempts == [0, 1, 1]


@override_settings(OUTBOX_DELIVERY_BACKEND=OVERLAPPING)
def test_a_run_that_starts_while_another_is_sending_sends_nothing_twice():
    queue(3)
    OverlappingBackend.nested_runs = []

    outer = OutboxMessage.objects.deliver()

    [inner] = OverlappingBackend.nested_runs
    assert (outer.sent, inner.sent) == (3, 0)
    assert len(mail.outbox) == 3
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_batch_claimed_by_a_run_that_died_goes_out_after_the_claim_expires(monkeypatch):
    queue(1)
    OutboxMessage.objects.update(claimed_until=later(5))

    assert OutboxMessage.objects.deliver().sent == 0

    moment = later(6)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert OutboxMessage.objects.deliver().sent == 1


def test_delivery_after_a_commit_sends_only_the_messages_of_that_commit(
    django_capture_on_commit_callbacks,
):
    [older] = queue()
    OutboxMessage.objects.filter(pk=older.pk).update(attempts=1, next_attempt_at=later(-1))

    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Neu", "Text", None, ["ute@unternehmen.example"])

    assert [message.subject for message in mail.outbox] == ["Neu"]
    assert OutboxMessage.objects.get(pk=older.pk).status == OutboxMessage.Status.PENDING


def test_the_command_delivers_reports_and_says_on_stderr_what_failed(settings):
    queue(2)
    settings.OUTBOX_DELIVERY_BACKEND = FAILING
    out, err = StringIO(), StringIO()

    call_command("send_mail_outbox", stdout=out, stderr=err)

    assert "0 sent, 2 failed, 2 waiting" in out.getvalue()
    assert err.getvalue().count("SMTPServerDisconnected") == 1


def test_the_command_forgets_sent_messages_after_the_kept_days(settings):
    old, recent, waiting = queue(3)
    OutboxMessage.objects.filter(pk__in=[old.pk, recent.pk]).update(
        status=OutboxMessage.Status.SENT
    )
    OutboxMessage.objects.filter(pk=old.pk).update(sent_at=later(-31 * 24 * 60))
    OutboxMessage.objects.filter(pk=recent.pk).update(sent_at=later(-29 * 24 * 60))
    OutboxMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=later(60))
    settings.OUTBOX_KEEP_SENT_DAYS = 30
    out = StringIO()

    call_command("send_mail_outbox", stdout=out)

    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert "forgot 1 sent messages older than 30 days" in out.getvalue()


def test_the_start_up_check_refuses_the_outbox_as_its_own_delivery_backend(settings):
    settings.OUTBOX_DELIVERY_BACKEND = "clusterportal.outbox.backends.OutboxBackend"
    assert [error.id for error in run_checks() if error.id.startswith("outbox")] == ["outbox.E002"]

    settings.OUTBOX_DELIVERY_BACKEND = "clusterportal.outbox.nonexistent.Backend"
    assert [error.id for error in run_checks() if error.id.startswith("outbox")] == ["outbox.E001"]

    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert not [error for error in run_checks() if error.id.startswith("outbox")]
