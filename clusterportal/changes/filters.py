"""The one filter of the list of change requests, for the portal's page (and the API's list).

`status` is one of the request statuses, or "open" (pending or asked for more);
`initiative` an initiative's slug. Unknown values are errors naming the parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from clusterportal.changes.models import ChangeRequest, ChangeRequestQuerySet

OPEN = "open"


@dataclass
class RequestFilter:
    status: str = ""
    initiative: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> RequestFilter:
        filters = cls(
            status=params.get("status", "").strip(), initiative=params.get("initiative", "").strip()
        )
        allowed = [OPEN, *ChangeRequest.Status.values]
        if filters.status and filters.status not in allowed:
            filters.errors["status"] = [
                _("Unbekannter Status %(value)s; erlaubt sind: %(allowed)s")
                % {"value": filters.status[:40], "allowed": ", ".join(allowed)}
            ]
        if len(filters.initiative) > 100:
            filters.errors["initiative"] = [_("Höchstens 100 Zeichen.")]
        return filters

    def is_valid(self) -> bool:
        return not self.errors

    def apply(self, queryset: ChangeRequestQuerySet) -> ChangeRequestQuerySet:
        if self.status == OPEN:
            queryset = queryset.open()
        elif self.status:
            queryset = queryset.filter(status=self.status)
        if self.initiative:
            queryset = queryset.filter(initiative__slug=self.initiative)
        return queryset

    @staticmethod
    def status_choices() -> list[tuple[str, str]]:
        return [(OPEN, str(_("offen"))), *ChangeRequest.Status.choices]
