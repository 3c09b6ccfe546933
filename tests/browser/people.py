"""Run in the browser tests' own portal (`clusterportal shell -c`): the personas of
clusterportal/tests/personas.py, an event open for registration with a question and one
participant, a service request (test data of the test database, never of the product), and a logged-in session
for Clara Curator and Mia Manager. Prints what the tests need as JSON."""

import datetime
import json

from django.test import Client
from django.utils import timezone

from clusterportal.accounts.models import Role, grant
from clusterportal.calls import jury
from clusterportal.calls.models import Application, Call, Deadline, Programme
from clusterportal.calls.tests.conftest import add_form
from clusterportal.events.models import Event
from clusterportal.matchmaking.models import Meeting, MeetingRequest
from clusterportal.matchmaking.tests import factories as matchmaking_setup
from clusterportal.partnersearch import editing as partnersearch_editing
from clusterportal.partnersearch.forms import PostingForm
from clusterportal.partnersearch.models import Interest
from clusterportal.services.models import Service, ServiceRequest
from clusterportal.tests.personas import account, log_in_with_totp, personas

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

# A call that takes applications in the portal (test data: the shipped calls are applied for
# outside it): Mia's draft, CARS's submitted application, Jana Juror's review of it begun.
call = Call.objects.create(
    programme=Programme.objects.get(slug="gold-label-foerderung"), slug="browser-wettbewerb",
    title="Wettbewerb (Test)", title_en="Competition (test)", opens_at=now - datetime.timedelta(days=1),
    source_name="Test", source_url="https://example.org/test",
    eligibility_rules=[{"rule": "listed"}, {"rule": "initiative_kind", "parameters": {
        "kinds": ["cluster_initiative", "statewide_network"]}}],
)  # fmt: skip
Deadline.objects.create(call=call, due_at=now + datetime.timedelta(days=20))
add_form(call)
draft = Application.objects.create(call=call, initiative=people.textiles, created_by=people.mia,
                                   answers={"vorhaben": "Prüfstände (Test)", "finanzplan": {
                                       "rows": [{"item": "Personal", "amount": "1200.00"}],
                                       "total": "1200.00"}})  # fmt: skip
submitted = Application.objects.create(call=call, initiative=people.cars, created_by=people.max,
                                       status="submitted", submitted_at=now,
                                       answers={"vorhaben": "Batterietests (Test)"})  # fmt: skip
jana = account("jana.juror@jury.example", "Jana")
grant(jana, Role.Kind.JUROR)
assignment = jury.assign([submitted], jana, people.clara).assigned[0]
# Two more jurors have scored CARS and the network's application, for the ranking board.
network = Application.objects.create(
    call=call,
    initiative=people.network,
    status="submitted",
    submitted_at=now,
    answers={"vorhaben": "Fasern (Test)"},
)
criteria = list(call.criteria.all())
for number, scores in (
    (1, [("4", "4", "3"), ("1", "2", "n/a")]),
    (2, [("3", "5", "4"), ("5", "4", "5")]),
):
    juror = account(f"juror{number}@jury.example", f"Juror {number}")
    grant(juror, Role.Kind.JUROR)
    for application, points in zip((submitted, network), scores, strict=True):
        done = jury.assign([application], juror, people.clara).assigned[0]
        data = {f"points-{c.pk}": v for c, v in zip(criteria, points, strict=True)}
        jury.save_review(done, criteria, {**data, "recommendation": "fund"}, submit=True)


# Partner search (test data): Ute's public request with suggestions, Mia's posting waiting for
# the check (Clara's queue), a message of interest from Max on Ute's posting.
def posting(author, **values):
    data = {"kind": "request", "purpose": "rd_project", "organisation_name": "Weberei (Test)",
            "technology_fields": ["technische-textilien", "sensorik"],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
            "title": "Partner für textile Sensoren (Test)",
            "description": "Wir suchen Forschungspartner für **textilintegrierte Sensorik** "
                           "in einem Verbundprojekt (Test).", **values}  # fmt: skip
    form = PostingForm(data, user=author)
    assert form.is_valid(), form.errors
    return partnersearch_editing.create(form, author)


public_posting = posting(people.ute, countries_sought=["FR", "US"])
partnersearch_editing.publish(public_posting, people.clara)
pending_posting = posting(people.mia, initiative=people.textiles.slug, organisation_name="",
                          title="Prüfstand für Funktionstextilien (Test)")  # fmt: skip
Interest.objects.create(posting=public_posting, sender=people.max, sender_name="Max (Test)",
                        sender_organisation="CARS", message="Interesse an Ihrem Projekt (Test).")  # fmt: skip

# Matchmaking (test data): an event 40 days ahead with six slots in the afternoon, profiles of
# Ute, Max and Paula; Ute's request to Max waits for his answer, Ute meets Paula in slot 2.
afternoon = (now + datetime.timedelta(days=40)).astimezone(matchmaking_setup.BERLIN)
matchmaking_event = matchmaking_setup.event(
    people, slug="browser-matchmaking", starts_at=afternoon.replace(hour=10, minute=0),
    ends_at=afternoon.replace(hour=18, minute=0),
)  # fmt: skip
matchmaking = matchmaking_setup.matchmaking(
    matchmaking_event, slots_start=afternoon.replace(hour=14, minute=0, second=0, microsecond=0),
    slots_end=afternoon.replace(hour=16, minute=0, second=0, microsecond=0),
)  # fmt: skip
slots = list(matchmaking.slots.order_by("starts_at"))
ute_profile, max_profile, paula_profile = (
    matchmaking_setup.profile(matchmaking, user, organisation, offer, seek)
    for user, organisation, offer, seek in (
        (people.ute, "Weberei (Test)", "Textile Sensoren (Test)", "Partner für Leichtbau (Test)"),
        (people.max, "CARS", "Fahrzeugbau (Test)", "Zulieferer mit Sensorik (Test)"),
        (account("paula@forschung.example", "Paula"), "Institut P (Test)", "Prüfstände (Test)",
         "Industriepartner (Test)"),
    )
)  # fmt: skip
MeetingRequest.ask(ute_profile, max_profile, slots[0], "Sensorik? (Test)")
Meeting.book(ute_profile, paula_profile, slots[1])


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
            "call": call.slug,
            "application": draft.get_absolute_url(),
            "submitted": submitted.get_absolute_url(),
            "review": f"/foerderung/begutachtung/{assignment.pk}/",
            "posting": public_posting.get_absolute_url(),
            "pending_posting": pending_posting.get_absolute_url(),
            "matchmaking": matchmaking.get_absolute_url(),
            "to_max": f"{matchmaking.get_absolute_url()}anfrage/{max_profile.key}/",
            "sessions": {
                "clara": session_of(people.clara, totp=True),
                "mia": session_of(people.mia, totp=False),
                "jana": session_of(jana, totp=False),
                "ute": session_of(people.ute, totp=False),
                "max": session_of(people.max, totp=False),
            },
        }
    )
)
