"""Applying: begin, keep the draft together, submit before the deadline, withdraw."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clusterportal.calls.models import Application
from clusterportal.calls.tests.conftest import COMPLETE, client_of, complete_application, pdf_bytes
from clusterportal.calls.tests.helpers import berlin, make_call

pytestmark = pytest.mark.django_db


def start(client, call, initiative):
    return client.post(reverse("calls:apply", args=[call.slug]), {"initiative": initiative.slug})


def started(people, call) -> Application:
    response = start(client_of(people.mia), call, people.textiles)
    assert response.status_code == 302
    return Application.objects.exclude(status="withdrawn").get(
        call=call, initiative=people.textiles
    )


def save(client, application, data, **extra):
    return client.post(
        reverse("calls:application", args=[application.pk]),
        {"version": application.version, "action": "save", **data, **extra},
    )


class TestBeginning:
    def test_a_manager_begins_a_draft_that_keeps_the_eligibility_check(self, people, open_call):
        application = started(people, open_call)
        assert application.status == "draft"
        assert application.created_by == people.mia
        # The test call has no rules: the check is stored, with no outcomes, as met.
        assert application.eligibility_at_start["result"] == "met"
        assert application.eligibility_at_start["outcomes"] == []

    def test_beginning_twice_opens_the_same_application(self, people, open_call):
        first = started(people, open_call)
        response = start(client_of(people.mia), open_call, people.textiles)
        assert response.url == first.get_absolute_url()
        assert Application.objects.filter(call=open_call).count() == 1

    @pytest.mark.parametrize("persona", ["max", "ute", "rainer"])
    def test_no_one_applies_for_an_initiative_they_do_not_manage(self, people, open_call,
                                                                 persona):  # fmt: skip
        response = start(client_of(getattr(people, persona)), open_call, people.textiles)
        assert response.status_code == 403
        assert not Application.objects.exists()

    def test_an_anonymous_visitor_is_sent_to_the_login(self, people, open_call):
        from django.test import Client

        response = start(Client(), open_call, people.textiles)
        assert response.status_code == 302 and "/login/" in response.url
        assert not Application.objects.exists()

    def test_a_call_without_a_form_takes_no_application(self, people):
        call = make_call("ohne-formular", deadlines=[timezone.now() + datetime.timedelta(days=3)])
        response = start(client_of(people.mia), call, people.textiles)
        assert response.status_code == 302 and response.url == call.get_absolute_url()
        assert not Application.objects.exists()

    def test_a_call_whose_rules_the_initiative_does_not_meet_is_refused(self, people, open_call):
        # Textiles is a regional cluster initiative: a rule asking for a state-wide network fails.
        open_call.eligibility_rules = [
            {"rule": "initiative_kind", "parameters": {"kinds": ["statewide_network"]}}
        ]
        open_call.save()
        client = client_of(people.mia)
        response = start(client, open_call, people.textiles)
        assert response.status_code == 302
        assert not Application.objects.exists()
        page = client.get(open_call.get_absolute_url())
        assert "erfüllt nach den Daten der Clusterdatenbank nicht alle" in page.content.decode()


class TestDraft:
    def test_a_draft_saves_every_kind_of_answer(self, people, open_call):
        application = started(people, open_call)
        response = save(client_of(people.mia), application, COMPLETE)
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.answers == {
            "vorhaben": "Gemeinsame Prüfstände für technische Textilien.",
            "personen": "12",
            "schwerpunkt": "Forschung",
            # German and English notation, summed by hand: 30,000.00 + 4,500.50
            "finanzplan": {"rows": [{"item": "Personal", "amount": "30000.00"},
                                    {"item": "Sachmittel", "amount": "4500.50"}],
                           "total": "34500.50"},
            "hinweise": "",
        }  # fmt: skip
        assert application.version == 2

    @pytest.mark.parametrize(("field", "value", "message"), [
        ("vorhaben", "x" * 201, "höchstens 200 Zeichen"),
        ("personen", "51", "kleiner oder gleich 50"),
        ("schwerpunkt", "Politik", "Politik ist keine gültige Auswahl"),
        ("finanzplan-amount", ["60000", ""], "Zeile 1"),
    ])  # fmt: skip
    def test_a_wrong_answer_is_refused_by_name_and_nothing_is_saved(
        self, people, open_call, field, value, message
    ):
        application = started(people, open_call)
        data = {**COMPLETE, field: value}
        if field == "finanzplan-amount":
            data["finanzplan-item"] = ["Personal", ""]
            message = "liegt über 50000"
        response = save(client_of(people.mia), application, data)
        assert response.status_code == 422
        assert message in response.content.decode()
        application.refresh_from_db()
        assert application.answers == {} and application.version == 1
        # What was typed is still in the page.
        assert "Gemeinsame Prüfstände" in response.content.decode() or field == "vorhaben"

    def test_a_budget_row_needs_item_and_amount(self, people, open_call):
        application = started(people, open_call)
        data = {**COMPLETE, "finanzplan-item": ["Reisen"], "finanzplan-amount": [""]}
        response = save(client_of(people.mia), application, data)
        assert response.status_code == 422
        assert (
            "Finanzplan, Zeile 1: Posten und Betrag gehören zusammen." in response.content.decode()
        )

    def test_line_breaks_count_once_against_the_limit(self, people, open_call):
        application = started(people, open_call)
        text = "a\r\n" * 66 + "ab"  # 66 × 2 + 2 = 134 characters once CR LF is one break
        assert save(client_of(people.mia), application, {**COMPLETE, "vorhaben": text}
                    ).status_code == 302  # fmt: skip
        application.refresh_from_db()
        assert len(application.answers["vorhaben"]) == 134

    def test_two_managers_editing_at_once_lose_nothing(self, people, jury, open_call):
        application = started(people, open_call)
        loaded_version = application.version  # both open the page now
        mila = client_of(jury.mila)
        assert save(mila, application, {**COMPLETE, "vorhaben": "Milas Fassung"}).status_code == 302
        application.version = loaded_version  # Mia still has the page of before
        response = save(
            client_of(people.mia), application, {**COMPLETE, "vorhaben": "Mias Fassung"}
        )
        assert response.status_code == 409
        body = response.content.decode()
        assert "mila.manager@textil.example" in body  # who saved in between
        assert "Mias Fassung" in body  # Mia's text is still in her form
        application.refresh_from_db()
        assert application.answers["vorhaben"] == "Milas Fassung"

    def test_autosave_answers_with_the_new_version_and_refuses_a_stale_one(self, people, open_call):
        application = started(people, open_call)
        client = client_of(people.mia)
        response = save(client, application, {"vorhaben": "Erster Satz"}, autosave="1")
        assert response.json() == {"saved": True, "version": 2}
        stale = save(client, application, {"vorhaben": "Zweiter Satz"}, autosave="1")
        assert stale.status_code == 409
        assert stale.json()["saved"] is False
        assert "Inzwischen hat jemand anderes" in stale.json()["errors"][0]
        application.refresh_from_db()
        assert application.answers["vorhaben"] == "Erster Satz"


class TestSubmission:
    def test_submission_names_the_missing_answers_and_keeps_the_draft(self, people, open_call):
        application = started(people, open_call)
        response = save(client_of(people.mia), application, {"vorhaben": "nur das"},
                        action="submit")  # fmt: skip
        assert response.status_code == 422
        body = response.content.decode()
        assert "Beteiligte Personen; Schwerpunkt; Finanzplan; Anlagen" in body
        application.refresh_from_db()
        assert application.status == "draft" and application.answers["vorhaben"] == "nur das"

    def test_a_complete_application_is_submitted_and_every_manager_hears_of_it(
        self, people, jury, open_call, mailoutbox, django_capture_on_commit_callbacks
    ):
        application = started(people, open_call)
        client = client_of(people.mia)
        client.post(reverse("calls:upload_file", args=[application.pk]),
                    {"field": "anlagen", "file": _upload("plan.pdf", pdf_bytes())})  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            response = save(client, application, COMPLETE, action="submit")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == "submitted" and application.submitted_at is not None
        assert sorted(m.to[0] for m in mailoutbox) == [
            "mia.manager@textil.example",
            "mila.manager@textil.example",
        ]
        assert mailoutbox[0].subject == f"Antrag eingereicht: {open_call.title}"

    def test_a_submitted_application_cannot_be_edited(self, people, open_call):
        application = complete_application(open_call, people.textiles, people.mia)
        response = save(client_of(people.mia), application, {**COMPLETE, "vorhaben": "später"})
        assert response.status_code == 409
        assert "kann nicht mehr geändert werden" in response.content.decode()
        application.refresh_from_db()
        assert application.answers["vorhaben"] == "x"


class TestDeadline:
    """The last second of the deadline is in; the next is out (server time, Europe/Berlin)."""

    @pytest.mark.parametrize("deadline", [
        berlin(2027, 1, 15, 23, 59, 59),  # winter time, UTC+1
        berlin(2027, 7, 15, 23, 59, 59),  # summer time, UTC+2
    ])  # fmt: skip
    def test_one_second_before_and_after_the_deadline(self, people, deadline):
        from clusterportal.calls.tests.conftest import add_form

        call = make_call("frist", opens_at=deadline - datetime.timedelta(days=60),
                         deadlines=[deadline])  # fmt: skip
        add_form(call)
        late = Application.objects.create(call=call, initiative=people.textiles,
                                          answers={"vorhaben": "Text"})  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            late.submit(now=deadline + datetime.timedelta(seconds=1))
        wall = deadline.astimezone(
            datetime.timezone(datetime.timedelta(hours=1 if deadline.month == 1 else 2))
        )
        assert wall.strftime("%d.%m.%Y, 23:59:59") in refused.value.messages[0]
        assert "Ihr Entwurf bleibt gespeichert" in refused.value.messages[0]
        late.refresh_from_db()
        assert late.status == "draft" and late.answers == {"vorhaben": "Text"}
        late.submit(now=deadline)  # the deadline's own last second still counts
        assert late.status == "submitted"

    def test_the_page_refuses_a_late_submission_with_the_draft_kept(self, people, open_call):
        application = complete_application(open_call, people.cars, people.max)
        draft = started(people, open_call)
        save(client_of(people.mia), draft, COMPLETE)
        draft.refresh_from_db()
        open_call.deadlines.update(due_at=timezone.now() - datetime.timedelta(seconds=1))
        open_call.refresh_from_db()
        response = save(client_of(people.mia), draft, COMPLETE, action="submit")
        assert response.status_code in (409, 422)
        assert "Die Frist ist am" in response.content.decode()
        draft.refresh_from_db()
        assert draft.status == "draft" and draft.answers["schwerpunkt"] == "Forschung"
        assert application.status == "submitted"


class TestWithdrawal:
    def test_withdrawn_before_a_decision_and_then_a_new_one_may_begin(
        self, people, open_call, mailoutbox, django_capture_on_commit_callbacks
    ):
        application = complete_application(open_call, people.textiles, people.mia)
        with django_capture_on_commit_callbacks(execute=True):
            client_of(people.mia).post(reverse("calls:withdraw", args=[application.pk]))
        application.refresh_from_db()
        assert application.status == "withdrawn"
        assert [m.subject for m in mailoutbox] == [f"Antrag zurückgezogen: {open_call.title}"]
        assert started(people, open_call).pk != application.pk

    def test_a_decided_application_cannot_be_withdrawn(self, people, open_call):
        application = complete_application(open_call, people.textiles, people.mia)
        application.prepare_decision("rejected")
        Application.objects.filter(pk=application.pk).update(
            status="decided", decision_sent_at=timezone.now()
        )
        client_of(people.mia).post(reverse("calls:withdraw", args=[application.pk]))
        application.refresh_from_db()
        assert application.status == "decided"

    def test_only_its_managers_withdraw_it(self, people, open_call):
        application = complete_application(open_call, people.textiles, people.mia)
        assert (
            client_of(people.max).post(reverse("calls:withdraw", args=[application.pk])).status_code
            == 403
        )
        application.refresh_from_db()
        assert application.status == "submitted"


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
