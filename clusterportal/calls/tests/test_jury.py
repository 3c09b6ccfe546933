"""Review and decision: jurors and their conflicts, scoring, the ranking board and its export,
decisions sent in one batch, the public statistics, and who may do each (both ways)."""

from __future__ import annotations

import datetime
import decimal
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clusterportal.accounts.models import Role, grant
from clusterportal.calls import jury as steps
from clusterportal.calls.models import Application, Criterion, JurorAssignment, Review
from clusterportal.calls.ranking import board, review_score
from clusterportal.calls.tests.conftest import client_of, complete_application, staff_client
from clusterportal.registry.models import ClusterInitiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(people, open_call) -> Application:
    return complete_application(open_call, people.textiles, people.mia)


def criteria(call) -> list[Criterion]:
    return list(call.criteria.all())  # Qualität ×2, Wirkung ×1, Machbarkeit ×1


def points(call, *values, recommendation="fund") -> dict:
    data = {f"points-{c.pk}": v for c, v in zip(criteria(call), values, strict=True)}
    return {**data, "recommendation": recommendation}


def review(application, juror, *values, recommendation="fund") -> Review:
    assignment = JurorAssignment.objects.get_or_create(application=application, juror=juror)[0]
    call = application.call
    return steps.save_review(
        assignment,
        criteria(call),
        points(call, *values, recommendation=recommendation),
        submit=True,
    )


