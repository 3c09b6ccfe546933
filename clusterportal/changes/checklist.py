"""The admission checklist of a change request: the criteria now and with the request.

The criteria are database conditions (registry/admission.py), so they are
evaluated on the record as it would be: inside a transaction the request's
values are written as approval would write them (profile_fields.apply), the
criteria are read, and everything is rolled back. The public record, its
history, the member counts and the registry's data version are untouched
afterwards (tests/test_checklist.py). Values that approval itself would refuse
(a record changed meanwhile so that they no longer fit) give no checklist, but
the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction

from clusterportal.changes import profile_fields
from clusterportal.registry import admission
from clusterportal.registry.models import ClusterInitiative


@dataclass(frozen=True)
class Item:
    criterion: admission.Criterion
    now: bool
    proposed: bool

    @property
    def changes(self) -> bool:
        return self.now != self.proposed


@dataclass(frozen=True)
class Checklist:
    items: list[Item]
    problem: str = ""  # why the proposed state could not be evaluated

    @property
    def met_now(self) -> int:
        return sum(item.now for item in self.items)

    @property
    def met_proposed(self) -> int:
        return sum(item.proposed for item in self.items)


class _Evaluated(Exception):
    """Leaves the transaction, so that it rolls back, with the results."""

    def __init__(self, results: list[admission.Result]):
        self.results = results


def proposed_results(initiative_id: int, changes: dict[str, object]) -> list[admission.Result]:
    """The criteria for the record with `changes` applied; nothing stays written.

    Raises ValidationError (or ObjectDoesNotExist) when the values cannot be applied.
    """
    try:
        with transaction.atomic():
            record = ClusterInitiative.objects.get(pk=initiative_id)
            profile_fields.apply(record, changes)
            raise _Evaluated(admission.evaluate(record))
    except _Evaluated as evaluated:
        return evaluated.results


def for_request(request) -> Checklist:
    now = admission.evaluate(request.initiative)
    try:
        proposed = proposed_results(request.initiative_id, request.changes)
    except ValidationError as error:
        return Checklist(
            [Item(r.criterion, r.met, r.met) for r in now], problem=" ".join(error.messages)
        )
    except ObjectDoesNotExist as error:
        return Checklist([Item(r.criterion, r.met, r.met) for r in now], problem=str(error))
    return Checklist([Item(n.criterion, n.met, p.met) for n, p in zip(now, proposed, strict=True)])
