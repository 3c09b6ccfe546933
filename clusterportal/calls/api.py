"""API of the funding programmes and calls: lists, a call with its eligibility rules, the
check of one initiative against them, and the subsidy calculator (docs/calls.md)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema

from clusterportal.calls import eligibility, subsidy
from clusterportal.calls.filters import (
    CallFilter,
    CallFilterForm,
    ProgrammeFilter,
    ProgrammeFilterForm,
)
from clusterportal.calls.models import Call, Programme
from clusterportal.lib import versioning
from clusterportal.lib.api import (
    ApiError,
    Error,
    NoParameters,
    PageInfo,
    checked_filter,
    checked_form,
    checked_query,
    data_etag,
    list_response,
    not_modified,
    query_parameters,
)
from clusterportal.registry.api import FacetValueOut

router = Router(tags=["funding"])

CALL_PARAMETERS = {
    "status": "upcoming, open or closed, from the dates in Europe/Berlin (repeat for several).",
    "programme": "Slug of a programme (e.g. `gold-label-foerderung`).",
    "target_group": "Target groups (repeat for several).",
    "topic": "Slug of a technology field; a field includes its subfields.",
    "country": "ISO 3166 code of a target country (e.g. `DK`).",
    "page": "Page number, from 1. A page after the last one is a 404.",
    "page_size": "Calls per page (at most 100).",
}
PROGRAMME_PARAMETERS = {
    "archive": "`true`: past programmes too (after the current ones).",
    "page": "Page number, from 1.",
    "page_size": "Programmes per page (at most 100).",
}
SUBSIDY_PARAMETERS = {
    "cost": "The cost of the certification in EUR (e.g. `8000` or `8000.50`).",
    "certification": "`first` (default) or `renewal`: the cap depends on it.",
    "initiative": "Slug of a published initiative: its label's award date is checked "
    "against the programme's period.",
    "awarded_on": "The day of the certification (YYYY-MM-DD), instead of an initiative.",
}


class CheckDayForm(forms.Form):
    on = forms.DateField(required=False)


CHECK_PARAMETERS = {"on": "The day of the check (YYYY-MM-DD); today in Europe/Berlin by default."}


class Link(Schema):
    title: str
    url: str


class ProgrammeOut(Schema):
    slug: str
    name: str
    name_en: str
    purpose: str
    purpose_en: str
    funder: str
    run_by: str
    legal_basis: str
    rate_percent: Decimal | None
    cap_eur: Decimal | None
    cap_renewal_eur: Decimal | None
    funding_note: str
    funding_note_en: str
    budget: str
    target_group: str
    target_group_en: str
    contact: str
    documents: list[Link]
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    archived: bool
    subsidised_label: str
    calculator: bool
    source_name: str
    source_url: str
    more_sources: list[Link]
    calls: list[str]
    url: str

    @staticmethod
    def resolve_calculator(obj: Programme) -> bool:
        return obj.has_calculator

    @staticmethod
    def resolve_calls(obj: Programme) -> list[str]:
        return [call.slug for call in obj.calls.all()]

    @staticmethod
    def resolve_url(obj: Programme, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class ProgrammeList(PageInfo):
    results: list[ProgrammeOut]


class DeadlineOut(Schema):
    due_at: datetime.datetime
    label: str
    label_en: str


class RuleOut(Schema):
    rule: str
    parameters: dict[str, Any]
    requirement: str


class CallSummary(Schema):
    slug: str
    title: str
    title_en: str
    programme: str
    status: str
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    deadlines: list[DeadlineOut]
    target_groups: list[str]
    topics: list[str]
    countries: list[str]
    url: str

    @staticmethod
    def resolve_programme(obj: Call) -> str:
        return obj.programme.slug

    @staticmethod
    def resolve_deadlines(obj: Call) -> list:
        return list(obj.deadlines.all())

    @staticmethod
    def resolve_topics(obj: Call) -> list[str]:
        return [field.slug for field in obj.technology_fields.all()]

    @staticmethod
    def resolve_countries(obj: Call) -> list[str]:
        return [country.code for country in obj.countries]

    @staticmethod
    def resolve_url(obj: Call, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class CallList(PageInfo):
    results: list[CallSummary]
    facets: list[FacetOut]


class CallDetail(CallSummary):
    description: str
    description_en: str
    eligibility_rules: list[RuleOut]
    source_name: str
    source_url: str

    @staticmethod
    def resolve_eligibility_rules(obj: Call) -> list[dict]:
        parsed = obj.parsed_rules()
        return [
            {"rule": item["rule"], "parameters": item.get("parameters") or {},
             "requirement": rule.requirement}
            for item, rule in zip(obj.eligibility_rules, parsed, strict=True)
        ]  # fmt: skip


class OutcomeOut(Schema):
    rule: str
    requirement: str
    result: str
    data: list[str]
    facts: dict[str, Any]


class EligibilityOut(Schema):
    call: str
    initiative: str
    initiative_name: str
    day: datetime.date
    result: str
    outcomes: list[OutcomeOut]


class QuoteOut(Schema):
    programme: str
    cost: Decimal
    certification: str
    rate_percent: Decimal
    cap: Decimal
    share: Decimal
    subsidy: Decimal | None
    refused: str
    label: str
    notes: list[str]


def _version(request: HttpRequest, *parts: object) -> str:
    """An ETag of the calls' data version and whatever else the answer depends on."""
    return data_etag(request, versioning.current("calls").number, *parts)


