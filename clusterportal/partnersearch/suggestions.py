"""Postings as profiles of the matching app (clusterportal/matching): the source of
"posting" suggestions for every initiative and posting, and the suggestions a posting's page
and GET /partner-search/{id}/suggestions show. The score and its reasons are the matching
app's (docs/matching.md); this module only says what a posting is to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.translation import override

from clusterportal.matching.profiles import Profile
from clusterportal.partnersearch.models import Posting

KIND = "posting"
SHOWN = 8


def _german_path() -> Callable[[int], str]:
    """A posting's German address, whatever the request's language: the index is shared by
    both languages, and engine.page_url translates it. Reversed once, not per posting."""
    with override("de"):
        prefix = reverse("partnersearch:detail", args=[0]).removesuffix("0/")
    return lambda pk: f"{prefix}{pk}/"


def profiles() -> Iterable[Profile]:
    """Every public posting (the matching index reads this once per data version)."""
    public = Posting.objects.public()
    postings = list(
        public.select_related("initiative")
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
        posting__in=public.values("pk")
    ).values_list("posting_id", "technologyfield_id")
    for posting_id, field_id in through:
        fields.setdefault(posting_id, set()).add(field_id)
    path = _german_path()
    for posting in postings:
        yield profile_of(posting, frozenset(fields.get(posting.pk, ())), path)


def profile_of(
    posting: Posting,
    fields: frozenset[int] | None = None,
    path: Callable[[int], str] | None = None,
) -> Profile:
    if fields is None:
        fields = frozenset(posting.technology_fields.values_list("pk", flat=True))
    initiative = posting.initiative
    return Profile(
        kind=KIND,
        key=posting.pk,
        title=posting.title,
        url=(path or _german_path())(posting.pk),
        fields=fields,
        text=f"{posting.title} {posting.description}",
        region_id=posting.region_id or (initiative.region_id if initiative else None),
        latitude=initiative.latitude if initiative else None,
        longitude=initiative.longitude if initiative else None,
    )


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
