"""Postings as profiles of the matching app (clusterportal/matching): the source of
"posting" suggestions for every initiative and posting, and the suggestions a posting's page
and GET /partner-search/{id}/suggestions show. The score and its reasons are the matching
app's (docs/matching.md); this module only says what a posting is to it."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import override

from clusterportal.matching.profiles import Profile
from clusterportal.partnersearch.models import Posting

KIND = "posting"
SHOWN = 8


def _path(pk: int) -> str:
    """The posting's German address, whatever the request's language: the index is shared
    by both languages, and engine.page_url translates it."""
    with override("de"):
        return reverse("partnersearch:detail", args=[pk])


def _profile(posting: Posting, fields: frozenset[int], latitude, longitude, region_id) -> Profile:
    return Profile(
        kind=KIND,
        key=posting.pk,
        title=posting.title,
        url=_path(posting.pk),
        fields=fields,
        text=f"{posting.title} {posting.description}",
        region_id=region_id,
        latitude=latitude,
        longitude=longitude,
    )


def profiles() -> Iterable[Profile]:
    """Every public posting (the matching index reads this once per data version)."""
    postings = list(
        Posting.objects.public()
        .select_related("initiative")
        .only(
            "pk",
            "title",
            "description",
            "region_id",
            "initiative__latitude",
            "initiative__longitude",
            "initiative__region_id",
        )  # fmt: skip
        .order_by("pk")
    )
    fields: dict[int, set[int]] = {}
    through = Posting.technology_fields.through.objects.filter(
        posting_id__in=[p.pk for p in postings]
    ).values_list("posting_id", "technologyfield_id")
    for posting_id, field_id in through:
        fields.setdefault(posting_id, set()).add(field_id)
    for posting in postings:
        yield profile_of(posting, frozenset(fields.get(posting.pk, ())))


def profile_of(posting: Posting, fields: frozenset[int] | None = None) -> Profile:
    if fields is None:
        fields = frozenset(posting.technology_fields.values_list("pk", flat=True))
    initiative = posting.initiative
    region_id = posting.region_id or (initiative.region_id if initiative else None)
    latitude = initiative.latitude if initiative else None
    longitude = initiative.longitude if initiative else None
    return _profile(posting, fields, latitude, longitude, region_id)


def for_posting(posting: Posting, limit: int = SHOWN, kinds: tuple[str, ...] | None = None):
    """The ranked suggestions for one posting, without its own initiative."""
    from clusterportal.matching import engine

    query = profile_of(posting)
    options = {"limit": limit + 1}
    if kinds:
        options["kinds"] = kinds
    found = engine.suggest(query, **options)
    own = posting.initiative_id
    found = [s for s in found if not (s.profile.kind == "initiative" and s.profile.key == own)]
    return found[:limit]
