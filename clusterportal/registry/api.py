"""API of the Clusterdatenbank: initiatives (with the list page's filters and facets)
and organisations.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from ninja import Field, Router, Schema

from clusterportal.lib import caching
from clusterportal.lib.api import (
    ApiError,
    Error,
    NoParameters,
    PageInfo,
    checked_filter,
    checked_query,
    data_etag,
    list_response,
    not_modified,
    query_parameters,
    unchanged,
)
from clusterportal.regions.api import RegionRef
from clusterportal.regions.models import Region
from clusterportal.registry import admission
from clusterportal.registry.filters import (
    InitiativeFilter,
    InitiativeFilterForm,
    OrganisationFilter,
    OrganisationFilterForm,
    registry_index,
)
from clusterportal.registry.models import ClusterInitiative, Membership, Organisation
from clusterportal.taxonomy.api import FieldRef
from clusterportal.taxonomy.models import TechnologyField

router = Router(tags=["initiatives"])

PAGE_PARAMETERS = {
    "page": "Page number, from 1. A page after the last one is a 404.",
    "page_size": "Results per page (default 20).",
}
INITIATIVE_PARAMETERS = {
    "q": "Search text (German full-text search: compounds, umlaut spellings, one typo per word, synonyms and abbreviations). Every word must match. A text over 200 characters is cut at a word boundary (`q_shortened`).",
    "region": "Slug of a Region, or `baden-wuerttemberg` for the state-wide networks and agencies. Repeat for several (any of them). See /regions?kind=region.",
    "kreis": "Slug of the Stadt- or Landkreis of the seat. Repeat for several. See /regions?kind=kreis.",
    "field": "Slug of a broad technology field; includes the specific terms below it. Repeat for several. See /technology-fields.",
    "kind": "Kind of entry. Repeat for several.",
    "label": "Label held (at any time). Repeat for several.",
    "criteria": "Admission criteria the data shows as met; `all` for every one. Repeated values must all hold.",
    "active": "`yes`: active initiatives; `no`: historical ones.",
    "sort": "Order of the results (default `relevance` with a search text, else `name`). Ties go by name, then id, so pages are stable.",
    **PAGE_PARAMETERS,
}
ORGANISATION_PARAMETERS = {
    "q": "Words of the name (case, umlauts and their spellings folded). Every word must match.",
    "kind": "Kind of organisation. Repeat for several.",
    "region": "Slug of a region: organisations in it or in any region below it. Repeat for several.",
    **PAGE_PARAMETERS,
}


def _absolute(request: HttpRequest, name: str, slug: str) -> str:
    return request.build_absolute_uri(reverse(f"api-v1:{name}", kwargs={"slug": slug}))


# --- schemas ------------------------------------------------------------------


class LabelOut(Schema):
    kind: str
    name: str
    awarded_on: datetime.date | None
    awarded_year: int | None
    valid_until: datetime.date | None
    note: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.get_kind_display()


DETAIL_VIEWS = {ClusterInitiative: "initiative_detail", Organisation: "organisation_detail"}


class Linked(Schema):
    """A record by slug and name, with the API address of its detail."""

    slug: str
    name: str
    url: str

    @staticmethod
    def resolve_url(obj: ClusterInitiative | Organisation, context) -> str:
        return _absolute(context["request"], DETAIL_VIEWS[type(obj)], obj.slug)


class InitiativeRef(Linked):
    pass


class InitiativeSummary(InitiativeRef):
    short_name: str
    kind: str
    region: RegionRef | None
    kreis: RegionRef | None
    city: str
    latitude: float | None
    longitude: float | None
    location_is_approximate: bool
    technology_fields: list[FieldRef]
    labels: list[LabelOut]
    founded_year: int | None
    member_count: int | None
    is_active: bool
    listing_confirmed: bool
    updated_at: datetime.datetime
    html_url: str

    @staticmethod
    def resolve_kreis(obj: ClusterInitiative) -> Region | None:
        return obj.seat_kreis

    @staticmethod
    def resolve_html_url(obj: ClusterInitiative, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SuggestionOut(Schema):
    label: str
    query: str = Field(description="The query string that gives `count` entries (same parameters)")
    count: int


class InitiativeList(PageInfo):
    results: list[InitiativeSummary]
    facets: dict[str, list[FacetValueOut]]
    places: list[str] = Field(
        default_factory=list,
        description=(
            "The places the search text names (a Region, Kreis, Regierungsbezirk or city): "
            "the results are the initiatives seated or active there, and entries naming it."
        ),
    )
    suggestions: list[SuggestionOut] = Field(
        default_factory=list,
        description=(
            "For an empty result: the nearest spelling, the Region around a place, related "
            "technology fields, filters to drop; each with the count it gives."
        ),
    )
    q_shortened: str | None = Field(
        None,
        description=(
            "The search text as searched when `q` was longer than 200 characters and was cut "
            "at a word boundary (the list page says so too); null otherwise."
        ),
    )


class OrganisationRef(Linked):
    kind: str


class Contact(Schema):
    person: str
    email: str
    phone: str


class PartnershipSource(Schema):
    name: str
    url: str


class Partnership(Schema):
    country: str
    partner_region: str
    note: str
    # Where the partnership is named (data/registry/international_partnerships.csv); null
    # where the initiative's own sources cover it.
    source: PartnershipSource | None

    @staticmethod
    def resolve_source(obj) -> dict | None:
        return {"name": obj.source_name, "url": obj.source_url} if obj.source_url else None


class Source(Schema):
    url: str
    title: str


class CriterionResult(Schema):
    code: str
    title: str
    requirement: str
    met: bool


class InitiativeDetail(InitiativeSummary):
    display_name: str
    status: str
    regions_covered: list[RegionRef]
    street: str
    postcode: str
    website: str
    management_organisation: OrganisationRef | None
    contact: Contact | None
    legal_form: str
    founding_occasion: str
    staff_count: int | None
    staff_fte: float | None
    staff_year: int | None
    description: str
    goals: str
    services: str
    activities_per_year: int | None
    innovation_driven: bool | None
    member_count_year: int | None
    member_count_is_approximate: bool
    member_companies_count: int | None
    members_note: str
    listed_members: int
    listed_companies: int
    ended_year: int | None
    status_note: str
    status_note_en: str
    partnerships: list[Partnership]
    sources: list[Source]
    admission_criteria: list[CriterionResult]
    created_at: datetime.datetime

    @staticmethod
    def resolve_contact(obj: ClusterInitiative) -> dict | None:
        """Personal data of the contact person only where they consented to publication."""
        if not obj.contact_consent:
            return None
        return {
            "person": obj.contact_person,
            "email": obj.contact_email,
            "phone": obj.contact_phone,
        }

    @staticmethod
    def resolve_admission_criteria(obj: ClusterInitiative) -> list[dict]:
        return [
            {
                "code": result.criterion.code,
                "title": str(result.criterion.title),
                "requirement": str(result.criterion.requirement),
                "met": result.met,
            }
            for result in admission.evaluate(obj)
        ]


class OrganisationSummary(OrganisationRef):
    size_class: str
    city: str
    region: RegionRef | None
    updated_at: datetime.datetime


class OrganisationList(PageInfo):
    results: list[OrganisationSummary]


class MembershipOut(Schema):
    initiative: InitiativeRef
    role: str
    since_year: int | None
    until_year: int | None


class OrganisationDetail(OrganisationSummary):
    street: str
    postcode: str
    latitude: float | None
    longitude: float | None
    website: str
    managed_initiatives: list[InitiativeRef]
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_managed_initiatives(obj: Organisation) -> list[ClusterInitiative]:
        return list(obj.managed_initiatives.all())

    @staticmethod
    def resolve_memberships(obj: Organisation) -> list[Membership]:
        return list(obj.memberships.all())


# --- initiatives --------------------------------------------------------------


@router.get(
    "/initiatives",
    response={200: InitiativeList, 304: None, 400: Error, 404: Error},
    url_name="initiative_list",
    summary="List and search initiatives",
    openapi_extra={"parameters": query_parameters(InitiativeFilterForm, INITIATIVE_PARAMETERS)},
)
def initiative_list(request: HttpRequest, response: HttpResponse):
    """The published initiatives with exactly the filters, facets and order of the list page.

    Within one filter repeated values are alternatives (`?field=a&field=b`: a or b);
    different filters must all hold. A facet's counts apply every other filter.
    """
    filters = checked_filter(request, InitiativeFilter)
    # Facets count records outside the match too: the registry's data version covers them all.
    index = filters.index
    if cached := not_modified(
        request, response, data_etag(request, index.version), index.changed_at
    ):
        return cached

    def respond() -> HttpResponse:
        # Built from validated parts, so only serialised here: each row is validated
        # once per data version, language and host (the index keeps it), not per request.
        body = list_response(
            request, filters, lambda items: [_summary(request, index, item) for item in items]
        )
        body["q_shortened"] = filters.q_shortened
        body["places"] = [place.label for place in filters.places]
        body["suggestions"] = (
            [SuggestionOut.model_construct(**vars(s)) for s in filters.suggestions()]
            if not body["count"]
            else []
        )
        body["facets"] = {
            facet.name: [FacetValueOut.model_construct(**vars(v)) for v in facet.values]
            for facet in filters.facets()
        }
        return _render(request, response, InitiativeList.model_construct(**body).model_dump())

    return caching.cached_response(request, "api-initiatives", index.version, respond, response)


def _render(request: HttpRequest, response: HttpResponse, data: dict) -> HttpResponse:
    """The JSON response ninja would make of `data`, with the headers set on `response`."""
    from clusterportal.api import api  # the API object imports this module

    return api.create_response(request, data, temporal_response=response)


def _summary(request: HttpRequest, index, item: ClusterInitiative) -> InitiativeSummary:
    key = ("api-summary", translation.get_language(), request.build_absolute_uri("/"), item.pk)
    context = {"request": request}
    return index.memo(key, lambda: InitiativeSummary.model_validate(item, context=context))


@router.get(
    "/initiatives/{slug:slug}",
    response={200: InitiativeDetail, 304: None, 400: Error, 404: Error},
    url_name="initiative_detail",
    summary="One initiative",
)
def initiative_detail(request: HttpRequest, slug: str, response: HttpResponse):
    """Every public fact of a published initiative, with its labels, sources and admission criteria.

    Internal research notes are never shown; the contact person only with their consent.
    """
    checked_query(request, NoParameters)
    index = registry_index()
    pk = index.slugs.get(slug)
    if pk is None:
        raise ApiError(404, f"There is no published initiative with the slug {slug!r}.")
    # The record and all its parts are part of the data version.
    etag = data_etag(request, index.version)
    if cached := not_modified(request, response, etag, index.changed_at):
        return cached
    context = {"request": request}

    def serialised() -> dict:
        initiative = (
            ClusterInitiative.objects.select_related(
                "region", "seat_kreis", "management_organisation"
            )
            .defer("region__boundary", "seat_kreis__boundary")
            .prefetch_related(
                Prefetch("technology_fields", TechnologyField.objects.select_related("parent")),
                Prefetch("regions_covered", Region.objects.without_boundaries()),
                "labels",
                "partnerships",
                "sources",
            )
            .get(pk=pk)
        )
        return InitiativeDetail.model_validate(initiative, context=context).model_dump()

    key = ("api-detail", translation.get_language(), request.build_absolute_uri("/"), pk)
    return _render(request, response, index.memo(key, serialised))


# --- organisations ------------------------------------------------------------


@router.get(
    "/organisations",
    response={200: OrganisationList, 304: None, 400: Error, 404: Error},
    url_name="organisation_list",
    summary="List organisations",
    tags=["organisations"],
    openapi_extra={"parameters": query_parameters(OrganisationFilterForm, ORGANISATION_PARAMETERS)},
)
def organisation_list(request: HttpRequest, response: HttpResponse):
    """Actors of the registry (companies, research institutes, ...), ordered by name."""
    filters = checked_filter(request, OrganisationFilter)
    if cached := unchanged(request, response, Organisation.objects.all()):
        return cached
    return list_response(request, filters)


@router.get(
    "/organisations/{slug:slug}",
    response={200: OrganisationDetail, 304: None, 400: Error, 404: Error},
    url_name="organisation_detail",
    summary="One organisation",
    tags=["organisations"],
)
def organisation_detail(request: HttpRequest, slug: str, response: HttpResponse):
    """An organisation with the published initiatives it manages or is a member of."""
    checked_query(request, NoParameters)
    organisation = (
        Organisation.objects.select_related("region")
        .defer("region__boundary")
        .filter(slug=slug)
        .first()
    )
    if organisation is None:
        raise ApiError(404, f"There is no organisation with the slug {slug!r}.")
    etag = data_etag(request, organisation.updated_at)
    if cached := not_modified(request, response, etag, organisation.updated_at):
        return cached
    published = ClusterInitiative.objects.published().order_by("name", "pk")
    prefetch_related_objects(
        [organisation],
        Prefetch("managed_initiatives", queryset=published),
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(initiative__in=published)
            .select_related("initiative")
            .order_by("initiative__name", "pk"),
        ),
    )
    return organisation
