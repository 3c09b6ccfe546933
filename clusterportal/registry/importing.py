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
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterportal.lib.tables import Table, quote, require_columns
from clusterportal.lib.text import fold, german_slug
from clusterportal.regions.models import Region
from clusterportal.registry import import_write, parsing, search
from clusterportal.registry.models import (
    ClusterInitiative,
    InternationalPartnership,
    Label,
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


# Relations an initiative's snapshot compares.
RELATIONS = ("technology_fields", "labels", "partnerships", "sources")
FOREIGN_KEYS = {"region", "seat_kreis"}


def snapshot(
    initiative: ClusterInitiative, keys: set[str], relations: dict[str, list] | None = None
) -> dict[str, object]:
    """The record as the row's snapshot describes it; its relations as
    `related_snapshots` gives them (asked for here if not given)."""
    values: dict[str, object] = {
        key: getattr(initiative, f"{key}_id" if key in FOREIGN_KEYS else key) for key in keys
    }
    if relations is None:
        relations = related_snapshots([initiative.pk])[initiative.pk]
    for key, items in relations.items():
        values[key] = items if key == "sources" else sorted(items)
    return values


def related_snapshots(ids: list[int]) -> dict[int, dict[str, list]]:
    """Per record, the relations a snapshot compares: four queries of plain values for any
    number of records (Django's prefetch built a manager per record and relation: 24 of
    the 33 s an update of 50,000 rows took to decide what changed)."""
    found: dict[int, dict[str, list]] = {
        pk: {"technology_fields": [], "labels": [], "partners": [], "sources": []} for pk in ids
    }
    through = ClusterInitiative.technology_fields.through
    fields = through.objects.filter(clusterinitiative_id__in=ids)
    for owner, slug in fields.values_list("clusterinitiative_id", "technologyfield__slug"):
        found[owner]["technology_fields"].append(slug)
    labels = Label.objects.filter(initiative_id__in=ids)
    for owner, *key in labels.values_list(
        "initiative_id", "kind", "awarded_on", "awarded_year", "note"
    ):
        found[owner]["labels"].append(_label_key(*key))
    # Only the research table's partnerships: those with a source of their own (the
    # partnerships file, loading.load_partnerships) are not in the import format.
    partners = InternationalPartnership.objects.filter(initiative_id__in=ids, source_url="")
    for owner, country, note in partners.values_list("initiative_id", "country", "note"):
        found[owner]["partners"].append((country, note))
    sources = SourceReference.objects.filter(initiative_id__in=ids).order_by("position", "pk")
    for owner, url in sources.values_list("initiative_id", "url"):
        found[owner]["sources"].append(url)
    return found


class Lookups:
    """Regions and fields by every name a table may use, loaded once per import."""

    def __init__(self) -> None:
        # With their parents: a Region's search text names its Regierungsbezirk.
        regions = list(
            Region.objects.without_boundaries()
            .of_kind(Region.Kind.LAND, Region.Kind.REGION, Region.Kind.KREIS)
            .select_related("parent")
            .defer("parent__boundary")
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
        import_write.write(plan)
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


def _existing(slugs: list[str]) -> tuple[dict[str, ClusterInitiative], dict[int, dict]]:
    """The records of these slugs, and their relations as snapshots compare them (five
    queries per CHUNK records instead of five per record)."""
    found: dict[str, ClusterInitiative] = {}
    relations: dict[int, dict] = {}
    for start in range(0, len(slugs), CHUNK):
        records = list(ClusterInitiative.objects.filter(slug__in=slugs[start : start + CHUNK]))
        found |= {i.slug: i for i in records}
        relations |= related_snapshots([i.pk for i in records])
    return found, relations


def _plan(rows: list[InitiativeRow], lookups: Lookups, *, update: bool) -> Plan:
    """Decide per row (new, changed, unchanged, kept) and prepare each record to write:
    values set, checked by the model's field validation, search columns computed."""
    plan = Plan(lookups)
    existing, relations = _existing([row.slug for row in rows])
    now = timezone.now()
    for row in rows:
        initiative = existing.get(row.slug)
        if initiative is None:
            initiative = ClusterInitiative()
            plan.report.created.append(row.slug)
            plan.created.append((initiative, row))
        elif snapshot(initiative, set(row.values), relations[initiative.pk]) == row.snapshot():
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
