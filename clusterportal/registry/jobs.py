"""Back-office imports as background jobs (django-tasks with its database backend).

The upload form stores the file in an ImportJob and enqueues `run_import_job`;
the request answers at once with the job's report page, which shows a progress
bar until the worker (`clusterportal db_worker`, started by `make run`) has run
the same import as the commands (imports.run_import) and then the outcome. No
request waits for an import, whatever its size (docs/import-export.md).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import OperationalError
from django.utils import timezone, translation
from django_tasks import task

from clusterportal.lib.busy import is_busy
from clusterportal.registry import imports
from clusterportal.registry.importing import Report, RowError
from clusterportal.registry.models import ImportJob

logger = logging.getLogger(__name__)


def start(kind: str, filename: str, data: bytes, *, update: bool, dry_run: bool, user) -> ImportJob:
    """Store the upload and enqueue its import; returns the job for its report page."""
    job = ImportJob.objects.create(
        kind=kind,
        filename=filename[:255],
        data=data,
        update=update,
        dry_run=dry_run,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        created_by=user if user.is_authenticated else None,
    )
    run_import_job.enqueue(job.pk)
    return job


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.get(pk=job_id)
    if job.state != ImportJob.State.QUEUED:
        return  # run already (a task is delivered at least once)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)
    state = ImportJob.State.DONE
    try:
        with translation.override(job.language):
            outcome = imports.run_import(
                imports.KINDS[job.kind].importer,
                bytes(job.data),
                job.filename,
                update=job.update,
                dry_run=job.dry_run,
                # The back office's own limit (the upload form checked it), not the read
                # default: an operator who raises it gets bigger imports (bench/soak.py).
                max_bytes=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
                progress=lambda done, total: _progress(job.pk, done, total),
            )
            stored = to_json(outcome)
    except Exception:
        logger.exception("import job %s crashed", job.pk)
        state, stored = ImportJob.State.CRASHED, None
    ImportJob.objects.filter(pk=job.pk).update(
        state=state, outcome=stored, data=b"", finished_at=timezone.now()
    )


def _progress(job_id: int, done: int, total: int) -> None:
    """A progress bar is no reason to stop an import: a busy database skips one step."""
    try:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)
    except OperationalError as error:
        if not is_busy(error):
            raise


def to_json(outcome: imports.Outcome) -> dict:
    report = outcome.report
    return {
        "message": outcome.message,
        "errors": [[e.row, e.column, e.message] for e in outcome.errors],
        "report": None if report is None else {k: list(v) for k, v in vars(report).items()},
    }


def outcome_of(job: ImportJob) -> imports.Outcome | None:
    """The outcome as the import page shows it; None while the job runs or if it crashed."""
    if job.outcome is None:
        return None
    stored = job.outcome
    return imports.Outcome(
        job.dry_run,
        report=None if stored["report"] is None else Report(**stored["report"]),
        errors=[RowError(*error) for error in stored["errors"]],
        message=stored["message"],
    )
