"""The outbox in the back office: curators see it (read-only) and can send again at once."""

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.urls import reverse

from clusterportal.outbox.models import OutboxMessage, SentReminder
from clusterportal.tests.personas import log_in_with_totp

pytestmark = pytest.mark.django_db

FAILING = "clusterportal.outbox.tests.backends.FailingBackend"
LIST = reverse("admin:outbox_outboxmessage_changelist")


def staff(user):
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def failed_message(settings):
    settings.OUTBOX_DELIVERY_BACKEND = FAILING
    send_mail("Erinnerung", "Text", None, ["mia.manager@textil.example"])
    OutboxMessage.objects.deliver()
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return OutboxMessage.objects.get()


def test_a_curator_sees_the_outbox_with_the_error_of_a_failed_message(
    client, people, failed_message
):
    log_in_with_totp(client, staff(people.clara))

    page = client.get(LIST)
    detail = client.get(reverse("admin:outbox_outboxmessage_change", args=[failed_message.pk]))

    assert page.status_code == 200
    assert "mia.manager@textil.example" in page.content.decode()
    assert "SMTPServerDisconnected" in page.content.decode()
    assert detail.status_code == 200
    assert "Connection unexpectedly closed" in detail.content.decode()


@pytest.mark.parametrize("name", ["rainer", "mia", "ute"])
def test_staff_without_the_curator_role_do_not_see_the_outbox(client, people, name):
    log_in_with_totp(client, staff(getattr(people, name)))

    assert client.get(LIST).status_code == 403
    assert client.get(reverse("admin:outbox_sentreminder_changelist")).status_code == 403


def test_nobody_adds_changes_or_deletes_messages_in_the_back_office(client, people, failed_message):
    log_in_with_totp(client, staff(people.clara))

    assert client.get(reverse("admin:outbox_outboxmessage_add")).status_code == 403
    page = client.get(reverse("admin:outbox_outboxmessage_change", args=[failed_message.pk]))
    assert 'name="_save"' not in page.content.decode()
    delete = reverse("admin:outbox_outboxmessage_delete", args=[failed_message.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert OutboxMessage.objects.filter(pk=failed_message.pk).exists()


def test_retry_now_sends_a_failed_message_at_once_without_waiting_for_its_time(
    client, people, failed_message
):
    log_in_with_totp(client, staff(people.clara))

    response = client.post(
        LIST,
        {"action": "retry_now", "_selected_action": [failed_message.pk]},
        follow=True,
    )

    failed_message.refresh_from_db()
    assert failed_message.status == OutboxMessage.Status.SENT
    assert [message.subject for message in mail.outbox] == ["Erinnerung"]
    assert "1 E-Mail versandt, 0 fehlgeschlagen." in response.content.decode()


def test_the_sent_reminders_are_listed_for_curators(client, people):
    SentReminder.objects.create(
        kind="label_expiry_6m", object_key="registry.label:1", due_on="2027-03-15", recipients=2
    )
    log_in_with_totp(client, staff(people.clara))

    page = client.get(reverse("admin:outbox_sentreminder_changelist"))

    assert page.status_code == 200
    assert "label_expiry_6m" in page.content.decode()
