"""What the initiative map draws: one marker per initiative that has a location.

Most positions are approximate (the centre of the seat's Kreis), so several
initiatives often share one point. Each marker carries its place in that
group (`spot`: index and size, in name order); map.js spreads a group in a
small spiral of fixed pixel spacing around the point, so every marker stays
clickable at every zoom and the same data always gives the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from clusterportal.lib.text import collation_key
from clusterportal.registry.models import ClusterInitiative

# Columns a map row needs; the long texts and the outlines stay in the database.
MAP_COLUMNS = [
    "slug", "name", "short_name", "kind", "city", "latitude", "longitude",
    "location_is_approximate", "is_active", "region__name", "region__name_en", "region__kind",
    "region__slug", "seat_kreis__name", "seat_kreis__name_en", "seat_kreis__designation",
    "seat_kreis__slug",
]  # fmt: skip


@dataclass
class InitiativeMap:
    """The placed initiatives (as JSON-ready markers) and those without a location."""

    initiatives: list[ClusterInitiative]
    markers: list[dict]
    unplaced: list[ClusterInitiative]

    @classmethod
    def of(cls, queryset: QuerySet, name_keys: dict[int, tuple] | None = None) -> InitiativeMap:
        """One query: the initiatives of a filtered queryset, by name (sorted here: the
        database's order puts umlauts after z). `name_keys`: the registry index's sort keys
        by pk, computed once per data version instead of once per request."""
        keys = name_keys or {}
        initiatives = sorted(
            queryset.select_related("region", "seat_kreis").only(*MAP_COLUMNS).order_by("pk"),
            key=lambda i: keys.get(i.pk) or (*collation_key(i.name), i.pk),
        )
        placed = [i for i in initiatives if i.latitude is not None and i.longitude is not None]
        groups: dict[tuple[float, float], list[ClusterInitiative]] = {}
        for initiative in placed:
            groups.setdefault((initiative.latitude, initiative.longitude), []).append(initiative)
        markers = [
            {
                "name": i.display_name,
                "url": i.get_absolute_url(),
                "kind": i.kind,
                "kindLabel": str(i.get_kind_display()),
                "city": i.city,
                "active": i.is_active,
                "approximate": i.location_is_approximate,
                "lat": i.latitude,
                "lon": i.longitude,
                "spot": [index, len(group)],
            }
            for group in groups.values()
            for index, i in enumerate(group)
        ]
        unplaced = [i for i in initiatives if i.latitude is None or i.longitude is None]
        return cls(initiatives, markers, unplaced)
