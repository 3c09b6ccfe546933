"""The shipped catalogue of services (data/services/services.json, sources in
data/services/SOURCES.md).

Loaded by `clusterportal load_data`. All or nothing: every service is validated first (the
model's own validation); a bad row is reported with its slug and field, and nothing of the
file is loaded. Idempotent: a service that exists (by slug) is left as the curators keep
it, unless `update`.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from clusterportal.lib.loading import LoadReport
from clusterportal.services.models import Service

FILE = Path("services/services.json")
FIELDS = [
    "kind", "title", "title_en", "summary", "summary_en", "description", "description_en",
    "audience", "audience_en", "source_name", "source_url",
]  # fmt: skip


def read(data_dir: Path) -> tuple[list[Service], list[str]]:
    """The services of the file, in its order, and the errors."""
    document = json.loads((data_dir / FILE).read_text(encoding="utf-8"))
    services, errors = [], []
    seen: set[str] = set()
    for position, row in enumerate(document["services"], 1):
        slug = row.get("slug", "")
        unknown = sorted(set(row) - {"slug", *FIELDS})
        errors += [f"service {slug}: unknown field {name!r}" for name in unknown]
        if slug in seen:
            errors.append(f"service {slug}: slug twice in the file")
        seen.add(slug)
        service = Service(
            slug=slug,
            position=position * 10,
            **{name: row[name] for name in FIELDS if name in row},
        )
        try:
            service.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors += [
                f"service {slug}: {name}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        services.append(service)
    return services, errors


def load_services(data_dir: Path, update: bool = False) -> LoadReport:
    report = LoadReport("services")
    services, errors = read(data_dir)
    if errors:
        report.rejected = errors
        return report
    with transaction.atomic():
        for service in services:
            existing = Service.objects.filter(slug=service.slug).first()
            if existing is None:
                service.save()
                report.created += 1
                continue
            values = {name: getattr(service, name) for name in [*FIELDS, "position"]}
            if all(getattr(existing, name) == value for name, value in values.items()):
                report.unchanged += 1
            elif update:
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save()
                report.updated += 1
            else:
                report.kept += 1
    return report
