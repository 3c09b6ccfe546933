"""What the calls hold about a person, for the download of their own data (accounts/privacy.py,
docs/privacy.md): the applications they began and their reviews as a juror.

Registered in calls/apps.py, so that accounts does not import calls. When the account is
deleted, both stay without the name (created_by and juror are SET_NULL): the initiative's
application and the jury's reviews are not the person's alone.
"""

from __future__ import annotations

from typing import Any

from clusterportal.calls.application_models import Application, JurorAssignment


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def applications_begun(user) -> list[dict[str, Any]]:
    applications = Application.objects.filter(created_by=user).select_related("call", "initiative")
    return [
        {"call": a.call.slug, "initiative": a.initiative.slug, "status": a.status,
         "created_at": _when(a.created_at), "submitted_at": _when(a.submitted_at)}
        for a in applications.order_by("created_at", "pk")
    ]  # fmt: skip


def reviews(user) -> list[dict[str, Any]]:
    assignments = (
        JurorAssignment.objects.filter(juror=user)
        .select_related("application__call", "application__initiative", "review")
        .prefetch_related("review__scores__criterion")
        .order_by("assigned_at", "pk")
    )  # fmt: skip
    return [_review(assignment) for assignment in assignments]


def _review(assignment: JurorAssignment) -> dict[str, Any]:
    review = getattr(assignment, "review", None)
    return {
        "call": assignment.application.call.slug,
        "initiative": assignment.application.initiative.slug,
        "assigned_at": _when(assignment.assigned_at),
        "conflict_declared_at": _when(assignment.conflict_declared_at),
        "conflict_reason": assignment.conflict_reason,
        "review": None if review is None else {
            "recommendation": review.recommendation, "comment": review.comment,
            "submitted_at": _when(review.submitted_at),
            "scores": [{"criterion": s.criterion.name, "points": s.value, "comment": s.comment}
                       for s in review.scores.all()],
        },
    }  # fmt: skip