class TestAssigning:
    def test_an_assignment_starts_the_review_and_mails_juror_and_applicants(
        self, people, jury, submitted, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client(people.clara).post(
                reverse("calls:assign_jurors", args=[submitted.call.slug]),
                {"juror": jury.jana.pk, "application": [submitted.pk]})  # fmt: skip
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == "in_review"
        assert JurorAssignment.objects.get().juror == jury.jana
        assert sorted(m.to[0] for m in mailoutbox) == [
            "jana.juror@jury.example",
            "mia.manager@textil.example",
            "mila.manager@textil.example",
        ]
        history = [h.status for h in submitted.history.order_by("history_date")]
        assert history == ["draft", "draft", "submitted", "in_review"]
        assert submitted.history.first().history_user == people.clara

    def test_a_juror_whose_organisation_is_a_member_is_not_assigned_and_named(
        self, people, jury, submitted
    ):
        report = steps.assign([submitted], jury.joerg, people.clara)
        assert report.assigned == []
        assert report.conflicts == [
            (submitted, "Textilprüf GmbH (Test) ist Mitglied der Initiative")
        ]
        assert not JurorAssignment.objects.exists()

    def test_a_juror_who_manages_the_initiative_is_in_conflict(self, people, jury, submitted):
        grant(people.mia, Role.Kind.JUROR)
        report = steps.assign([submitted], people.mia, people.clara)
        assert report.conflicts == [(submitted, "verwaltet die Initiative als Clustermanagement")]

    def test_a_juror_whose_organisation_runs_the_management_is_in_conflict(
        self, people, jury, submitted
    ):
        ClusterInitiative.objects.filter(pk=people.cars.pk).update(
            management_organisation=jury.joerg_organisation
        )
        cars = complete_application(submitted.call, people.cars, people.max)
        report = steps.assign([cars], jury.joerg, people.clara)
        assert report.conflicts == [(cars, "Textilprüf GmbH (Test) trägt das Clustermanagement")]

    def test_only_jurors_and_only_submitted_applications(self, people, jury, open_call, submitted):
        with pytest.raises(ValidationError, match="hat keine Jury-Rolle"):
            steps.assign([submitted], people.ute, people.clara)
        draft = Application.objects.create(call=open_call, initiative=people.cars)
        with pytest.raises(ValidationError, match="Begutachtet werden nur eingereichte"):
            steps.assign([submitted, draft], jury.jana, people.clara)
        assert not JurorAssignment.objects.exists()  # all or nothing

    def test_assigning_twice_counts_once(self, people, jury, submitted):
        steps.assign([submitted], jury.jana, people.clara)
        again = steps.assign([submitted], jury.jana, people.clara)
        assert (again.assigned, again.already) == ([], 1)


class TestScoring:
    def test_a_review_score_is_the_weighted_mean_without_na(self):
        # (2×4 + 1×3) / (2 + 1) = 11 / 3, Machbarkeit n/a
        two, one = decimal.Decimal(2), decimal.Decimal(1)
        assert review_score([(two, 4), (one, 3), (one, None)]) == decimal.Decimal("3.6667")
        assert review_score([(two, None)]) is None

    def test_a_submitted_review_keeps_its_score_and_is_final(self, people, jury, submitted):
        steps.assign([submitted], jury.jana, people.clara)
        done = review(submitted, jury.jana, "4", "3", "n/a")
        assert done.weighted_score == decimal.Decimal("3.6667")
        assert [s.value for s in done.scores.order_by("criterion__position")] == [4, 3, None]
        with pytest.raises(ValidationError, match="bereits abgegeben"):
            review(submitted, jury.jana, "5", "5", "5")

    @pytest.mark.parametrize("value", ["6", "-1", "3.5", "viel", "55"])
    def test_points_outside_the_scale_are_refused_by_criterion(
        self, people, jury, submitted, value
    ):
        steps.assign([submitted], jury.jana, people.clara)
        assignment = JurorAssignment.objects.get()
        comment = f"comment-{criteria(submitted.call)[1].pk}"
        data = {**points(submitted.call, value, "3", "2"), comment: "gut begründet",
                "action": "submit"}  # fmt: skip
        response = client_of(jury.jana).post(reverse("calls:review", args=[assignment.pk]), data)
        assert response.status_code == 422
        body = response.content.decode()
        assert f"Qualität: „{value}“ liegt nicht auf der Skala 0–5" in body
        assert "gut begründet" in body  # what the juror wrote stays in the page
        assert not Review.objects.exists()

    def test_submitting_asks_for_every_criterion_and_a_recommendation(
        self, people, jury, submitted
    ):
        steps.assign([submitted], jury.jana, people.clara)
        assignment = JurorAssignment.objects.get()
        data = points(submitted.call, "4", "", "2", recommendation="")
        with pytest.raises(ValidationError) as refused:
            steps.save_review(assignment, criteria(submitted.call), data, submit=True)
        assert refused.value.messages == [
            "Wirkung: Bitte vergeben Sie Punkte oder „n/a“.",
            "Bitte geben Sie eine Gesamtempfehlung.",
        ]
        draft = steps.save_review(assignment, criteria(submitted.call), data, submit=False)
        assert draft.submitted_at is None and draft.scores.count() == 2

    def test_a_juror_in_conflict_neither_sees_nor_scores(self, people, jury, submitted):
        steps.assign([submitted], jury.jana, people.clara)
        assignment = JurorAssignment.objects.get()
        client = client_of(jury.jana)
        client.post(reverse("calls:declare_conflict", args=[assignment.pk]),
                    {"reason": "frühere Beratung"})  # fmt: skip
        page = client.get(reverse("calls:review", args=[assignment.pk]))
        assert "selbst erklärt: frühere Beratung" in page.content.decode()
        assert "Gemeinsame" not in page.content.decode() and "plan.pdf" not in page.content.decode()
        response = client.post(
            reverse("calls:review", args=[assignment.pk]),
            {**points(submitted.call, "5", "5", "5"), "action": "submit"},
        )
        assert response.status_code == 403
        assert not Review.objects.exists()

    def test_a_juror_sees_the_others_reviews_only_after_submitting(self, people, jury, submitted):
        other = Client()
        grant(people.ute, Role.Kind.JUROR)
        steps.assign([submitted], jury.jana, people.clara)
        steps.assign([submitted], people.ute, people.clara)
        review(submitted, people.ute, "1", "1", "1", recommendation="do_not_fund")
        mine = JurorAssignment.objects.get(juror=jury.jana)
        other.force_login(jury.jana)
        before = other.get(reverse("calls:review", args=[mine.pk])).content.decode()
        assert "ute@unternehmen.example" not in before
        review(submitted, jury.jana, "4", "4", "4")
        after = other.get(reverse("calls:review", args=[mine.pk])).content.decode()
        assert "ute@unternehmen.example" in after and "nicht fördern" in after

    def test_no_one_scores_another_jurors_assignment(self, people, jury, submitted):
        steps.assign([submitted], jury.jana, people.clara)
        assignment = JurorAssignment.objects.get()
        for user in (people.clara, people.mia, jury.joerg):
            assert (
                client_of(user).get(reverse("calls:review", args=[assignment.pk])).status_code
                == 404
            )


class TestRankingBoard:
    @pytest.fixture
    def scored(self, people, jury, open_call):
        """Three applications; hand-computed review scores (weights 2, 1, 1):
        Textiles: 5,5,5 → 5.0 and 1,2,3 → (2+2+3)/4 = 1.75: mean 3.375, spread 3.25 (disagree)
        CARS:     4,4,2 → (8+4+2)/4 = 3.5 and 3,4,n/a → (6+4)/3 = 3.3333: mean 3.41665
        Network:  no review."""
        grant(people.ute, Role.Kind.JUROR)
        textiles = complete_application(open_call, people.textiles, people.mia)
        cars = complete_application(open_call, people.cars, people.max)
        network = complete_application(open_call, people.network, people.clara)
        for application in (textiles, cars):
            steps.assign([application], jury.jana, people.clara)
            steps.assign([application], people.ute, people.clara)
        steps.assign([network], jury.jana, people.clara)
        review(textiles, jury.jana, "5", "5", "5")
        review(textiles, people.ute, "1", "2", "3", recommendation="do_not_fund")
        review(cars, jury.jana, "4", "4", "2")
        review(cars, people.ute, "3", "4", "n/a", recommendation="fund_with_conditions")
        return textiles, cars, network

    def test_means_medians_counts_and_the_disagreement_flag(self, scored, open_call):
        textiles, cars, network = scored
        _criteria, rows = board(open_call)
        assert [row.application for row in rows] == [cars, textiles, network]
        cars_row, textiles_row, network_row = rows
        assert cars_row.mean == pytest.approx((3.5 + 3.3333) / 2)
        assert cars_row.median == pytest.approx(3.41665)
        assert (cars_row.reviews, cars_row.disagree) == (2, False)
        assert textiles_row.mean == pytest.approx(3.375)
        assert textiles_row.spread == pytest.approx(3.25) and textiles_row.disagree
        assert textiles_row.criterion_mean(criteria(open_call)[0].pk) == 3.0  # (5 + 1) / 2
        assert (network_row.reviews, network_row.mean) == (0, None)

    def test_sorting_by_disagreement_and_by_name(self, scored, open_call):
        textiles, cars, network = scored
        assert [r.application for r in board(open_call, "spread")[1]] == [textiles, cars, network]
        names = [r.application.initiative.name for r in board(open_call, "name")[1]]
        assert names == sorted(names, key=str.casefold)

    def test_the_xlsx_export_has_the_boards_rows(self, people, scored, open_call):
        response = staff_client(people.clara).get(
            reverse("calls:ranking_xlsx", args=[open_call.slug])
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:9] == (
            "Rang",
            "Initiative",
            "Region",
            "Stand",
            "Gutachten",
            "gewichtetes Mittel",
            "Median",
            "Spannweite",
            "Jury uneinig",
        )
        assert rows[1][:9] == (
            1,
            "Cluster Automotive Region Stuttgart (CARS)",
            "Stuttgart",
            "in Begutachtung",
            2,
            3.42,
            3.42,
            0.17,
            None,
        )
        assert rows[2][8] == "ja" and rows[2][5] == 3.38  # Textiles, 3.375 rounded half-even
        assert len(rows) == 4

    def test_the_board_reads_the_same_queries_for_any_size(
        self, people, scored, open_call, django_assert_max_num_queries
    ):
        client = staff_client(people.clara)
        with django_assert_max_num_queries(20):
            response = client.get(reverse("calls:ranking", args=[open_call.slug]))
        assert response.status_code == 200
        assert "uneinig (Spannweite 3,25)" in response.content.decode()


class TestDecisions:
    def test_decisions_go_out_in_one_batch_once(
        self, people, jury, open_call, mailoutbox, django_capture_on_commit_callbacks
    ):
        textiles = complete_application(open_call, people.textiles, people.mia)
        cars = complete_application(open_call, people.cars, people.max)
        client = staff_client(people.clara)
        client.post(
            reverse("calls:prepare_decision", args=[textiles.pk]),
            {"decision": "accepted_with_conditions", "note": "Auflage: Bericht"},
        )
        client.post(reverse("calls:prepare_decision", args=[cars.pk]), {"decision": "rejected"})
        assert mailoutbox == []  # prepared, not sent
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("calls:send_decisions", args=[open_call.slug]))
        textiles.refresh_from_db()
        assert (textiles.status, textiles.decision) == ("decided", "accepted_with_conditions")
        letters = {m.to[0]: m for m in mailoutbox}
        assert letters["mia.manager@textil.example"].body.startswith(
            "Guten Tag,\n\nÜber den Antrag von „Cluster Technische Textilien Neckar-Alb“ ist "
            "entschieden: bewilligt mit Auflagen."
        )
        assert "Auflage: Bericht" in letters["mia.manager@textil.example"].body
        assert "abgelehnt" in letters["max.manager@cars.example"].body
        assert sorted(letters) == [
            "max.manager@cars.example",
            "mia.manager@textil.example",
            "mila.manager@textil.example",
        ]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("calls:send_decisions", args=[open_call.slug]))
        assert len(mailoutbox) == 3  # the second run sent nothing
        assert textiles.history.first().history_user == people.clara

    def test_a_draft_or_a_questioned_application_gets_no_decision(self, people, open_call):
        draft = Application.objects.create(call=open_call, initiative=people.textiles)
        with pytest.raises(ValidationError, match="eingereichte Anträge"):
            draft.prepare_decision("accepted")
        submitted = complete_application(open_call, people.cars, people.max)
        submitted.ask_for_information("Bitte den Finanzplan aufschlüsseln.")
        with pytest.raises(ValidationError):
            submitted.prepare_decision("accepted")

    def test_a_question_reopens_the_application_for_its_managers(self, people, open_call):
        application = complete_application(open_call, people.textiles, people.mia)
        staff_client(people.clara).post(reverse("calls:ask_information", args=[application.pk]),
                                        {"message": "Bitte Anlagen ergänzen."})  # fmt: skip
        application.refresh_from_db()
        assert application.status == "info_requested" and application.is_editable
        # Answering is allowed after the deadline: the question came from the office.
        open_call.deadlines.update(due_at=timezone.now() - datetime.timedelta(days=1))
        application.refresh_from_db()
        application.submit(by=people.mia)
        assert application.status == "submitted"


