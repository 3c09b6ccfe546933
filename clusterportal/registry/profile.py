"""Everything the public profile of one initiative shows, in a fixed number of queries.

Everything a profile shows is read once per registry data version and kept by
the registry index (filters.py): the record with its parts (fields, labels,
partnerships, sources, regions, contact organisation), the admission criteria,
the related initiatives, the region outlines of the map and the member list
(up to 100 rows of plain values). Every table they come from is part of the
data version (lib/versioning.py), so a view costs one query once the profile has
been read. The member list was the costly part: a join of some hundred
memberships to their organisations, sorted by name.

The parts that are the same for every visitor and cost the most to render are kept
rendered, per data version (and language): the member list (up to 100 rows, a fifth of
the page's rendering time), the admission criteria (the same table for every record with
the same results) and the map's JSON (the outlines of Region and Kreis). The page's own
template then only places them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from clusterportal.lib.language import localized, long_date
from clusterportal.lib.text import collation_key
from clusterportal.regions.geojson import outline
from clusterportal.regions.models import Region
from clusterportal.registry import admission
from clusterportal.registry.filters import RegistryIndex, registry_index
from clusterportal.registry.models import ClusterInitiative, Label, Membership, Organisation
from clusterportal.registry.templatetags.registry_pages import http_url
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
class MemberRow:
    name: str
    url: str  # the website if it is an http(s) address, else ""
    detail: str  # "Unternehmen · Gründungsmitglied · seit 2010"


@dataclass(frozen=True)
class MemberList:
    html: SafeString  # the rendered list (registry/_member_list.html), "" without members
    shown: int  # how many rows it shows


@dataclass(frozen=True)
class LabelState:
    label: Label
    valid_until: datetime.date | None
    valid: bool | None  # None: validity unknown


def _profile_queryset():
    return (
        ClusterInitiative.objects.published()
        .select_related("region", "seat_kreis", "management_organisation")
        # The map's outlines come from the registry index, once per process.
        .defer("region__boundary", "seat_kreis__boundary")
        .prefetch_related(
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
    organisation: Organisation | None
    member_list: MemberList
    criteria: list[admission.Result]
    related: list[ClusterInitiative]
    index: RegistryIndex

    @classmethod
    def load(cls, slug: str) -> Profile | None:
        """The published initiative with this slug (None if there is none): 1 query,
        the data version; 6 more the first time in a data version (the record with its
        parts, the members). The record is shared by the requests of this process:
        read only.
        """
        index = registry_index()
        pk = index.slugs.get(slug)
        if pk is None:
            return None
        initiative = index.memo(("profile", pk), lambda: _profile_queryset().get(pk=pk))
        row = index.rows([pk])[0]
        groups: dict[int, FieldGroup] = {}
        for field in sorted(
            row.technology_fields.all(), key=lambda f: collation_key(f.localized_name)
        ):
            group = groups.setdefault(field.top.pk, FieldGroup(field.top, []))
            if field.parent_id and field.localized_name != field.top.localized_name:
                group.terms.append(field)
        today = timezone.localdate()
        labels = []
        for label in row.labels.all():
            labels.append(LabelState(label, label.valid_until, label.is_valid_on(today)))
        related = []
        if initiative.region_id is not None:
            tops = [group.top.slug for group in groups.values()]
            related = index.rows(index.related(pk, initiative.region.slug, tops, RELATED_LIMIT))
        return cls(
            initiative=initiative,
            field_groups=sorted(groups.values(), key=lambda g: collation_key(g.top.localized_name)),
            labels=labels,
            organisation=initiative.management_organisation,
            member_list=index.memo(
                ("members", pk, get_language()), lambda: _member_list(initiative)
            ),
            criteria=index.criteria[pk],
            related=related,
            index=index,
        )

    @property
    def criteria_met(self) -> int:
        return sum(result.met for result in self.criteria)

    @property
    def more_members(self) -> int:
        return max(0, self.initiative.listed_members - self.member_list.shown)

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

    @property
    def description(self) -> str:
        """The texts in the page's language where the management gave an English one."""
        return localized(self.initiative.description, self.initiative.description_en)

    @property
    def goals(self) -> str:
        return localized(self.initiative.goals, self.initiative.goals_en)

    @property
    def services(self) -> str:
        return localized(self.initiative.services, self.initiative.services_en)

    @property
    def confirmed_on(self) -> str:
        """ "zuletzt bestätigt am …": the last approval or confirmation, as the page's language
        writes a date ("" if never)."""
        confirmed = self.initiative.confirmed_at
        return long_date(timezone.localdate(confirmed)) if confirmed else ""

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

    def _outline(self, region: Region | None) -> dict | None:
        """A region's outline, made once per registry index (regions are part of its version)."""
        if region is None:
            return None

        def load() -> dict | None:
            return outline(Region.objects.get(pk=region.pk))

        return self.index.memo(("outline", region.pk), load)

    @cached_property
    def map_data(self) -> dict | None:
        """What the small map draws; None when there is nothing to draw."""
        i = self.initiative
        marker = None
        if i.latitude is not None and i.longitude is not None:
            marker = {"lat": i.latitude, "lon": i.longitude, "name": i.display_name}
        region = self._outline(i.region)
        kreis = self._outline(i.seat_kreis)
        if marker is None and region is None and kreis is None:
            return None
        return {"region": region, "kreis": kreis, "marker": marker}

    @property
    def criteria_html(self) -> SafeString:
        """The criteria section. Its text is the same for every record with the same results,
        so it is rendered once per language and combination of results (at most 2**7)."""
        met = tuple(result.met for result in self.criteria)
        context = {"criteria": self.criteria, "criteria_met": self.criteria_met}
        return self.index.memo(
            ("criteria-html", get_language(), met),
            lambda: render_to_string("registry/_profile_criteria.html", context),
        )

    @property
    def map_json(self) -> SafeString:
        """map_data as the page's <script type="application/json">, made once per data version."""
        key = ("map-json", self.initiative.pk, get_language())
        return self.index.memo(key, lambda: json_script(self.map_data, "profile-map-data"))


def _member_list(initiative: ClusterInitiative) -> MemberList:
    rows = _members(initiative)
    if not rows:
        return MemberList(SafeString(""), 0)
    return MemberList(render_to_string("registry/_member_list.html", {"members": rows}), len(rows))


def _members(initiative: ClusterInitiative) -> list[MemberRow]:
    """The current members, by name: one query of plain values, no model instances
    (a profile shows up to 100, and the template would otherwise do most of the work).
    Sorted here, not by the database, which would put "Ökoinstitut" after "Zeiss"; the
    list is read once per data version (see `Profile.load`)."""
    kinds = {value: str(label) for value, label in Organisation.Kind.choices}
    roles = {value: str(label) for value, label in Membership.Role.choices}
    since_text = gettext("seit %(year)s")
    rows = (
        initiative.memberships.filter(until_year__isnull=True)
        .order_by("pk")
        .values_list(
            "organisation__name",
            "organisation__website",
            "organisation__kind",
            "role",
            "since_year",
        )
    )
    rows = sorted(rows, key=lambda row: collation_key(row[0]))[:MEMBER_LIMIT]
    members = []
    for name, website, kind, role, since in rows:
        detail = [kinds.get(kind, kind)]
        if role != Membership.Role.MEMBER:
            detail.append(roles.get(role, role))
        if since:
            detail.append(since_text % {"year": since})
        members.append(MemberRow(name, http_url(website), " · ".join(detail)))
    return members
