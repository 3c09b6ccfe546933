"""Fixtures of the application and review tests: a call with a form and criteria, jurors.

The call is a test call (not one of the shipped programmes' calls, which are applied for
outside the portal). Besides the personas of docs/roles.md (clusterportal/tests/personas.py):

* Jana Juror reviews, with no tie to any initiative;
* Jörg Juror works for an organisation that is a member of the Textiles initiative
  (Mia's), so the registry shows his conflict with its applications;
* Mila, a second manager of Textiles, co-edits Mia's applications.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from clusterportal.accounts.models import Role, grant
from clusterportal.calls.models import Application, Criterion, FormField
from clusterportal.calls.tests.helpers import make_call
from clusterportal.registry.models import Membership, Organisation
from clusterportal.tests.personas import account, log_in_with_totp


@dataclass
class Jury:
    jana: object
    joerg: object
    mila: object
    joerg_organisation: object


@pytest.fixture
def jury(people) -> Jury:
    jana = account("jana.juror@jury.example", "Jana")
    joerg = account("joerg.juror@jury.example", "Jörg")
    mila = account("mila.manager@textil.example", "Mila")
    # A test organisation (the shipped data lists no members of Textiles).
    member = Organisation.objects.create(slug="textilpruef-test", name="Textilprüf GmbH (Test)",
                                         kind=Organisation.Kind.COMPANY)  # fmt: skip
    Membership.objects.create(initiative=people.textiles, organisation=member)
    grant(jana, Role.Kind.JUROR)
    grant(joerg, Role.Kind.JUROR, organisation=member)
    grant(mila, Role.Kind.CLUSTER_MANAGER, initiative=people.textiles)
    return Jury(jana=jana, joerg=joerg, mila=mila, joerg_organisation=member)


def add_form(call) -> None:
    FormField.objects.bulk_create([
        FormField(call=call, position=1, key="vorhaben", label="Vorhaben", kind="text",
                  max_chars=200),
        FormField(call=call, position=2, key="personen", label="Beteiligte Personen",
                  kind="number", min_value=1, max_value=50),
        FormField(call=call, position=3, key="schwerpunkt", label="Schwerpunkt", kind="choice",
                  choices=["Forschung", "Markt"]),
        FormField(call=call, position=4, key="finanzplan", label="Finanzplan", kind="budget",
                  max_value=decimal.Decimal("50000")),
        FormField(call=call, position=5, key="anlagen", label="Anlagen", kind="file"),
        FormField(call=call, position=6, key="hinweise", label="Hinweise", kind="text",
                  required=False),
    ])  # fmt: skip
    Criterion.objects.bulk_create([
        Criterion(call=call, position=1, name="Qualität", weight=decimal.Decimal(2)),
        Criterion(call=call, position=2, name="Wirkung", weight=decimal.Decimal(1)),
        Criterion(call=call, position=3, name="Machbarkeit", weight=decimal.Decimal(1)),
    ])  # fmt: skip


@pytest.fixture
def open_call(db):
    """Opened yesterday, due in 30 days, with the six questions and three criteria above."""
    now = timezone.now()
    call = make_call("wettbewerb-test", opens_at=now - datetime.timedelta(days=1),
                     deadlines=[now + datetime.timedelta(days=30)])  # fmt: skip
    add_form(call)
    return call


COMPLETE = {
    "vorhaben": "Gemeinsame Prüfstände für technische Textilien.",
    "personen": "12",
    "schwerpunkt": "Forschung",
    "finanzplan-item": ["Personal", "Sachmittel"],
    "finanzplan-amount": ["30.000,00", "4500.50"],
    "hinweise": "",
}


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def complete_application(call, initiative, user) -> Application:
    """A submitted application with every required answer and one PDF."""
    from django.core.files.base import ContentFile

    from clusterportal.calls.models import ApplicationFile

    application = Application.objects.create(call=call, initiative=initiative, created_by=user)
    application.answers = {"vorhaben": "x", "personen": "3", "schwerpunkt": "Markt",
                           "finanzplan": {"rows": [{"item": "a", "amount": "1.00"}],
                                          "total": "1.00"}}  # fmt: skip
    application.save()
    document = ApplicationFile(application=application, field_key="anlagen", name="plan.pdf",
                               kind="pdf", size=len(pdf_bytes()), sha256="0" * 64)  # fmt: skip
    document.stored.save("plan.pdf", ContentFile(pdf_bytes()), save=True)
    application.submit()
    return application


def staff_client(user) -> Client:
    client = Client()
    log_in_with_totp(client, user)
    return client


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