class TestStatistics:
    def test_counts_by_region_and_field_once_closed_and_the_accepted_once_sent(
        self, people, open_call
    ):
        textiles = complete_application(open_call, people.textiles, people.mia)
        complete_application(open_call, people.cars, people.max)
        Application.objects.create(call=open_call, initiative=people.network)  # a draft
        page = Client().get(reverse("calls:statistics", args=[open_call.slug])).content.decode()
        assert "erscheinen, wenn die Frist abgelaufen ist" in page
        open_call.deadlines.update(due_at=timezone.now() - datetime.timedelta(days=1))
        textiles.prepare_decision("accepted")
        page = Client().get(reverse("calls:statistics", args=[open_call.slug])).content.decode()
        assert "2 Anträge eingegangen" in page
        assert "Die Entscheidungen sind noch nicht versandt." in page
        steps.send_decisions(open_call)
        page = Client().get(reverse("calls:statistics", args=[open_call.slug])).content.decode()
        assert "Bewilligte Anträge" in page and people.textiles.name in page
        from clusterportal.calls.call_statistics import call_statistics

        figures = call_statistics(open_call)
        assert [(name, n, a) for name, n, a in figures.by_region] == [
            ("Neckar-Alb", 1, 1),
            ("Stuttgart", 1, 0),
        ]


