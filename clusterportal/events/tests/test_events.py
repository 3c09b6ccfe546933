"""The calendar, an event page, iCal, registration with its waiting list, withdrawal, and the
organisers' participant list (rules both ways with the personas)."""

import datetime
import io
import json
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from clusterportal.events.models import Event, Registration, RegistrationRefused
from clusterportal.tests.personas import log_in_with_totp

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def event(slug="werkstatt", capacity=2, waiting_list=True, questions=None, **values) -> Event:
    now = timezone.now()
    defaults = {
        "title": "Werkstatt Leichtbau",
        "title_en": "Lightweight workshop",
        "organiser": "Leichtbau BW",
        "status": "published",
        "kind": "workshop",
        "starts_at": datetime.datetime(2027, 3, 1, 10, 0, tzinfo=BERLIN),
        "ends_at": datetime.datetime(2027, 3, 1, 16, 30, tzinfo=BERLIN),
        "registration_opens_at": now - datetime.timedelta(days=1),
        "capacity": capacity,
        "waiting_list": waiting_list,
        "questions": questions or [],
    }
    defaults.update(values)
    return Event.objects.create(slug=slug, **defaults)


def register(client, slug, **body):
    return client.post(
        f"/api/v1/events/{slug}/registrations", body, content_type="application/json"
    )


