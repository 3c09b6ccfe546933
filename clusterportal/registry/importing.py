"""Import of cluster initiatives from a table (CSV/XLSX), all or nothing.

The columns are those of the research table `data/registry/bw_clusters.csv`
plus optional profile columns (see docs/import-export.md). Every row is validated
first; if any row has an error, nothing is written and every error is
reported with its row number, column and reason.

Records are matched by slug (given, or made from the short name or name).
A record that exists and differs from the row is only overwritten with
`update=True`; otherwise it is kept and reported as such, so loading the
shipped data again never undoes a curator's edits.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterportal.lib.tables import Table, quote, require_columns
from clusterportal.lib.text import fold, german_slug
from clusterportal.regions.models import Region
from clusterportal.registry import parsing, search
from clusterportal.registry.models import (
    ClusterInitiative,
    InternationalPartnership,
    Label,
    SearchWord,
    SourceReference,
)
from clusterportal.taxonomy.models import TechnologyField

REQUIRED = {"name", "kind"}
OPTIONAL = {
    "slug", "short_name", "status", "region", "kreis", "city", "street", "postcode",
    "latitude", "longitude", "technology_fields", "website", "founded", "founding_occasion",
    "legal_form", "members", "member_companies", "staff", "labels", "international_focus",
    "source_url", "notes", "description", "goals", "services", "activities_per_year",
    "innovation_driven", "contact_person", "contact_email", "contact_phone", "contact_consent",
    "is_active", "ended_year", "listing_confirmed", "status_note", "status_note_en",
}  # fmt: skip
STATEWIDE = {"landesweit", "statewide", "baden-wuerttemberg"}
# The Cluster-Exzellenz label is awarded for two years (see data/registry/SOURCES.md).
_NEGATIVE = re.compile(r"(?:^|[;(])\s*-\s*\d")
_TRUE = {"1", "ja", "yes", "true", "x"}
_FALSE = {"0", "nein", "no", "false", ""}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Zeile %(row)s, Spalte %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(
            ngettext(
                "%(count)s Fehler; nichts wurde importiert",
                "%(count)s Fehler; nichts wurde importiert",
                len(errors),
            )
            % {"count": len(errors)}
        )


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # exist, differ, not overwritten

    def summary(self) -> str:
        return _(
            "%(created)s neu, %(updated)s aktualisiert, %(unchanged)s unverändert, "
            "%(kept)s beibehalten (weichen ab; zum Überschreiben „aktualisieren“ wählen)"
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "kept": len(self.kept),
        }


@dataclass
class InitiativeRow:
    number: int
    values: dict[str, object]
    field_slugs: list[str]
    labels: list[parsing.LabelFact]
    partners: list[parsing.Partner]
    sources: list[str]

    @property
    def slug(self) -> str:
        return str(self.values["slug"])

    def snapshot(self) -> dict[str, object]:
        values = {key: getattr(value, "pk", value) for key, value in self.values.items()}
        return {
            **values,
            "technology_fields": sorted(self.field_slugs),
            "labels": sorted(
                _label_key(f.kind, f.awarded_on, f.awarded_year, f.note) for f in self.labels
            ),
            "partners": sorted((p.name, p.note) for p in self.partners),
            "sources": list(self.sources),
        }


def _label_key(kind, awarded_on, awarded_year, note) -> tuple:
    return (str(kind), str(awarded_on or ""), awarded_year or 0, note)


# Relations an initiative's snapshot compares; loaded for many records at once.
RELATIONS = ("technology_fields", "labels", "partnerships", "sources")
FOREIGN_KEYS = {"region", "seat_kreis"}


def snapshot(initiative: ClusterInitiative, keys: set[str]) -> dict[str, object]:
    """The record as the row's snapshot describes it (no query if RELATIONS are prefetched)."""
    values: dict[str, object] = {
        key: getattr(initiative, f"{key}_id" if key in FOREIGN_KEYS else key) for key in keys
    }
    values["technology_fields"] = sorted(f.slug for f in initiative.technology_fields.all())
    values["labels"] = sorted(
        _label_key(label.kind, label.awarded_on, label.awarded_year, label.note)
        for label in initiative.labels.all()
    )
    values["partners"] = sorted((p.country, p.note) for p in initiative.partnerships.all())
    values["sources"] = [source.url for source in initiative.sources.all()]
    return values


