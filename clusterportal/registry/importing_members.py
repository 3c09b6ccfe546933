"""Import of organisations and of member lists (memberships) from a table, all or nothing.

Same rules as the initiative import (importing.py): every row is validated
first, every error is reported with row, column and reason, and nothing is
written if any row fails. Records are matched by slug (organisations) or by
the pair initiative + organisation (memberships). A row that matches a record
with the same values is "unchanged"; one that differs is an error unless the
import is told to update, because a slug made from a name ("Müller GmbH") may
well belong to another organisation of that name.

Member lists make the partner criteria checkable (admission.py reads the
counts), so a membership import recounts the members of every initiative it
touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from clusterportal.lib.tables import Table, quote, require_columns
from clusterportal.registry.importing import (
    ImportFailed,
    Lookups,
    Report,
    RowError,
    RowValidator,
)
from clusterportal.registry.models import ClusterInitiative, Membership, Organisation

# Columns in the order the forms and docs name them; the first two are required.
ORGANISATION_COLUMNS = [
    "name", "kind", "slug", "size_class", "street", "postcode", "city", "kreis", "latitude",
    "longitude", "website",
]  # fmt: skip
ORGANISATION_REQUIRED = set(ORGANISATION_COLUMNS[:2])
MEMBERSHIP_COLUMNS = ["initiative", "organisation", "role", "since", "until"]
MEMBERSHIP_REQUIRED = set(MEMBERSHIP_COLUMNS[:2])


@dataclass
class Row:
    number: int
    key: object  # slug, or (initiative id, organisation id)
    key_column: str
    values: dict[str, object]


def _validate_organisation(number: int, raw: dict[str, str], lookups: Lookups) -> Row:
    v = RowValidator(number, raw, lookups)
    name = v.text("name", 300)
    if not name:
        v.error("name", _("ist ein Pflichtfeld"))
    slug = v.slug(name, 120)
    kreis = v.kreis()
    latitude = v.decimal_degrees("latitude", 90)
    longitude = v.decimal_degrees("longitude", 180)
    if bool(raw.get("latitude")) != bool(raw.get("longitude")):
        v.error("latitude", _("Breite und Länge nur zusammen angeben"))
    size_class = raw.get("size_class", "")
    if size_class:
        size_class = v.choice("size_class", Organisation.SizeClass)
    values = {
        "name": name,
        "kind": v.choice("kind", Organisation.Kind),
        "size_class": size_class,
        "street": v.text("street", 200),
        "postcode": v.text("postcode", 10),
        "city": v.text("city", 100),
        "region_id": kreis.pk if kreis else None,
        "latitude": latitude,
        "longitude": longitude,
        "website": v.url("website", v.text("website", 300)),
    }
    if v.errors:
        raise ImportFailed(v.errors)
    return Row(number, slug, "slug" if raw.get("slug") else "name", values)


class _MembershipLookups:
    """Initiatives and organisations named in the file, by slug (two queries)."""

    def __init__(self, table: Table) -> None:
        self.initiatives: dict[str, int] = dict(
            ClusterInitiative.objects.filter(
                slug__in={row.get("initiative", "") for row in table.rows}
            ).values_list("slug", "pk")
        )
        self.organisations: dict[str, int] = dict(
            Organisation.objects.filter(
                slug__in={row.get("organisation", "") for row in table.rows}
            ).values_list("slug", "pk")
        )


def _validate_membership(number: int, raw: dict[str, str], lookups: _MembershipLookups) -> Row:
    v = RowValidator(number, raw, None)  # type: ignore[arg-type]  # needs no regions
    ids = []
    for column, known, what in (
        ("initiative", lookups.initiatives, _("unbekannte Initiative (Kurzname) %(value)s")),
        ("organisation", lookups.organisations, _("unbekannte Organisation (Kurzname) %(value)s")),
    ):
        slug = raw.get(column, "")
        if not slug:
            v.error(column, _("ist ein Pflichtfeld"))
        elif slug not in known:
            v.error(column, what % {"value": quote(slug)})
        ids.append(known.get(slug))
    since = v.year("since")
    until = v.year("until")
    if since is not None and until is not None and until < since:
        v.error("until", _("%(until)s liegt vor %(since)s") % {"until": until, "since": since})
    values = {
        "role": v.choice("role", Membership.Role, default=Membership.Role.MEMBER),
        "since_year": since,
        "until_year": until,
    }
    if v.errors:
        raise ImportFailed(v.errors)
    return Row(number, tuple(ids), "organisation", values)


def _validate(
    table: Table,
    validate_row: Callable[[int, dict[str, str]], Row],
    duplicate_message: str,
) -> list[Row]:
    rows: list[Row] = []
    errors: list[RowError] = []
    seen: dict[object, int] = {}
    for number, raw in enumerate(table.rows, start=2):
        try:
            row = validate_row(number, raw)
        except ImportFailed as failure:
            errors += failure.errors
            continue
        if row.key in seen:
            errors.append(
                RowError(number, row.key_column, duplicate_message % {"row": seen[row.key]})
            )
            continue
        seen[row.key] = number
        rows.append(row)
    if errors:
        raise ImportFailed(errors)
    return rows


# Model attributes whose column in the file has another name.
COLUMN_OF = {"region_id": "kreis", "since_year": "since", "until_year": "until"}


def _differences(record: models.Model, values: dict[str, object]) -> list[str]:
    return [
        COLUMN_OF.get(key, key) for key, value in values.items() if getattr(record, key) != value
    ]


def _plan(
    rows: list[Row], existing: dict, *, update: bool, describe: Callable[[Row], str]
) -> tuple[list[Row], list[Row], Report]:
    """Which rows create, which update; a differing record without `update` is an error."""
    created, updated, errors = [], [], []
    report = Report()
    for row in rows:
        record = existing.get(row.key)
        if record is None:
            created.append(row)
            report.created.append(describe(row))
            continue
        differences = _differences(record, row.values)
        if not differences:
            report.unchanged.append(describe(row))
        elif update:
            updated.append(row)
            report.updated.append(describe(row))
        else:
            errors.append(
                RowError(
                    row.number,
                    row.key_column,
                    _(
                        "%(record)s gibt es schon, mit anderen Angaben in: %(columns)s; zum "
                        "Überschreiben „aktualisieren“ wählen"
                    )
                    % {"record": quote(str(record)), "columns": ", ".join(differences)},
                )
            )
    if errors:
        raise ImportFailed(errors)
    return created, updated, report


def _checked(record: models.Model, row: Row) -> models.Model:
    """Model field validation without a query per row: uniqueness, constraints and
    references were checked for the whole file at once."""
    try:
        record.full_clean(
            exclude=["region", "initiative", "organisation"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise ImportFailed(
            [
                RowError(row.number, COLUMN_OF.get(column, column), " ".join(messages))
                for column, messages in error.message_dict.items()
            ]
        ) from None
    return record


def import_organisations(
    table: Table, *, update: bool = False, dry_run: bool = False, progress=None
) -> Report:
    """Validate and check every row, then create and update in one transaction (not for
    a dry run)."""
    require_columns(table, ORGANISATION_REQUIRED, set(ORGANISATION_COLUMNS))
    lookups = Lookups()
    rows = _validate(
        table,
        lambda number, raw: _validate_organisation(number, raw, lookups),
        _("derselbe Kurzname wie in Zeile %(row)s"),
    )
    existing = Organisation.objects.in_bulk([row.key for row in rows], field_name="slug")
    created, updated, report = _plan(rows, existing, update=update, describe=lambda r: r.key)
    new = [_checked(Organisation(slug=row.key, **row.values), row) for row in created]
    changed = [_checked(_assigned(existing[row.key], row), row) for row in updated]
    if dry_run:
        return report
    with transaction.atomic():
        Organisation.objects.bulk_create(new)
        # Member counts follow each save (registry/derived.py).
        for record in changed:
            record.save()
    return report


def import_memberships(
    table: Table, *, update: bool = False, dry_run: bool = False, progress=None
) -> Report:
    """Validate and check every row, then write and recount the members of the
    initiatives touched, in one transaction (not for a dry run)."""
    require_columns(table, MEMBERSHIP_REQUIRED, set(MEMBERSHIP_COLUMNS))
    lookups = _MembershipLookups(table)
    rows = _validate(
        table,
        lambda number, raw: _validate_membership(number, raw, lookups),
        _("dieselbe Mitgliedschaft wie in Zeile %(row)s"),
    )
    existing = {
        (m.initiative_id, m.organisation_id): m
        for m in Membership.objects.filter(
            initiative__in={r.key[0] for r in rows}, organisation__in={r.key[1] for r in rows}
        )
    }
    initiatives = {pk: slug for slug, pk in lookups.initiatives.items()}
    organisations = {pk: slug for slug, pk in lookups.organisations.items()}
    created, updated, report = _plan(
        rows,
        existing,
        update=update,
        describe=lambda r: f"{initiatives[r.key[0]]} / {organisations[r.key[1]]}",
    )
    new = [
        _checked(
            Membership(initiative_id=row.key[0], organisation_id=row.key[1], **row.values), row
        )
        for row in created
    ]
    changed = [_checked(_assigned(existing[row.key], row), row) for row in updated]
    if dry_run:
        return report
    with transaction.atomic():
        Membership.objects.bulk_create(new)
        for record in changed:
            record.save()
    return report


def _assigned(record: models.Model, row: Row) -> models.Model:
    for key, value in row.values.items():
        setattr(record, key, value)
    return record
