"""The member list of an initiative as a field of a change request.

A cluster management uploads its whole member list (CSV or XLSX, the columns of
the back office's membership import plus those naming a new organisation); the
rows are checked like an import (registry/importing.py: the same row validator,
every error with row, column and reason, nothing kept if one row fails) and stored
in the change request as JSON. Approval writes them (`apply`): the file replaces
the list, so an organisation missing from it is no longer a member.

A row names its organisation by the registry's short name (`organisation`), or
by `name` (its short name is made from it, as the importers make every slug);
an organisation the registry does not know yet needs `name` and `kind` (and
optionally `website`, `city`), and approval creates it. The registry's own
records are never changed by a manager's file: for a known organisation,
`name`, `kind`, `website` and `city` in the file are ignored.

One row as stored: {"organisation": slug, "role": ..., "since": year|None,
"until": year|None}, plus "name", "kind", "website", "city" for a new organisation.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clusterportal.lib.tables import TableError, quote, read_table, write_csv
from clusterportal.lib.text import german_slug
from clusterportal.registry.importing import ImportFailed, RowError, RowValidator
from clusterportal.registry.models import ClusterInitiative, Membership, Organisation

COLUMNS = ["organisation", "name", "kind", "website", "city", "role", "since", "until"]
ALLOWED = {*COLUMNS, "initiative"}
MAX_ROWS = 5000
NEW_ORGANISATION_KEYS = ("name", "kind", "website", "city")


def current(initiative: ClusterInitiative) -> list[dict[str, object]]:
    """The member list as stored (ended memberships too): one query."""
    rows = initiative.memberships.values_list(
        "organisation__slug", "role", "since_year", "until_year"
    )
    return sorted(
        (
            {"organisation": slug, "role": role, "since": since, "until": until}
            for slug, role, since, until in rows
        ),
        key=lambda row: str(row["organisation"]),
    )


def read(data: bytes, filename: str, initiative: ClusterInitiative) -> list[dict[str, object]]:
    """An uploaded file's rows, checked: the stored rows, or TableError / ImportFailed."""
    table = read_table(data, filename)
    if "organisation" not in table.header and "name" not in table.header:
        raise TableError(
            _("%(file)s: Zeile 1: Spalte organisation (Kurzname) oder name fehlt")
            % {"file": filename}
        )
    unknown = sorted(set(table.header) - ALLOWED)
    if unknown:
        raise TableError(
            _("%(file)s: Zeile 1: unbekannte Spalten: %(columns)s (erlaubt sind: %(allowed)s)")
            % {
                "file": filename,
                "columns": ", ".join(unknown),
                "allowed": ", ".join(sorted(ALLOWED)),
            }
        )
    return check(table.rows, initiative, first_row=2)


def check(
    raw_rows: list[dict[str, object]],
    initiative: ClusterInitiative,
    *,
    first_row: int = 1,
) -> list[dict[str, object]]:
    """Validate rows (from a file, or JSON from the API); all valid or ImportFailed."""
    if not isinstance(raw_rows, list) or not all(isinstance(r, dict) for r in raw_rows):
        raise ImportFailed([RowError(first_row, "members", _("Eine Liste von Zeilen erwartet."))])
    if len(raw_rows) > MAX_ROWS:
        raise ImportFailed(
            [RowError(first_row, "members", _("Höchstens %(max)s Zeilen.") % {"max": MAX_ROWS})]
        )
    texts = [{str(k): _text(v) for k, v in row.items()} for row in raw_rows]
    known = set(
        Organisation.objects.filter(
            slug__in={row.get("organisation", "") for row in texts}
            | {german_slug(row.get("name", ""), 120) for row in texts if row.get("name")}
        ).values_list("slug", flat=True)
    )
    rows, errors, seen = [], [], {}
    for number, raw in enumerate(texts, start=first_row):
        row, row_errors = _check_row(number, raw, initiative, known)
        if row_errors:
            errors += row_errors
            continue
        slug = row["organisation"]
        if slug in seen:
            errors.append(
                RowError(
                    number,
                    "organisation",
                    _("dieselbe Mitgliedschaft wie in Zeile %(row)s") % {"row": seen[slug]},
                )
            )
            continue
        seen[slug] = number
        rows.append(row)
    if errors:
        raise ImportFailed(errors)
    return sorted(rows, key=lambda row: str(row["organisation"]))


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _check_row(
    number: int, raw: dict[str, str], initiative: ClusterInitiative, known: set[str]
) -> tuple[dict[str, object], list[RowError]]:
    v = RowValidator(number, raw, None)  # type: ignore[arg-type]  # needs no regions
    given = raw.get("initiative", "")
    if given and given != initiative.slug:
        v.error(
            "initiative",
            _("%(value)s ist nicht diese Initiative (%(slug)s)")
            % {"value": quote(given), "slug": initiative.slug},
        )
    slug = raw.get("organisation", "")
    name = raw.get("name", "")
    row: dict[str, object] = {}
    if not slug and name:
        slug = german_slug(name, 120)
    if slug and slug != german_slug(slug, 120):
        v.error(
            "organisation",
            _("%(value)s darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten")
            % {"value": quote(slug)},
        )
    elif slug not in known and name:  # a new organisation: what the registry needs for it
        row = {
            "name": v.text("name", 300),
            "kind": v.choice("kind", Organisation.Kind),
            "website": v.url("website", v.text("website", 300)),
            "city": v.text("city", 100),
        }
    elif slug not in known:
        v.error(
            "organisation",
            _("unbekannte Organisation (Kurzname) %(value)s; für eine neue Organisation "
              "name und kind angeben") % {"value": quote(slug)}
            if slug
            else _("ist ein Pflichtfeld (oder name und kind für eine neue Organisation)"),
        )  # fmt: skip
    since = v.year("since")
    until = v.year("until")
    if since is not None and until is not None and until < since:
        v.error("until", _("%(until)s liegt vor %(since)s") % {"until": until, "since": since})
    role = v.choice("role", Membership.Role, default=Membership.Role.MEMBER)
    return {"organisation": slug, "role": role, "since": since, "until": until, **row}, v.errors


