"""A matchmaking event for the tests: Werkstatt Leichtbau on 1 March 2027, organised by
the personas' Cluster Technische Textilien (Mia organises), six 20-minute slots from 14:00
to 16:00 Berlin time; Ute and Max registered and confirmed, with profiles, and Paula, a
third confirmed participant. Rainer has no registration."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from clusterportal.events.models import Event, Registration
from clusterportal.matchmaking.models import Matchmaking, Participant
from clusterportal.tests.personas import account

BERLIN = ZoneInfo("Europe/Berlin")


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def event(people, slug="werkstatt", **values) -> Event:
    defaults = {
        "title": "Werkstatt Leichtbau", "organiser": "Cluster Technische Textilien",
        "organising_initiative": people.textiles, "status": "published", "kind": "matchmaking",
        "starts_at": datetime.datetime(2027, 3, 1, 10, 0, tzinfo=BERLIN),
        "ends_at": datetime.datetime(2027, 3, 1, 18, 0, tzinfo=BERLIN),
    }  # fmt: skip
    return Event.objects.create(slug=slug, **{**defaults, **values})


def register(event: Event, user, status="confirmed") -> Registration:
    sequence = event.registrations.count() + 1
    return Registration.objects.create(
        event=event, name=user.first_name or user.email, email=user.email, status=status,
        sequence=sequence,
    )  # fmt: skip


def matchmaking(event: Event, **values) -> Matchmaking:
    defaults = {
        "slots_start": datetime.datetime(2027, 3, 1, 14, 0, tzinfo=BERLIN),
        "slots_end": datetime.datetime(2027, 3, 1, 16, 0, tzinfo=BERLIN),
        "slot_minutes": 20, "answer_hours": 48,
    }  # fmt: skip
    return Matchmaking.objects.create(event=event, **{**defaults, **values})


def profile(mm: Matchmaking, user, organisation, offer, seek, fields=()) -> Participant:
    register(mm.event, user)
    participant = Participant.objects.create(
        matchmaking=mm, user=user, name=user.first_name, organisation=organisation,
        offer=offer, seek=seek,
    )  # fmt: skip
    participant.technology_fields.set(fields)
    return participant


class Setting:
    """The event, its matchmaking and the three profiles."""

    def __init__(self, people):
        from clusterportal.taxonomy.models import TechnologyField

        self.people = people
        self.event = event(people)
        self.mm = matchmaking(self.event)
        self.slots = list(self.mm.slots.order_by("starts_at"))
        fields = list(TechnologyField.objects.top_level().order_by("slug")[:2])
        self.field_a, self.field_b = fields
        self.ute = profile(
            self.mm, people.ute, "Ute GmbH", "Sensorik für Textilien", "Partner für Leichtbau",
            [self.field_a],
        )  # fmt: skip
        self.max = profile(
            self.mm, people.max, "CARS", "Fahrzeugbau", "Zulieferer mit Sensorik", [self.field_b]
        )
        self.paula_user = account("paula@forschung.example", "Paula")
        self.paula = profile(
            self.mm, self.paula_user, "Institut P", "Prüfstände", "Industriepartner", []
        )
