"""Who may do what with programmes and calls (docs/roles.md, docs/calls.md).

Registered here with rules.set_perm so that accounts does not import calls. Reading is
public: programmes, calls and their eligibility rules are the same for every visitor.
"""

from __future__ import annotations

import rules

from clusterportal.accounts.models import Role
from clusterportal.accounts.rules import _roles, is_contact_for, is_curator, is_manager_of


@rules.predicate
def is_juror(user) -> bool:
    return any(role.kind == Role.Kind.JUROR for role in _roles(user))


@rules.predicate
def is_juror_without_conflict(user, application) -> bool:
    """Assigned to review this application, with no conflict of interest (calls/conflicts.py)."""
    from clusterportal.calls.conflicts import assignment_conflicts
    from clusterportal.calls.models import JurorAssignment

    if application is None or not is_juror(user):
        return False
    assignment = (
        JurorAssignment.objects.filter(application=application, juror=user)
        .select_related("juror", "application__initiative")
        .first()
    )
    return assignment is not None and not assignment_conflicts(assignment)


CALLS_PERMISSIONS = {
    # Programmes, calls and their deadlines and rules: the curators, in the back office.
    "calls.edit": is_curator,
    # See the eligibility check of an initiative on a call's page: its managers, the
    # Region's contact and the curators (the same data is public in the API; the page
    # shows it to those who act for the initiative).
    "calls.check_eligibility": is_curator | is_contact_for | is_manager_of,
    # Start an application for an initiative (obj: the initiative), and keep, submit or
    # withdraw it (obj: the application): its managers, together.
    "calls.apply": is_manager_of,
    # Read an application and its files: its managers, the curators (the office of the
    # call), and a juror assigned to it without a conflict of interest.
    "calls.view_application": is_curator | is_manager_of | is_juror_without_conflict,
    # Score an application: a juror assigned to it without a conflict of interest.
    "calls.review": is_juror_without_conflict,
    # See one's own review assignments.
    "calls.see_assignments": is_juror,
    # Run a call's procedure: assign jurors, ask applicants, see the ranking board and
    # its export, prepare and send decisions.
    "calls.run_procedure": is_curator,
}

for _name, _predicate in CALLS_PERMISSIONS.items():
    rules.set_perm(_name, _predicate)