class TestWhoMay:
    """Each rule on an application, both ways, with the personas and the jurors."""

    def test_view_application(self, people, jury, submitted):
        steps.assign([submitted], jury.jana, people.clara)
        allowed = {"clara": True, "rainer": False, "mia": True, "max": False, "ute": False,
                   "anonymous": False}  # fmt: skip
        for name, expected in allowed.items():
            assert (
                getattr(people, name).has_perm("calls.view_application", submitted) is expected
            ), name
        assert jury.mila.has_perm("calls.view_application", submitted)
        assert jury.jana.has_perm("calls.view_application", submitted)
        assert not jury.joerg.has_perm("calls.view_application", submitted)  # not assigned

    def test_review_and_apply_and_run_procedure(self, people, jury, submitted):
        steps.assign([submitted], jury.jana, people.clara)
        assert jury.jana.has_perm("calls.review", submitted)
        for user in (people.clara, people.mia, people.max, people.ute, jury.joerg):
            assert not user.has_perm("calls.review", submitted), user
        assert people.mia.has_perm("calls.apply", submitted)
        for user in (people.clara, people.max, people.rainer, jury.jana):
            assert not user.has_perm("calls.apply", submitted), user
        assert people.clara.has_perm("calls.run_procedure")
        for user in (people.rainer, people.mia, jury.jana, people.anonymous):
            assert not user.has_perm("calls.run_procedure"), user

    @pytest.mark.parametrize("name", ["procedure", "ranking", "ranking_xlsx"])
    def test_the_office_pages_are_for_the_office(self, people, jury, open_call, name):
        url = reverse(f"calls:{name}", args=[open_call.slug])
        assert staff_client(people.clara).get(url).status_code == 200
        for user in (people.mia, jury.jana, people.ute):
            assert client_of(user).get(url).status_code == 403
        assert staff_client(people.rainer).get(url).status_code == 403

    def test_the_office_steps_are_for_the_office(self, people, jury, submitted):
        for name, data in (("prepare_decision", {"decision": "accepted"}),
                           ("ask_information", {"message": "?"})):  # fmt: skip
            url = reverse(f"calls:{name}", args=[submitted.pk])
            assert client_of(people.mia).post(url, data).status_code == 403
            assert client_of(jury.jana).post(url, data).status_code == 403
        submitted.refresh_from_db()
        assert (submitted.status, submitted.decision) == ("submitted", "")


