"""Writing a posting: a new one, or an edit of one's own (docs/partnersearch.md).

A new posting waits for the staff's check. An edit of a published or rejected posting goes
back to that check (the text is new). An edit carries the version it was based on: if someone
saved in between (the owner in a second tab, a curator in the back office), the edit is refused
with StaleVersion and the form keeps what was typed.
"""

from __future__ import annotations

from django.db import transaction

from clusterportal.partnersearch import notifications
from clusterportal.partnersearch.models import Interest, Posting, StaleVersion, WrongState

M2M = ("technology_fields", "regions_sought")


def create(form, author) -> Posting:
    with transaction.atomic():
        posting = form.save(commit=False)
        posting.author = author
        posting.status = Posting.Status.PENDING
        posting._history_user = author
        posting.save()
        _save_relations(posting, form.cleaned_data)
        transaction.on_commit(lambda: notifications.send_later(posting.pk, "submitted", author.pk))
    return posting


def update(posting: Posting, form, by) -> Posting:
    """Save an edit: refused (StaleVersion) when based on an older version, (WrongState) on
    a closed posting."""
    based_on = form.cleaned_data.get("version")
    with transaction.atomic():
        current = Posting.objects.select_for_update().get(pk=posting.pk)
        if based_on is None or current.version != based_on:
            raise StaleVersion(current)
        if current.status == Posting.Status.CLOSED:
            raise WrongState(current, "edit")
        edited = form.save(commit=False)
        was_public = current.status == Posting.Status.PUBLISHED
        edited.version = current.version + 1
        edited.status = Posting.Status.PENDING
        edited.review_note = ""
        # Kept from the locked row: the form does not carry them.
        edited.published_at = current.published_at
        edited.author_id = current.author_id
        edited._history_user = by
        edited.save()
        _save_relations(edited, form.cleaned_data)
        step = "edited" if was_public else "submitted"
        transaction.on_commit(lambda: notifications.send_later(edited.pk, step, by.pk))
    return edited


def publish(posting: Posting, by) -> None:
    """Staff accept it. A posting published before (and edited since) tells its followers."""
    republished = posting.published_at is not None
    with transaction.atomic():
        posting.publish(by)
        step = "updated" if republished else "published"
        transaction.on_commit(lambda: notifications.send_later(posting.pk, step, by.pk))


def reject(posting: Posting, by, note: str) -> None:
    with transaction.atomic():
        posting.reject(by, note)
        transaction.on_commit(lambda: notifications.send_later(posting.pk, "rejected", by.pk))


def close(posting: Posting, by) -> None:
    with transaction.atomic():
        posting.close(by)
        transaction.on_commit(lambda: notifications.send_later(posting.pk, "closed", by.pk))


def renew(posting: Posting, by, until, based_on_version: int) -> None:
    with transaction.atomic():
        posting.renew(by, until, based_on_version)
        if posting.status == Posting.Status.PUBLISHED:
            transaction.on_commit(lambda: notifications.send_later(posting.pk, "renewed", by.pk))


def express_interest(posting: Posting, form, sender) -> Interest:
    """Store the message and mail it to the owner. Refused (WrongState) when the posting is
    not public any more: closed, expired or back in the check."""
    with transaction.atomic():
        current = Posting.objects.select_for_update().get(pk=posting.pk)
        if not current.is_public():
            raise WrongState(current, "interest")
        interest = form.save(commit=False)
        interest.posting = current
        interest.sender = sender
        interest.save()
        transaction.on_commit(lambda: notifications.send_interest(interest.pk))
    return interest


def _save_relations(posting: Posting, data: dict) -> None:
    # The search text follows by itself (derived.py).
    for name in M2M:
        getattr(posting, name).set(data.get(name) or [])
