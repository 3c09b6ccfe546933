"""What the partner search holds about a person, for the download of their own data
(accounts/privacy.py): their postings, the postings they follow, the messages they sent.
Registered in apps.py. When the account is deleted, postings and messages stay without the
name (SET_NULL) and follows go with it."""

from __future__ import annotations

from typing import Any

from clusterportal.partnersearch.models import Follow, Interest, Posting


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def postings(user) -> list[dict[str, Any]]:
    return [
        {"id": p.pk, "title": p.title, "kind": p.kind, "purpose": p.purpose, "status": p.status,
         "description": p.description, "organisation": p.organisation_name,
         "expires_on": _when(p.expires_on), "created_at": _when(p.created_at),
         "outcomes": [{"months_after": o.months_after, "result": o.result, "note": o.note}
                      for o in p.outcomes.all()]}
        for p in Posting.objects.filter(author=user).prefetch_related("outcomes").order_by("pk")
    ]  # fmt: skip


def follows(user) -> list[dict[str, Any]]:
    return [
        {"posting": f.posting_id, "title": f.posting.title, "since": _when(f.created_at)}
        for f in Follow.objects.filter(user=user).select_related("posting").order_by("pk")
    ]


def interests_sent(user) -> list[dict[str, Any]]:
    return [
        {"posting": i.posting_id, "name": i.sender_name, "organisation": i.sender_organisation,
         "message": i.message, "sent_at": _when(i.created_at)}
        for i in Interest.objects.filter(sender=user).order_by("pk")
    ]  # fmt: skip