class Lookups:
    """Regions and fields by every name a table may use, loaded once per import."""

    def __init__(self) -> None:
        regions = list(
            Region.objects.without_boundaries().of_kind(
                Region.Kind.LAND, Region.Kind.REGION, Region.Kind.KREIS
            )
        )
        self.regions = {fold(r.name): r for r in regions if r.kind == Region.Kind.REGION}
        self.regions |= {r.slug: r for r in regions if r.kind == Region.Kind.REGION}
        self.land = next(
            (r for r in regions if r.kind == Region.Kind.LAND and r.code == "08"), None
        )
        self.kreise = {r.code: r for r in regions if r.kind == Region.Kind.KREIS}
        # With their parents: the search text names a field's parent too.
        fields = list(TechnologyField.objects.select_related("parent"))
        self.fields_by_slug = {f.slug: f for f in fields}
        # Slugs, then English names, then German names: the German name wins a clash.
        self.fields = dict(self.fields_by_slug)
        self.fields |= {fold(f.name_en): f for f in fields if f.parent_id and f.name_en}
        self.fields |= {fold(f.name): f for f in fields if f.parent_id}


class RowValidator:
    def __init__(self, number: int, raw: dict[str, str], lookups: Lookups):
        self.number = number
        self.raw = raw
        self.lookups = lookups
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, max_length: int | None = None) -> str:
        value = self.raw.get(column, "")
        if max_length is not None and len(value) > max_length:
            self.error(column, _("länger als %(max)s Zeichen") % {"max": max_length})
        return value

    def slug(self, made_from: str, max_length: int) -> str:
        """The slug column, or one made from a name the way the portal makes every slug."""
        given = self.raw.get("slug", "")
        if given and given != german_slug(given, max_length):
            self.error(
                "slug",
                _("%(value)s darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten")
                % {"value": quote(given)},
            )
        return given or german_slug(made_from, max_length)

    def kreis(self, column: str = "kreis") -> Region | None:
        """A Kreis by its AGS. Excel turns "08421" into the number 8421: the zero is restored."""
        code = self.raw.get(column, "")
        if not code:
            return None
        found = self.lookups.kreise.get(code.zfill(5) if code.isdigit() else code)
        if found is None:
            self.error(
                column, _("unbekannter Kreisschlüssel (AGS) %(value)s") % {"value": quote(code)}
            )
        return found

    def choice(self, column: str, choices: type, default: str | None = None) -> str:
        value = self.raw.get(column, "") or (default or "")
        if value not in choices.values:
            allowed = ", ".join(choices.values)
            self.error(
                column,
                _("%(value)s ist keiner der Werte %(allowed)s")
                % {"value": quote(value), "allowed": allowed}
                if value
                else _("ist ein Pflichtfeld"),
            )
        return value

    def boolean(self, column: str, default: bool) -> bool:
        value = self.raw.get(column, "").lower()
        if column not in self.raw or value == "":
            return default
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        self.error(column, _("%(value)s ist nicht ja/nein (1/0)") % {"value": quote(value)})
        return default

    def optional_boolean(self, column: str) -> bool | None:
        if not self.raw.get(column, ""):
            return None
        return self.boolean(column, False)

    def integer(self, column: str, minimum: int = 0, maximum: int = 1_000_000) -> int | None:
        value = self.raw.get(column, "")
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            self.error(column, _("%(value)s ist keine ganze Zahl") % {"value": quote(value)})
            return None
        if not minimum <= number <= maximum:
            self.error(
                column,
                _("%(number)s liegt nicht zwischen %(min)s und %(max)s")
                % {"number": number, "min": minimum, "max": maximum},
            )
            return None
        return number

    def year(self, column: str) -> int | None:
        number = self.integer(column, 1800, datetime.date.today().year + 1)
        return number

    def decimal_degrees(self, column: str, limit: float) -> float | None:
        value = self.raw.get(column, "").replace(",", ".")
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.error(column, _("%(value)s ist keine Zahl") % {"value": quote(value)})
            return None
        if not -limit <= number <= limit:
            self.error(
                column,
                _("%(number)s liegt nicht zwischen -%(limit)s und %(limit)s")
                % {"number": number, "limit": limit},
            )
            return None
        return number

    def url(self, column: str, value: str) -> str:
        # A bare domain ("afbw.eu") is how people write web addresses; link it over https.
        if value and "://" not in value and "." in value and " " not in value:
            value = f"https://{value}"
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                self.error(
                    column,
                    _("%(value)s ist keine http(s)-Adresse") % {"value": quote(value[:80])},
                )
        return value

    def email(self, column: str) -> str:
        value = self.raw.get(column, "")
        if value:
            try:
                EmailValidator()(value)
            except ValidationError:
                self.error(
                    column, _("%(value)s ist keine E-Mail-Adresse") % {"value": quote(value)}
                )
        return value


