"""The real programmes and calls (data/calls/programmes.json, sources in data/calls/SOURCES.md).

Loaded by `clusterportal load_data` after the registry and the technology fields. All or
nothing: every programme and call is validated first (the model's own validation, the
eligibility rules against the rule registry, topic slugs against the taxonomy); a bad row
is reported with its slug and field, and nothing of the file is loaded. Idempotent: a
programme or call that exists (by slug) is left as the editors keep it, unless `update`.

Dates a source gives as days are days in Europe/Berlin: a call opens at the first second
of its opening day and a deadline ends with the last second of its day (models.end_of_day).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from clusterportal.calls.models import Call, Deadline, Programme, end_of_day, start_of_day
from clusterportal.lib.loading import LoadReport
from clusterportal.taxonomy.models import TechnologyField

FILE = Path("calls/programmes.json")
PROGRAMME_FIELDS = [
    "name", "name_en", "purpose", "purpose_en", "funder", "run_by", "legal_basis",
    "rate_percent", "cap_eur", "cap_renewal_eur", "funding_note", "funding_note_en", "budget",
    "target_group", "target_group_en", "contact", "documents", "valid_from", "valid_until",
    "archived", "subsidised_label", "source_name", "source_url", "more_sources",
]  # fmt: skip
CALL_FIELDS = [
    "title", "title_en", "description", "description_en", "target_groups", "countries",
    "eligibility_rules", "source_name", "source_url",
]  # fmt: skip


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {m}" for name, ms in error.message_dict.items() for m in ms]
    return list(error.messages)


def _programme(row: dict) -> Programme:
    values = {name: row.get(name) for name in PROGRAMME_FIELDS if name in row}
    for name in ("valid_from", "valid_until"):
        values[name] = _day(values.get(name))
    return Programme(slug=row["slug"], **values)


def _call(row: dict, programme: Programme) -> tuple[Call, list[Deadline], list[str]]:
    values = {name: row[name] for name in CALL_FIELDS if name in row}
    opens = _day(row.get("opens_on"))
    call = Call(
        slug=row["slug"], programme=programme, opens_at=start_of_day(opens) if opens else None,
        **values,
    )  # fmt: skip
    deadlines = [
        Deadline(
            due_at=end_of_day(datetime.date.fromisoformat(item["on"])),
            label=item.get("label", ""),
            label_en=item.get("label_en", ""),
        )
        for item in row.get("deadlines", [])
    ]
    return call, deadlines, list(row.get("topics", []))


def read(data_dir: Path) -> tuple[list, list[str]]:
    """(programme, [(call, deadlines, topic slugs)]) per programme, and the errors."""
    document = json.loads((data_dir / FILE).read_text(encoding="utf-8"))
    known_topics = set(TechnologyField.objects.values_list("slug", flat=True))
    parsed, errors = [], []
    for row in document["programmes"]:
        programme = _programme(row)
        try:
            programme.full_clean(validate_unique=False)
        except (ValidationError, ValueError) as error:
            errors += [f"programme {row.get('slug')}: {m}" for m in _messages(error)]
        calls = []
        for call_row in row.get("calls", []):
            call, deadlines, topics = _call(call_row, programme)
            try:
                call.full_clean(exclude=["programme"], validate_unique=False)
            except (ValidationError, ValueError) as error:
                errors += [f"call {call_row.get('slug')}: {m}" for m in _messages(error)]
            for slug in sorted(set(topics) - known_topics):
                errors.append(f"call {call_row.get('slug')}: topics: unknown field {slug!r}")
            calls.append((call, deadlines, topics))
        parsed.append((programme, calls))
    return parsed, errors


def load_programmes(data_dir: Path, update: bool = False) -> LoadReport:
    report = LoadReport("programmes and calls")
    parsed, errors = read(data_dir)
    if errors:
        report.rejected = errors
        return report
    with transaction.atomic():
        for programme, calls in parsed:
            stored = _store_programme(programme, update, report)
            for call, deadlines, topics in calls:
                call.programme = stored
                _store_call(call, deadlines, topics, update, report)
    return report


def _store_programme(programme: Programme, update: bool, report: LoadReport) -> Programme:
    existing = Programme.objects.filter(slug=programme.slug).first()
    if existing is None:
        programme.save()
        report.created += 1
        return programme
    if update:
        programme.pk = existing.pk
        programme.save()
        report.updated += 1
        return programme
    report.unchanged += 1
    return existing


def _store_call(call: Call, deadlines, topics, update: bool, report: LoadReport) -> None:
    existing = Call.objects.filter(slug=call.slug).first()
    if existing is not None and not update:
        report.unchanged += 1
        return
    if existing is not None:
        call.pk = existing.pk
        existing.deadlines.all().delete()
    call.save()
    for deadline in deadlines:
        deadline.call = call
        deadline.save()
    call.technology_fields.set(TechnologyField.objects.filter(slug__in=topics))
    report.count(created=existing is None, changed=existing is not None)
