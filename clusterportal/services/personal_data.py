"""What the services hold about a person, for the download of their own data
(accounts/privacy.py, docs/privacy.md): the requests they made, with their feedback.
Registered in services/apps.py. A deleted account's requests stay with the initiative,
without the name (requester is SET_NULL)."""

from __future__ import annotations

from typing import Any

from clusterportal.services.models import ServiceRequest


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def service_requests(user) -> list[dict[str, Any]]:
    found = ServiceRequest.objects.filter(requester=user).select_related("service", "initiative")
    return [
        {"service": r.service.slug, "initiative": r.initiative.slug, "message": r.message,
         "status": r.status, "created_at": _when(r.created_at),
         "feedback_score": r.feedback_score, "feedback_text": r.feedback_text}
        for r in found.order_by("created_at", "pk")
    ]  # fmt: skip