def _validate_row(
    number: int, raw: dict[str, str], lookups: Lookups
) -> tuple[InitiativeRow | None, list[RowError]]:
    v = RowValidator(number, raw, lookups)
    name = v.text("name", 300)
    if not name:
        v.error("name", _("ist ein Pflichtfeld"))
    short_name = v.text("short_name", 100)
    slug = v.slug(short_name or name, 100)

    region_text = raw.get("region", "")
    region = None
    if fold(region_text) in STATEWIDE or german_slug(region_text) in STATEWIDE:
        region = lookups.land
    elif region_text:
        region = lookups.regions.get(fold(region_text)) or lookups.regions.get(region_text)
        if region is None:
            v.error("region", _("unbekannte Region %(value)s") % {"value": quote(region_text)})
    seat_kreis = v.kreis()

    field_slugs = []
    for term in parsing.split_list(raw.get("technology_fields", "")):
        found = lookups.fields.get(fold(term)) or lookups.fields.get(term)
        if found is None:
            v.error(
                "technology_fields",
                _("unbekanntes Technologiefeld %(value)s") % {"value": quote(term)},
            )
        elif found.slug not in field_slugs:
            field_slugs.append(found.slug)

    # The count cells are free text as the sources write them; a sign is never part of a count.
    for column in ("members", "staff"):
        if _NEGATIVE.search(raw.get(column, "")):
            v.error(column, _("negative Zahl in %(value)s") % {"value": quote(raw[column])})
    members = parsing.latest_count(raw.get("members", ""))
    staff = parsing.parse_staff(raw.get("staff", ""))
    member_companies = v.integer("member_companies")
    if member_companies is None and members is not None and members.companies:
        member_companies = members.value
    try:
        labels = parsing.parse_labels(raw.get("labels", ""))
    except parsing.UnknownLabel as error:
        v.error("labels", str(error))
        labels = []
    sources = parsing.split_sources(raw.get("source_url", ""))
    for source in sources:
        v.url("source_url", source)

    latitude = v.decimal_degrees("latitude", 90)
    longitude = v.decimal_degrees("longitude", 180)
    if (latitude is None) != (longitude is None):
        v.error("latitude", _("Breite und Länge nur zusammen angeben"))
    ended_year = v.year("ended_year")
    is_active = v.boolean("is_active", True)
    if ended_year is not None and is_active:
        v.error("is_active", _("eine Initiative mit Endjahr kann nicht aktiv sein"))
    values: dict[str, object] = {
        "slug": slug,
        "name": name,
        "short_name": short_name,
        "kind": v.choice("kind", ClusterInitiative.Kind),
        "status": v.choice("status", ClusterInitiative.Status, default="draft"),
        "region": region,
        "seat_kreis": seat_kreis,
        "city": v.text("city", 100),
        "street": v.text("street", 200),
        "postcode": v.text("postcode", 10),
        "latitude": latitude,
        "longitude": longitude,
        "website": v.url("website", v.text("website", 300)),
        "founded_year": v.year("founded"),
        "founding_occasion": v.text("founding_occasion", 500),
        "legal_form": v.text("legal_form", 200),
        "member_count": members.value if members else None,
        "member_count_year": members.year if members else None,
        "member_count_is_approximate": members.approximate if members else False,
        "member_companies_count": member_companies,
        "members_note": v.text("members"),
        "staff_count": staff.value if staff else None,
        "staff_year": staff.year if staff else None,
        "description": v.text("description", 20_000),
        "goals": v.text("goals", 20_000),
        "services": v.text("services", 20_000),
        "activities_per_year": v.integer("activities_per_year", 0, 10_000),
        "innovation_driven": v.optional_boolean("innovation_driven"),
        "contact_person": v.text("contact_person", 200),
        "contact_email": v.email("contact_email"),
        "contact_phone": v.text("contact_phone", 50),
        "contact_consent": v.boolean("contact_consent", False),
        "is_active": is_active,
        "ended_year": ended_year,
        "listing_confirmed": v.boolean("listing_confirmed", True),
        "status_note": v.text("status_note", 2000),
        "status_note_en": v.text("status_note_en", 2000),
        "research_notes": v.text("notes", 20_000),
    }
    if values["member_companies_count"] is not None and values["member_count"] is not None:
        if values["member_companies_count"] > values["member_count"]:
            v.error("member_companies", _("mehr Unternehmen als Mitglieder"))
    if v.errors:
        return None, v.errors
    values.update(_marker(latitude, longitude, seat_kreis, region))
    partners = parsing.parse_international(raw.get("international_focus", ""))
    return InitiativeRow(number, values, field_slugs, labels, partners, sources), []


