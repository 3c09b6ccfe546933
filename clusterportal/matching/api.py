"""API of the matching app: an initiative's ranked partner suggestions, with reasons.

Every address is absolute, in the request's language, as in the rest of the API.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from clusterportal.lib.api import ApiError, Error, checked_form, query_parameters
from clusterportal.matching import engine
from clusterportal.matching.forms import RelatedForm
from clusterportal.matching.index import current_index
from clusterportal.registry.models import ClusterInitiative

router = Router(tags=["matching"])

RELATED_PARAMETERS = {
    "kind": "Only suggestions of this kind: initiative, posting or organisation (default: all).",
    "limit": "How many suggestions, 1 to 50 (default 10).",
}


class PartsOut(Schema):
    fields: float
    related_fields: float
    region: float
    words: float


class SuggestionOut(Schema):
    kind: str
    title: str
    url: str
    score: float
    parts: PartsOut
    reasons: list[str]


def suggestion_out(request: HttpRequest, s: engine.Suggestion) -> dict:
    """One suggestion as the API shows it: the page's full address in the request's language
    (as every address of the API), empty for an organisation (it has no page)."""
    path = engine.page_url(s.profile)
    return {
        "kind": s.profile.kind,
        "title": s.profile.title,
        "url": request.build_absolute_uri(path) if path else "",
        "score": s.score,
        "parts": s.parts,
        "reasons": s.reasons,
    }


class RelatedOut(Schema):
    count: int
    weights: PartsOut
    results: list[SuggestionOut]


@router.get(
    "/initiatives/{slug:slug}/related",
    response={200: RelatedOut, 304: None, 400: Error, 404: Error},
    url_name="initiative_related",
    summary="Partner suggestions for an initiative",
    openapi_extra={"parameters": query_parameters(RelatedForm, RELATED_PARAMETERS)},
)
def initiative_related(request: HttpRequest, slug: str):
    """Initiatives, postings and organisations ranked by how good a partner each is for the
    initiative: score 0..1, the weighted sum of its parts (shared fields, related fields
    through the atlas's clusters, region and distance, words in common), with the reasons
    in the request's language (docs/matching.md)."""
    form = checked_form(request, RelatedForm)
    assert isinstance(form, RelatedForm)
    pk = ClusterInitiative.objects.filter(slug=slug).values_list("pk", flat=True).first()
    index = current_index()
    profile = engine.profile_in(index, "initiative", pk) if pk is not None else None
    if profile is None:
        raise ApiError(404, f"There is no published, active initiative with the slug {slug!r}.")
    suggestions = engine.suggest_in(index, profile, kinds=form.kinds(), limit=form.limit_value())
    return {
        "count": len(suggestions),
        "weights": engine.WEIGHTS,
        "results": [suggestion_out(request, s) for s in suggestions],
    }
