"""Suggested next steps for a cluster management, drawn from its initiative's profile
(the account page, docs/services.md).

For each initiative the person manages:

* every admission criterion the data does not show (registry/admission.py) -> complete the
  profile (its edit form);
* a current label whose validity ends within the next twelve months (today up to the same
  day a year ahead) -> request the ClusterAgentur's label preparation;
* no international partnership in the registry -> request the internationalisation
  strategy;
* each call, open or upcoming, whose eligibility check is met (calls/eligibility.py,
  called as it is) -> the call's page.

A suggestion links to the place to act; where that is a service the catalogue does not
offer (none of the kind, or none taking requests), the suggestion links the catalogue.
Reads: the roles, the initiatives with criteria, partnerships and labels (three queries),
the services, and the calls (two queries), whatever the number of initiatives and calls.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from clusterportal.calls import eligibility
from clusterportal.calls.models import Call
from clusterportal.lib.dates import add_months
from clusterportal.lib.language import long_date
from clusterportal.registry import admission
from clusterportal.registry.models import ClusterInitiative, InternationalPartnership, Label
from clusterportal.services.models import Service

# Labels of one scheme renew each other (Label.ESCA_LEVELS); every other kind is its own.
SCHEMES: list[tuple[str, ...]] = [tuple(Label.ESCA_LEVELS)] + [
    (kind,) for kind in Label.Kind.values if kind not in Label.ESCA_LEVELS
]
WINDOW_MONTHS = 12


@dataclass(frozen=True)
class Step:
    kind: str  # criterion, label, partnership, call
    subject: str  # the criterion's code, the label's kind, the call's slug
    text: str
    url: str
    action: str  # the link's text


@dataclass
class InitiativeSteps:
    initiative: ClusterInitiative
    steps: list[Step] = field(default_factory=list)


def request_url(service: Service | None, initiative: ClusterInitiative) -> str:
    if service is None:
        return reverse("services:index")
    query = urlencode({"service": service.slug, "initiative": initiative.slug})
    return f"{reverse('services:new')}?{query}"


def expiring_labels(initiative: ClusterInitiative, today: datetime.date) -> list[Label]:
    """The latest label of each scheme whose validity ends from today to a year ahead
    (reads the prefetched labels)."""
    last = add_months(today, WINDOW_MONTHS)
    found = []
    for kinds in SCHEMES:
        label = eligibility.latest_label(initiative, kinds)
        if label is not None and label.valid_until and today <= label.valid_until <= last:
            found.append(label)
    return sorted(found, key=lambda label: label.valid_until or today)


def steps_for(
    initiative: ClusterInitiative,
    today: datetime.date,
    services: dict[str, Service],
    calls: list[Call],
) -> list[Step]:
    """The suggestions for one initiative loaded by `load_initiatives`."""
    steps = []
    edit = reverse("changes:edit", args=[initiative.slug])
    for criterion in admission.CRITERIA:
        if not getattr(initiative, criterion.annotation):
            text = _("Die Daten zeigen das Aufnahmekriterium „%(title)s“ nicht: %(requirement)s.")
            steps.append(
                Step(
                    "criterion",
                    criterion.code,
                    text
                    % {
                        "title": criterion.title,
                        "requirement": str(criterion.requirement).rstrip("."),
                    },
                    edit,
                    _("Profil ergänzen"),
                )
            )
    for label in expiring_labels(initiative, today):
        assert label.valid_until is not None
        steps.append(
            Step(
                "label",
                label.kind,
                _("Das Label %(label)s endet am %(day)s (in %(days)d Tagen).")
                % {
                    "label": label.get_kind_display(),
                    "day": long_date(label.valid_until),
                    "days": (label.valid_until - today).days,
                },
                request_url(services.get(Service.Kind.LABEL), initiative),
                _("Vorbereitung auf die Re-Zertifizierung anfragen"),
            )
        )
    if not initiative.has_partnership:
        steps.append(
            Step(
                "partnership",
                "",
                _(
                    "In der Clusterdatenbank ist noch keine internationale Partnerschaft eingetragen."
                ),
                request_url(services.get(Service.Kind.INTERNATIONALISATION), initiative),
                _("Beratung zur Internationalisierungsstrategie anfragen"),
            )
        )
    for call in calls:
        check = eligibility.check(call.parsed_rules(), initiative, today)
        if check.result == eligibility.Result.MET:
            text = (_("Sie erfüllen die Voraussetzungen des Aufrufs „%(title)s“ (%(status)s).")) % {
                "title": call.localized_title,
                "status": call.get_status_display(),
            }
            steps.append(Step("call", call.slug, text, call.get_absolute_url(), _("Zum Aufruf")))
    return steps


def load_initiatives(ids: list[int], calls: list[Call]):
    """The initiatives with what the suggestions read: criteria, partnerships, labels."""
    rules = [parsed for call in calls for parsed in call.parsed_rules()]
    initiatives = eligibility.initiatives_for_check(rules)
    if not any(parsed.rule.code == eligibility.AdmissionCriteria.code for parsed in rules):
        initiatives = admission.annotate(initiatives)
    partnerships = InternationalPartnership.objects.filter(initiative=OuterRef("pk"))
    return (
        initiatives.filter(pk__in=ids)
        .annotate(has_partnership=Exists(partnerships))
        .order_by("name", "pk")
    )


def suggestions(user, today: datetime.date | None = None) -> list[InitiativeSteps]:
    """The next steps of each initiative `user` manages (none for other people)."""
    from clusterportal.accounts.models import Role

    if not user.is_authenticated:
        return []
    ids = list(
        Role.objects.filter(user=user, kind=Role.Kind.CLUSTER_MANAGER).values_list(
            "initiative_id", flat=True
        )
    )
    if not ids:
        return []
    today = today or timezone.localdate()
    now = timezone.now()
    calls = list(
        Call.objects.exclude(Call.closed_q(now))
        .select_related("programme")
        .with_status(now)
        .order_by("closes_at", "title", "pk")
    )
    services: dict[str, Service] = {}
    for service in Service.objects.offered().order_by("position", "pk"):
        services.setdefault(service.kind, service)
    return [
        InitiativeSteps(initiative, steps_for(initiative, today, services, calls))
        for initiative in load_initiatives(ids, calls)
    ]
