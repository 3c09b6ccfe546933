"""The organisers' participant list as CSV or XLSX (lib/tables: formula-safe, UTF-8 BOM)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from clusterportal.events.models import Event, Registration
from clusterportal.lib.tables import write_csv, write_xlsx

HEADER = ["Nr.", "Name", "E-Mail", "Stand", "Teilnehmendenliste", "angemeldet am", "eingecheckt"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _time(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def rows(event: Event) -> list[list]:
    active = event.registrations.filter(status__in=Registration.HOLDING).order_by("sequence")
    return [
        [
            r.sequence,
            r.name,
            r.email,
            r.get_status_display(),
            "ja" if r.consent_participant_list else "nein",
            _time(r.created_at),
            _time(r.checked_in_at),
            *(str(r.answers.get(q["key"], "")) for q in event.questions),
        ]  # fmt: skip
        for r in active
    ]


def export_response(event: Event, fmt: str) -> HttpResponse:
    header = HEADER + [q["label"] for q in event.questions]
    if fmt == "csv":
        response = HttpResponse(
            write_csv(header, rows(event)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(write_xlsx(header, rows(event), "Teilnehmende"), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="teilnehmende-{event.slug}.{fmt}"'
    return response