def _call(slug: str) -> Call:
    call = (
        Call.objects.select_related("programme")
        .prefetch_related("deadlines", "technology_fields")
        .filter(slug=slug)
        .first()
    )
    if call is None:
        message = f"There is no call with the slug {slug!r}."
        raise ApiError(404, message, fields={"slug": [message]})
    return call


def _programme(slug: str) -> Programme:
    programme = Programme.objects.prefetch_related("calls").filter(slug=slug).first()
    if programme is None:
        message = f"There is no programme with the slug {slug!r}."
        raise ApiError(404, message, fields={"slug": [message]})
    return programme


@router.get(
    "/programmes",
    response={200: ProgrammeList, 304: None, 400: Error, 404: Error},
    openapi_extra={"parameters": query_parameters(ProgrammeFilterForm, PROGRAMME_PARAMETERS)},
    summary="Funding programmes",
)
def programme_list(request: HttpRequest, response: HttpResponse):
    """Current programmes by name; with `archive`, the past ones after them."""
    filters = checked_filter(request, ProgrammeFilter)
    if cached := not_modified(request, response, _version(request)):
        return cached
    return list_response(request, filters)


@router.get(
    "/programmes/{slug}",
    response={200: ProgrammeOut, 304: None, 400: Error, 404: Error},
    summary="One funding programme",
)
def programme_detail(request: HttpRequest, slug: str, response: HttpResponse):
    checked_query(request, NoParameters)
    programme = _programme(slug)
    if cached := not_modified(request, response, _version(request)):
        return cached
    return programme


@router.get(
    "/programmes/{slug}/subsidy",
    response={200: QuoteOut, 304: None, 400: Error, 404: Error},
    openapi_extra={"parameters": query_parameters(subsidy.SubsidyForm, SUBSIDY_PARAMETERS)},
    summary="The subsidy calculator of a programme",
)
def programme_subsidy(request: HttpRequest, slug: str, response: HttpResponse):
    """min(rate × cost, cap); the cap by `certification`. Where the programme pays for a
    label, the certification's day must lie in the programme's period: otherwise `subsidy`
    is null and `refused` says why. A bad parameter is a 400 that names it."""
    programme = _programme(slug)
    if not programme.has_calculator:
        raise ApiError(404, f"The programme {slug!r} has no rate and cap to compute with.",
                       code="no_calculator")  # fmt: skip
    form = checked_form(request, subsidy.SubsidyForm)
    # The answer reads the programme and, with an initiative, the registry's labels.
    registry = versioning.current("registry").number
    if cached := not_modified(request, response, _version(request, registry)):
        return cached
    quote = subsidy.calculate(programme, form.cleaned_data)
    return {
        "programme": programme.slug, "cost": quote.cost, "certification": quote.certification,
        "rate_percent": quote.rate_percent, "cap": quote.cap, "share": quote.share,
        "subsidy": quote.subsidy, "refused": quote.refused, "label": quote.label,
        "notes": quote.notes,
    }  # fmt: skip


@router.get(
    "/calls",
    response={200: CallList, 304: None, 400: Error, 404: Error},
    openapi_extra={"parameters": query_parameters(CallFilterForm, CALL_PARAMETERS)},
    summary="Funding calls",
)
def call_list(request: HttpRequest, response: HttpResponse):
    """Open calls first (soonest deadline first), then upcoming, then closed; with facet
    counts per status, programme, target group, topic and country."""
    filters = checked_filter(request, CallFilter)
    # The status follows the clock: the statuses of all calls are part of the ETag.
    statuses = tuple(sorted((row.pk, row.status) for row in filters.rows()))
    if cached := not_modified(request, response, _version(request, statuses)):
        return cached
    body = list_response(request, filters)
    body["facets"] = filters.facets()
    return body


@router.get(
    "/calls/{slug}",
    response={200: CallDetail, 304: None, 400: Error, 404: Error},
    summary="One call with its eligibility rules",
)
def call_detail(request: HttpRequest, slug: str, response: HttpResponse):
    checked_query(request, NoParameters)
    call = _call(slug)
    if cached := not_modified(request, response, _version(request, call.status)):
        return cached
    return call


@router.get(
    "/calls/{slug}/eligibility/{initiative}",
    response={200: EligibilityOut, 304: None, 400: Error, 404: Error},
    openapi_extra={"parameters": query_parameters(CheckDayForm, CHECK_PARAMETERS)},
    summary="An initiative checked against a call's eligibility rules",
)
def call_eligibility(request: HttpRequest, slug: str, initiative: str, response: HttpResponse):
    """Each rule's result (met, not_met, not_shown: the data does not show it) with the data
    it used, in words (`data`) and as values (`facts`)."""
    form = checked_form(request, CheckDayForm)
    call = Call.objects.filter(slug=slug).first()
    if call is None:
        message = f"There is no call with the slug {slug!r}."
        raise ApiError(404, message, fields={"slug": [message]})
    rules = call.parsed_rules()
    found = eligibility.initiatives_for_check(rules).published().filter(slug=initiative)
    record = found.first()
    if record is None:
        message = f"There is no published initiative with the slug {initiative!r}."
        raise ApiError(404, message, fields={"initiative": [message]})
    day = form.cleaned_data["on"] or timezone.localdate()
    registry = versioning.current("registry").number
    if cached := not_modified(request, response, _version(request, registry, day)):
        return cached
    check = eligibility.check(rules, record, day)
    return {
        "call": call.slug, "initiative": record.slug, "initiative_name": record.name,
        "day": check.day, "result": check.result.value,
        "outcomes": check.outcomes_data(),
    }  # fmt: skip
