"""Following a programme: the button on its page, and the e-mails (calls/reminders.py)
that `clusterportal send_reminders` sends: each new call once, each deadline 14 and 3
days before it. The dates are hand-picked around a deadline on 20 March 2027, 23:59 in
Stuttgart."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from clusterportal.calls.models import Call, ProgrammeFollow
from clusterportal.calls.tests.helpers import berlin, make_call, make_programme
from clusterportal.tests.personas import account

pytestmark = pytest.mark.django_db

DEADLINE = berlin(2027, 3, 20, 23, 59)
OLD = berlin(2027, 2, 1, 10, 0)  # a call that came in then is no news in March


def remind(day: str) -> list:
    """The e-mails one run of send_reminders sends on `day`."""
    before = len(mail.outbox)
    call_command("send_reminders", "--today", day, verbosity=0)
    return mail.outbox[before:]


def call_made(slug: str, programme, when: datetime.datetime, deadlines=(DEADLINE,)):
    """A call that came into the portal at `when`."""
    call = make_call(slug, programme=programme, deadlines=deadlines)
    Call.objects.filter(pk=call.pk).update(created_at=when)
    return call


@pytest.fixture
def followed():
    """Ute follows the programme; Ben has an account and follows nothing."""
    programme = make_programme("innovationsgutschein")
    ute = account("ute@example.org", "Ute")
    account("ben@example.org", "Ben")
    ProgrammeFollow.objects.create(user=ute, programme=programme)
    return programme


def test_a_follower_hears_of_a_new_call_once(followed):
    call = call_made("runde-2027", followed, berlin(2027, 3, 2, 10, 0))
    sent = remind("2027-03-02")
    assert [(m.to, m.subject) for m in sent] == [
        (["ute@example.org"], "Neuer Aufruf: Aufruf runde-2027")
    ]
    assert "Frist: 20.03.2027 23:59 Uhr" in sent[0].body
    assert "http://127.0.0.1:8000" + call.get_absolute_url() in sent[0].body
    assert "Nicht mehr folgen" in sent[0].body
    assert remind("2027-03-02") == [] and remind("2027-03-03") == []


@pytest.mark.parametrize(
    "day, subject",
    [
        ("2027-03-06", "Frist in 14 Tagen: Aufruf runde-2027"),
        ("2027-03-17", "Frist in 3 Tagen: Aufruf runde-2027"),
    ],
)
def test_a_follower_is_reminded_14_and_3_days_before_a_deadline(followed, day, subject):
    call_made("runde-2027", followed, OLD)  # no news any more
    sent = remind(day)
    assert [(m.to, m.subject) for m in sent] == [(["ute@example.org"], subject)]
    assert remind(day) == []  # once


def test_no_mail_between_the_reminders_after_the_deadline_or_without_followers(followed):
    call_made("runde-2027", followed, OLD)
    call_made("anderes", make_programme("anderes"), OLD)
    for day in ("2027-03-06", "2027-03-17"):  # both reminders of the followed call
        assert len(remind(day)) == 1
    for day in ("2027-03-10", "2027-03-18", "2027-03-21"):
        assert remind(day) == []


def test_a_missed_run_is_caught_up_and_an_archived_programme_is_silent(followed):
    call_made("runde-2027", followed, OLD)
    # cron did not run on the 6th and 7th
    assert [m.subject for m in remind("2027-03-08")] == ["Frist in 12 Tagen: Aufruf runde-2027"]
    followed.archived = True
    followed.save()
    assert remind("2027-03-17") == []


def test_following_is_for_accounts_and_the_button_says_which_way(client, followed):
    page = reverse("calls:programme", args=[followed.slug])
    url = reverse("calls:follow", args=[followed.slug])
    anonymous = client.get(page).content.decode()
    assert "Anmelden, um diesem Programm zu folgen" in anonymous
    response = client.post(url, {"follow": "1"})
    assert response.status_code == 302 and "/konto/" in response["Location"]
    assert ProgrammeFollow.objects.filter(programme=followed).count() == 1  # Ute only
    ben = account("ben2@example.org")
    client.force_login(ben)
    assert "Diesem Programm folgen" in client.get(page).content.decode()
    assert client.get(url).status_code == 405
    assert client.post(url, {"follow": "1"}).status_code == 302
    client.post(url, {"follow": "1"})  # twice: still one
    assert ProgrammeFollow.objects.filter(user=ben, programme=followed).count() == 1
    shown = client.get(page).content.decode()
    assert "Sie folgen diesem Programm." in shown and "Nicht mehr folgen" in shown
    client.post(url, {"follow": "0"})
    assert not ProgrammeFollow.objects.filter(user=ben).exists()


def test_the_deadline_day_counts_on_the_portals_clock(followed):
    """A deadline at 00:30 in Stuttgart is 23:30 UTC the day before: its day is the 20th,
    so 3 days before it is the 17th, not the 16th."""
    call_made("frueh", followed, OLD, deadlines=(berlin(2027, 3, 20, 0, 30),))
    # On the UTC date (the 19th) the 16th would already be "in 3 Tagen".
    assert [m.subject for m in remind("2027-03-16")] == ["Frist in 4 Tagen: Aufruf frueh"]
    assert [m.subject for m in remind("2027-03-17")] == ["Frist in 3 Tagen: Aufruf frueh"]
