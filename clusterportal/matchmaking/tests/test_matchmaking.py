"""Matchmaking at an event: slots, profiles, who sees what, requests and their answers,
expiry, the agenda with its iCal feed, and the organisers' counts and scheduler."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command

from clusterportal.matchmaking.models import (
    Booking,
    Meeting,
    MeetingRequest,
    Refused,
)
from clusterportal.matchmaking.tests.factories import (
    BERLIN,
    Setting,
    event,
    matchmaking,
    profile,
    text,
)
from clusterportal.tests.personas import account, log_in_with_totp

pytestmark = pytest.mark.django_db

BASE = "/matchmaking/werkstatt"


@pytest.fixture(autouse=True)
def roomy_requests(settings):
    cache.clear()  # the per-account counts of other tests (user ids come back on SQLite)
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS,
        "matchmaking_request": "1000/m/user",
    }
    yield
    cache.clear()


@pytest.fixture
def s(people):
    return Setting(people)


def _ask(client, s, user, other, slot="", message=""):
    client.force_login(user)
    return client.post(f"{BASE}/anfrage/{other.key}/", {"slot": slot, "message": message})


def _mails(subject_start: str) -> list:
    return [m for m in mail.outbox if m.subject.startswith(subject_start)]


# Slots -----------------------------------------------------------------------------------


def test_the_afternoon_is_cut_into_six_20_minute_slots(s):
    times = [
        (
            x.starts_at.astimezone(BERLIN).strftime("%H:%M"),
            x.ends_at.astimezone(BERLIN).strftime("%H:%M"),
        )
        for x in s.slots
    ]
    assert times == [
        ("14:00", "14:20"), ("14:20", "14:40"), ("14:40", "15:00"),
        ("15:00", "15:20"), ("15:20", "15:40"), ("15:40", "16:00"),
    ]  # fmt: skip


def test_a_rest_shorter_than_a_slot_is_dropped_and_a_longer_slot_replaces_the_free_ones(s):
    s.mm.slot_minutes = 25
    s.mm.save()
    # 120 minutes: four slots of 25 minutes, the last 20 minutes unused.
    assert s.mm.slots.count() == 4
    assert s.mm.slots.last().ends_at.astimezone(BERLIN).strftime("%H:%M") == "15:40"


def test_slots_with_meetings_cannot_be_dropped(s):
    Meeting.book(s.ute, s.max, s.slots[5])
    s.mm.slots_end = datetime.datetime(2027, 3, 1, 15, 0, tzinfo=BERLIN)
    with pytest.raises(ValidationError) as error:
        s.mm.full_clean()
    assert "01.03.2027 15:40" in str(error.value)


# Who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "profile_page", "participants", "agenda", "organise"),
    [
        ("ute", 200, 200, 200, 403),  # a participant
        ("max", 200, 200, 200, 403),  # another participant (manages another initiative)
        ("rainer", 403, 403, 403, 403),  # a user without a registration
        ("mia", 403, 200, 403, 200),  # the organiser (manager of the organising initiative)
        ("clara", 403, 200, 403, 200),  # the curator
    ],
)
def test_pages_by_persona(client, s, people, who, profile_page, participants, agenda, organise):
    user = getattr(people, who)
    log_in_with_totp(client, user)
    assert client.get(f"{BASE}/profil/").status_code == profile_page
    assert client.get(f"{BASE}/teilnehmende/").status_code == participants
    assert client.get(f"{BASE}/gespraeche/").status_code == agenda
    assert client.get(f"{BASE}/anfrage/{s.paula.key}/").status_code == agenda
    assert client.get(f"{BASE}/organisation/").status_code == organise
    assert client.get(f"{BASE}/").status_code == 200


def test_anonymous_visitors_are_sent_to_the_login(client, s):
    for page in ("/", "/profil/", "/teilnehmende/", "/gespraeche/", "/organisation/"):
        response = client.get(BASE + page)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_waitlisted_registration_does_not_let_one_join(client, s, people):
    from clusterportal.matchmaking.tests.factories import register

    register(s.event, people.rainer, status="waitlisted")
    client.force_login(people.rainer)
    response = client.get(f"{BASE}/profil/")
    assert response.status_code == 403
    assert response.context is None or "bestätigte Teilnehmende" in text(response)


def test_a_confirmed_participant_publishes_a_profile_named_as_registered(client, s, people):
    from clusterportal.matchmaking.tests.factories import register

    newcomer = account("nora@firma.example", "Nora")
    register(s.event, newcomer).__class__.objects.filter(email="nora@firma.example").update(
        name="Nora Neu"
    )
    client.force_login(newcomer)
    page = client.get(f"{BASE}/profil/")
    assert page.status_code == 200 and 'value="Nora Neu"' in page.content.decode()
    response = client.post(
        f"{BASE}/profil/",
        {"name": "Nora Neu", "organisation": "Firma N", "offer": "Textilsensoren", "seek": "Tests",
         "technology_fields": [s.field_a.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    created = s.mm.participants.get(user=newcomer)
    assert (created.organisation, list(created.technology_fields.all())) == ("Firma N", [s.field_a])


def test_a_profile_without_organisation_is_refused_naming_the_field(client, s, people):
    client.force_login(people.ute)
    response = client.post(
        f"{BASE}/profil/", {"name": "Ute", "organisation": "", "offer": "x", "seek": "y"}
    )
    assert response.status_code == 400 and "organisation" in response.context["form"].errors
    s.ute.refresh_from_db()
    assert s.ute.organisation == "Ute GmbH"


def test_matchmaking_switched_off_is_hidden_from_participants_not_from_organisers(
    client, s, people
):
    s.mm.enabled = False
    s.mm.save()
    client.force_login(people.ute)
    assert client.get(f"{BASE}/teilnehmende/").status_code == 404
    client.force_login(people.mia)
    assert client.get(f"{BASE}/organisation/").status_code == 200


def test_the_event_page_links_to_the_matchmaking_only_when_it_is_on(client, s, people):
    link = 'href="/matchmaking/werkstatt/"'
    assert link in client.get("/veranstaltungen/werkstatt/").content.decode()
    s.mm.enabled = False
    s.mm.save()
    assert link not in client.get("/veranstaltungen/werkstatt/").content.decode()
    event(people, slug="ohne")
    assert "/matchmaking/" not in client.get("/veranstaltungen/ohne/").content.decode()


# The participant list ----------------------------------------------------------------------


def test_the_list_is_searched_by_text_and_by_field(client, s, people):
    client.force_login(people.ute)
    names = lambda r: [p.name for p in r.context["page"].items]  # noqa: E731
    assert names(client.get(f"{BASE}/teilnehmende/")) == ["Max", "Paula", "Ute"]
    assert names(client.get(f"{BASE}/teilnehmende/", {"q": "sensorik"})) == ["Max", "Ute"]
    assert names(client.get(f"{BASE}/teilnehmende/", {"q": "sensorik zulieferer"})) == ["Max"]
    assert names(client.get(f"{BASE}/teilnehmende/", {"field": s.field_b.slug})) == ["Max"]
    bad = client.get(f"{BASE}/teilnehmende/", {"field": "gibt-es-nicht"})
    assert bad.status_code == 400 and "Dieses Technologiefeld gibt es nicht." in text(bad)


def test_the_list_takes_the_same_number_of_queries_for_3_and_13_profiles(
    client, s, people, django_assert_max_num_queries
):
    client.force_login(people.ute)
    client.get(f"{BASE}/teilnehmende/")
    with django_assert_max_num_queries(12) as few:
        client.get(f"{BASE}/teilnehmende/")
    for n in range(10):
        profile(s.mm, account(f"p{n}@example.org", f"P{n}"), "Org", "a", "b", [s.field_a])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"{BASE}/teilnehmende/")


# Requests and answers ----------------------------------------------------------------------


def test_a_request_accepted_books_both_in_the_slot_and_mails_each_side(client, s, people):
    response = _ask(client, s, people.ute, s.max, s.slots[0].pk, "Gern zu Sensorik.")
    assert response.status_code == 302
    asked = MeetingRequest.objects.get()
    assert (asked.sender, asked.recipient, asked.slot, asked.status) == (
        s.ute,
        s.max,
        s.slots[0],
        "pending",
    )
    # The answer time: 48 hours, at most until the slot begins.
    assert asked.expires_at - asked.created_at == datetime.timedelta(hours=48)
    [letter] = _mails("Gesprächsanfrage")
    assert letter.to == ["max.manager@cars.example"] and "Ute (Ute GmbH)" in letter.body
    client.force_login(people.max)
    assert client.post(f"{BASE}/antwort/{asked.key}/", {"answer": "accept"}).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.slot, meeting.first, meeting.second, meeting.request) == (
        s.slots[0],
        s.ute,
        s.max,
        asked,
    )
    assert sorted(Booking.objects.values_list("participant__name", "slot__pk")) == [
        ("Max", s.slots[0].pk), ("Ute", s.slots[0].pk)
    ]  # fmt: skip
    [answer] = _mails("Gespräch angenommen")
    assert answer.to == ["ute@unternehmen.example"] and "01.03.2027, 14:00 Uhr" in answer.body
    agenda = client.get(f"{BASE}/gespraeche/")
    assert "01.03.2027 14:00–14:20" in text(agenda) and "Ute GmbH" in text(agenda)


def test_the_ical_feed_holds_the_meetings_in_utc_and_needs_the_secret_address(client, s, people):
    Meeting.book(s.ute, s.max, s.slots[1])
    Meeting.book(s.ute, s.paula, s.slots[3])
    feed = client.get(f"{BASE}/gespraeche/{s.ute.feed_token}.ics")
    body = feed.content.decode()
    assert feed["Content-Type"].startswith("text/calendar")
    # 14:20 and 15:00 Berlin (CET, UTC+1) on 1 March are 13:20 and 14:00 UTC.
    assert "DTSTART:20270301T132000Z" in body and "DTEND:20270301T134000Z" in body
    assert "DTSTART:20270301T140000Z" in body and body.count("BEGIN:VEVENT") == 2
    assert "Gespräch mit Max (CARS)" in body
    assert client.get(f"{BASE}/gespraeche/not-a-token.ics").status_code == 404
    # Max's feed has his one meeting, not Ute's other.
    assert (
        client.get(f"{BASE}/gespraeche/{s.max.feed_token}.ics")
        .content.decode()
        .count("BEGIN:VEVENT")
        == 1
    )


def test_a_declined_request_books_nothing_and_tells_the_sender(client, s, people):
    _ask(client, s, people.ute, s.max, s.slots[0].pk)
    asked = MeetingRequest.objects.get()
    client.force_login(people.max)
    client.post(f"{BASE}/antwort/{asked.key}/", {"answer": "decline"})
    asked.refresh_from_db()
    assert asked.status == "declined" and Booking.objects.count() == 0
    assert [m.to for m in _mails("Gespräch abgelehnt")] == [["ute@unternehmen.example"]]


def test_only_the_person_asked_may_answer(client, s, people):
    _ask(client, s, people.ute, s.max, s.slots[0].pk)
    asked = MeetingRequest.objects.get()
    client.force_login(s.paula_user)
    assert client.post(f"{BASE}/antwort/{asked.key}/", {"answer": "accept"}).status_code == 403
    client.force_login(people.ute)  # the sender neither
    assert client.post(f"{BASE}/antwort/{asked.key}/", {"answer": "accept"}).status_code == 403
    asked.refresh_from_db()
    assert asked.status == "pending" and Meeting.objects.count() == 0


def test_a_request_without_a_slot_is_accepted_in_a_slot_the_recipient_chooses(client, s, people):
    _ask(client, s, people.ute, s.max)
    asked = MeetingRequest.objects.get()
    client.force_login(people.max)
    client.post(f"{BASE}/antwort/{asked.key}/", {"answer": "accept", "slot": s.slots[2].pk})
    assert Meeting.objects.get().slot == s.slots[2]


# Bad input: a clear message, nothing written ---------------------------------------------


def _nothing_new(requests_before: int, mails_before: int) -> None:
    assert MeetingRequest.objects.count() == requests_before
    assert len(mail.outbox) == mails_before


def test_a_request_for_a_slot_taken_says_who_is_busy(client, s, people):
    Meeting.book(s.ute, s.max, s.slots[0])
    response = _ask(client, s, s.paula_user, s.ute, s.slots[0].pk)
    assert response.status_code == 400
    assert "Im Termin 01.03.2027 14:00–14:20 hat Ute schon ein Gespräch." in text(response)
    _nothing_new(0, 0)


def test_a_request_to_oneself_is_refused(client, s, people):
    response = _ask(client, s, people.ute, s.ute)
    assert response.status_code == 400
    assert "Sie können kein Gespräch mit sich selbst anfragen." in text(response)
    _nothing_new(0, 0)


def test_a_request_to_someone_not_in_this_matchmaking_is_refused(client, s, people):
    other_event = matchmaking(event(people, slug="anderswo"))
    stranger = profile(other_event, account("sam@x.example", "Sam"), "S", "a", "b")
    for key in (stranger.key, uuid.uuid4()):
        client.force_login(people.ute)
        response = client.post(f"{BASE}/anfrage/{key}/", {"message": "Hallo"})
        assert response.status_code == 400
        assert "Diese Person nimmt nicht am Matchmaking dieser Veranstaltung teil." in text(
            response
        )
    _nothing_new(0, 0)


def test_a_user_without_a_profile_cannot_ask(client, s, people):
    client.force_login(people.rainer)
    assert client.post(f"{BASE}/anfrage/{s.max.key}/", {"message": "Hallo"}).status_code == 403
    _nothing_new(0, 0)


def test_a_request_after_the_event_is_refused(s):
    after = datetime.datetime(2027, 3, 1, 18, 1, tzinfo=BERLIN)
    with pytest.raises(Refused) as refused:
        MeetingRequest.ask(s.ute, s.max, None, "", now=after)
    assert refused.value.code == "over"
    assert str(refused.value) == "Die Veranstaltung ist vorbei; Anfragen sind nicht mehr möglich."
    _nothing_new(0, 0)


def test_a_second_request_to_the_same_person_is_refused_and_so_is_one_back(client, s, people):
    _ask(client, s, people.ute, s.max, s.slots[0].pk)
    again = _ask(client, s, people.ute, s.max, s.slots[1].pk)
    assert again.status_code == 400 and "Sie haben Max schon angefragt (offen)." in text(again)
    back = _ask(client, s, people.max, s.ute)
    assert back.status_code == 400
    assert "Ute hat Sie schon angefragt (offen); bitte antworten Sie darauf." in text(back)
    _nothing_new(1, 1)


def test_scripts_and_javascript_links_in_a_message_come_out_inert(client, s, people):
    message = "<script>alert(1)</script> [klick](javascript:alert(2)) <img src=x onerror=alert(3)>"
    assert _ask(client, s, people.ute, s.max, "", message).status_code == 302
    assert MeetingRequest.objects.get().message == message  # kept as written
    client.force_login(people.max)
    html = client.get(f"{BASE}/gespraeche/").content.decode()
    assert "<script>alert(1)" not in html and "<img" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text
    [letter] = _mails("Gesprächsanfrage")  # plain text: the tags are gone
    assert "<script>" not in letter.body and "klick" in letter.body


def test_an_over_long_message_is_refused_naming_the_limit(client, s, people):
    response = _ask(client, s, people.ute, s.max, "", "x" * 1001)
    assert response.status_code == 400
    assert "Die Nachricht darf höchstens 1000 Zeichen lang sein." in text(response)
    _nothing_new(0, 0)


def test_an_unknown_slot_is_refused(client, s, people):
    response = _ask(client, s, people.ute, s.max, "999999")
    assert response.status_code == 400 and "Diesen Termin gibt es hier nicht." in text(response)
    _nothing_new(0, 0)


def test_a_burst_of_requests_is_limited_per_account(client, s, people, settings):
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS,
        "matchmaking_request": "2/10m/user",
    }
    assert _ask(client, s, people.ute, s.max).status_code == 302
    assert _ask(client, s, people.ute, s.paula).status_code == 302
    third = _ask(client, s, people.ute, s.paula)
    assert third.status_code == 429 and third["Retry-After"] == "600"
    assert "zu viele Anfragen gestellt" in text(third)
    _nothing_new(2, 2)
    # Another account is counted apart.
    assert _ask(client, s, people.max, s.paula).status_code == 302


def test_accepting_into_a_slot_taken_meanwhile_changes_nothing(client, s, people):
    _ask(client, s, people.ute, s.max, s.slots[0].pk)
    asked = MeetingRequest.objects.get()
    Meeting.book(s.max, s.paula, s.slots[0])  # the organisers set Max elsewhere meanwhile
    client.force_login(people.max)
    response = client.post(f"{BASE}/antwort/{asked.key}/", {"answer": "accept"})
    assert response.status_code == 409
    assert "Im Termin 01.03.2027 14:00–14:20 hat Max schon ein Gespräch." in text(response)
    asked.refresh_from_db()
    assert asked.status == "pending" and Meeting.objects.count() == 1
    assert _mails("Gespräch angenommen") == []


# Expiry --------------------------------------------------------------------------------------


def test_an_unanswered_request_expires_when_read_and_by_the_command(client, s, people, capsys):
    _ask(client, s, people.ute, s.max)
    _ask(client, s, people.ute, s.paula)
    past = datetime.datetime(2026, 1, 1, tzinfo=BERLIN)
    MeetingRequest.objects.filter(recipient=s.max).update(expires_at=past)
    client.force_login(people.max)
    asked = MeetingRequest.objects.get(recipient=s.max)
    refused = client.post(f"{BASE}/antwort/{asked.key}/", {"answer": "accept"})
    assert refused.status_code == 409 and "Die Anfrage ist verfallen" in text(refused)
    # Reading the agenda marked it; the command finds nothing more, then the second one.
    asked.refresh_from_db()
    assert asked.status == "expired" and Meeting.objects.count() == 0
    call_command("expire_meeting_requests")
    assert "0 meeting requests expired" in capsys.readouterr().out
    MeetingRequest.objects.filter(recipient=s.paula).update(expires_at=past)
    call_command("expire_meeting_requests")
    assert "1 meeting requests expired" in capsys.readouterr().out
    assert MeetingRequest.objects.get(recipient=s.paula).status == "expired"


# The organisers ------------------------------------------------------------------------------


def test_the_organisers_set_a_meeting_by_hand_and_see_the_counts(client, s, people):
    client.force_login(people.mia)
    form = {"action": "arrange", "first": s.ute.key, "second": s.paula.key, "slot": s.slots[4].pk}
    assert client.post(f"{BASE}/organisation/", form).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.first, meeting.second, meeting.slot, meeting.arranged_by) == (
        s.ute,
        s.paula,
        s.slots[4],
        people.mia,
    )
    again = client.post(f"{BASE}/organisation/", {**form, "second": s.max.key})
    assert again.status_code == 400 and "hat Ute schon ein Gespräch" in text(again)
    MeetingRequest.ask(s.max, s.paula, None, "")
    page = client.get(f"{BASE}/organisation/")
    counts = page.context["counts"]
    assert counts["participants"] == 3 and counts["meetings"] == 1
    assert dict(counts["requests"])["offen"] == 1
    assert [n for _, n in counts["per_slot"]] == [0, 0, 0, 0, 1, 0]


def test_the_scheduler_places_accepted_requests_and_says_why_not_the_rest(client, s, people):
    # Ute is booked in every slot but one; Max and Paula accepted requests without slot.
    others = [profile(s.mm, account(f"o{n}@example.org", f"O{n}"), "O", "a", "b") for n in range(5)]
    for n, other in enumerate(others):
        Meeting.book(s.ute, other, s.slots[n])  # Ute free only in the last slot (15:40)
    for sender in (s.max, s.paula):
        asked = MeetingRequest.ask(sender, s.ute, None, "")
        asked.accept(s.ute)
    log_in_with_totp(client, people.clara)
    before = client.get(f"{BASE}/organisation/")
    assert len(before.context["unplaced"]) == 2
    response = client.post(f"{BASE}/organisation/", {"action": "schedule"})
    run = response.context["run"]
    assert run.placed == 1
    [(left, reason)] = run.unplaced
    assert reason == "Die angefragte Person hat keinen freien Termin mehr."
    placed = Meeting.objects.get(request__isnull=False)
    assert placed.slot == s.slots[5] and s.ute.pk in (placed.first_id, placed.second_id)
    assert "1 Gespräch gesetzt." in text(response)
    # Running again places nothing twice.
    again = client.post(f"{BASE}/organisation/", {"action": "schedule"}).context["run"]
    assert again.placed == 0 and Meeting.objects.count() == 6


# The API, English, the back office -----------------------------------------------------------


def test_the_api_gives_a_participant_their_agenda_and_refuses_others(client, s, people):
    from clusterportal.accounts.models import ApiToken

    Meeting.book(s.ute, s.max, s.slots[1])
    url = "/api/v1/matchmaking/werkstatt/agenda"
    secret = ApiToken.issue(people.ute)[1]
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json() == {
        "event": "werkstatt",
        "count": 1,
        "results": [
            {
                "starts_at": "2027-03-01T13:20:00.000Z",
                "ends_at": "2027-03-01T13:40:00.000Z",
                "with_name": "Max",
                "with_organisation": "CARS",
            }
        ],
    }
    rainer = ApiToken.issue(people.rainer)[1]
    refused = client.get(url, HTTP_AUTHORIZATION=f"Bearer {rainer}")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert client.get(url).status_code == 401
    missing = client.get(
        "/api/v1/matchmaking/gibt-es-nicht/agenda", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert missing.status_code == 404


def test_the_pages_speak_english_under_en(client, s, people):
    client.force_login(people.ute)
    page = client.get("/en/matchmaking/werkstatt/gespraeche/")
    assert page.status_code == 200 and "My meetings" in text(page)
    bad = _ask(client, s, people.ute, s.ute).content.decode()  # German address, German text
    assert "Sie können kein Gespräch mit sich selbst anfragen." in bad
    english = client.post(f"/en{BASE}/anfrage/{s.ute.key}/", {"message": ""})
    assert "You cannot request a meeting with yourself." in text(english)


def test_the_back_office_switches_matchmaking_on_for_curators_only(client, s, people):
    log_in_with_totp(client, people.clara)
    assert client.get("/admin/matchmaking/matchmaking/add/").status_code == 200
    assert client.get(f"/admin/matchmaking/matchmaking/{s.mm.pk}/change/").status_code == 200
    log_in_with_totp(client, people.rainer)
    assert client.get("/admin/matchmaking/matchmaking/add/").status_code == 403


def test_deleting_an_event_takes_its_matchmaking_and_meetings_with_it(s):
    Meeting.book(s.ute, s.max, s.slots[0])
    s.event.delete()
    assert (Meeting.objects.count(), Booking.objects.count(), MeetingRequest.objects.count()) == (
        0,
        0,
        0,
    )


def test_an_organiser_deletes_a_meeting_in_the_back_office_and_the_slot_is_free_again(
    client, s, people
):
    asked = MeetingRequest.ask(s.ute, s.max, s.slots[0], "")
    meeting = asked.accept(s.max)
    log_in_with_totp(client, people.clara)
    response = client.post(f"/admin/matchmaking/meeting/{meeting.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Booking.objects.count() == 0
    assert list(MeetingRequest.objects.unplaced()) == [asked]  # back to the scheduler
    Meeting.book(s.ute, s.paula, s.slots[0])  # the slot is free for Ute again


def test_the_request_page_after_the_event_says_so_and_keeps_nothing(client, s, people):
    from clusterportal.events.models import Event

    Event.objects.filter(pk=s.event.pk).update(
        starts_at=datetime.datetime(2026, 1, 10, 10, 0, tzinfo=BERLIN),
        ends_at=datetime.datetime(2026, 1, 10, 18, 0, tzinfo=BERLIN),
    )
    response = _ask(client, s, people.ute, s.max, "", "Hallo")
    assert response.status_code == 400
    assert "Die Veranstaltung ist vorbei; Anfragen sind nicht mehr möglich." in text(response)
    _nothing_new(0, 0)


def test_a_request_answered_once_cannot_be_answered_again(client, s, people):
    _ask(client, s, people.ute, s.max, s.slots[0].pk)
    asked = MeetingRequest.objects.get()
    client.force_login(people.max)
    client.post(f"{BASE}/antwort/{asked.key}/", {"answer": "decline"})
    again = client.post(f"{BASE}/antwort/{asked.key}/", {"answer": "accept"})
    assert again.status_code == 409
    assert "Die Anfrage ist nicht mehr offen (abgelehnt)." in text(again)
    assert Meeting.objects.count() == 0 and _mails("Gespräch angenommen") == []


def test_a_meeting_by_hand_without_a_slot_or_with_one_person_twice_is_refused(client, s, people):
    client.force_login(people.mia)
    missing = client.post(
        f"{BASE}/organisation/", {"action": "arrange", "first": s.ute.key, "second": s.max.key}
    )
    assert missing.status_code == 400
    assert "Bitte zwei Teilnehmende und einen Termin wählen." in text(missing)
    same = client.post(
        f"{BASE}/organisation/",
        {"action": "arrange", "first": s.ute.key, "second": s.ute.key, "slot": s.slots[0].pk},
    )
    assert same.status_code == 400
    assert "Ein Gespräch braucht zwei verschiedene Personen." in text(same)
    assert Meeting.objects.count() == 0


def test_who_withdraws_from_the_event_leaves_the_matchmaking(client, s, people):
    from clusterportal.events.models import Registration

    Registration.objects.filter(email="max.manager@cars.example").update(status="withdrawn")
    client.force_login(people.max)
    assert client.get(f"{BASE}/teilnehmende/").status_code == 403
    assert client.get(f"{BASE}/gespraeche/").status_code == 403
    client.force_login(people.ute)
    names = [p.name for p in client.get(f"{BASE}/teilnehmende/").context["page"].items]
    assert names == ["Paula", "Ute"]
    response = _ask(client, s, people.ute, s.max)
    assert response.status_code == 400
    assert "Diese Person nimmt nicht am Matchmaking dieser Veranstaltung teil." in text(response)
