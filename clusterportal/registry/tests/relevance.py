"""Relevance of the initiative search, measured on a hand-made set of queries over the shipped
data (relevance_queries.csv): mean reciprocal rank and the share of queries with an expected
entry in the top three, per kind of query.

The ranking is the list page's and the API's (`InitiativeFilter.ordered_ids`). Used by
test_relevance.py and by bench/search_relevance.py, on a database with the shipped data loaded.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

QUERIES = Path(__file__).with_name("relevance_queries.csv")
# Per query: how many entries it finds and the first three, as both databases must give them
# (written by `bench/search_relevance.py --write-rankings` after a deliberate change of ranking).
RANKINGS = Path(__file__).with_name("relevance_rankings.json")
TOP = 3


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    expected: frozenset[str]  # empty: the right answer is no result


@dataclass(frozen=True)
class Outcome:
    query: Query
    ranked: tuple[str, ...]  # slugs, best first

    @property
    def reciprocal_rank(self) -> float:
        """1/rank of the first expected entry; for a query that should find nothing,
        1 when it finds nothing."""
        if not self.query.expected:
            return 0.0 if self.ranked else 1.0
        for rank, slug in enumerate(self.ranked, start=1):
            if slug in self.query.expected:
                return 1.0 / rank
        return 0.0

    @property
    def hit(self) -> bool:
        """An expected entry in the top three (or, for no expected entry, no result)."""
        return self.reciprocal_rank >= 1.0 / TOP


def load_queries(path: Path = QUERIES) -> list[Query]:
    with path.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return [
            Query(row["kind"], row["query"], frozenset(row["expected"].split())) for row in rows
        ]


def ranked_slugs(query: str) -> tuple[str, ...]:
    """The slugs of every published initiative the search returns, in the order the list
    page and the API show them."""
    from clusterportal.registry.filters import InitiativeFilter

    filters = InitiativeFilter({"q": query})
    if not filters.is_valid():
        raise ValueError(f"{query!r}: {filters.errors.as_json()}")
    slug_of = {pk: slug for slug, pk in filters.index.slugs.items()}
    return tuple(slug_of[pk] for pk in filters.ordered_ids())


def run(queries: Iterable[Query]) -> list[Outcome]:
    from clusterportal.registry.filters import registry_index

    known = set(registry_index().slugs)
    outcomes = []
    for query in queries:
        unknown = query.expected - known
        if unknown:
            raise ValueError(f"{query.text!r} expects entries not in the data: {sorted(unknown)}")
        outcomes.append(Outcome(query, ranked_slugs(query.text)))
    return outcomes


def rankings(outcomes: list[Outcome]) -> dict[str, list]:
    """Query -> [number found, first three slugs]: what must be the same on every database."""
    return {o.query.text: [len(o.ranked), list(o.ranked[:TOP])] for o in outcomes}


def write_rankings(outcomes: list[Outcome], path: Path = RANKINGS) -> None:
    text = json.dumps(rankings(outcomes), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Figures:
    queries: int
    mrr: float
    top3: float  # share of hits


def figures(outcomes: list[Outcome]) -> Figures:
    count = len(outcomes)
    return Figures(
        count,
        sum(o.reciprocal_rank for o in outcomes) / count,
        sum(o.hit for o in outcomes) / count,
    )


def by_kind(outcomes: list[Outcome]) -> dict[str, Figures]:
    """Figures per kind of query, in the order of the set, then 'all'."""
    kinds = dict.fromkeys(o.query.kind for o in outcomes)
    table = {kind: figures([o for o in outcomes if o.query.kind == kind]) for kind in kinds}
    table["all"] = figures(outcomes)
    return table


def report(outcomes: list[Outcome], misses: bool = True) -> str:
    lines = [f"{'kind':<14}{'queries':>8}{'MRR':>8}{'top 3':>8}"]
    for kind, f in by_kind(outcomes).items():
        lines.append(f"{kind:<14}{f.queries:>8}{f.mrr:>8.3f}{f.top3:>7.0%}")
    if misses:
        lines.append("")
        lines.append("queries without an expected entry in the top three:")
        for o in outcomes:
            if not o.hit:
                shown = ", ".join(o.ranked[:TOP]) or "(nothing)"
                lines.append(
                    f"  [{o.query.kind}] {o.query.text!r}: {shown} ({len(o.ranked)} found)"
                )
    return "\n".join(lines)
