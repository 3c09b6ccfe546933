"""Who may do what with programmes and calls (docs/roles.md, docs/calls.md).

Registered here with rules.set_perm so that accounts does not import calls. Reading is
public: programmes, calls and their eligibility rules are the same for every visitor.
"""

from __future__ import annotations

import rules

from clusterportal.accounts.rules import is_contact_for, is_curator, is_manager_of

CALLS_PERMISSIONS = {
    # Programmes, calls and their deadlines and rules: the curators, in the back office.
    "calls.edit": is_curator,
    # See the eligibility check of an initiative on a call's page: its managers, the
    # Region's contact and the curators (the same data is public in the API; the page
    # shows it to those who act for the initiative).
    "calls.check_eligibility": is_curator | is_contact_for | is_manager_of,
}

for _name, _predicate in CALLS_PERMISSIONS.items():
    rules.set_perm(_name, _predicate)
