"""The write of an initiative import (importing.py): all or nothing, in one short transaction.

Every value is converted for the database and staged in temporary tables before the
transaction starts (lib/staging.py). The transaction runs a handful of statements inside the
database: the new records, their history, the changed records and theirs, the relations of
both, the new search vocabulary. New records get their ids from the database; everything that
points to a record (history, relations) finds it by its slug, which is unique.

On SQLite the full-text index of the records written is filled after the commit, in short
transactions (sqlite_index.py): it was half of the write transaction.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import OperationalError, connection, models, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from clusterportal.lib import busy, versioning
from clusterportal.lib.staging import ROW, staged
from clusterportal.registry import sqlite_index
from clusterportal.registry.models import (
    ClusterInitiative,
    InternationalPartnership,
    Label,
    SearchWord,
    SourceReference,
)

if TYPE_CHECKING:
    from clusterportal.registry.importing import InitiativeRow, Plan

logger = logging.getLogger(__name__)
BATCH = 2000  # search words per INSERT (SQLite limits the parameters)
OWNER = "owner_slug"  # a staged relation row's initiative


def write(plan: Plan) -> None:
    if not plan.written:
        return  # all unchanged or kept: no transaction, and no data version moves
    now = timezone.now()
    created = [initiative for initiative, _row in plan.created]
    changed = [initiative for initiative, _row in plan.updated]
    for initiative in created:
        initiative.created_at = now  # what auto_now_add would set
    fields = ClusterInitiative._meta.concrete_fields
    columns = [(f.column, f.db_type(connection)) for f in fields]
    with ExitStack() as stages:
        new = stages.enter_context(staged("import_new", columns, _values(fields, created)))
        old = stages.enter_context(staged("import_changed", columns, _values(fields, changed)))
        relations = [
            (model, owner, stages.enter_context(staged(f"import_{model._meta.model_name}", *rows)))
            for model, owner, rows in _relation_stages(plan)
        ]
        _write_transaction(plan, new, old, relations, now)
    _index_written()


def _write_transaction(
    plan: Plan, new: str, old: str, relations: list[tuple], now: datetime.datetime
) -> None:
    """The one transaction: moves the staged rows (`new` and `old` records, `relations`)."""
    changed = [initiative.pk for initiative, _row in plan.updated]
    fields = ClusterInitiative._meta.concrete_fields
    with (
        patient_write_lock(),
        transaction.atomic(),
        versioning.bumped_at_the_end(connection),
        sqlite_index.deferred(connection, changed=old, new=new),
        connection.cursor() as cursor,
    ):
        cursor.execute(_insert_records(new, fields))
        cursor.execute(*_insert_history(new, now, "+"))
        if changed:
            cursor.execute(_update_records(old, _update_fields(plan)))
            cursor.execute(*_insert_history(old, now, "~"))
            _delete_relations(old)
        for model, owner, stage in relations:
            cursor.execute(_insert_relation(model, owner, stage))
        SearchWord.objects.bulk_create(plan.words, ignore_conflicts=True, batch_size=BATCH)


def _index_written() -> None:
    """SQLite: the full-text index of the records written, after the commit, in short
    transactions (sqlite_index.py). Should the lock not come, the records are indexed by
    the next import or the rebuild after the next migrate; the import itself is done."""
    try:
        with patient_write_lock():
            sqlite_index.catch_up(connection)
    except OperationalError as error:
        if not busy.is_busy(error):
            raise
        logger.warning("full-text index not caught up after an import: %s", error)


@contextmanager
def patient_write_lock() -> Iterator[None]:
    """Let the import wait for a lock longer than a request would (settings.DB_BUSY_TIMEOUT,
    SQLite's busy timeout and PostgreSQL's lock_timeout): the site's own writes are short,
    and an import that gave up after five seconds would have to be started again by hand."""
    setting = (
        "PRAGMA busy_timeout = %d" if connection.vendor == "sqlite" else "SET lock_timeout = %d"
    )
    with connection.cursor() as cursor:
        cursor.execute(setting % (IMPORT_LOCK_WAIT * 1000))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(setting % (settings.DB_BUSY_TIMEOUT * 1000))


IMPORT_LOCK_WAIT = 60  # seconds


# Field types whose value, once the model's validation has run, is what the database takes:
# str, int, float, bool or None go as they are (asking the field costs 3 us a value, 8 s for
# 50,000 records). Dates, times, decimals and JSON are converted by the field.
PLAIN = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "EmailField",
    "FloatField", "ForeignKey", "IntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField", "URLField",
}  # fmt: skip
SIMPLE = {str, int, float, bool, type(None)}


def _values(fields, objects) -> Iterator[list]:
    plain = [f.get_internal_type() in PLAIN for f in fields]
    for obj in objects:
        row = []
        for field, is_plain in zip(fields, plain, strict=True):
            value = getattr(obj, field.attname)
            if not (is_plain and type(value) in SIMPLE):
                value = field.get_db_prep_save(value, connection)
            row.append(value)
        yield row


def _names(fields, prefix: str = "") -> str:
    return ", ".join(prefix + connection.ops.quote_name(f.column) for f in fields)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _insert_records(stage: str, fields) -> str:
    """The new records, ids given by the database in the order of the rows."""
    fields = [f for f in fields if not f.primary_key]
    return (
        f"INSERT INTO {_table(ClusterInitiative)} ({_names(fields)}) "
        f"SELECT {_names(fields, 's.')} FROM {stage} AS s ORDER BY s.{ROW}"
    )


def _insert_history(stage: str, now: datetime.datetime, kind: str) -> tuple[str, list]:
    """The history rows simple-history's bulk_create_with_history and
    bulk_update_with_history record: the record's state, no user, no change reason."""
    history = ClusterInitiative.history.model
    stamped = {
        "history_date": history._meta.get_field("history_date").get_db_prep_save(now, connection),
        "history_type": kind,
    }
    recorded = {f.column for f in ClusterInitiative._meta.concrete_fields}
    targets = [f for f in history._meta.concrete_fields if not f.primary_key]
    sources, params = [], []
    for target in targets:
        if target.attname == "id":
            sources.append("i.id")
        elif target.attname in stamped:
            sources.append("%s")
            params.append(stamped[target.attname])
        elif target.column in recorded:
            sources.append(f"s.{connection.ops.quote_name(target.column)}")
        else:
            sources.append("NULL")  # history_user, history_change_reason
    sql = (
        f"INSERT INTO {_table(history)} ({_names(targets)}) SELECT {', '.join(sources)} "
        f"FROM {stage} AS s JOIN {_table(ClusterInitiative)} AS i ON i.slug = s.slug "
        f"ORDER BY s.{ROW}"
    )
    return sql, params


