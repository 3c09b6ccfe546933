"""GET /countries (the countries by BW exports, with the partnerships there) and
GET /countries/{iso2} (one country: the export series, the initiatives with the partner
region and source of each partnership, the calls and the events concerning it).
Both read what the pages read (figures.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema

from clusterportal.international import figures
from clusterportal.lib import versioning
from clusterportal.lib.api import (
    ApiError,
    Error,
    NoParameters,
    checked_query,
    data_etag,
    not_modified,
)

router = Router(tags=["countries"])


class ExportSourceOut(Schema):
    name: str = figures.SOURCE
    url: str = figures.SOURCE_URL
    licence: str = figures.LICENCE
    attribution: str = figures.ATTRIBUTION


class CountrySummary(Schema):
    iso2: str
    name: str
    rank: int
    exports_teur: int
    status: str
    share_percent: Decimal
    initiatives: int


class CountryList(Schema):
    year: int | None
    total_exports_teur: int
    count: int
    results: list[CountrySummary]
    source: ExportSourceOut


class ExportYearOut(Schema):
    year: int
    exports_teur: int | None
    status: str
    share_percent: Decimal | None
    growth_percent: Decimal | None


class PartnershipSourceOut(Schema):
    name: str
    url: str


class CountryInitiativeOut(Schema):
    slug: str
    name: str
    partner_region: str
    note: str
    # Where the partnership is named; null where the initiative's profile sources cover it
    # (the research table's partnerships).
    source: PartnershipSourceOut | None


class CountryEventOut(Schema):
    slug: str
    title: str
    starts_at: datetime.datetime


class CountryPostingOut(Schema):
    id: int
    kind: str
    title: str
    poster: str


class CountryCallOut(Schema):
    slug: str
    title: str


class CountryDetail(Schema):
    iso2: str
    name: str
    growth_percent: Decimal | None
    growth_span: list[int] | None
    exports: list[ExportYearOut]
    initiatives: list[CountryInitiativeOut]
    calls: list[CountryCallOut]
    events: list[CountryEventOut]
    postings: list[CountryPostingOut]
    source: ExportSourceOut


def _version(request: HttpRequest) -> str:
    # The day too: a partner-search posting leaves the country page after its expiry date.
    number = versioning.current("international").number
    return data_etag(request, number, timezone.localdate())


@router.get(
    "/countries",
    response={200: CountryList, 304: None, 400: Error},
    summary="Countries by Baden-Württemberg's exports",
)
def country_list(request: HttpRequest, response: HttpResponse):
    """Every country with BW exports in the latest year, largest first, with its share of
    all BW exports and the number of initiatives with a partnership there."""
    checked_query(request, NoParameters)
    if cached := not_modified(request, response, _version(request)):
        return cached
    ranking = figures.ranking()
    results = [
        {"iso2": row.code, "name": row.name, "rank": row.rank, "exports_teur": row.value_teur,
         "status": row.status, "share_percent": row.share_percent, "initiatives": row.initiatives}
        for row in ranking.rows
    ]  # fmt: skip
    return {"year": ranking.year, "total_exports_teur": ranking.total_teur,
            "count": len(results), "results": results, "source": {}}  # fmt: skip


@router.get(
    "/countries/{iso2}",
    response={200: CountryDetail, 304: None, 400: Error, 404: Error},
    summary="One country: BW's exports 2010–2025, the initiatives, calls and events",
)
def country_detail(request: HttpRequest, iso2: str, response: HttpResponse):
    checked_query(request, NoParameters)
    page = figures.country_page(iso2) if iso2.isalpha() and len(iso2) == 2 else None
    if page is None:
        message = f"There is no country with the code {iso2!r}."
        raise ApiError(404, message, fields={"iso2": [message]})
    if cached := not_modified(request, response, _version(request)):
        return cached
    return {
        "iso2": page.code, "name": page.name, "growth_percent": page.span_growth_percent,
        "growth_span": list(page.span) if page.span else None,
        "exports": [
            {"year": row.year, "exports_teur": row.value_teur, "status": row.status,
             "share_percent": row.share_percent, "growth_percent": row.growth_percent}
            for row in page.series
        ],
        "initiatives": [
            {"slug": p.initiative.slug, "name": p.initiative.name,
             "partner_region": p.partner_region, "note": p.note,
             "source": {"name": p.source_name, "url": p.source_url} if p.source_url else None}
            for p in page.partnerships
        ],
        "calls": [{"slug": call.slug, "title": call.title} for call in page.calls],
        "events": [
            {"slug": event.slug, "title": event.title, "starts_at": event.starts_at}
            for event in page.events
        ],
        "postings": [
            {"id": p.pk, "kind": p.kind, "title": p.title, "poster": p.poster_name}
            for p in page.postings
        ],
        "source": {},
    }  # fmt: skip
