"""The reminder sender and `clusterportal send_reminders`, with sources made up for the test
(the label reminders are tested in registry/tests/test_labels.py)."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from clusterportal.outbox import reminders
from clusterportal.outbox.models import OutboxMessage, SentReminder
from clusterportal.outbox.reminders import Reminder

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 3, 15)
DUE: list[Reminder] = []


def made_up_source(today):
    return [reminder for reminder in DUE if reminder.due_on <= today]


def broken_source(today):
    raise RuntimeError("the source is broken")


def reminder(number: int = 1, recipients=("mia.manager@textil.example",), **values) -> Reminder:
    values = {
        "kind": "test_reminder",
        "object_key": f"registry.clusterinitiative:{number}",
        "due_on": DAY,
        "recipients": tuple(recipients),
        "subject": f"Erinnerung {number}",
        "body": "Bitte bestätigen.",
        **values,
    }
    return Reminder(**values)


@pytest.fixture(autouse=True)
def made_up_sources(settings, monkeypatch):
    settings.REMINDER_SOURCES = ["clusterportal.outbox.tests.test_reminders.made_up_source"]
    monkeypatch.setattr(f"{__name__}.DUE", [])


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_each_due_reminder_goes_out_once_to_each_recipient():
    DUE.append(reminder(1, recipients=["a@example.org", "b@example.org"]))
    DUE.append(reminder(2))

    output = run("--today", "2027-03-15")
    again = run("--today", "2027-03-15")

    assert sorted(message.to[0] for message in mail.outbox) == [
        "a@example.org",
        "b@example.org",
        "mia.manager@textil.example",
    ]
    assert "sent 2 (3 e-mails), 0 sent before, 0 skipped" in output
    assert "sent 0 (0 e-mails), 2 sent before" in again
    assert SentReminder.objects.count() == 2
    assert SentReminder.objects.get(object_key="registry.clusterinitiative:1").recipients == 2


def test_nothing_goes_out_before_the_due_day():
    DUE.append(reminder(1))

    assert "sent 0" in run("--today", "2027-03-14")
    assert mail.outbox == []
    assert "sent 1" in run("--today", "2027-03-15")


def test_a_reminder_without_recipients_is_skipped_with_its_reason_and_sent_once_someone_is_there():
    DUE.append(reminder(1, recipients=[], skip_reason="no cluster manager"))

    output = run("--today", "2027-03-15")

    assert "test_reminder: skipped 1 (no cluster manager)" in output
    assert not SentReminder.objects.exists()
    DUE[0] = reminder(1)
    assert "sent 1" in run("--today", "2027-03-16")


def test_a_dry_run_says_what_would_go_out_and_changes_nothing():
    DUE.append(reminder(1))

    output = run("--today", "2027-03-15", "--dry-run")

    assert "would send 1 (1 e-mails)" in output
    assert not SentReminder.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_the_messages_wait_in_the_outbox_and_the_command_delivers_them_at_the_end():
    DUE.append(reminder(1))

    output = run("--today", "2027-03-15")

    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert "outbox: 1 sent, 0 failed, 0 waiting" in output
    assert mail.outbox[0].subject == "Erinnerung 1"


def test_a_reminder_recorded_by_a_run_at_the_same_time_is_not_sent_again():
    SentReminder.objects.create(kind="test_reminder", object_key="x:1", due_on=DAY)

    assert reminders.send(reminder(object_key="x:1")) is False
    assert not OutboxMessage.objects.exists()


def test_the_record_and_the_messages_are_written_together_or_not_at_all(monkeypatch):
    from clusterportal.outbox.backends import OutboxBackend

    def full_disk(self, messages):
        raise IntegrityError("disk full")

    monkeypatch.setattr(OutboxBackend, "send_messages", full_disk)

    with pytest.raises(IntegrityError):
        reminders.send(reminder(1))
    assert not SentReminder.objects.exists()


def test_a_broken_source_does_not_hold_back_the_others_and_the_command_fails(settings):
    settings.REMINDER_SOURCES = [
        "clusterportal.outbox.tests.test_reminders.broken_source",
        "clusterportal.outbox.tests.test_reminders.made_up_source",
    ]
    DUE.append(reminder(1))

    with pytest.raises(CommandError, match="broken_source"):
        run("--today", "2027-03-15")
    assert len(mail.outbox) == 1


def test_a_day_that_is_not_a_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "15.03.2027")
