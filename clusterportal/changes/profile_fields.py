"""The fields of a profile that its cluster management keeps, as plain JSON values.

A change request stores the proposed values of the fields it changes and the
values they had when it was made (its base). This module reads those values
from an initiative, and writes them back on approval. Values are JSON: text,
whole numbers, decimals as text, booleans, slugs for relations, and lists for
the technology fields (slugs), the international partnerships and the member
list (members.py).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from clusterportal.changes import members
from clusterportal.registry.models import (
    ClusterInitiative,
    InternationalPartnership,
    Organisation,
)
from clusterportal.taxonomy.models import TechnologyField

# Plain columns of ClusterInitiative, in the order the form and the diff show them.
COLUMNS = [
    "description",
    "description_en",
    "goals",
    "goals_en",
    "services",
    "services_en",
    "activities_per_year",
    "contact_person",
    "contact_email",
    "contact_phone",
    "contact_consent",
    "street",
    "postcode",
    "city",
    "website",
    "staff_count",
    "staff_fte",
    "staff_year",
    "member_count",
    "member_count_year",
    "member_companies_count",
]
RELATIONS = ["management_organisation", "technology_fields", "partnerships", "members"]
EDITABLE = COLUMNS + RELATIONS


def label(name: str) -> str:
    """The field's name as people read it (the model's verbose name)."""
    if name == "partnerships":
        return str(InternationalPartnership._meta.verbose_name_plural)
    if name == "members":
        return str(_("Mitgliederliste"))
    return str(ClusterInitiative._meta.get_field(name).verbose_name)


def _column(value):
    return str(value) if isinstance(value, Decimal) else value


def _replace_partnerships(initiative: ClusterInitiative, rows: list[dict]) -> None:
    """The whole list from the request. A row that names a partnership the record already
    has (same country and partner region) keeps that partnership's source: the form does not
    show sources (data/registry/international_partnerships.csv sets them), and an edit of
    another row, or of the note, must not drop them."""
    sources = {
        (p.country, p.partner_region): (p.source_name, p.source_url)
        for p in initiative.partnerships.exclude(source_url="")
    }
    kept = []
    for row in rows:
        name, url = sources.get((row["country"], row["partner_region"]), ("", ""))
        kept.append(
            InternationalPartnership(initiative=initiative, **row, source_name=name, source_url=url)
        )
    initiative.partnerships.all().delete()
    InternationalPartnership.objects.bulk_create(kept)


def current_values(initiative: ClusterInitiative) -> dict[str, object]:
    """Every editable field of the record as it is now."""
    values = {name: _column(getattr(initiative, name)) for name in COLUMNS}
    organisation = initiative.management_organisation
    values["management_organisation"] = organisation.slug if organisation else None
    values["technology_fields"] = sorted(
        initiative.technology_fields.values_list("slug", flat=True)
    )
    values["partnerships"] = [
        {"country": p.country, "partner_region": p.partner_region, "note": p.note}
        for p in initiative.partnerships.order_by("country", "partner_region", "pk")
    ]
    values["members"] = members.current(initiative)
    return values


def differences(before: dict[str, object], after: dict[str, object]) -> dict[str, object]:
    """The fields of `after` whose value differs from `before`."""
    return {name: value for name, value in after.items() if before.get(name) != value}


def apply(initiative: ClusterInitiative, changes: dict[str, object]) -> None:
    """Write proposed values to the record (the caller holds the transaction)."""
    for name in COLUMNS:
        if name in changes:
            value = changes[name]
            field = ClusterInitiative._meta.get_field(name)
            if value is not None and field.get_internal_type() == "DecimalField":
                value = Decimal(value)
            setattr(initiative, name, value)
    if "management_organisation" in changes:
        slug = changes["management_organisation"]
        initiative.management_organisation = Organisation.objects.get(slug=slug) if slug else None
    initiative.full_clean(validate_unique=False, validate_constraints=True)
    initiative.save()
    if "technology_fields" in changes:
        initiative.technology_fields.set(
            TechnologyField.objects.filter(slug__in=changes["technology_fields"])
        )
    if "partnerships" in changes:
        _replace_partnerships(initiative, changes["partnerships"])
    # After the record's save, which would write back the member counts it read before.
    if "members" in changes:
        members.apply(initiative, changes["members"])
