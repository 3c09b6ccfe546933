"""Admission criteria of the BW Clusterdatenbank, as code.

Source: https://www.clusterportal-bw.de/clusterdaten/aufnahmekriterien-der-clusterdatenbank/
(summarised in docs/admission-criteria.md). Each criterion is one database
condition, so the same definition evaluates a profile, annotates the admin
list and filters the search. A criterion is either met by the record's data
or "not shown by the data": the registry cannot tell a missing fact from an
unmet requirement, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MIN_PARTNERS = 12
MIN_ACTIVITIES = 3


@dataclass(frozen=True)
class Criterion:
    code: str
    title: object  # lazy translation
    requirement: object

    @property
    def annotation(self) -> str:
        return f"criterion_{self.code.replace('-', '_')}"


CRITERIA = [
    Criterion(
        "contact",
        _("Kontaktorganisation mit Kontaktdaten"),
        _(
            "Clustermanagement oder Kontaktorganisation mit Adresse, Telefon, E-Mail, Ansprechperson und verlinkbarer Website"
        ),
    ),
    Criterion(
        "innovation", _("Innovationsgetriebenheit"), _("Die Initiative ist innovationsgetrieben.")
    ),
    Criterion(
        "field",
        _("Technologiefeld"),
        _("Zuordnung zu mindestens einem Technologiefeld / einer Branche"),
    ),
    Criterion(
        "activities",
        _("Clusteraktivitäten"),
        _("Mindestens drei verschiedene, nachprüfbare clusterspezifische Aktivitäten pro Jahr"),
    ),
    Criterion(
        "services",
        _("Serviceleistungen"),
        _("Veröffentlichte Serviceleistungen des Clustermanagements"),
    ),
    Criterion(
        "partners",
        pgettext_lazy("Aufnahmekriterium", "Partner"),
        _("In der Regel mindestens 12 aktive, verbindliche Partner"),
    ),
    Criterion(
        "companies", _("Unternehmensanteil"), _("Etwa die Hälfte der Mitglieder sind Unternehmen")
    ),
]
BY_CODE = {criterion.code: criterion for criterion in CRITERIA}


def _conditions() -> dict[str, Q]:
    """code -> condition on a ClusterInitiative queryset (plain columns, no grouping)."""
    from clusterportal.registry.models import ClusterInitiative

    contact = (
        Q(management_organisation__isnull=False) & ~Q(street="") & ~Q(postcode="") & ~Q(city="")
    )
    contact &= ~Q(contact_phone="") & ~Q(contact_email="") & ~Q(contact_person="") & ~Q(website="")
    # Members: the member list where there is one, else the reported counts.
    listed = Q(listed_members__gt=0)
    partners = (listed & Q(listed_members__gte=MIN_PARTNERS)) | (
        ~listed & Q(member_count__gte=MIN_PARTNERS)
    )
    companies = (listed & Q(listed_companies__gte=F("listed_members") / 2.0)) | (
        ~listed & Q(member_count__gt=0) & Q(member_companies_count__gte=F("member_count") / 2.0)
    )
    has_field = Exists(
        ClusterInitiative.technology_fields.through.objects.filter(clusterinitiative=OuterRef("pk"))
    )
    return {
        "contact": contact,
        "innovation": Q(innovation_driven=True),
        "field": Q(has_field),
        "activities": Q(activities_per_year__gte=MIN_ACTIVITIES),
        "services": ~Q(services=""),
        "partners": partners,
        "companies": companies,
    }


def condition(code: str) -> Q:
    """The database condition of one criterion ("all": every criterion)."""
    conditions = _conditions()
    if code == "all":
        combined = Q()
        for q in conditions.values():
            combined &= q
        return combined
    return conditions[code]


def annotate(queryset: models.QuerySet) -> models.QuerySet:
    """Add one 0/1 column per criterion and `criteria_met`, the number met."""
    flags = {
        BY_CODE[code].annotation: Case(When(q, then=Value(1)), default=Value(0))
        for code, q in _conditions().items()
    }
    total = sum((F(name) for name in flags), Value(0))
    return queryset.annotate(**flags).annotate(criteria_met=total)


@dataclass(frozen=True)
class Result:
    criterion: Criterion
    met: bool


def evaluate(initiative: models.Model) -> list[Result]:
    """The criteria for one record, in one query."""
    row = annotate(type(initiative).objects.filter(pk=initiative.pk)).values(
        *(c.annotation for c in CRITERIA)
    )[0]
    return [Result(criterion, bool(row[criterion.annotation])) for criterion in CRITERIA]
