"""Organisations for the site search: the members of published initiatives, found by
name in memory (one index per registry data version and process).

There are many (150,000 at European scale) and a common word matches tens of thousands
("technik": 48,000 synthetic names). A database query that finds and orders them took
0.2–0.5 s per search; here the matches are a set operation, and only the RANKED matches
with the shortest names (those closest to the query) are ranked by `search.rank`; the rest
follow by name length. Names are lean columns, not Documents: about 40 bytes a name.
"""

from __future__ import annotations

import heapq

from clusterportal.registry import search
from clusterportal.registry.models import ClusterInitiative, Membership, Organisation
from clusterportal.sitesearch.index import TextIndex

RANKED = 500


def members_of_published():
    """Organisations in a published initiative's member list. Written as IN over IN: a
    correlated EXISTS per organisation took twice as long (SQLite 2.2 s against 1.0 s,
    PostgreSQL 1.9 s against 1.3 s, for 150,000 organisations and 500,000 memberships)."""
    published = ClusterInitiative.objects.published().values("pk")
    members = Membership.objects.filter(initiative__in=published).values("organisation_id")
    return Organisation.objects.filter(pk__in=members)


class OrganisationIndex(TextIndex):
    def __init__(self) -> None:
        rows = (
            members_of_published().order_by("pk").values_list("pk", "name", "city", "search_name")
        )
        self.pks: list[int] = []
        self.names: list[str] = []
        self.cities: list[str] = []
        folded: list[str] = []
        for pk, name, city, search_name in rows:
            self.pks.append(pk)
            self.names.append(name)
            self.cities.append(city)
            folded.append(search_name)
        self._folded = folded
        # Each position's place in the order by name length (then pk): a C-level sort key.
        by_length = sorted(range(len(folded)), key=lambda i: (len(folded[i]), i))
        self._length_rank = [0] * len(folded)
        for place, position in enumerate(by_length):
            self._length_rank[position] = place
        super().__init__(folded)

    def search(self, parsed: list[search.QueryWord]) -> tuple[list[tuple[tuple, int]], list[int]]:
        """([(rank, position)] of the RANKED closest matches, [the other positions by
        name length])."""
        matched = self.matching(parsed)
        key = self._length_rank.__getitem__
        closest = heapq.nsmallest(RANKED, matched, key=key)
        ranked = [
            (search.rank(parsed, self._folded[i], "", (self._folded[i], "", "")), i)
            for i in closest
        ]
        return ranked, sorted(matched.difference(closest), key=key)
