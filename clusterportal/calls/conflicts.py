"""Conflicts of interest between jurors and applications (docs/calls.md, "Review").

A juror is in conflict with an application when the registry shows it (the juror manages
the applying initiative; the juror's organisation, named on their juror role, is a member of
the initiative or runs its management) or when the juror declared one. A juror in conflict
neither sees nor scores that application; the staff see the reason.

The registry is read when the question is asked, not when the juror was assigned: a
membership recorded later still counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from clusterportal.accounts.models import Role
from clusterportal.registry.models import ClusterInitiative, Membership


def registry_conflicts(juror, initiative: ClusterInitiative) -> list[str]:
    """What the registry shows against `juror` reviewing for `initiative`, in words."""
    found = conflicts_by_pair([juror.pk], [initiative])
    return found.get((juror.pk, initiative.pk), [])


def conflicts_by_pair(juror_ids: Iterable[int], initiatives: Iterable[ClusterInitiative]
                      ) -> dict[tuple[int, int], list[str]]:  # fmt: skip
    """The registry's conflicts for every pair of juror and initiative, in three queries."""
    initiatives = list(initiatives)
    juror_ids = list(juror_ids)
    by_pk = {initiative.pk: initiative for initiative in initiatives}
    roles = Role.objects.filter(user__in=juror_ids).select_related("organisation")
    organisations: dict[int, list] = {}
    found: dict[tuple[int, int], list[str]] = {}
    for role in roles:
        if role.kind == Role.Kind.CLUSTER_MANAGER and role.initiative_id in by_pk:
            found.setdefault((role.user_id, role.initiative_id), []).append(
                _("verwaltet die Initiative als Clustermanagement")
            )
        if role.kind == Role.Kind.JUROR and role.organisation_id:
            organisations.setdefault(role.organisation_id, []).append(role)
    if not organisations:
        return found
    members = Membership.objects.filter(
        organisation__in=list(organisations), initiative__in=list(by_pk)
    ).values_list("organisation_id", "initiative_id")
    for organisation_id, initiative_id in members:
        for role in organisations[organisation_id]:
            found.setdefault((role.user_id, initiative_id), []).append(
                _("%(organisation)s ist Mitglied der Initiative")
                % {"organisation": role.organisation.name}
            )
    for initiative in initiatives:
        for role in organisations.get(initiative.management_organisation_id, []):
            found.setdefault((role.user_id, initiative.pk), []).append(
                _("%(organisation)s trägt das Clustermanagement")
                % {"organisation": role.organisation.name}
            )
    return found


def assignment_conflicts(assignment) -> list[str]:
    """Every reason that keeps this juror from this application (registry and declared)."""
    reasons = registry_conflicts(assignment.juror, assignment.application.initiative)
    if assignment.conflict_declared_at:
        reasons = [*reasons, _("selbst erklärt: %(reason)s") % {
            "reason": assignment.conflict_reason or _("ohne Angabe")}]  # fmt: skip
    return reasons
