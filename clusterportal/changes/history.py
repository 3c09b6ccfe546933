"""The history of a public record as the staff page shows it.

django-simple-history keeps every saved state of an initiative, with the user
and, for an approval, the change request's number as the reason. Each entry
here names what changed against the state before (`diff_against`); the
technology fields, partnerships and the member list are not in those states
(see ClusterInitiative.history), so an approval's entry adds the fields of its
change request. Two queries: the states with their users, the requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clusterportal.changes.models import ChangeRequest
from clusterportal.registry.models import ClusterInitiative

LIMIT = 100
REQUEST_NUMBER = re.compile(r"Änderungsantrag #(\d+)")
# Kept with every approval; the entry itself says that.
NOT_LISTED = {"confirmed_at"}


@dataclass(frozen=True)
class Entry:
    record: object  # a HistoricalClusterInitiative
    fields: list[str]
    request: ChangeRequest | None

    @property
    def created(self) -> bool:
        return self.record.history_type == "+"


def _label(name: str) -> str:
    try:
        return str(ClusterInitiative._meta.get_field(name).verbose_name)
    except LookupError:
        return name


def entries(initiative: ClusterInitiative, limit: int = LIMIT) -> tuple[list[Entry], bool]:
    """The newest `limit` states, newest first, and whether there are older ones."""
    records = list(
        initiative.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    more = len(records) > limit
    numbers = {
        int(m.group(1))
        for r in records
        if (m := REQUEST_NUMBER.search(r.history_change_reason or ""))
    }
    requests = ChangeRequest.objects.select_related("author").in_bulk(numbers)
    result = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        names: list[str] = []
        if older is not None and record.history_type != "+":
            delta = record.diff_against(older, excluded_fields=NOT_LISTED)
            names = [change.field for change in delta.changes]
        match = REQUEST_NUMBER.search(record.history_change_reason or "")
        request = requests.get(int(match.group(1))) if match else None
        labels = [_label(name) for name in names]
        if request is not None:
            labels += [label for _name, label, _b, _p in request.diff() if label not in labels]
        result.append(Entry(record, labels, request))
    return result, more
