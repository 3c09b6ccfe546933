"""Who may do what in the registry: the one place that defines it (docs/roles.md).

Predicates (django-rules) answer per object; views, the API and the admin all
ask `user.has_perm(name, obj)`, which the rules backend answers from here. The
names are our own (`registry.propose_change`, ...), not Django's model
permissions, so a staff account that holds Django's "change initiative"
permission gains nothing from it: only these rules decide.

Each predicate reads the person's roles once per request (cached on the user).
"""

from __future__ import annotations

import rules
from django.db.models import Q

from clusterportal.accounts.models import Role
from clusterportal.registry.models import ClusterInitiative


def _roles(user) -> list[Role]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_clusterportal_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(user=user))
        user._clusterportal_roles = cached
    return cached


def forget_roles(user) -> None:
    """After a grant or revoke in the same request (tests, commands)."""
    user.__dict__.pop("_clusterportal_roles", None)


def _initiative_of(obj) -> ClusterInitiative | None:
    """The initiative an object belongs to: itself, or a change request's initiative."""
    if isinstance(obj, ClusterInitiative):
        return obj
    return getattr(obj, "initiative", None)


@rules.predicate
def is_curator(user) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return any(role.kind == Role.Kind.CURATOR for role in _roles(user))


@rules.predicate
def is_regional_contact(user) -> bool:
    return any(role.kind == Role.Kind.REGIONAL_CONTACT for role in _roles(user))


@rules.predicate
def is_cluster_manager(user) -> bool:
    return any(role.kind == Role.Kind.CLUSTER_MANAGER for role in _roles(user))


@rules.predicate
def is_contact_for(user, obj) -> bool:
    """The regional contact of the initiative's Region. State-wide networks and
    agencies have no regional contact: they go to the curators."""
    initiative = _initiative_of(obj)
    if initiative is None or initiative.kind != ClusterInitiative.Kind.CLUSTER_INITIATIVE:
        return False
    return any(
        role.kind == Role.Kind.REGIONAL_CONTACT and role.region_id == initiative.region_id
        for role in _roles(user)
    )


@rules.predicate
def is_manager_of(user, obj) -> bool:
    initiative = _initiative_of(obj)
    if initiative is None:
        return False
    return any(
        role.kind == Role.Kind.CLUSTER_MANAGER and role.initiative_id == initiative.pk
        for role in _roles(user)
    )


is_staff_role = is_curator | is_regional_contact


# The same rules as queries, for lists (the admin's initiatives, the change requests).


def _ids(user, kind: str, attribute: str) -> list[int]:
    return [getattr(role, attribute) for role in _roles(user) if role.kind == kind]


def contact_regions_q(user, prefix: str = "") -> Q:
    """is_contact_for as a condition on initiatives (`prefix`: the path to them)."""
    return Q(
        **{
            f"{prefix}kind": ClusterInitiative.Kind.CLUSTER_INITIATIVE,
            f"{prefix}region__in": _ids(user, Role.Kind.REGIONAL_CONTACT, "region_id"),
        }
    )


def editable_initiatives(user, queryset):
    """`registry.edit_record` as a query: the initiatives of `queryset` the person may
    edit (registry/tests/test_admin_rules.py checks that both forms agree)."""
    return queryset if is_curator(user) else queryset.filter(contact_regions_q(user))


def visible_change_requests(user, queryset):
    """`registry.view_changes` as a query on change requests, plus the person's own."""
    if not user.is_authenticated:
        return queryset.none()
    if is_curator(user):
        return queryset
    managed = _ids(user, Role.Kind.CLUSTER_MANAGER, "initiative_id")
    return queryset.filter(
        Q(author=user) | Q(initiative__in=managed) | contact_regions_q(user, "initiative__")
    )


is_registered = rules.is_authenticated & rules.is_active

# The role matrix (docs/roles.md lists it as a table; tests/test_roles.py checks each cell).
PERMISSIONS = {
    # Keep a profile: every edit becomes a change request.
    "registry.propose_change": is_curator | is_manager_of,
    # See an initiative's change requests and its history.
    "registry.view_changes": is_curator | is_contact_for | is_manager_of,
    # Approve, reject or ask for more on a change request; decide an admission.
    "registry.review_change": is_curator | is_contact_for,
    # Publish, archive or edit a record directly in the back office.
    "registry.publish_initiative": is_curator | is_contact_for,
    "registry.edit_record": is_curator | is_contact_for,
    # Labels, imports, organisations, vocabularies: the curators' business.
    "registry.curate": is_curator,
    # People: grant roles, invite, see the outbox.
    "accounts.manage_people": is_curator,
    # Appear publicly with name, organisation, e-mail and phone (with consent; contacts.py).
    "accounts.publish_contact_details": is_staff_role,
    # See an event's participants, export them, check them in (events/views.py): the
    # curators, and the managers of the organising initiative.
    "events.organise": is_curator | is_manager_of,
    # The ClusterAgentur's services (services/, docs/services.md): a cluster management
    # requests one for its initiative and follows it; the curators (the ClusterAgentur)
    # assign, schedule, close and ask for feedback. Giving feedback: services/rules.py.
    "services.request": is_manager_of,
    "services.view_request": is_curator | is_manager_of,
    "services.handle": is_curator,
    # The portal's publisher (Impressum) and the feedback on barriers.
    "portal.edit_site": is_curator,
    # Anything a registered user does (follow, register, post: later issues).
    "accounts.use_account": is_registered,
}

for _name, _predicate in PERMISSIONS.items():
    rules.set_perm(_name, _predicate)
