"""The staff's queue of postings to check: the curators see every one, a regional contact
those of the initiatives of their Region (the same rule as partnersearch.review_posting)."""

from __future__ import annotations

from clusterportal.accounts.rules import contact_regions_q, is_curator
from clusterportal.partnersearch.models import Posting


def review_queue(user) -> list[Posting]:
    pending = Posting.objects.pending().for_list().select_related("author")
    if not is_curator(user):
        pending = pending.filter(contact_regions_q(user, "initiative__"))
    # The longest waiting first.
    return list(pending.order_by("updated_at", "pk"))