class TestPersonalData:
    def test_a_juror_downloads_their_reviews_and_their_deletion_keeps_them(
        self, people, jury, submitted
    ):
        from clusterportal.accounts.privacy import delete_account, personal_data

        steps.assign([submitted], jury.jana, people.clara)
        review(submitted, jury.jana, "4", "3", "n/a")
        (mine,) = personal_data(jury.jana)["call_reviews"]
        assert (mine["call"], mine["initiative"]) == (submitted.call.slug, people.textiles.slug)
        assert [s["points"] for s in mine["review"]["scores"]] == [4, 3, None]
        (begun,) = personal_data(people.mia)["call_applications_begun"]
        assert (begun["initiative"], begun["status"]) == (people.textiles.slug, "in_review")
        delete_account(jury.jana)
        kept = Review.objects.get()
        assert kept.assignment.juror is None and kept.weighted_score == decimal.Decimal("3.6667")
        assert board(submitted.call)[1][0].scores == [3.6667]


def test_a_juror_field_that_is_no_number_is_refused_with_a_message(people, jury, submitted):
    client = staff_client(people.clara)
    response = client.post(
        reverse("calls:assign_jurors", args=[submitted.call.slug]),
        {"juror": "jana", "application": [submitted.pk]},
        follow=True,
    )
    assert "Bitte wählen Sie eine Jurorin oder einen Juror" in response.content.decode()
    assert not JurorAssignment.objects.exists()


@pytest.mark.parametrize("name", ["ranking", "ranking_xlsx"])
def test_an_unknown_order_of_the_board_is_a_400(people, open_call, name):
    url = reverse(f"calls:{name}", args=[open_call.slug])
    response = staff_client(people.clara).get(url, {"sort": "zufall"})
    assert (response.status_code, response.content.decode()) == (400, "Unbekannte Sortierung.")
    assert client_of(people.mia).get(url, {"sort": "zufall"}).status_code == 403
