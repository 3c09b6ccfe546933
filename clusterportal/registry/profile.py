"""Everything the public profile of one initiative shows, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch, Q
from django.utils import timezone

from clusterportal.lib.language import localized
from clusterportal.regions.geojson import outline
from clusterportal.regions.models import Region
from clusterportal.registry import admission
from clusterportal.registry.importing import LABEL_VALIDITY_YEARS
from clusterportal.registry.models import ClusterInitiative, Label, Membership
from clusterportal.taxonomy.models import TechnologyField

HISTORICAL_PREFIXES = ("Historischer Eintrag:", "Historical entry:")
MEMBER_LIMIT = 100
RELATED_LIMIT = 5
# Fields whose absence the profile names in one line ("Nicht in den Quellen angegeben: …").
MAIN_FIELDS = [
    "website", "legal_form", "founded_year", "staff_count", "member_count",
    "description", "goals", "services", "activities_per_year", "management_organisation",
]  # fmt: skip


@dataclass(frozen=True)
class FieldGroup:
    top: TechnologyField
    terms: list[TechnologyField]  # the specific fields below `top`, unless named like it


@dataclass(frozen=True)
class LabelState:
    label: Label
    valid_until: datetime.date | None
    valid: bool | None  # None: validity unknown


def label_valid_until(label: Label) -> datetime.date | None:
    """The stored end of validity, else the award date plus the label's term where it has one."""
    if label.valid_until or label.awarded_on is None:
        return label.valid_until
    years = LABEL_VALIDITY_YEARS.get(label.kind)
    if years is None:
        return None
    awarded = label.awarded_on
    try:
        return awarded.replace(year=awarded.year + years)
    except ValueError:  # 29 February
        return awarded.replace(year=awarded.year + years, day=28)


def _profile_queryset():
    return (
        ClusterInitiative.objects.published()
        .select_related("region", "seat_kreis", "management_organisation")
        .prefetch_related(
            Prefetch("technology_fields", TechnologyField.objects.select_related("parent")),
            "labels",
            "partnerships",
            "sources",
            Prefetch("regions_covered", Region.objects.without_boundaries()),
        )
    )


@dataclass
class Profile:
    initiative: ClusterInitiative
    field_groups: list[FieldGroup]
    labels: list[LabelState]
    members: list[Membership]
    criteria: list[admission.Result]
    related: list[ClusterInitiative]

    @classmethod
    def load(cls, slug: str) -> Profile | None:
        """The published initiative with this slug (None if there is none): 9 queries."""
        initiative = _profile_queryset().filter(slug=slug).first()
        if initiative is None:
            return None
        groups: dict[int, FieldGroup] = {}
        for field in sorted(initiative.technology_fields.all(), key=lambda f: f.localized_name):
            group = groups.setdefault(field.top.pk, FieldGroup(field.top, []))
            if field.parent_id and field.localized_name != field.top.localized_name:
                group.terms.append(field)
        today = timezone.localdate()
        labels = []
        for label in initiative.labels.all():
            until = label_valid_until(label)
            labels.append(LabelState(label, until, None if until is None else today <= until))
        return cls(
            initiative=initiative,
            field_groups=sorted(groups.values(), key=lambda g: g.top.localized_name),
            labels=labels,
            members=list(
                initiative.memberships.filter(until_year__isnull=True)
                .select_related("organisation")
                .order_by("organisation__name", "pk")[:MEMBER_LIMIT]
            ),
            criteria=admission.evaluate(initiative),
            related=_related(initiative, [group.top for group in groups.values()]),
        )

    @property
    def criteria_met(self) -> int:
        return sum(result.met for result in self.criteria)

    @property
    def more_members(self) -> int:
        return max(0, self.initiative.listed_members - len(self.members))

    @property
    def status_note(self) -> str:
        """The note on the entry's status in the page's language.

        Notes of historical entries open with "Historischer Eintrag:"; the page's
        notice says that already, so the prefix is left out there.
        """
        i = self.initiative
        note = localized(i.status_note, i.status_note_en)
        if not i.is_active:
            for prefix in HISTORICAL_PREFIXES:
                if note.startswith(prefix):
                    rest = note.removeprefix(prefix).strip()
                    return rest[:1].upper() + rest[1:]  # "…: the agency" starts a sentence
        return note

    @cached_property
    def unknown(self) -> list[str]:
        """Names of the main fields the sources do not give."""
        i = self.initiative
        known = {
            "website": i.website,
            "legal_form": i.legal_form,
            "founded_year": i.founded_year,
            "staff_count": i.staff_count is not None or i.staff_fte is not None,
            "member_count": i.member_count is not None or i.members_note or i.listed_members,
            "description": i.description,
            "goals": i.goals,
            "services": i.services,
            "activities_per_year": i.activities_per_year is not None,
            "management_organisation": i.management_organisation_id,
        }
        names = [
            str(ClusterInitiative._meta.get_field(name).verbose_name)
            for name in MAIN_FIELDS
            if not known[name]
        ]
        if not self.field_groups:
            names.append(str(ClusterInitiative._meta.get_field("technology_fields").verbose_name))
        return names

    @cached_property
    def map_data(self) -> dict | None:
        """What the small map draws; None when there is nothing to draw."""
        i = self.initiative
        marker = None
        if i.latitude is not None and i.longitude is not None:
            marker = {"lat": i.latitude, "lon": i.longitude, "name": i.display_name}
        region = outline(i.region)
        kreis = outline(i.seat_kreis)
        if marker is None and region is None and kreis is None:
            return None
        return {"region": region, "kreis": kreis, "marker": marker}


def _related(initiative: ClusterInitiative, tops: list[TechnologyField]) -> list:
    """Up to five other initiatives of the same region sharing a top-level field (one query)."""
    if initiative.region_id is None or not tops:
        return []
    return list(
        ClusterInitiative.objects.published()
        .filter(region_id=initiative.region_id)
        .filter(Q(technology_fields__in=tops) | Q(technology_fields__parent__in=tops))
        .exclude(pk=initiative.pk)
        .only("slug", "name", "short_name", "kind", "city")
        .distinct()
        .order_by("name", "pk")[:RELATED_LIMIT]
    )
