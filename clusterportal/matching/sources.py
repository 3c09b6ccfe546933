"""Where profiles come from: each kind registers a loader.

The matching app registers "initiative" (published, active registry initiatives) and
"organisation" (registry organisations, with the fields of the initiatives they are
members of or run); the partnersearch app registers "posting" from its AppConfig.ready().
A loader is called when the index is (re)built, i.e. once per process and data version
"matching"; the tables it reads must be watched by that version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.translation import override

from clusterportal.matching.profiles import Profile

Loader = Callable[[], Iterable[Profile]]
KINDS = ("initiative", "posting", "organisation")
_loaders: dict[str, Loader] = {}


def register(kind: str, load: Loader) -> None:
    """Let `load` give the profiles of `kind` (a second registration replaces the first)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of profile {kind!r}; known: {', '.join(KINDS)}.")
    _loaders[kind] = load


def loaders() -> dict[str, Loader]:
    return dict(_loaders)


def initiative_profiles() -> Iterable[Profile]:
    """Published, active initiatives: their fields, name and texts (both languages), seat."""
    from clusterportal.registry.models import ClusterInitiative

    initiatives = ClusterInitiative.objects.published().filter(is_active=True)
    fields: dict[int, set[int]] = {}
    through = ClusterInitiative.technology_fields.through.objects.filter(
        clusterinitiative__in=initiatives
    )
    for initiative_id, field_id in through.values_list(
        "clusterinitiative_id", "technologyfield_id"
    ):
        fields.setdefault(initiative_id, set()).add(field_id)
    rows = initiatives.order_by("pk").values_list(
        "pk", "slug", "name", "short_name", "description", "description_en", "goals",
        "goals_en", "services", "services_en", "seat_kreis_id", "region_id", "latitude",
        "longitude",
    )  # fmt: skip
    with override("de"):  # the German address; the engine translates it (engine.page_url)
        profile_path = reverse("registry:detail", kwargs={"slug": "-slug-"})
    for pk, slug, name, short, *texts, kreis, region, lat, lon in rows:
        title = f"{name} ({short})" if short and short not in name else name
        yield Profile(
            kind="initiative",
            key=pk,
            title=title,
            url=profile_path.replace("-slug-", slug),
            fields=frozenset(fields.get(pk, ())),
            text=" ".join([name, short, *texts]),
            region_id=kreis or region,
            latitude=lat,
            longitude=lon,
        )


def organisation_profiles() -> Iterable[Profile]:
    """Every registry organisation; its fields are those of the published initiatives it is
    a current member of or whose management it is (no public page: url "")."""
    from clusterportal.registry.models import ClusterInitiative, Membership, Organisation

    published = ClusterInitiative.objects.published()
    through = ClusterInitiative.technology_fields.through.objects.filter(
        clusterinitiative__in=published
    )
    by_initiative: dict[int, set[int]] = {}
    for initiative_id, field_id in through.values_list(
        "clusterinitiative_id", "technologyfield_id"
    ):
        by_initiative.setdefault(initiative_id, set()).add(field_id)
    fields: dict[int, set[int]] = {}
    memberships = Membership.objects.filter(until_year__isnull=True, initiative__in=published)
    for organisation_id, initiative_id in memberships.values_list(
        "organisation_id", "initiative_id"
    ):
        fields.setdefault(organisation_id, set()).update(by_initiative.get(initiative_id, ()))
    managed = published.filter(management_organisation__isnull=False)
    for initiative_id, organisation_id in managed.values_list("pk", "management_organisation_id"):
        fields.setdefault(organisation_id, set()).update(by_initiative.get(initiative_id, ()))
    rows = Organisation.objects.order_by("pk").values_list(
        "pk", "name", "region_id", "latitude", "longitude"
    )
    for pk, name, region, lat, lon in rows.iterator(chunk_size=5000):
        yield Profile(
            kind="organisation",
            key=pk,
            title=name,
            url="",
            fields=frozenset(fields.get(pk, ())),
            text=name,
            region_id=region,
            latitude=lat,
            longitude=lon,
        )
