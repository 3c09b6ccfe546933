"""Run in the browser tests' own portal (`clusterportal shell -c`): the personas of
clusterportal/tests/personas.py, an event open for registration with a question and one
participant, a service request (test data of the test database, never of the product), and a logged-in session
for Clara Curator and Mia Manager. Prints what the tests need as JSON."""

import datetime
import json

from django.test import Client
from django.utils import timezone

from clusterportal.events.models import Event
from clusterportal.services.models import Service, ServiceRequest
from clusterportal.tests.personas import log_in_with_totp, personas

people = personas()
now = timezone.now()
event = Event.objects.create(
    slug="browser-werkstatt",
    title="Werkstatt Leichtbau (Test)",
    title_en="Lightweight workshop (test)",
    organiser="Cluster Technische Textilien Neckar-Alb",
    organising_initiative=people.textiles,
    status="published",
    kind="workshop",
    starts_at=now + datetime.timedelta(days=30),
    ends_at=now + datetime.timedelta(days=30, hours=6),
    registration_opens_at=now - datetime.timedelta(days=1),
    capacity=20,
    waiting_list=True,
    questions=[
        {"key": "essen", "label": "Essen", "kind": "choice", "choices": ["vegetarisch", "vegan"]},
        {"key": "fragen", "label": "Ihre Frage an das Podium", "kind": "text"},
    ],
)  # fmt: skip
event.register(name="Anna Beispiel", email="anna@example.org", consent=True)
# A request of a ClusterAgentur service, for its page (docs/services.md).
service_request = ServiceRequest.open_for(
    Service.objects.get(slug="internationalisierungsstrategie"),
    people.textiles,
    people.mia,
    "Workshop zur Internationalisierungsstrategie (Test)",
)


def session_of(user, totp: bool) -> str:
    client = Client()
    if totp:
        log_in_with_totp(client, user)
    else:
        client.force_login(user)
    return client.cookies["sessionid"].value


print(
    json.dumps(
        {
            "event": event.get_absolute_url(),
            "initiative": people.textiles.slug,
            "service_request": service_request.get_absolute_url(),
            "sessions": {
                "clara": session_of(people.clara, totp=True),
                "mia": session_of(people.mia, totp=False),
            },
        }
    )
)
