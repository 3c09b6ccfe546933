"""Who may do what in matchmaking (docs/matchmaking.md; rows for docs/roles.md).

Registered here with rules.set_perm so that accounts does not import matchmaking. The
organisers are those of the event (events.organise): the curators and the managers of the
organising initiative. Participants are the people with a profile in the event's
matchmaking; only they (and the organisers) see the other profiles.
"""

from __future__ import annotations

import rules

from clusterportal.accounts.rules import is_curator, is_manager_of, is_registered


@rules.predicate
def is_participant(user, matchmaking) -> bool:
    """Has a profile in this matchmaking, and is still registered (obj: the Matchmaking)."""
    return matchmaking is not None and matchmaking.participant_of(user) is not None


@rules.predicate
def may_join(user, matchmaking) -> bool:
    """Switched on, not over, and the account's address is registered and confirmed."""
    if matchmaking is None or not matchmaking.enabled or matchmaking.is_over():
        return False
    return matchmaking.is_registered(user)


is_organiser = is_curator | is_manager_of

MATCHMAKING_PERMISSIONS = {
    # Switch matchmaking on, set the slots, schedule meetings, see the counts.
    "matchmaking.organise": is_organiser,
    # Publish or change one's profile: a confirmed participant of the event.
    "matchmaking.join": is_registered & may_join,
    # See the participants' profiles: the participants and the organisers.
    "matchmaking.view_participants": is_participant | is_organiser,
}

for _name, _predicate in MATCHMAKING_PERMISSIONS.items():
    rules.set_perm(_name, _predicate)
