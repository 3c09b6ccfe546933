"""The waiting list's offers: a freed place is held for the next person for the event's
`offer_hours`, then passes on; accepting, declining, running out, the cron command."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from clusterportal.events import registration as registering
from clusterportal.events.models import Registration, RegistrationRefused
from clusterportal.events.tests.test_events import event

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def people_for(werkstatt, *names):
    return [werkstatt.register(n, f"{n.lower()}@example.org", False) for n in names]


def statuses() -> dict[str, str]:
    return dict(Registration.objects.values_list("name", "status"))


def test_an_offer_holds_the_place_for_its_hours_then_passes_on():
    werkstatt = event(capacity=2)  # offer_hours: 48 by default
    anna, ben, cem, dora = people_for(werkstatt, "Anna", "Ben", "Cem", "Dora")
    assert [r.status for r in (anna, ben, cem, dora)] == [
        "confirmed", "confirmed", "waitlisted", "waitlisted",
    ]  # fmt: skip
    t0 = timezone.now()
    moves = anna.withdraw(now=t0)
    assert [(m.kind, m.registration.name) for m in moves] == [("offered", "Cem")]
    cem.refresh_from_db()
    assert cem.offer_expires_at == t0 + 48 * HOUR
    # The offered place is taken: a newcomer queues behind Dora.
    (emil,) = people_for(werkstatt, "Emil")
    assert emil.status == "waitlisted" and emil.waiting_position() == 2

    assert werkstatt.settle_waiting_list(t0 + 47 * HOUR) == []  # still Cem's
    moves = werkstatt.settle_waiting_list(t0 + 48 * HOUR)
    assert [(m.kind, m.registration.name) for m in moves] == [
        ("expired", "Cem"), ("offered", "Dora"),
    ]  # fmt: skip
    with pytest.raises(RegistrationRefused) as late:
        cem.accept_offer(now=t0 + 49 * HOUR)
    assert late.value.code == "no_offer"
    dora.accept_offer(now=t0 + 50 * HOUR)
    assert statuses() == {
        "Anna": "withdrawn", "Ben": "confirmed", "Cem": "expired", "Dora": "confirmed",
        "Emil": "waitlisted",
    }  # fmt: skip
    assert Registration.objects.get(name="Dora").promoted_at == t0 + 50 * HOUR


def test_the_offer_ends_at_the_start_of_the_event_at_the_latest():
    start = timezone.now() + 10 * HOUR
    soon = event(capacity=1, starts_at=start, ends_at=start + 2 * HOUR)
    anna, ben = people_for(soon, "Anna", "Ben")
    anna.withdraw()
    ben.refresh_from_db()
    assert ben.status == "offered" and ben.offer_expires_at == start


def test_with_no_hours_the_next_moves_up_without_asking():
    werkstatt = event(capacity=1, offer_hours=0)
    anna, ben = people_for(werkstatt, "Anna", "Ben")
    registering.withdraw(anna)
    assert statuses() == {"Anna": "withdrawn", "Ben": "confirmed"}
    assert mail.outbox[-1].subject == "Platz frei: Werkstatt Leichtbau"
    assert "ist jetzt bestätigt" in mail.outbox[-1].body


def offer_link(message) -> str:
    return re.search(r"http://127.0.0.1:8000(/veranstaltungen/platz/\S+/)", message.body)[1]


def test_the_offer_mail_links_to_a_page_that_takes_the_place(client):
    werkstatt = event(capacity=1)
    anna, ben = people_for(werkstatt, "Anna", "Ben")
    registering.withdraw(anna)
    offer_mail = mail.outbox[-1]
    assert offer_mail.to == ["ben@example.org"]
    deadline = timezone.localtime(Registration.objects.get(name="Ben").offer_expires_at)
    assert f"bis {deadline:%d.%m.%Y, %H:%M} Uhr" in offer_mail.body
    page = client.get(offer_link(offer_mail))
    assert page.status_code == 200 and "Platz annehmen" in page.content.decode()
    taken = client.post(offer_link(offer_mail), {"answer": "accept"})
    assert "Ihre Anmeldung ist bestätigt." in taken.content.decode()
    assert statuses() == {"Anna": "withdrawn", "Ben": "confirmed"}


def test_declining_passes_the_place_to_the_next(client):
    werkstatt = event(capacity=1)
    anna, ben, cem = people_for(werkstatt, "Anna", "Ben", "Cem")
    registering.withdraw(anna)
    client.post(offer_link(mail.outbox[-1]), {"answer": "decline"})
    assert statuses() == {"Anna": "withdrawn", "Ben": "withdrawn", "Cem": "offered"}
    assert mail.outbox[-1].to == ["cem@example.org"]


def test_an_offer_that_ran_out_cannot_be_taken_and_says_so(client):
    werkstatt = event(capacity=1)
    anna, ben, cem = people_for(werkstatt, "Anna", "Ben", "Cem")
    registering.withdraw(anna)
    link = offer_link(mail.outbox[-1])
    Registration.objects.filter(name="Ben").update(offer_expires_at=timezone.now() - HOUR)
    late = client.post(link, {"answer": "accept"})
    assert late.status_code == 409
    assert "Das Platzangebot ist abgelaufen" in late.content.decode()
    assert statuses() == {"Anna": "withdrawn", "Ben": "expired", "Cem": "offered"}


def test_the_cron_command_passes_on_what_nobody_touched(capsys):
    werkstatt = event(capacity=1)
    anna, ben, cem = people_for(werkstatt, "Anna", "Ben", "Cem")
    registering.withdraw(anna)
    Registration.objects.filter(name="Ben").update(offer_expires_at=timezone.now() - HOUR)
    mail.outbox.clear()
    call_command("pass_on_offers")
    assert "1 offers expired, 1 places offered, 0 moved up" in capsys.readouterr().out
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ben@example.org"], "Platzangebot abgelaufen: Werkstatt Leichtbau"),
        (["cem@example.org"], "Platz frei für Sie: Werkstatt Leichtbau"),
    ]
    call_command("pass_on_offers")  # nothing more to do: no second mail
    assert len(mail.outbox) == 2


def test_after_an_offer_ran_out_the_same_address_may_register_again():
    werkstatt = event(capacity=1)
    anna, ben = people_for(werkstatt, "Anna", "Ben")
    anna.withdraw()
    werkstatt.settle_waiting_list(timezone.now() + 49 * HOUR)
    again = werkstatt.register("Ben", "ben@example.org", False)
    assert again.status == "confirmed"  # the place was free and nobody waited
