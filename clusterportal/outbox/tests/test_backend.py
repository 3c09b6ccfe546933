"""The outbox backend: every message of Django's mail framework is stored, in the caller's
transaction, and delivered after the commit."""

import pytest
from django.core import mail
from django.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives, send_mail
from django.db import transaction
from django.test import override_settings

from clusterportal.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_send_mail_stores_the_message_with_recipients_subject_body_and_headers():
    EmailMessage(
        "Änderungsantrag 12",
        "Bitte prüfen.",
        "portal@example.org",
        to=["mia.manager@textil.example"],
        cc=["rainer.regional@neckar-alb.example"],
        bcc=["archiv@example.org"],
        reply_to=["redaktion@example.org"],
        headers={"X-Clusterportal": "change-request"},
    ).send()

    stored = OutboxMessage.objects.get()
    assert stored.subject == "Änderungsantrag 12"
    assert stored.body == "Bitte prüfen."
    assert stored.from_email == "portal@example.org"
    assert stored.to == ["mia.manager@textil.example"]
    assert stored.cc == ["rainer.regional@neckar-alb.example"]
    assert stored.bcc == ["archiv@example.org"]
    assert stored.reply_to == ["redaktion@example.org"]
    assert stored.headers["X-Clusterportal"] == "change-request"
    assert stored.headers["Message-ID"].startswith("<")
    assert stored.headers["Date"]
    assert stored.status == OutboxMessage.Status.PENDING
    assert stored.created_at is not None


def test_mail_of_other_apps_lands_in_the_outbox_without_their_code_knowing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_mail("Hallo", "Text", None, ["ute@unternehmen.example"])

    assert sent == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert [message.subject for message in mail.outbox] == ["Hallo"]


def test_a_rolled_back_transaction_stores_and_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                send_mail("Hallo", "Text", None, ["ute@unternehmen.example"])
                raise RuntimeError("the request fails after the mail")

    assert not OutboxMessage.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_nothing_is_delivered_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            send_mail("Hallo", "Text", None, ["ute@unternehmen.example"])
            assert mail.outbox == []
            assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING

    assert len(mail.outbox) == 1


@override_settings(OUTBOX_DELIVER_ON_COMMIT=False)
def test_delivery_after_the_commit_can_be_left_to_the_cron_job(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send_mail("Hallo", "Text", None, ["ute@unternehmen.example"])

    assert callbacks == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING
    assert mail.outbox == []


def test_a_message_without_recipients_is_not_stored():
    assert mail.get_connection().send_messages([EmailMessage("Hallo", "Text")]) == 0
    assert not OutboxMessage.objects.exists()


def test_a_header_with_a_newline_is_refused_where_the_mail_is_written():
    with pytest.raises(BadHeaderError):
        send_mail("Hallo\nBcc: alle@example.org", "Text", None, ["ute@unternehmen.example"])
    assert not OutboxMessage.objects.exists()


def test_html_version_and_attachments_are_sent_as_they_were_written():
    message = EmailMultiAlternatives("Bericht", "Text", None, ["ute@unternehmen.example"])
    message.attach_alternative("<p>Text</p>", "text/html")
    message.attach("liste.csv", "a;b\n1;2\n", "text/csv")
    message.attach("logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    message.send()

    OutboxMessage.objects.deliver()

    [sent] = mail.outbox
    assert sent.alternatives == [("<p>Text</p>", "text/html")]
    assert [(name, mimetype) for name, _content, mimetype in sent.attachments] == [
        ("liste.csv", "text/csv"),
        ("logo.png", "image/png"),
    ]
    assert sent.attachments[1][1] == b"\x89PNG\r\n\x1a\n"
    parts = [part.get_content_type() for part in sent.message().walk()]
    assert "text/html" in parts and "image/png" in parts


def test_a_mime_attachment_survives_storing():
    from email.mime.text import MIMEText

    message = EmailMessage("Bericht", "Text", None, ["ute@unternehmen.example"])
    part = MIMEText("inline text", "plain", "utf-8")
    part.add_header("Content-Disposition", "attachment", filename="notiz.txt")
    message.attach(part)
    message.send()

    OutboxMessage.objects.deliver()

    [sent] = mail.outbox
    names = [part.get_filename() for part in sent.message().walk() if part.get_filename()]
    assert names == ["notiz.txt"]


def test_every_attempt_sends_the_same_message_id_and_date():
    send_mail("Hallo", "Text", None, ["ute@unternehmen.example"])
    stored = OutboxMessage.objects.get()

    first = stored.as_email().message()
    second = stored.as_email().message()

    assert first["Message-ID"] == second["Message-ID"] == stored.headers["Message-ID"]
    assert first["Date"] == second["Date"]
