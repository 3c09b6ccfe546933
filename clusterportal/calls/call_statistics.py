"""Public statistics of a call (docs/calls.md): how many applications came from which Region
and technology field, and which initiatives were accepted.

Shown once the call is closed, so that the figures cannot sway anyone still deciding whether
to apply; the accepted initiatives once their decisions are sent. Drafts and withdrawn
applications do not count. An application counts once in each technology field of its
initiative (so the fields add up to more than the applications).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from clusterportal.calls.application_models import Application

ACCEPTED = [Application.Decision.ACCEPTED, Application.Decision.ACCEPTED_WITH_CONDITIONS]


@dataclass
class CallStatistics:
    applications: int
    by_region: list[tuple[str, int, int]]  # Region, applications, accepted
    by_field: list[tuple[str, int, int]]
    accepted: list[Application]
    decisions_sent: bool


def call_statistics(call) -> CallStatistics:
    counted = list(
        Application.objects.active().filter(call=call)
        .select_related("initiative__region").prefetch_related("initiative__technology_fields")
    )  # fmt: skip
    accepted = [a for a in counted if a.decision_sent_at and a.decision in ACCEPTED]
    accepted_ids = {a.pk for a in accepted}
    regions, fields = Counter(), Counter()
    regions_accepted, fields_accepted = Counter(), Counter()
    for application in counted:
        region = application.initiative.region
        region_name = region.name if region else _("landesweit (ohne Region)")
        regions[region_name] += 1
        regions_accepted[region_name] += application.pk in accepted_ids
        for technology_field in application.initiative.technology_fields.all():
            fields[technology_field.localized_name] += 1
            fields_accepted[technology_field.localized_name] += application.pk in accepted_ids
    return CallStatistics(
        applications=len(counted),
        by_region=_table(regions, regions_accepted),
        by_field=_table(fields, fields_accepted),
        accepted=sorted(accepted, key=lambda a: a.initiative.name.casefold()),
        decisions_sent=any(a.decision_sent_at for a in counted),
    )


def _table(counts: Counter, accepted: Counter) -> list[tuple[str, int, int]]:
    return [
        (name, count, accepted[name])
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
