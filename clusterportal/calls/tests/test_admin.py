"""The back office: curators edit programmes and calls (calls.edit), others cannot; a
call's rules are validated on save; edits are kept in the history."""

from __future__ import annotations

import pytest

from clusterportal.calls.models import Call, Programme
from clusterportal.tests.personas import log_in_with_totp

pytestmark = pytest.mark.django_db


def test_a_curator_opens_the_lists_and_a_call(client, people):
    log_in_with_totp(client, people.clara)
    assert client.get("/admin/calls/programme/").status_code == 200
    assert client.get("/admin/calls/call/").status_code == 200
    call = Call.objects.get(slug="gold-label-2023-2027")
    page = client.get(f"/admin/calls/call/{call.pk}/change/")
    assert page.status_code == 200
    assert "label_expiring" in page.content.decode()  # the rule catalogue beside the field


@pytest.mark.parametrize("name", ["rainer", "mia", "ute"])
def test_nobody_else_edits_programmes_or_calls(client, people, name):
    person = getattr(people, name)
    person.is_staff = True
    person.save()
    log_in_with_totp(client, person)
    call = Call.objects.get(slug="gold-label-2023-2027")
    assert client.get("/admin/calls/call/").status_code == 403
    assert client.get(f"/admin/calls/call/{call.pk}/change/").status_code == 403


def test_the_admin_refuses_bad_rules_naming_them_and_changes_nothing(client, people):
    log_in_with_totp(client, people.clara)
    call = Call.objects.get(slug="gold-label-2023-2027")
    page = client.get(f"/admin/calls/call/{call.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["eligibility_rules"] = '[{"rule": "seat", "parameters": {"region": "atlantis"}}]'
    data["technology_fields"] = []
    data["countries"] = []
    data.update({"deadlines-TOTAL_FORMS": "0", "deadlines-INITIAL_FORMS": "0"})
    response = client.post(f"/admin/calls/call/{call.pk}/change/", data)
    assert response.status_code == 200
    assert "Regel 1 (seat), region:" in response.content.decode()
    call.refresh_from_db()
    assert call.eligibility_rules[0] == {"rule": "listed"}


def test_edits_of_programmes_and_calls_are_kept_in_the_history():
    programme = Programme.objects.get(slug="gold-label-foerderung")
    programme.budget = "laut Haushalt"
    programme.save()
    assert programme.history.count() == 2
    assert programme.history.first().budget == "laut Haushalt"
    call = Call.objects.get(slug="gold-label-2023-2027")
    call.title = "Neuer Titel"
    call.save()
    assert [h.title for h in call.history.all()][:1] == ["Neuer Titel"]
