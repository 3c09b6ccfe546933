"""The permission of the services that needs the app's own rows (docs/roles.md).

`services.request`, `services.view_request` and `services.handle` are in the role matrix
of accounts/rules.py. Giving feedback reads the request itself (who asked for it), so it
is defined here and registered with rules.set_perm, and accounts does not import services.
"""

from __future__ import annotations

import rules

from clusterportal.accounts.rules import is_manager_of


@rules.predicate
def is_requester(user, request) -> bool:
    return bool(user.is_authenticated and getattr(request, "requester_id", None) == user.pk)


SERVICES_PERMISSIONS = {
    # The feedback on a closed request: the person who asked for it, while they still
    # manage the initiative (once; the model refuses a second).
    "services.give_feedback": is_requester & is_manager_of,
}

for _name, _predicate in SERVICES_PERMISSIONS.items():
    rules.set_perm(_name, _predicate)
