"""Exports of initiatives: search results for everyone, the import format for staff.

Search results (`result_rows`) are what the list page shows, as data: the same
filters and sort (filters.InitiativeFilter), all matching rows, one flat row
per initiative with the same field names in CSV, XLSX, JSON and GeoJSON. They
hold public facts only (published records, no contact person, no internal
notes) and are written for reading, not for importing.

The import format (`import_rows`) has exactly the columns of the importer
(importing.py) and writes every value so that it reads back unchanged: an
exported file imported again reports every row "unchanged". It carries
internal fields (research notes, contact persons), so only the back office
offers it. See docs/import-export.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterportal.lib import caching, versioning
from clusterportal.lib.tables import Cell, number, write_csv, write_xlsx
from clusterportal.regions.models import Region
from clusterportal.registry import admission, parsing
from clusterportal.registry.filters import InitiativeFilter
from clusterportal.registry.importing import OPTIONAL, REQUIRED
from clusterportal.registry.models import ClusterInitiative, Label
from clusterportal.taxonomy.models import TechnologyField

MAX_ROWS = 10_000
FILE_PREFIX = "clusterdatenbank"

RESULT_COLUMNS = [
    "slug", "name", "short_name", "kind", "kind_label", "region", "region_slug", "kreis",
    "kreis_ags", "city", "website", "founded_year", "legal_form", "member_count",
    "member_count_year", "technology_fields_top", "technology_fields", "labels", "is_active",
    "listing_confirmed", "latitude", "longitude", "location_is_approximate", "url",
    "criteria_met",
]  # fmt: skip
LIST_COLUMNS = {"technology_fields_top", "technology_fields", "labels"}

IMPORT_COLUMNS = [
    "slug", "name", "short_name", "kind", "status", "region", "kreis", "city", "street",
    "postcode", "latitude", "longitude", "technology_fields", "website", "founded",
    "founding_occasion", "legal_form", "members", "member_companies", "staff", "labels",
    "international_focus", "source_url", "description", "goals", "services",
    "activities_per_year", "innovation_driven", "contact_person", "contact_email",
    "contact_phone", "contact_consent", "is_active", "ended_year", "listing_confirmed",
    "status_note", "status_note_en", "notes",
]  # fmt: skip
assert set(IMPORT_COLUMNS) == REQUIRED | OPTIONAL, "the import format must match the importer"

# Label names the importer recognises (parsing._LABEL_KINDS) and reads no note from.
LABEL_NAMES = {
    Label.Kind.CLUSTER_EXCELLENCE_BW: "Cluster-Exzellenz BW",
    Label.Kind.ECEI_BRONZE: "ECEI Bronze",
    Label.Kind.ECEI_SILVER: "ECEI Silber",
    Label.Kind.ECEI_GOLD: "ECEI Gold",
    Label.Kind.GO_CLUSTER: "go-cluster",
    Label.Kind.SPITZENCLUSTER: "BMBF-Spitzencluster",
}


# Beyond the export limit per client (settings.PUBLIC_RATE_LIMITS["export"], lib/throttle.py).
TOO_MANY_EXPORTS = gettext_lazy(
    "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Exporte. Bitte versuchen Sie es in "
    "einigen Minuten erneut."
)


class TooManyRows(ValueError):
    pass


def _with_relations(queryset: QuerySet) -> QuerySet:
    """Regions without their outlines, fields with their parents, labels: 3 queries in all."""
    return (
        queryset.select_related("region", "seat_kreis")
        .defer("region__boundary", "seat_kreis__boundary")
        .prefetch_related(
            Prefetch(
                "technology_fields",
                queryset=TechnologyField.objects.select_related("parent").order_by("name"),
            ),
            "labels",
        )
    )


def _bounded(queryset: QuerySet) -> list[ClusterInitiative]:
    _check_size(queryset.count())
    return list(queryset)


def _check_size(total: int) -> None:
    if total > MAX_ROWS:
        raise TooManyRows(
            _(
                "Die Suche ergibt %(total)s Einträge; exportiert werden höchstens %(limit)s. "
                "Bitte die Suche mit Filtern eingrenzen."
            )
            % {"total": number(total), "limit": number(MAX_ROWS)}
        )


# Search results


def result_rows(
    filters: InitiativeFilter, absolute_url: Callable[[str], str]
) -> list[dict[str, object]]:
    """One flat row per matching initiative (RESULT_COLUMNS), in result order."""
    ordered = filters.ordered_ids()
    _check_size(len(ordered))
    queryset = _with_relations(admission.annotate(ClusterInitiative.objects.filter(pk__in=ordered)))
    by_pk = {initiative.pk: initiative for initiative in queryset}
    return [_result_row(by_pk[pk], absolute_url) for pk in ordered]


def _region_name(region: Region | None) -> str | None:
    if region is None:
        return None
    return _("landesweit") if region.kind == Region.Kind.LAND else region.name


def _result_row(i: ClusterInitiative, absolute_url: Callable[[str], str]) -> dict[str, object]:
    fields = list(i.technology_fields.all())
    return {
        "slug": i.slug,
        "name": i.name,
        "short_name": i.short_name,
        "kind": i.kind,
        "kind_label": i.get_kind_display(),
        "region": _region_name(i.region),
        "region_slug": i.region.slug if i.region else None,
        "kreis": str(i.seat_kreis) if i.seat_kreis else None,
        "kreis_ags": i.seat_kreis.code if i.seat_kreis else None,
        "city": i.city,
        "website": i.website,
        "founded_year": i.founded_year,
        "legal_form": i.legal_form,
        "member_count": i.member_count,
        "member_count_year": i.member_count_year,
        "technology_fields_top": sorted({f.top.localized_name for f in fields}),
        "technology_fields": [f.localized_name for f in fields if f.parent_id],
        "labels": [str(label) for label in i.labels.all()],
        "is_active": i.is_active,
        "listing_confirmed": i.listing_confirmed,
        "latitude": i.latitude,
        "longitude": i.longitude,
        "location_is_approximate": i.location_is_approximate,
        "url": absolute_url(i.get_absolute_url()),
        "criteria_met": i.criteria_met,
    }


def _flat(row: dict[str, object]) -> list[Cell]:
    return [
        "; ".join(row[c]) if c in LIST_COLUMNS else row[c]  # type: ignore[arg-type, misc]
        for c in RESULT_COLUMNS
    ]


def _json(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _geojson(rows: list[dict[str, object]]) -> bytes:
    features = [
        {
            "type": "Feature",
            "id": row["slug"],
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": row,
        }
        for row in rows
        if row["latitude"] is not None and row["longitude"] is not None
    ]
    return _json({"type": "FeatureCollection", "features": features})


@dataclass(frozen=True)
class Format:
    content_type: str
    write: Callable[[list[dict[str, object]]], bytes]


FORMATS = {
    "csv": Format(
        "text/csv; charset=utf-8", lambda rows: write_csv(RESULT_COLUMNS, map(_flat, rows))
    ),
    "xlsx": Format(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda rows: write_xlsx(RESULT_COLUMNS, map(_flat, rows), _("Clusterdatenbank")),
    ),
    "json": Format("application/json", lambda rows: _json({"count": len(rows), "results": rows})),
    "geojson": Format("application/geo+json", _geojson),
}


def search_results(request: HttpRequest, filters: InitiativeFilter, fmt: str) -> bytes:
    """The file of a search in format `fmt`, made once per data version (lib/caching.py):
    the same query, language and host get the same bytes until the registry changes.
    TooManyRows when the search finds more than MAX_ROWS."""

    def build() -> bytes:
        return FORMATS[fmt].write(result_rows(filters, request.build_absolute_uri))

    return caching.kept_file(request, f"export-{fmt}", filters.index.version, build)


def filename(extension: str, prefix: str = FILE_PREFIX) -> str:
    return f"{prefix}-{timezone.localdate().isoformat()}.{extension}"


# Import format


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("ja" if value else "nein")


def _text(value: object) -> str:
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def _members(i: ClusterInitiative) -> str:
    """The cell as the sources wrote it if it still gives the stored count, else the count."""
    count = parsing.latest_count(i.members_note)
    stored = (i.member_count, i.member_count_year, i.member_count_is_approximate)
    if (
        i.members_note
        and count is not None
        and (count.value, count.year, count.approximate) == stored
    ):
        return i.members_note
    if i.member_count is None:
        return i.members_note if count is None else ""
    text = f"~{i.member_count}" if i.member_count_is_approximate else str(i.member_count)
    return f"{text} ({i.member_count_year})" if i.member_count_year else text


def _staff(i: ClusterInitiative) -> str:
    if i.staff_count is None:
        return ""
    return f"{i.staff_count} ({i.staff_year})" if i.staff_year else str(i.staff_count)


def label_text(label: Label) -> str:
    """'Cluster-Exzellenz BW (6.2.2015) [note]', as parsing.parse_labels reads it."""
    text = LABEL_NAMES[label.kind]
    if label.awarded_on:
        day = label.awarded_on
        text += f" ({day.day}.{day.month}.{day.year})"
    elif label.awarded_year:
        text += f" ({label.awarded_year})"
    if label.note:
        text += " [" + label.note.replace("[", "(").replace("]", ")") + "]"
    return text


def _partners(i: ClusterInitiative) -> str:
    """'Schweiz;Österreich (note)' when the countries share a note, as the importer reads it.
    Only the partnerships without a source of their own: the format has no place for one,
    and the import leaves the sourced ones alone (loading.load_partnerships)."""
    partners = [p for p in i.partnerships.all() if not p.source_url]
    notes = {p.note for p in partners}
    if len(notes) == 1:
        note = notes.pop()
        names = ";".join(p.country for p in partners)
        return f"{names} ({note})" if note else names
    return ";".join(f"{p.country} ({p.note})" if p.note else p.country for p in partners)


def _region_cell(region: Region | None) -> str:
    if region is None:
        return ""
    return "landesweit" if region.kind == Region.Kind.LAND else region.slug


def _import_row(i: ClusterInitiative) -> list[Cell]:
    exact = not i.location_is_approximate
    values: dict[str, object] = {
        "slug": i.slug,
        "name": i.name,
        "short_name": i.short_name,
        "kind": i.kind,
        "status": i.status,
        "region": _region_cell(i.region),
        "kreis": i.seat_kreis.code if i.seat_kreis else "",
        "city": i.city,
        "street": i.street,
        "postcode": i.postcode,
        "latitude": _text(i.latitude) if exact else "",
        "longitude": _text(i.longitude) if exact else "",
        "technology_fields": ";".join(f.slug for f in i.technology_fields.all()),
        "website": i.website,
        "founded": _text(i.founded_year),
        "founding_occasion": i.founding_occasion,
        "legal_form": i.legal_form,
        "members": _members(i),
        "member_companies": _text(i.member_companies_count),
        "staff": _staff(i),
        "labels": "; ".join(label_text(label) for label in i.labels.all()),
        "international_focus": _partners(i),
        "source_url": " | ".join(source.url for source in i.sources.all()),
        "description": i.description,
        "goals": i.goals,
        "services": i.services,
        "activities_per_year": _text(i.activities_per_year),
        "innovation_driven": _yes_no(i.innovation_driven),
        "contact_person": i.contact_person,
        "contact_email": i.contact_email,
        "contact_phone": i.contact_phone,
        "contact_consent": _yes_no(i.contact_consent),
        "is_active": _yes_no(i.is_active),
        "ended_year": _text(i.ended_year),
        "listing_confirmed": _yes_no(i.listing_confirmed),
        "status_note": i.status_note,
        "status_note_en": i.status_note_en,
        "notes": i.research_notes,
    }
    return [values[column] for column in IMPORT_COLUMNS]  # type: ignore[misc]


def import_rows(queryset: QuerySet) -> Iterable[list[Cell]]:
    """Every initiative of the queryset (drafts too) in the importer's columns."""
    initiatives = _bounded(
        _with_relations(queryset).prefetch_related("partnerships", "sources").order_by("slug")
    )
    return map(_import_row, initiatives)


def import_format(queryset: QuerySet, extension: str) -> bytes:
    rows = import_rows(queryset)
    if extension == "xlsx":
        return write_xlsx(IMPORT_COLUMNS, rows, "Initiativen")
    return write_csv(IMPORT_COLUMNS, rows)


def kept_import_format(request: HttpRequest, queryset: QuerySet, extension: str) -> bytes:
    """`import_format`, made once per selection and data version (the XLSX of all 102
    initiatives takes 0.2-0.4 s). TooManyRows for a selection over MAX_ROWS."""
    chosen = tuple(queryset.order_by("pk").values_list("pk", flat=True)[: MAX_ROWS + 1])
    _check_size(len(chosen))
    current = versioning.current("registry")
    version = (connection.alias, current.number, current.token)
    return caching.kept_file(
        request,
        f"import-format-{extension}",
        version,
        lambda: import_format(queryset, extension),
        chosen,
    )
