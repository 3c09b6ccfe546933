"""Who may do what with postings (docs/roles.md, docs/partnersearch.md).

Registered here with rules.set_perm, so that accounts does not import the partner search.
The reviewers are the curators and, for a posting of an initiative, the regional contact of
its Region (as for the initiative's change requests).
"""

from __future__ import annotations

import rules

from clusterportal.accounts.rules import (
    is_contact_for,
    is_curator,
    is_registered,
    is_staff_role,
)


@rules.predicate
def is_author(user, posting) -> bool:
    return bool(user.is_authenticated and getattr(posting, "author_id", None) == user.pk)


@rules.predicate
def is_public(user, posting) -> bool:
    return bool(posting is not None and posting.is_public())


is_reviewer = is_curator | is_contact_for

PARTNERSEARCH_PERMISSIONS = {
    # Write a posting (it waits for the check before anyone else sees it).
    "partnersearch.post": is_registered,
    # Read a posting: anyone while it is public; its author and the reviewers always.
    "partnersearch.view_posting": is_public | is_author | is_reviewer,
    # Edit, renew or close it; see the messages of interest it received.
    "partnersearch.edit_posting": is_author | is_curator,
    # Publish or reject a new or edited posting; close any.
    "partnersearch.review_posting": is_reviewer,
    # Follow a public posting, or send its author a message: any registered user but the author.
    "partnersearch.respond": is_registered & is_public & ~is_author,
    # Tell what came of one's search.
    "partnersearch.report_outcome": is_author,
    # The queue of postings to check (a regional contact sees their Region's initiatives').
    "partnersearch.review_queue": is_staff_role,
    # What came of the searches, for all postings.
    "partnersearch.see_outcomes": is_curator,
}

for _name, _predicate in PARTNERSEARCH_PERMISSIONS.items():
    rules.set_perm(_name, _predicate)