def validate(rows: object, initiative: ClusterInitiative) -> list[dict[str, object]]:
    """For the one validation of an edit (forms.validate): ValidationError naming each row."""
    try:
        return check(rows, initiative)  # type: ignore[arg-type]
    except ImportFailed as failure:
        raise ValidationError([str(error) for error in failure.errors]) from None


def apply(initiative: ClusterInitiative, rows: list[dict[str, object]]) -> None:
    """Make the member list these rows (the caller holds the transaction).

    New organisations and memberships are written in bulk; the member counts
    follow (the querysets' bulk paths and the delete signals, registry/derived.py).
    """
    slugs = [str(row["organisation"]) for row in rows]
    organisations = Organisation.objects.in_bulk(slugs, field_name="slug")
    new = []
    for row in rows:
        slug = str(row["organisation"])
        if slug not in organisations:
            organisation = Organisation(slug=slug, **{k: row[k] for k in NEW_ORGANISATION_KEYS})
            organisation.full_clean(validate_unique=False)
            new.append(organisation)
    Organisation.objects.bulk_create(new)
    organisations = Organisation.objects.in_bulk(slugs, field_name="slug")
    wanted = {organisations[str(row["organisation"])].pk: row for row in rows}
    existing = {m.organisation_id: m for m in initiative.memberships.all()}
    initiative.memberships.exclude(organisation__in=list(wanted)).delete()
    created, changed = [], []
    for organisation_id, row in wanted.items():
        values = {"role": row["role"], "since_year": row["since"], "until_year": row["until"]}
        membership = existing.get(organisation_id)
        if membership is None:
            membership = Membership(initiative=initiative, organisation_id=organisation_id)
            created.append(membership)
        elif any(getattr(membership, k) != v for k, v in values.items()):
            changed.append(membership)
        else:
            continue
        for key, value in values.items():
            setattr(membership, key, value)
        # The rows were checked (since before until); no query per row for the constraints.
        membership.full_clean(
            exclude=["initiative", "organisation"],
            validate_unique=False,
            validate_constraints=False,
        )
    Membership.objects.bulk_create(created)
    Membership.objects.bulk_update(changed, ["role", "since_year", "until_year"])


def download(initiative: ClusterInitiative) -> bytes:
    """The current member list in the upload's columns, as a start for the next file."""
    memberships = initiative.memberships.select_related("organisation").order_by(
        "organisation__name", "pk"
    )
    return write_csv(
        COLUMNS,
        (
            [
                m.organisation.slug,
                m.organisation.name,
                m.organisation.kind,
                m.organisation.website,
                m.organisation.city,
                m.role,
                m.since_year,
                m.until_year,
            ]
            for m in memberships
        ),
    )


def describe(rows: list[dict[str, object]]) -> dict[str, str]:
    """slug -> name of the organisations in rows (known ones read in one query)."""
    names = dict(
        Organisation.objects.filter(slug__in=[r["organisation"] for r in rows]).values_list(
            "slug", "name"
        )
    )
    for row in rows:
        if row.get("name") and row["organisation"] not in names:
            names[str(row["organisation"])] = str(row["name"])
    return names
