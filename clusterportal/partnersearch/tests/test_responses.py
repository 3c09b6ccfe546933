"""Following, messages of interest, the owner's page and the outcomes."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from clusterportal.partnersearch.models import Follow, Outcome, Posting
from clusterportal.partnersearch.outcomes import add_months, due_questions
from clusterportal.partnersearch.reminders import posting_reminders
from clusterportal.partnersearch.tests.helpers import published

pytestmark = pytest.mark.django_db

INTEREST = {"sender_name": "Max Manager", "sender_organisation": "CARS",
            "message": "Wir haben Interesse an Ihrem Projekt.", "consent": "on"}  # fmt: skip


def test_interest_goes_to_the_owner_with_the_senders_address_as_reply_to(
    client, people, django_capture_on_commit_callbacks, mailoutbox
):
    posting = published(people.ute, people.clara)
    client.force_login(people.max)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/partnersuche/{posting.pk}/interesse/", INTEREST)
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["ute@unternehmen.example"]
    assert mail.reply_to == ["max.manager@cars.example"]
    assert "Wir haben Interesse an Ihrem Projekt." in mail.body
    # The address appears nowhere public.
    assert "max.manager@cars.example" not in client.get(posting.get_absolute_url()).content.decode()
    client.logout()
    assert "ute@unternehmen.example" not in client.get(posting.get_absolute_url()).content.decode()


def test_following_twice_keeps_one_follow_and_unfollowing_removes_it(client, people):
    posting = published(people.ute, people.clara)
    client.force_login(people.max)
    url = f"/partnersuche/{posting.pk}/folgen/"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Follow.objects.filter(posting=posting, user=people.max).count() == 1
    client.post(url, {"stop": "1"})
    assert not Follow.objects.filter(posting=posting).exists()


def test_months_are_added_as_on_a_calendar():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)
    assert add_months(datetime.date(2027, 3, 1), -7) == datetime.date(2026, 8, 1)


def _closed_on(posting, day: datetime.date) -> Posting:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Posting.objects.filter(pk=posting.pk).update(status="closed", closed_at=moment)
    return Posting.objects.prefetch_related("outcomes").get(pk=posting.pk)


def test_the_owner_is_asked_three_and_six_months_after_the_end(people):
    posting = published(people.ute, people.clara)
    closed = timezone.localdate() - datetime.timedelta(days=200)
    posting = _closed_on(posting, closed)
    questions = due_questions([posting])
    assert [q.months for q in questions] == [3, 6]
    assert questions[0].asked_on == add_months(closed, 3)
    Outcome.objects.create(posting=posting, months_after=3, result="talks")
    posting = Posting.objects.prefetch_related("outcomes").get(pk=posting.pk)
    assert [q.months for q in due_questions([posting])] == [6]


def test_answering_an_outcome_once_and_the_staff_see_the_counts(client, people):
    from clusterportal.tests.personas import log_in_with_totp

    posting = _closed_on(published(people.ute, people.clara),
                         timezone.localdate() - datetime.timedelta(days=100))  # fmt: skip
    client.force_login(people.ute)
    page = client.get("/partnersuche/meine/")
    assert [q.months for q in page.context["questions"]] == [3]
    url = f"/partnersuche/{posting.pk}/ergebnis/3/"
    prefix = f"o{posting.pk}-3"
    client.post(url, {f"{prefix}-result": "project", f"{prefix}-note": "Verbundantrag gestellt"})
    client.post(url, {f"{prefix}-result": "no_contact"})  # a second answer is not taken
    assert list(Outcome.objects.values_list("result", "note")) == [
        ("project", "Verbundantrag gestellt")
    ]
    assert client.post(f"/partnersuche/{posting.pk}/ergebnis/4/", {}).status_code == 404
    client.force_login(people.max)
    assert client.post(url, {f"{prefix}-result": "talks"}).status_code == 403
    assert client.get("/partnersuche/ergebnisse/").status_code == 403
    log_in_with_totp(client, people.clara)
    table = client.get("/partnersuche/ergebnisse/").context["rows"]
    assert table[0]["results"] == [("kein Kontakt", 0), ("Gespräche", 0),
                                   ("Projekt oder Vereinbarung", 1)]  # fmt: skip
    assert table[0]["total"] == 1 and table[1]["total"] == 0


def test_expiry_reminders_come_14_and_3_days_before(people):
    today = timezone.localdate()
    posting = published(people.ute, people.clara,
                        expires_on=(today + datetime.timedelta(days=10)).isoformat())  # fmt: skip
    [reminder] = [r for r in posting_reminders(today) if r.kind.startswith("posting_expiry")]
    assert reminder.kind == "posting_expiry_14d"
    assert reminder.recipients == ("ute@unternehmen.example",)
    assert reminder.due_on == posting.expires_on - datetime.timedelta(days=14)
    assert "in 10 Tagen" in reminder.subject
    later = posting.expires_on - datetime.timedelta(days=2)
    [reminder] = [r for r in posting_reminders(later) if r.kind.startswith("posting_expiry")]
    assert reminder.kind == "posting_expiry_3d"


def test_outcome_questions_are_mailed_once(people, mailoutbox):
    posting = published(people.ute, people.clara)
    today = timezone.localdate()
    _closed_on(posting, add_months(today, -3))
    mailoutbox.clear()
    call_command("send_reminders", today=today.isoformat(), stdout=open("/dev/null", "w"))
    call_command("send_reminders", today=today.isoformat(), stdout=open("/dev/null", "w"))
    asked = [m for m in mailoutbox if "Was ist aus Ihrer Partnersuche geworden" in m.subject]
    assert len(asked) == 1
    assert asked[0].to == ["ute@unternehmen.example"]
