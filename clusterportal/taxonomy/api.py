"""API of the technology fields: the two-level tree with initiative counts."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Router, Schema

from clusterportal.lib.api import Error, NoParameters, checked_query
from clusterportal.registry.models import ClusterInitiative
from clusterportal.taxonomy.models import TechnologyField

router = Router(tags=["technology fields"])


class FieldParent(Schema):
    slug: str
    name: str
    name_en: str


class FieldRef(FieldParent):
    """A technology field as initiatives carry it: specific terms have a broad parent."""

    parent: FieldParent | None


class FieldLeaf(FieldParent):
    initiative_count: int


class FieldNode(FieldLeaf):
    children: list[FieldLeaf]

    @staticmethod
    def resolve_children(obj: TechnologyField) -> list[TechnologyField]:
        return obj.children_list


class FieldTree(Schema):
    count: int
    results: list[FieldNode]


@router.get(
    "/technology-fields",
    response={200: FieldTree, 304: None, 400: Error},
    url_name="technology_field_tree",
    summary="Technology fields as a tree",
)
def technology_field_tree(request: HttpRequest):
    """The broad fields (the list filter's choices) with the specific terms below them.

    `initiative_count` counts published initiatives: for a broad field those
    with the field itself or any term below it (the list's facet count), for a
    term those with the term.
    """
    checked_query(request, NoParameters)
    published = Q(initiatives__status=ClusterInitiative.Status.PUBLISHED)
    fields = list(
        TechnologyField.objects.annotate(
            initiative_count=Count("initiatives", filter=published, distinct=True)
        ).order_by("name", "pk")
    )
    rows = (
        ClusterInitiative.objects.published()
        .annotate(top=Coalesce("technology_fields__parent_id", "technology_fields__id"))
        .values("top")
        .annotate(n=Count("pk", distinct=True))
    )
    in_tree = {row["top"]: row["n"] for row in rows}
    tops = [f for f in fields if f.parent_id is None]
    for top in tops:
        top.initiative_count = in_tree.get(top.pk, 0)
        top.children_list = [f for f in fields if f.parent_id == top.pk]
    return {"count": len(tops), "results": tops}
