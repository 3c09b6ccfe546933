"""Change requests as a model: propose, amend, conflicts, approve once, reject."""

import pytest

from clusterportal.changes.forms import InvalidChanges, validate
from clusterportal.changes.models import (
    ChangeRequest,
    Conflict,
    NotAllowed,
    NothingChanged,
    edit_token,
)

pytestmark = pytest.mark.django_db


def propose(people, values, token="current"):
    initiative = people.textiles
    token = edit_token(initiative) if token == "current" else token
    return ChangeRequest.propose(
        initiative, people.mia, validate(initiative, values), edit_token=token
    )


def test_a_proposal_leaves_the_public_record_alone_until_approved(people):
    request = propose(people, {"description": "Technische Textilien aus der Region.", "activities_per_year": 12})  # fmt: skip
    people.textiles.refresh_from_db()
    assert people.textiles.description == ""
    assert request.changes == {"description": "Technische Textilien aus der Region.", "activities_per_year": 12}  # fmt: skip
    assert request.base == {"description": "", "activities_per_year": None}
    request.approve(people.rainer)
    people.textiles.refresh_from_db()
    assert people.textiles.description == "Technische Textilien aus der Region."
    assert people.textiles.activities_per_year == 12
    assert people.textiles.confirmed_at is not None
    latest = people.textiles.history.latest()
    assert latest.history_change_reason == f"Änderungsantrag #{request.pk}"


def test_approving_twice_is_refused_and_changes_nothing(people):
    request = propose(people, {"city": "Albstadt"})
    request.approve(people.rainer)
    history = people.textiles.history.count()
    with pytest.raises(NotAllowed, match="schon entschieden"):
        request.approve(people.clara)
    assert people.textiles.history.count() == history


def test_a_second_editor_with_a_stale_token_gets_a_conflict_and_the_first_request_stays(people):
    token = edit_token(people.textiles)
    first = propose(people, {"city": "Albstadt"}, token=token)
    with pytest.raises(Conflict):
        propose(people, {"city": "Tübingen"}, token=token)
    first.refresh_from_db()
    assert first.changes == {"city": "Albstadt"} and first.revision == 1


def test_a_fresh_save_amends_the_open_request(people):
    first = propose(people, {"city": "Albstadt"})
    second = propose(people, {"postcode": "72764"})
    assert second.pk == first.pk and second.revision == 2
    assert second.changes == {"city": "Albstadt", "postcode": "72764"}


def test_approval_refuses_when_the_record_changed_since(people):
    request = propose(people, {"city": "Albstadt"})
    people.textiles.city = "Metzingen"
    people.textiles.save()
    with pytest.raises(Conflict, match="Ort"):
        request.approve(people.rainer)
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.PENDING


def test_nothing_changed_is_refused(people):
    with pytest.raises(NothingChanged):
        propose(people, {"city": people.textiles.city})


def test_a_rejection_needs_a_reason_and_keeps_the_record(people):
    request = propose(people, {"city": "Albstadt"})
    with pytest.raises(ValueError):
        request.reject(people.rainer, "  ")
    request.reject(people.rainer, "Sitz ist Mössingen.")
    assert request.status == ChangeRequest.Status.REJECTED
    assert request.reason == "Sitz ist Mössingen."


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"slug": "neu"}, "slug", "Dieses Feld kann nicht geändert werden."),
        ({"website": "javascript:alert(1)"}, "website", "Bitte eine gültige Adresse eingeben."),
        ({"description": "x" * 5001}, "description", "höchstens 5000 Zeichen"),
        ({"contact_email": "kein-mail"}, "contact_email", "Bitte gültige E-Mail-Adresse eingeben."),
        (
            {"technology_fields": ["gibt-es-nicht"]},
            "technology_fields",
            "gibt-es-nicht ist keine gültige Auswahl",
        ),
        ({"partnerships": [{"country": ""}]}, "partnerships", "Partnerschaft 1, country"),
    ],
)
def test_bad_values_name_the_field_and_the_reason(people, values, field, message):
    with pytest.raises(InvalidChanges) as caught:
        validate(people.textiles, values)
    assert list(caught.value.errors) == [field]
    assert message in " ".join(caught.value.errors[field])