Progress = Callable[[int, int], None]  # (rows done, rows in all)
PROGRESS_EVERY = 1000  # rows between two progress reports


def validate(
    table: Table, lookups: Lookups | None = None, progress: Progress | None = None
) -> list[InitiativeRow]:
    """Every row checked; raises ImportFailed listing all errors."""
    require_columns(table, REQUIRED, REQUIRED | OPTIONAL)
    lookups = lookups or Lookups()
    rows: list[InitiativeRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(table.rows, start=2):
        if progress and number % PROGRESS_EVERY == 0:
            progress(number - 2, len(table.rows))
        row, row_errors = _validate_row(number, raw, lookups)
        errors += row_errors
        if row is None:
            continue
        if row.slug in seen:
            errors.append(
                RowError(
                    number,
                    "slug" if raw.get("slug") else "name",
                    _("derselbe Kurzname %(slug)s wie in Zeile %(row)s")
                    % {"slug": quote(row.slug), "row": seen[row.slug]},
                )
            )
            continue
        seen[row.slug] = number
        rows.append(row)
    if errors:
        raise ImportFailed(errors)
    return rows


def import_initiatives(
    table: Table,
    *,
    update: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Validate and prepare every record outside any transaction (reads only), then
    write them all in one short transaction: other writers wait a moment at most, and
    an error anywhere leaves nothing written. A dry run stops before the write."""
    lookups = Lookups()
    rows = validate(table, lookups, progress)
    plan = _plan(rows, lookups, update=update)
    if dry_run:
        return plan.report
    try:
        _write(plan)
    except IntegrityError:
        # Someone saved one of these records between the check and the write.
        message = _("wurde während des Imports geändert; bitte die Datei erneut importieren")
        raise ImportFailed([RowError(1, "slug", message)]) from None
    return plan.report


# Records per INSERT/UPDATE statement and slugs per lookup (SQLite limits the parameters).
CHUNK = 2000


@dataclass
class Plan:
    """What an import writes: new and changed records, ready to save, with their rows."""

    lookups: Lookups
    report: Report = field(default_factory=Report)
    created: list[tuple[ClusterInitiative, InitiativeRow]] = field(default_factory=list)
    updated: list[tuple[ClusterInitiative, InitiativeRow]] = field(default_factory=list)
    words: list = field(default_factory=list)  # new search vocabulary (SearchWord rows)

    @property
    def written(self) -> list[tuple[ClusterInitiative, InitiativeRow]]:
        return self.created + self.updated


def _existing(slugs: list[str]) -> dict[str, ClusterInitiative]:
    """The records of these slugs with the relations a snapshot compares (a few queries
    per CHUNK records instead of five per record)."""
    found: dict[str, ClusterInitiative] = {}
    for start in range(0, len(slugs), CHUNK):
        records = ClusterInitiative.objects.filter(slug__in=slugs[start : start + CHUNK])
        found |= {i.slug: i for i in records.prefetch_related(*RELATIONS)}
    return found


def _plan(rows: list[InitiativeRow], lookups: Lookups, *, update: bool) -> Plan:
    """Decide per row (new, changed, unchanged, kept) and prepare each record to write:
    values set, checked by the model's field validation, search columns computed."""
    plan = Plan(lookups)
    existing = _existing([row.slug for row in rows])
    now = timezone.now()
    for row in rows:
        initiative = existing.get(row.slug)
        if initiative is None:
            initiative = ClusterInitiative()
            plan.report.created.append(row.slug)
            plan.created.append((initiative, row))
        elif snapshot(initiative, set(row.values)) == row.snapshot():
            plan.report.unchanged.append(row.slug)
            continue
        elif not update:
            plan.report.kept.append(row.slug)
            continue
        else:
            plan.report.updated.append(row.slug)
            plan.updated.append((initiative, row))
        _prepare(initiative, row, lookups, now)
    plan.words = search.new_words(
        [getattr(initiative, c) for initiative, _row in plan.written for c in search.WEIGHTS]
    )
    return plan


def _prepare(
    initiative: ClusterInitiative, row: InitiativeRow, lookups: Lookups, now: datetime.datetime
) -> None:
    for key, value in row.values.items():
        setattr(initiative, key, value)
    initiative.updated_at = now
    # Uniqueness (the slug) and the constraints were checked for the whole file by
    # validate() and the lookup by slug; field validation runs per record, without a query.
    try:
        initiative.full_clean(
            exclude=["region", "seat_kreis", "management_organisation"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise ImportFailed(
            [
                RowError(row.number, column, " ".join(messages))
                for column, messages in error.message_dict.items()
            ]
        ) from None
    fields = [lookups.fields_by_slug[slug] for slug in row.field_slugs]
    for column, value in initiative.current_search_columns(fields).items():
        setattr(initiative, column, value)


# What an update writes: the row's columns, the search text and the time of the change.
def _update_fields(plan: Plan) -> list[str]:
    keys = {key for _initiative, row in plan.updated for key in row.values}
    return sorted(keys | set(search.STORED_COLUMNS) | {"updated_at"})


def _write(plan: Plan) -> None:
    """One transaction, bulk statements only: records with their history, relations,
    search vocabulary. The statements' values are converted for the database before the
    transaction starts (that took most of the time inside it): the transaction only asks
    for the new records' ids and executes."""
    created = [initiative for initiative, _row in plan.created]
    changed = [initiative for initiative, _row in plan.updated]
    now = timezone.now()
    for initiative in created:
        initiative.created_at = now  # what auto_now_add would set
    records = _values(ClusterInitiative, ClusterInitiative._meta.concrete_fields, created)
    history_model = ClusterInitiative.history.model
    history_fields = [f for f in history_model._meta.concrete_fields if not f.primary_key]
    # The history rows simple-history's bulk_create_with_history and
    # bulk_update_with_history record: no user, no change reason.
    history = _history_values(history_fields, created, "+", now)
    history += _history_values(history_fields, changed, "~", now)
    updates = _update_values(changed, _update_fields(plan)) if changed else []
    relations = _relation_rows(plan)
    with patient_write_lock(), transaction.atomic():
        for initiative, record, entry, pk in zip(
            created, records, history, _new_ids(len(created)), strict=False
        ):
            initiative.pk = record[0] = entry[0] = pk
            initiative._state.adding, initiative._state.db = False, connection.alias
        _insert(ClusterInitiative, ClusterInitiative._meta.concrete_fields, records)
        _insert(history_model, history_fields, history)
        if changed:
            _update(*updates)
            _delete_relations([initiative.pk for initiative in changed])
        _insert_relations(relations)
        SearchWord.objects.bulk_create(plan.words, ignore_conflicts=True, batch_size=CHUNK)


def _values(model, fields, objects) -> list[list]:
    return [
        [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] for o in objects
    ]


def _history_values(fields, initiatives, kind: str, now) -> list[list]:
    """History rows; the first column is the record's id (filled in for new records)."""
    assert fields[0].attname == "id"
    extra = {"history_date": now, "history_change_reason": None, "history_type": kind}
    return [
        [
            f.get_db_prep_save(extra.get(f.attname, getattr(i, f.attname, None)), connection)
            for f in fields
        ]
        for i in initiatives
    ]


def _new_ids(count: int) -> list[int]:
    """Ids for new records, inside the write transaction (no one else inserts meanwhile on
    SQLite; PostgreSQL's sequence hands out each id once)."""
    if not count:
        return []
    table = ClusterInitiative._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        # SQLite, AUTOINCREMENT: past the highest id ever given (sqlite_sequence) and the
        # highest there is.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 0))",
            [table],
        )
        (highest,) = cursor.fetchone()
    return list(range(highest + 1, highest + 1 + count))


INSERT_CHUNK = 500  # rows per INSERT on PostgreSQL (at most 65,535 parameters)


def _insert(model, fields, rows: list[list]) -> None:
    """Rows of converted values; SQLite executes one prepared INSERT per row (its
    triggers run per row anyway), PostgreSQL one INSERT of many rows per chunk (its
    data-version trigger runs per statement)."""
    if not rows:
        return
    quote_name = connection.ops.quote_name
    columns = ", ".join(quote_name(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    insert = f"INSERT INTO {quote_name(model._meta.db_table)} ({columns}) VALUES "
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(insert + one, rows)
            return
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            cursor.execute(
                insert + ", ".join([one] * len(chunk)), [v for row in chunk for v in row]
            )


def _update_values(initiatives: list[ClusterInitiative], names: list[str]) -> tuple:
    fields = [ClusterInitiative._meta.get_field(name) for name in names]
    params = [
        [i.pk] + [f.get_db_prep_save(getattr(i, f.attname), connection) for f in fields]
        for i in initiatives
    ]
    return fields, params


def _update(fields: list, params: list[list]) -> None:
    """The changed records' columns, without Django's bulk_update: it writes a CASE per
    column over all records of a batch, which grows with rows x rows x columns (8.5 ms
    per row here, slower than saving row by row)."""
    quote_name = connection.ops.quote_name
    table = quote_name(ClusterInitiative._meta.db_table)
    pk = quote_name(ClusterInitiative._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # SQLite: one prepared UPDATE executed per record (its triggers run per row anyway).
            assignments = ", ".join(f"{quote_name(f.column)} = %s" for f in fields)
            sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"
            cursor.executemany(sql, [row[1:] + row[:1] for row in params])
            return
        # PostgreSQL: one UPDATE ... FROM (VALUES ...) per chunk; a statement per record
        # would also run the data-version trigger (once per statement) per record.
        columns = [ClusterInitiative._meta.pk, *fields]
        casts = ", ".join(f"CAST(%s AS {c.db_type(connection)})" for c in columns)
        names_sql = ", ".join(quote_name(c.column) for c in columns)
        assignments = ", ".join(
            f"{quote_name(f.column)} = v.{quote_name(f.column)}" for f in fields
        )
        for start in range(0, len(params), UPDATE_CHUNK):
            chunk = params[start : start + UPDATE_CHUNK]
            values = ", ".join(f"({casts})" for _row in chunk)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v({names_sql}) "
                f"WHERE {table}.{pk} = v.{pk}",
                [value for row in chunk for value in row],
            )


UPDATE_CHUNK = 500  # records per UPDATE on PostgreSQL (at most 65,535 parameters)


def _delete_relations(ids: list[int]) -> None:
    through = ClusterInitiative.technology_fields.through
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        through.objects.filter(clusterinitiative_id__in=chunk).delete()
        for model in (Label, InternationalPartnership, SourceReference):
            model.objects.filter(initiative_id__in=chunk).delete()


def _relation_rows(plan: Plan) -> list[tuple]:
    """Technology fields, labels, partners and sources of the written records, converted
    for the database before the transaction: (model, fields, rows, owners), the first
    column of each row being the id of its owner, filled in once new records have one."""
    through = ClusterInitiative.technology_fields.through
    made: dict[type, tuple[list, list]] = {
        model: ([], []) for model in (through, Label, InternationalPartnership, SourceReference)
    }

    def add(model, owner, objects) -> None:
        made[model][0].extend(objects)
        made[model][1].extend([owner] * len(objects))

    for initiative, row in plan.written:
        fields = sorted(plan.lookups.fields_by_slug[slug].pk for slug in row.field_slugs)
        add(through, initiative, [through(technologyfield_id=pk) for pk in fields])
        labels = [
            Label(
                kind=fact.kind,
                awarded_on=fact.awarded_on,
                awarded_year=fact.awarded_year,
                note=fact.note[:500],
            )
            for fact in row.labels
        ]
        for label in labels:
            label.apply_validity_rule()  # what Label.objects.bulk_create does
        add(Label, initiative, labels)
        add(
            InternationalPartnership,
            initiative,
            [
                InternationalPartnership(country=p.name[:100], note=p.note[:300])
                for p in row.partners
            ],
        )
        add(
            SourceReference,
            initiative,
            [SourceReference(url=url, position=index) for index, url in enumerate(row.sources)],
        )
    prepared = []
    for model, (objects, owners) in made.items():
        owner_field = next(
            f for f in model._meta.concrete_fields if f.related_model is ClusterInitiative
        )
        fields = [owner_field] + [
            f for f in model._meta.concrete_fields if not f.primary_key and f is not owner_field
        ]
        rows = [
            [None] + [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields[1:]]
            for o in objects
        ]
        prepared.append((model, fields, rows, owners))
    return prepared


def _insert_relations(prepared: list[tuple]) -> None:
    for model, fields, rows, owners in prepared:
        for row, owner in zip(rows, owners, strict=True):
            row[0] = owner.pk
        _insert(model, fields, rows)


@contextmanager
def patient_write_lock() -> Iterator[None]:
    """On SQLite, let the import wait for the write lock longer than a request would
    (settings.DB_BUSY_TIMEOUT): the site's own writes are short, and an import that
    gave up after two seconds would have to be started again by hand."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {IMPORT_LOCK_WAIT * 1000}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {settings.DB_BUSY_TIMEOUT * 1000}")


IMPORT_LOCK_WAIT = 60  # seconds


def _marker(latitude, longitude, seat_kreis, region) -> dict[str, object]:
    """Without coordinates, the marker goes to the centre of the seat's Kreis, else the Region."""
    if latitude is not None:
        return {"latitude": latitude, "longitude": longitude, "location_is_approximate": False}
    for area in (seat_kreis, region):
        if area is not None and area.centroid_lat is not None:
            return {
                "latitude": area.centroid_lat,
                "longitude": area.centroid_lon,
                "location_is_approximate": True,
            }
    return {"latitude": None, "longitude": None, "location_is_approximate": True}
