"""The cross-clustering panel of an initiative's profile (registry/detail.html includes it
with `{% load matching_panel %}{% cross_clustering initiative %}`), so that the registry
imports nothing of matching."""

from __future__ import annotations

from django import template

from clusterportal.matching import engine
from clusterportal.matching.index import current_index

register = template.Library()

PANEL_SIZE = 5


@register.inclusion_tag("matching/_cross_clustering.html")
def cross_clustering(initiative) -> dict:
    """The initiatives most related to this one that share no specific field with it."""
    index = current_index()  # one query: the data version
    profile = engine.profile_in(index, "initiative", initiative.pk)
    suggestions = []
    if profile is not None:
        suggestions = engine.suggest_in(
            index, profile, kinds=("initiative",), limit=PANEL_SIZE, exclude_same_fields=True
        )
    return {
        "suggestions": [(s, engine.page_url(s.profile)) for s in suggestions],
        "slug": initiative.slug,
    }
