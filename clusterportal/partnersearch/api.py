"""GET /partner-search (the public postings, the list page's filter and facets),
GET /partner-search/{id} (one public posting) and GET /partner-search/{id}/suggestions
(ranked initiatives, postings and organisations with the score's parts and the reasons).
Read-only: postings are written on the pages, where they are checked and rate-limited."""

from __future__ import annotations

import datetime

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema

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
from clusterportal.matching.engine import page_url
from clusterportal.matching.index import current_index
from clusterportal.partnersearch import suggestions
from clusterportal.partnersearch.filters import PostingFilter, PostingFilterForm
from clusterportal.partnersearch.models import Posting
from clusterportal.registry.api import FacetValueOut

router = Router(tags=["partner search"])

PARAMETERS = {
    "q": "Words to search for (German-aware: umlauts, compounds, synonyms); all must occur.",
    "kind": "`offer` or `request` (repeat for both).",
    "purpose": "`rd_project`, `business`, `call_partner` or `event_partner` (repeat for several).",
    "field": "Slug of a technology field; a broad field includes its specific ones (repeat).",
    "country": "ISO 3166-1 alpha-2 code of a country sought (repeat for several).",
    "region": "Slug of a Region or Kreis where the poster sits or that it seeks; a Region "
    "includes its Kreise.",
    "call": "Slug of a funding call the posting seeks partners for.",
    "sort": "`newest` (default) or `expiry` (the soonest expiry first).",
    "page": "Page number, from 1. A page after the last one is a 404.",
    "page_size": "Postings per page (at most 100).",
}


class FieldOut(Schema):
    slug: str
    name: str


class PostingOut(Schema):
    id: int
    kind: str
    purpose: str
    title: str
    description: str
    poster: str
    initiative: str | None
    region: str | None
    call: str | None
    technology_fields: list[FieldOut]
    regions_sought: list[str]
    countries_sought: list[str]
    expires_on: datetime.date
    published_at: datetime.datetime | None
    url: str

    @staticmethod
    def resolve_poster(obj: Posting) -> str:
        return obj.poster_name

    @staticmethod
    def resolve_initiative(obj: Posting) -> str | None:
        return obj.initiative.slug if obj.initiative_id else None

    @staticmethod
    def resolve_region(obj: Posting) -> str | None:
        return obj.region.slug if obj.region_id else None

    @staticmethod
    def resolve_call(obj: Posting) -> str | None:
        return obj.call.slug if obj.call_id else None

    @staticmethod
    def resolve_technology_fields(obj: Posting) -> list[dict]:
        return [{"slug": f.slug, "name": f.localized_name} for f in obj.technology_fields.all()]

    @staticmethod
    def resolve_regions_sought(obj: Posting) -> list[str]:
        return [region.slug for region in obj.regions_sought.all()]

    @staticmethod
    def resolve_countries_sought(obj: Posting) -> list[str]:
        return [str(country.code) for country in obj.countries_sought]

    @staticmethod
    def resolve_url(obj: Posting, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class PostingList(PageInfo):
    results: list[PostingOut]
    facets: list[FacetOut]


class SuggestionItemOut(Schema):
    kind: str
    key: int
    title: str
    url: str
    score: float
    parts: dict[str, float]
    reasons: list[str]


class SuggestionList(Schema):
    posting: int
    count: int
    results: list[SuggestionItemOut]


class SuggestionForm(forms.Form):
    kind = forms.MultipleChoiceField(
        required=False,
        choices=[("initiative", "initiative"), ("posting", "posting"),
                 ("organisation", "organisation")],
    )  # fmt: skip
    limit = forms.IntegerField(required=False, min_value=1, max_value=50)


SUGGESTION_PARAMETERS = {
    "kind": "`initiative`, `posting` or `organisation` (repeat for several; all by default).",
    "limit": "How many suggestions (1 to 50, default 10).",
}


def _version(request: HttpRequest, *parts: object) -> str:
    number = versioning.current("partnersearch")
    return data_etag(request, number.number, number.token, timezone.localdate(), *parts)


def _public(posting_id: int) -> Posting:
    posting = Posting.objects.for_list().filter(pk=posting_id).first()
    if posting is None or not posting.is_public():
        raise ApiError(404, f"No public partner-search posting with id {posting_id}.")
    return posting


@router.get(
    "/partner-search",
    response={200: PostingList, 304: None, 400: Error, 404: Error},
    openapi_extra={"parameters": query_parameters(PostingFilterForm, PARAMETERS)},
    summary="Partner-search postings",
)
def posting_list(request: HttpRequest, response: HttpResponse):
    """Public postings (published and not expired), newest first, with facet counts per
    kind, purpose, broad technology field and country sought."""
    filters = checked_filter(request, PostingFilter)
    if cached := not_modified(request, response, _version(request)):
        return cached
    body = list_response(request, filters)
    body["facets"] = filters.facets()
    return body


@router.get(
    "/partner-search/{posting_id}",
    response={200: PostingOut, 304: None, 400: Error, 404: Error},
    summary="One partner-search posting",
)
def posting_detail(request: HttpRequest, posting_id: int, response: HttpResponse):
    checked_query(request, NoParameters)
    posting = _public(posting_id)
    if cached := not_modified(request, response, _version(request, posting.pk)):
        return cached
    return posting


@router.get(
    "/partner-search/{posting_id}/suggestions",
    response={200: SuggestionList, 304: None, 400: Error, 404: Error},
    openapi_extra={"parameters": query_parameters(SuggestionForm, SUGGESTION_PARAMETERS)},
    summary="Suggested partners for a posting, with the reasons",
)
def posting_suggestions(request: HttpRequest, posting_id: int, response: HttpResponse):
    """Initiatives, postings and organisations ranked by a score of four parts (shared
    fields, related fields through the atlas's relatedness, region and distance, words in
    common); docs/matching.md."""
    form = checked_form(request, SuggestionForm)
    posting = _public(posting_id)
    # The suggestions change with the registry as well as with the postings: the key of the
    # matching index that answers (it may be the previous version's while the next is built).
    etag = _version(request, posting.pk, *current_index().key[1:])
    if cached := not_modified(request, response, etag):
        return cached
    kinds = tuple(form.cleaned_data.get("kind") or ()) or None
    found = suggestions.for_posting(posting, form.cleaned_data.get("limit") or 10, kinds)
    results = [
        {"kind": s.profile.kind, "key": s.profile.key, "title": s.profile.title,
         "url": request.build_absolute_uri(page_url(s.profile)) if s.profile.url else "",
         "score": round(s.score, 4), "parts": {k: round(v, 4) for k, v in s.parts.items()},
         "reasons": s.reasons}
        for s in found
    ]  # fmt: skip
    return {"posting": posting.pk, "count": len(results), "results": results}
