"""Small hand-written factories for registry tests (on top of the loaded real data)."""

from __future__ import annotations

from itertools import count

from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative, Label, Membership, Organisation
from clusterportal.taxonomy.models import TechnologyField

_numbers = count(1)


def region(slug: str) -> Region:
    return Region.objects.get(slug=slug)


def field(slug: str) -> TechnologyField:
    return TechnologyField.objects.get(slug=slug)


def initiative(name: str | None = None, *, fields: list[str] = (), **values) -> ClusterInitiative:
    number = next(_numbers)
    values.setdefault("slug", f"test-initiative-{number}")
    values.setdefault("kind", ClusterInitiative.Kind.CLUSTER_INITIATIVE)
    values.setdefault("status", ClusterInitiative.Status.PUBLISHED)
    record = ClusterInitiative.objects.create(name=name or f"Testinitiative {number}", **values)
    if fields:
        record.technology_fields.set(TechnologyField.objects.filter(slug__in=fields))
        record.refresh_search_text()
    return record


def organisation(name: str | None = None, **values) -> Organisation:
    number = next(_numbers)
    values.setdefault("slug", f"test-organisation-{number}")
    values.setdefault("kind", Organisation.Kind.COMPANY)
    return Organisation.objects.create(name=name or f"Testorganisation {number}", **values)


def members(record: ClusterInitiative, companies: int, others: int = 0) -> None:
    for _ in range(companies):
        Membership.objects.create(initiative=record, organisation=organisation())
    for _ in range(others):
        Membership.objects.create(
            initiative=record, organisation=organisation(kind=Organisation.Kind.RESEARCH)
        )
    record.refresh_member_counts()


def label(record: ClusterInitiative, kind: str = Label.Kind.ECEI_GOLD, **values) -> Label:
    return Label.objects.create(initiative=record, kind=kind, **values)
