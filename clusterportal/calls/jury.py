"""The jury's steps: assigning jurors, declaring a conflict, scoring, sending decisions.

Every step runs in one transaction and checks the state it finds there (rows locked where
two people could act at once), so a refused step changes nothing and a repeated one does not
act twice. Mails leave after the commit (calls/application_mail.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterportal.accounts.models import Role
from clusterportal.calls.application_mail import mail_applicants, mail_juror
from clusterportal.calls.application_models import (
    Application,
    Criterion,
    JurorAssignment,
    Review,
    Score,
)
from clusterportal.calls.conflicts import assignment_conflicts, conflicts_by_pair
from clusterportal.calls.ranking import review_score

NOT_APPLICABLE = "n/a"


@dataclass
class AssignmentReport:
    assigned: list[JurorAssignment] = field(default_factory=list)
    already: int = 0
    conflicts: list[tuple[Application, str]] = field(default_factory=list)


def assign(applications: list[Application], juror, by) -> AssignmentReport:
    """Assign `juror` to each application; pairs the registry shows in conflict are left out
    and named. Applications not (or no longer) submitted are refused as a whole."""
    if not Role.objects.filter(user=juror, kind=Role.Kind.JUROR).exists():
        raise ValidationError(_("%(email)s hat keine Jury-Rolle.") % {"email": juror.email})
    report = AssignmentReport()
    found = conflicts_by_pair([juror.pk], [a.initiative for a in applications])
    with transaction.atomic():
        for application in applications:
            current = Application.objects.select_for_update().get(pk=application.pk)
            if current.status not in (Application.Status.SUBMITTED, Application.Status.IN_REVIEW):
                raise ValidationError(
                    _("„%(initiative)s“: Begutachtet werden nur eingereichte Anträge (Stand: "
                      "%(status)s).") % {"initiative": application.initiative.name,
                                         "status": current.get_status_display()}
                )  # fmt: skip
            reasons = found.get((juror.pk, application.initiative_id))
            if reasons:
                report.conflicts.append((application, "; ".join(reasons)))
                continue
            _assign_one(current, juror, by, report)
    return report


def _assign_one(application: Application, juror, by, report: AssignmentReport) -> None:
    try:
        with transaction.atomic():
            assignment = JurorAssignment.objects.create(
                application=application, juror=juror, assigned_by=by
            )
    except IntegrityError:
        report.already += 1
        return
    report.assigned.append(assignment)
    mail_juror(assignment)
    if application.status == Application.Status.SUBMITTED:
        application.status = Application.Status.IN_REVIEW
        application._history_user = by
        application.save(update_fields=["status", "updated_at"])
        mail_applicants(application, "in_review")


def declare_conflict(assignment: JurorAssignment, reason: str) -> None:
    """The juror declares a conflict: from now on they cannot see or score the application.
    A review begun is kept in the history but no longer counts (it is deleted)."""
    with transaction.atomic():
        current = JurorAssignment.objects.select_for_update().get(pk=assignment.pk)
        if current.conflict_declared_at:
            raise ValidationError(_("Sie haben Ihre Befangenheit bereits erklärt."))
        current.conflict_declared_at = timezone.now()
        current.conflict_reason = reason.strip()[:2000]
        current._history_user = current.juror
        current.save(update_fields=["conflict_declared_at", "conflict_reason"])
        Review.objects.filter(assignment=current).delete()
    assignment.refresh_from_db()


def parse_points(raw: str, criterion: Criterion) -> int | None:
    """'0'…'5' or 'n/a' (None); anything else is refused, naming the criterion."""
    text = (raw or "").strip().lower()
    if text == NOT_APPLICABLE:
        return None
    if text.isdigit() and 0 <= int(text) <= 5 and len(text) == 1:
        return int(text)
    raise ValidationError(
        _("%(criterion)s: „%(value)s“ liegt nicht auf der Skala 0–5 (oder „n/a“).")
        % {"criterion": criterion.name, "value": raw[:20]}
    )


def save_review(assignment: JurorAssignment, criteria: list[Criterion], data, submit: bool
                ) -> Review:  # fmt: skip
    """Store the juror's points, comments and recommendation; with `submit`, every criterion
    must be scored (or n/a) and a recommendation given, and the review is then final."""
    if assignment_conflicts(assignment):
        raise ValidationError(_("Bei Befangenheit können Sie diesen Antrag nicht bewerten."))
    points, errors = {}, []
    for criterion in criteria:
        raw = data.get(f"points-{criterion.pk}", "")
        if not raw.strip():
            if submit:
                errors.append(_("%(criterion)s: Bitte vergeben Sie Punkte oder „n/a“.")
                              % {"criterion": criterion.name})  # fmt: skip
            continue
        try:
            points[criterion.pk] = parse_points(raw, criterion)
        except ValidationError as error:
            errors.extend(error.messages)
    recommendation = data.get("recommendation", "")
    if recommendation and recommendation not in Review.Recommendation.values:
        errors.append(_("Unbekannte Empfehlung."))
    elif submit and not recommendation:
        errors.append(_("Bitte geben Sie eine Gesamtempfehlung."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = JurorAssignment.objects.select_for_update().get(pk=assignment.pk)
        review, _created = Review.objects.get_or_create(assignment=locked)
        if review.submitted_at:
            raise ValidationError(_("Ihr Gutachten ist bereits abgegeben."))
        _store_scores(review, criteria, points, data)
        review.recommendation = recommendation
        review.comment = data.get("comment", "").strip()
        if submit:
            weights = {criterion.pk: criterion.weight for criterion in criteria}
            review.weighted_score = review_score(
                [(weights[pk], value) for pk, value in points.items()]
            )
            review.submitted_at = timezone.now()
        review._history_user = assignment.juror
        review.save()
    return review


def _store_scores(review: Review, criteria: list[Criterion], points: dict, data) -> None:
    for criterion in criteria:
        if criterion.pk not in points:
            Score.objects.filter(review=review, criterion=criterion).delete()
            continue
        Score.objects.update_or_create(
            review=review, criterion=criterion,
            defaults={"value": points[criterion.pk],
                      "comment": data.get(f"comment-{criterion.pk}", "").strip()[:5000]},
        )  # fmt: skip


def send_decisions(call, by=None) -> list[Application]:
    """Send every prepared, unsent decision of the call in one batch: each application
    becomes decided, its history records it, and its applicants get the letter. Run twice,
    the second run sends nothing."""
    now = timezone.now()
    sent = []
    with transaction.atomic():
        waiting = (
            Application.objects.select_for_update()
            .filter(call=call, decision_sent_at__isnull=True,
                    status__in=[Application.Status.SUBMITTED, Application.Status.IN_REVIEW])
            .exclude(decision="")
        )  # fmt: skip
        for application in waiting:
            application.status = Application.Status.DECIDED
            application.decision_sent_at = now
            application._history_user = by
            application.save(update_fields=["status", "decision_sent_at", "updated_at"])
            mail_applicants(application, "decided")
            sent.append(application)
    return sent