class TestCalendar:
    def test_the_seed_events_are_in_the_archive_not_among_the_coming_ones(self, client):
        coming = client.get("/veranstaltungen/").content.decode()
        assert "/veranstaltungen/cluster-brunch-2016/" not in coming
        assert "Derzeit sind keine kommenden Veranstaltungen eingetragen." in coming
        filtered = client.get("/veranstaltungen/?kind=workshop").content.decode()
        assert "Keine Veranstaltung passt zu dieser Auswahl." in filtered
        archive = client.get("/veranstaltungen/?archive=on").content.decode()
        assert "3 Veranstaltungen" in text(client.get("/veranstaltungen/?archive=on"))
        # latest first: 24.04.2017 (twice) before 07.11.2016
        later = archive.index("/veranstaltungen/clusterpolitische-entscheidungstraeger-2017/")
        assert later < archive.index("/veranstaltungen/cluster-brunch-2016/")

    def test_coming_events_soonest_first_and_filtered_by_kind(self, client):
        event("spaeter", starts_at=datetime.datetime(2027, 5, 1, 9, tzinfo=BERLIN), ends_at=None)
        event("frueher", kind="matchmaking", starts_at=datetime.datetime(2027, 2, 1, 9, tzinfo=BERLIN), ends_at=None)  # fmt: skip
        page = client.get("/veranstaltungen/").content.decode()
        assert page.index("/veranstaltungen/frueher/") < page.index("/veranstaltungen/spaeter/")
        matchmaking = client.get("/veranstaltungen/?kind=matchmaking").content.decode()
        assert "/veranstaltungen/frueher/" in matchmaking and "spaeter" not in matchmaking

    def test_a_bad_filter_is_named(self, client):
        response = client.get("/veranstaltungen/?von=2027-05-01&bis=2027-01-01")
        assert response.status_code == 400 and "Das Ende liegt vor dem Anfang." in text(response)

    def test_the_api_lists_with_the_same_filter(self, client):
        event()
        answer = client.get("/api/v1/events?kind=workshop").json()
        assert answer["count"] == 1 and answer["results"][0]["slug"] == "werkstatt"
        assert answer["results"][0]["registration_open"] is True
        assert client.get("/api/v1/events?kind=brunch").status_code == 400

    def test_the_list_costs_the_same_queries_for_one_event_or_many(
        self, client, django_assert_num_queries
    ):
        event("eins")
        # The data version, the next end and (once per version) the registration windows'
        # moments: the cache key; then the count and the page.
        with django_assert_num_queries(5):
            client.get("/api/v1/events")
        for n in range(8):
            event(f"mehr-{n}")
        with django_assert_num_queries(5):  # none per row
            client.get("/api/v1/events")
        # The page: the data version and the next end (the cache key), the count, the page,
        # the Regionen and fields to choose.
        with django_assert_num_queries(6):
            client.get("/veranstaltungen/")

    def test_the_page_is_kept_until_an_event_changes(self, client, django_assert_num_queries):
        event("eins")
        first = client.get("/veranstaltungen/").content
        with django_assert_num_queries(2):  # the data version and the next end only
            assert client.get("/veranstaltungen/").content == first
        event("zwei", title="Zweite Werkstatt")
        assert "Zweite Werkstatt" in client.get("/veranstaltungen/").content.decode()

    def test_the_api_list_is_kept_and_answers_304(self, client, django_assert_num_queries):
        event("eins")
        first = client.get("/api/v1/events")
        with django_assert_num_queries(2):
            assert client.get("/api/v1/events").content == first.content
        again = client.get("/api/v1/events", headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304
        event("zwei")
        assert client.get("/api/v1/events").json()["count"] == 2

    def test_the_kept_api_list_follows_a_registration_window_that_opens(
        self, client, django_assert_num_queries
    ):
        opens = timezone.now() + datetime.timedelta(hours=2)
        event("bald", registration_opens_at=opens)
        assert client.get("/api/v1/events").json()["results"][0]["registration_open"] is False
        with django_assert_num_queries(2):  # kept: the window's moments are not read again
            client.get("/api/v1/events")
        later = opens + datetime.timedelta(seconds=1)  # no data changed, only the clock
        with mock.patch("django.utils.timezone.now", return_value=later):
            listed = client.get("/api/v1/events").json()["results"][0]
        assert listed["registration_open"] is True

    def test_an_event_that_ends_leaves_the_kept_page(self, client):
        end = timezone.now() + datetime.timedelta(hours=1)
        event("gleich", title="Gleich vorbei", starts_at=end - datetime.timedelta(hours=2), ends_at=end)  # fmt: skip
        assert "Gleich vorbei" in client.get("/veranstaltungen/").content.decode()
        later = end + datetime.timedelta(minutes=1)  # no data changed, only the clock
        with mock.patch("django.utils.timezone.now", return_value=later):
            assert "Gleich vorbei" not in client.get("/veranstaltungen/").content.decode()

    def test_drafts_are_not_public(self, client):
        event("entwurf", status="draft")
        assert client.get("/veranstaltungen/entwurf/").status_code == 404
        assert client.get("/api/v1/events/entwurf").status_code == 404


class TestKeptEventPage:
    def token(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def test_the_page_is_kept_and_each_visitor_gets_a_token_that_works(
        self, django_assert_num_queries
    ):
        event("werkstatt")
        anna, ben = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        first = anna.get("/veranstaltungen/werkstatt/").content.decode()
        with django_assert_num_queries(2):  # the data version and the next end: kept
            again = ben.get("/veranstaltungen/werkstatt/").content.decode()
        assert "csrf-token-of-this-visitor" not in first + again
        assert self.token(first) != self.token(again)  # each visitor's own
        body = {"name": "Ben", "email": "ben@example.org", "csrfmiddlewaretoken": self.token(again)}
        posted = ben.post("/veranstaltungen/werkstatt/", body)
        assert posted.status_code == 302  # the token of the kept page passed the CSRF check
        assert Registration.objects.get(email="ben@example.org").status == "confirmed"

    def test_other_methods_are_refused(self, client):
        event("werkstatt")
        assert client.put("/veranstaltungen/werkstatt/").status_code == 405
        assert client.delete("/veranstaltungen/werkstatt/").status_code == 405

    def test_a_new_programme_item_shows_at_once(self, client):
        kept = event("werkstatt")
        assert "Begrüßung" not in client.get("/veranstaltungen/werkstatt/").content.decode()
        kept.agenda.create(position=1, title="Begrüßung")
        assert "Begrüßung" in client.get("/veranstaltungen/werkstatt/").content.decode()

    def test_the_form_appears_when_the_registration_opens(self, client):
        opens = timezone.now() + datetime.timedelta(hours=2)
        event("werkstatt", registration_opens_at=opens)
        assert (
            "Verbindlich anmelden" not in client.get("/veranstaltungen/werkstatt/").content.decode()
        )
        later = opens + datetime.timedelta(seconds=1)  # no data changed, only the clock
        with mock.patch("django.utils.timezone.now", return_value=later):
            page = client.get("/veranstaltungen/werkstatt/").content.decode()
        assert "Verbindlich anmelden" in page


class TestFieldFilter:
    def test_the_calendar_offers_each_top_level_field_once(self, client):
        html = client.get("/veranstaltungen/").content.decode()
        select = re.search(r'<select id="f-field" name="field">(.*?)</select>', html, re.S)
        options = select.group(1)
        labels = re.findall(r"<option[^>]*>([^<]*)</option>", options)
        assert len(labels) == len(set(labels))  # 25 labels were there twice (main and subfield)
        assert "Medizintechnik" in labels

    def test_a_top_level_field_finds_events_of_its_subfields(self, client):
        from clusterportal.taxonomy.models import TechnologyField

        sub = TechnologyField.objects.filter(parent__isnull=False).select_related("parent").first()
        tagged = event("teilgebiet")
        tagged.technology_fields.add(sub)
        found = client.get(f"/api/v1/events?field={sub.parent.slug}").json()
        assert [e["slug"] for e in found["results"]] == ["teilgebiet"]


class TestEventPage:
    def test_the_umbrella_lists_its_events_and_the_part_names_its_umbrella(self, client):
        week = text(client.get("/veranstaltungen/clusterwoche-2017/"))
        assert "Veranstaltungen unter diesem Dach" in week
        assert "Clusterpolitische Entscheidungsträger im Gespräch" in week
        part = text(client.get("/veranstaltungen/clusterpolitische-entscheidungstraeger-2017/"))
        assert "Teil von Clusterwoche 2017" in part
        assert "Archiv: Diese Veranstaltung hat bereits stattgefunden." in part
        assert "Arcotel Camino, Stuttgart" in part and "24.04.2017" in part
        assert "Die Anmeldung ist geschlossen." in part

    def test_times_are_shown_in_the_portals_time_zone(self, client):
        event()
        assert "01.03.2027, 10:00 – 16:30 Uhr" in text(client.get("/veranstaltungen/werkstatt/"))

    def test_markdown_in_a_description_is_inert(self, client):
        event(description="<script>alert(1)</script> [x](javascript:alert(1))")
        html = client.get("/veranstaltungen/werkstatt/").content.decode()
        assert "<script>alert" not in html and 'href="javascript' not in html

    def test_ical_of_a_timed_event_in_utc_with_a_stable_uid(self, client):
        event()
        body = client.get("/veranstaltungen/werkstatt/termin.ics").content.decode()
        # 10:00 and 16:30 in Berlin on 1 March 2027 (CET, UTC+1)
        assert "DTSTART:20270301T090000Z" in body and "DTEND:20270301T153000Z" in body
        assert "UID:werkstatt@127.0.0.1:8000" in body and "SUMMARY:Werkstatt Leichtbau" in body

    def test_ical_of_a_day_without_time_is_an_all_day_event(self, client):
        body = client.get("/veranstaltungen/cluster-brunch-2016/termin.ics").content.decode()
        assert "DTSTART;VALUE=DATE:20161107" in body and "DTEND;VALUE=DATE:20161108" in body

    def test_the_feed_follows_the_filter(self, client):
        body = client.get(
            "/veranstaltungen/kalender.ics?archive=on&kind=cluster_brunch"
        ).content.decode()
        assert body.count("BEGIN:VEVENT") == 1 and "cluster-brunch-2016@" in body


class TestRegistration:
    def test_places_then_the_waiting_list_in_order(self, client):
        event(capacity=1)
        first = register(client, "werkstatt", name="Anna", email="anna@example.org")
        second = register(client, "werkstatt", name="Ben", email="ben@example.org")
        third = register(client, "werkstatt", name="Cem", email="cem@example.org")
        assert first.status_code == second.status_code == third.status_code == 201
        assert first.json() == {"status": "confirmed", "position": None, "event": "werkstatt"}
        assert second.json()["position"] == 1 and third.json()["position"] == 2

    def test_the_confirmation_mail_carries_a_withdrawal_link_that_offers_the_place_on(self, client):
        event(capacity=1)
        register(client, "werkstatt", name="Anna", email="anna@example.org")
        register(client, "werkstatt", name="Ben", email="ben@example.org")
        assert [m.to for m in mail.outbox] == [["anna@example.org"], ["ben@example.org"]]
        assert "Warteliste an Stelle 1" in mail.outbox[1].body
        link = re.search(
            r"http://127.0.0.1:8000(/veranstaltungen/abmelden/\S+/)", mail.outbox[0].body
        )
        assert client.get(link.group(1)).status_code == 200
        client.post(link.group(1))
        statuses = dict(Registration.objects.values_list("email", "status"))
        assert statuses == {"anna@example.org": "withdrawn", "ben@example.org": "offered"}
        assert mail.outbox[-1].to == ["ben@example.org"]
        assert mail.outbox[-1].subject == "Platz frei für Sie: Werkstatt Leichtbau"
        client.post(link.group(1))  # a second click changes nothing
        assert len(mail.outbox) == 3
        assert Registration.objects.filter(status__in=["confirmed", "offered"]).count() == 1

    def test_the_same_address_twice_is_refused_and_nothing_written(self, client):
        event()
        register(client, "werkstatt", name="Anna", email="anna@example.org")
        again = register(client, "werkstatt", name="Anna B.", email="ANNA@example.org")
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "registration_duplicate"
        assert Registration.objects.count() == 1

    def test_after_closing_it_is_a_409(self, client):
        event(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
        answer = register(client, "werkstatt", name="Anna", email="anna@example.org")
        assert answer.status_code == 409 and answer.json()["error"]["code"] == "registration_closed"
        assert answer.json()["error"]["message"] == "Registration is closed."

    def test_a_past_event_and_one_not_yet_open_say_why(self, client):
        answer = register(client, "cluster-brunch-2016", name="Anna", email="anna@example.org")
        assert answer.status_code == 409
        assert answer.json()["error"]["message"] == "The event is over."
        opens = datetime.datetime(2027, 1, 15, 9, 0, tzinfo=BERLIN)
        event(registration_opens_at=opens)
        early = register(client, "werkstatt", name="Anna", email="anna@example.org")
        assert early.json()["error"]["message"] == "Registration opens on Jan. 15, 2027 at 09:00."

    def test_a_full_event_without_waiting_list_says_so(self, client):
        event(capacity=1, waiting_list=False)
        register(client, "werkstatt", name="Anna", email="anna@example.org")
        full = register(client, "werkstatt", name="Ben", email="ben@example.org")
        assert full.status_code == 409 and full.json()["error"]["code"] == "registration_full"
        assert Registration.objects.count() == 1

    def test_bad_fields_are_named_in_one_400(self, client):
        questions = [
            {
                "key": "essen",
                "label": "Essen",
                "kind": "choice",
                "choices": ["vegetarisch", "vegan"],
                "required": True,
            },  # fmt: skip
            {"key": "foto", "label": "Fotos erlaubt", "kind": "yes_no"},
        ]
        event(questions=questions)
        answer = register(
            client, "werkstatt", name="", email="kaputt",
            answers={"essen": "Schnitzel", "foto": "vielleicht", "gibtsnicht": 1},
        )  # fmt: skip
        assert answer.status_code == 400
        assert sorted(answer.json()["error"]["fields"]) == [
            "answers.essen", "answers.foto", "answers.gibtsnicht", "email", "name"
        ]  # fmt: skip
        assert (
            register(client, "werkstatt", name="A", email="a@example.org", extra=1).status_code
            == 400
        )
        assert Registration.objects.count() == 0

    def test_answers_are_kept(self, client):
        event(
            questions=[{"key": "essen", "label": "Essen", "kind": "choice", "choices": ["vegan"]}]
        )
        register(
            client, "werkstatt", name="Anna", email="anna@example.org", answers={"essen": "vegan"}
        )
        assert Registration.objects.get().answers == {"essen": "vegan"}

    def test_the_page_form_registers_and_names_errors(self, client):
        event()
        bad = client.post("/veranstaltungen/werkstatt/", {"name": "", "email": "x"})
        assert bad.status_code == 400 and "Bitte geben Sie Ihren Namen an." in text(bad)
        ok = client.post("/veranstaltungen/werkstatt/", {"name": "Anna", "email": "anna@example.org", "consent_participant_list": "on"})  # fmt: skip
        assert ok.status_code == 302
        assert "Ihre Anmeldung ist bestätigt." in text(client.get(ok["Location"]))
        assert Registration.objects.get().consent_participant_list is True

    def test_the_model_refuses_without_a_registration_window(self):
        seed = Event.objects.get(slug="cluster-brunch-2016")
        with pytest.raises(RegistrationRefused):
            seed.register("Anna", "anna@example.org", False)


class TestOrganisers:
    @pytest.fixture
    def textiles_event(self, people):
        found = event(organising_initiative=people.textiles, capacity=1)
        found.register('=HYPERLINK("x")', "anna@example.org", True)
        found.register("Ben", "ben@example.org", False)
        return found

    def logged_in(self, user) -> Client:
        client = Client()
        if user.is_staff:
            log_in_with_totp(client, user)
        else:
            client.force_login(user)
        return client

    @pytest.mark.parametrize("name, allowed", [
        ("clara", True), ("mia", True), ("max", False), ("rainer", False), ("ute", False),
    ])  # fmt: skip
    def test_who_sees_the_participants(self, people, textiles_event, name, allowed):
        client = self.logged_in(getattr(people, name))
        response = client.get("/veranstaltungen/werkstatt/teilnehmende/")
        assert response.status_code == (200 if allowed else 403)

    def test_anonymous_visitors_are_sent_to_the_login(self, client, textiles_event):
        response = client.get("/veranstaltungen/werkstatt/teilnehmende/")
        assert response.status_code == 302 and "/konto/login/" in response["Location"]

    def test_exports_are_formula_safe(self, people, textiles_event):
        client = self.logged_in(people.mia)
        csv_text = client.get("/veranstaltungen/werkstatt/teilnehmende.csv").content.decode(
            "utf-8-sig"
        )
        assert "'=HYPERLINK" in csv_text and "ben@example.org" in csv_text
        book = load_workbook(
            io.BytesIO(client.get("/veranstaltungen/werkstatt/teilnehmende.xlsx").content)
        )
        names = [row[1].value for row in book.active.iter_rows(min_row=2)]
        assert names == ['\'=HYPERLINK("x")', "Ben"]

    def test_check_in_once(self, people, textiles_event):
        client = self.logged_in(people.mia)
        anna = Registration.objects.get(email="anna@example.org")
        client.post(f"/veranstaltungen/werkstatt/teilnehmende/{anna.pk}/einchecken/")
        first = Registration.objects.get(pk=anna.pk).checked_in_at
        client.post(f"/veranstaltungen/werkstatt/teilnehmende/{anna.pk}/einchecken/")
        assert first is not None and Registration.objects.get(pk=anna.pk).checked_in_at == first
        ben = Registration.objects.get(email="ben@example.org")  # waitlisted: no check-in
        assert (
            client.post(f"/veranstaltungen/werkstatt/teilnehmende/{ben.pk}/einchecken/").status_code
            == 404
        )
        max_client = self.logged_in(people.max)
        assert (
            max_client.post(
                f"/veranstaltungen/werkstatt/teilnehmende/{anna.pk}/einchecken/"
            ).status_code
            == 403
        )


class TestReminders:
    def test_each_confirmed_participant_is_reminded_once_two_days_before(self):
        from django.core.management import call_command

        soon = event(
            capacity=1, starts_at=timezone.now() + datetime.timedelta(days=1), ends_at=None
        )
        soon.register("Anna", "anna@example.org", False)
        soon.register("Ben", "ben@example.org", False)  # waitlisted: no reminder
        call_command("send_reminders", verbosity=0)
        call_command("send_reminders", verbosity=0)  # idempotent
        reminders = [m for m in mail.outbox if m.subject.startswith("Erinnerung: Werkstatt")]
        assert [m.to for m in reminders] == [["anna@example.org"]]
        assert "/veranstaltungen/abmelden/" in reminders[0].body

    def test_no_reminder_for_an_event_a_week_away(self):
        from django.core.management import call_command

        later = event(starts_at=timezone.now() + datetime.timedelta(days=7), ends_at=None)
        later.register("Anna", "anna@example.org", False)
        call_command("send_reminders", verbosity=0)
        assert not [m for m in mail.outbox if m.subject.startswith("Erinnerung")]


class TestProgrammeAndPlace:
    DIALOGUE = "/veranstaltungen/clusterpolitische-entscheidungstraeger-2017/"

    def test_the_programme_and_speakers_of_the_source_in_order(self, client):
        page = text(client.get(self.DIALOGUE))
        order = ["Begrüßung – Ministerialdirektor Wicker", "Herr Otte, Herr Kruschwitz",
                 "Herr Dr. Dufour", "Herr Hermanns", "Abschluss und Verabschiedung"]  # fmt: skip
        positions = [page.index(part) for part in order]
        assert positions == sorted(positions)
        assert "Köchel , Leiterin des Referats Clusterpolitik" in page
        english = text(client.get("/en" + self.DIALOGUE))
        assert "Closing – Ministerialdirektor Wicker" in english

    def test_the_map_shows_the_kreis_when_no_point_is_known(self, client):
        html = client.get(self.DIALOGUE).content.decode()
        data = json.loads(re.search(r'id="profile-map-data"[^>]*>(.*?)</script>', html, re.S)[1])
        assert (
            data["marker"] is None and data["kreis"]["properties"]["slug"] == "stadtkreis-stuttgart"
        )
        assert "Die Karte zeigt den Kreis, nicht die genaue Adresse." in text(
            client.get(self.DIALOGUE)
        )

    def test_a_known_point_is_drawn_and_an_event_without_place_has_no_map(self, client):
        event("punkt", venue="Haus", latitude=48.78, longitude=9.18)
        html = client.get("/veranstaltungen/punkt/").content.decode()
        data = json.loads(re.search(r'id="profile-map-data"[^>]*>(.*?)</script>', html, re.S)[1])
        assert data["marker"] == {"lat": 48.78, "lon": 9.18, "name": "Haus"}
        event("nirgends")
        assert "profile-map" not in client.get("/veranstaltungen/nirgends/").content.decode()

    def test_the_api_gives_programme_speakers_and_kreis(self, client):
        answer = client.get("/api/v1/events/clusterpolitische-entscheidungstraeger-2017").json()
        assert [item["presenter"] for item in answer["agenda"]] == [
            "Ministerialdirektor Wicker", "Frau Köchel", "Herr Otte, Herr Kruschwitz",
            "Herr Dr. Dufour", "Herr Hermanns", "Ministerialdirektor Wicker",
        ]  # fmt: skip
        assert [p["name"] for p in answer["speakers"]][:2] == ["Wicker", "Köchel"]
        assert answer["kreis"] == "stadtkreis-stuttgart" and answer["latitude"] is None