def _update_fields(plan: Plan) -> list[models.Field]:
    """What an update writes: the row's columns, the search text and the time of the change."""
    from clusterportal.registry import search

    keys = {key for _initiative, row in plan.updated for key in row.values}
    names = sorted(keys | set(search.STORED_COLUMNS) | {"updated_at"})
    return [ClusterInitiative._meta.get_field(name) for name in names]


def _update_records(stage: str, fields) -> str:
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = s.{quote(f.column)}" for f in fields)
    table = _table(ClusterInitiative)
    return f"UPDATE {table} SET {assignments} FROM {stage} AS s WHERE {table}.id = s.id"


def _delete_relations(stage: str) -> None:
    """The changed records' relations, a statement per table. Through the ORM, so that
    whatever may one day point to a label or partnership goes with it (today nothing
    does, and Django deletes each with one statement)."""
    changed = RawSQL(f"SELECT id FROM {stage}", [])  # noqa: S611 - a table name of ours
    through = ClusterInitiative.technology_fields.through
    through.objects.filter(clusterinitiative_id__in=changed).delete()
    for model in (Label, SourceReference):
        model.objects.filter(initiative_id__in=changed).delete()
    # The import format's partnerships only: those with a source of their own come from the
    # partnerships file (loading.load_partnerships) or the back office and stay.
    InternationalPartnership.objects.filter(initiative_id__in=changed, source_url="").delete()


def _insert_relation(model, owner: models.Field, stage: str) -> str:
    fields = _relation_fields(model, owner)
    return (
        f"INSERT INTO {_table(model)} ({connection.ops.quote_name(owner.column)}, "
        f"{_names(fields)}) SELECT i.id, {_names(fields, 's.')} FROM {stage} AS s "
        f"JOIN {_table(ClusterInitiative)} AS i ON i.slug = s.{OWNER} ORDER BY s.{ROW}"
    )


def _relation_fields(model, owner: models.Field) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key and f is not owner]


def _relation_stages(plan: Plan) -> list[tuple]:
    """Technology fields, labels, partners and sources of the written records, as
    (model, owner field, (columns, rows)) with each row's first value its initiative's slug."""
    through = ClusterInitiative.technology_fields.through
    made: dict[type, list[tuple[str, models.Model]]] = {
        model: [] for model in (through, Label, InternationalPartnership, SourceReference)
    }
    for _initiative, row in plan.written:
        for model, objects in _relations_of(row, plan.lookups.fields_by_slug, through):
            made[model].extend((row.slug, obj) for obj in objects)
    stages = []
    for model, owned in made.items():
        owner = next(f for f in model._meta.concrete_fields if f.related_model is ClusterInitiative)
        fields = _relation_fields(model, owner)
        columns = [(OWNER, "varchar(100)")] + [(f.column, f.db_type(connection)) for f in fields]
        values = _values(fields, [obj for _slug, obj in owned])
        rows = ([slug, *row] for (slug, _obj), row in zip(owned, values, strict=True))
        stages.append((model, owner, (columns, rows)))
    return stages


def _relations_of(row: InitiativeRow, fields_by_slug: dict, through) -> list[tuple]:
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
    return [
        (
            through,
            [
                through(technologyfield_id=pk)
                for pk in sorted(fields_by_slug[slug].pk for slug in row.field_slugs)
            ],
        ),
        (Label, labels),
        (
            InternationalPartnership,
            [
                InternationalPartnership(country=p.name[:100], note=p.note[:300])
                for p in row.partners
            ],
        ),
        (
            SourceReference,
            [SourceReference(url=url, position=index) for index, url in enumerate(row.sources)],
        ),
    ]
