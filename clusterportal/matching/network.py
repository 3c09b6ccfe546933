"""The initiatives as a network linked by shared and related fields, drawn as SVG.

A link joins two published, active initiatives that
- share a specific technology field ("field"), or else
- share a broad field only ("broad"), or else
- have broad fields related through the atlas's clusters at RELATED_LINK or more
  ("related"; relatedness.py: the same cluster, or phi >= 0.2);
every shared field is a link, of the other two kinds each initiative keeps its MAX_OTHER
strongest (by the engine's score).
Its reasons are the engine's for the pair (engine.py), seen from the initiative first in
the index. Kept in the index's memo, so once per process and data version.

The drawing puts the initiatives on a circle, ordered by their first broad field and name,
so that links within a field are short chords and links across fields cross the circle.
The page shows the same links as a table (the text alternative).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from clusterportal.lib import svg
from clusterportal.lib.text import collation_key
from clusterportal.matching import engine
from clusterportal.matching.index import Index
from clusterportal.matching.profiles import Profile

RELATED_LINK = 0.5
# Per initiative, links other than shared fields: its strongest few (a readable picture).
MAX_OTHER = 2
FEW = 30
KINDS = ("field", "broad", "related")
COLOURS = {"field": svg.PALETTE[0], "broad": svg.PALETTE[2], "related": svg.PALETTE[1]}
DASHES = {"field": "", "broad": "6 3", "related": "2 3"}


@dataclass(frozen=True)
class Node:
    profile: Profile
    tops: frozenset[int]
    place_region: int | None


@dataclass(frozen=True)
class Link:
    a: Node
    b: Node
    kind: str  # "field" | "broad" | "related"
    score: float
    reasons: tuple[str, ...]


def _nodes(index: Index) -> list[Node]:
    nodes = []
    for profile in index.profiles:
        if profile.kind != "initiative":
            continue
        tops = frozenset(index.top_of[f] for f in profile.fields if f in index.top_of)
        nodes.append(Node(profile, tops, index.place_of(profile).region))
    return nodes


def _links(index: Index, nodes: list[Node]) -> list[Link]:
    """Every link, with its reasons in the active language: each shared field, and each
    initiative's MAX_OTHER strongest links through a broad field or related fields."""
    position = {node.profile.key: index.position[node.profile.ident] for node in nodes}
    by_position = {index.position[node.profile.ident]: node for node in nodes}
    chosen: dict[frozenset[int], tuple[Node, Node, str, float]] = {}
    for node in nodes:
        q = engine._query(index, node.profile)
        parts, _exact = engine._parts(index, q)
        score = engine.weighted(parts)
        others = []
        for other_position, other in by_position.items():
            if other is node:
                continue
            if node.profile.fields & other.profile.fields:
                kind = "field"
            elif node.tops & other.tops:
                kind = "broad"
            elif _related(index, node.tops, other.tops) >= RELATED_LINK:
                kind = "related"
            else:
                continue
            others.append((kind, float(score[other_position]), other))
        fields = [o for o in others if o[0] == "field"]
        rest = sorted(
            (o for o in others if o[0] != "field"), key=lambda o: (-o[1], o[2].profile.key)
        )
        for kind, value, other in fields + rest[:MAX_OTHER]:
            pair = frozenset((node.profile.key, other.profile.key))
            if pair not in chosen:
                a, b = sorted((node, other), key=lambda n: position[n.profile.key])
                chosen[pair] = (a, b, kind, value)
    links = []
    for a, b, kind, _value in chosen.values():
        suggestion = engine.suggest_in(
            index, a.profile, kinds=("initiative",), limit=1, only=b.profile
        )
        links.append(Link(a, b, kind, suggestion[0].score, tuple(suggestion[0].reasons)))
    return links


def _related(index: Index, mine: frozenset[int], theirs: frozenset[int]) -> float:
    values = [index.links[(a, b)].value for a in mine for b in theirs if (a, b) in index.links]
    return max(values, default=0.0)


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    links: list[Link]
    short_names: dict[int, str]

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for link in self.links if link.kind == kind) for kind in KINDS}


def network(
    index: Index, region: int | None = None, field: int | None = None, language: str = "de"
) -> Network:
    """The network of the index's data version: every initiative, or those of a Region
    and/or a broad field together with the initiatives linked to them."""
    from clusterportal.registry.models import ClusterInitiative

    key = ("network", language)
    if key not in index.memo:
        nodes = _nodes(index)
        short_names = dict(
            ClusterInitiative.objects.filter(pk__in=[n.profile.key for n in nodes])
            .exclude(short_name="")
            .values_list("pk", "short_name")
        )
        index.memo[key] = Network(nodes, _links(index, nodes), short_names)
    whole: Network = index.memo[key]
    chosen = {
        n.profile.key
        for n in whole.nodes
        if (region is None or n.place_region == region) and (field is None or field in n.tops)
    }
    # A selection shows its initiatives and those linked to them, wherever they are: a
    # Region's few initiatives rarely link among themselves, and the links out are the point.
    links = [
        link for link in whole.links if link.a.profile.key in chosen or link.b.profile.key in chosen
    ]
    shown = set(chosen)
    for link in links:
        shown.update((link.a.profile.key, link.b.profile.key))
    nodes = [n for n in whole.nodes if n.profile.key in shown]
    links.sort(
        key=lambda link: (
            KINDS.index(link.kind),
            -link.score,
            link.a.profile.key,
            link.b.profile.key,
        )
    )
    return Network(nodes, links, whole.short_names)


def _order(index: Index, nodes: list[Node]) -> list[Node]:
    def first_top(node: Node) -> tuple:
        names = sorted(collation_key(index.field_names[t][0]) for t in node.tops)
        return (names[0] if names else ("~", "~"), collation_key(node.profile.title))

    return sorted(nodes, key=first_top)


def draw(index: Index, net: Network, title: str, desc: str) -> SafeString:
    """The network as an SVG image: nodes on a circle, links as chords. An image (role img)
    holds no links: the table below it is the text alternative and links every initiative."""
    # Few initiatives (a Region, a field): larger writing, readable on a phone too.
    few = len(net.nodes) <= FEW
    size, radius, font = 900, 230 if few else 255, 18 if few else 11
    centre = size / 2
    nodes = _order(index, net.nodes)
    angle = {
        n.profile.key: 2 * math.pi * i / max(len(nodes), 1) - math.pi / 2
        for i, n in enumerate(nodes)
    }

    def point(key: int, r: float = radius) -> tuple[float, float]:
        return centre + r * math.cos(angle[key]), centre + r * math.sin(angle[key])

    body = []
    for link in sorted(net.links, key=lambda link: -KINDS.index(link.kind)):
        (x1, y1), (x2, y2) = point(link.a.profile.key), point(link.b.profile.key)
        dash = f' stroke-dasharray="{DASHES[link.kind]}"' if DASHES[link.kind] else ""
        body.append(
            f'<path d="M{x1:.1f},{y1:.1f} Q{centre:.1f},{centre:.1f} {x2:.1f},{y2:.1f}" fill="none" '
            f'stroke="{COLOURS[link.kind]}" stroke-width="{0.6 + 2 * link.score:.2f}" '
            f'stroke-opacity="0.6"{dash}/>'
        )
    for node in nodes:
        key = node.profile.key
        x, y = point(key)
        lx, ly = point(key, radius + 12)
        degrees = math.degrees(angle[key])
        left = 90 < degrees % 360 < 270
        rotate = degrees + 180 if left else degrees
        anchor = "end" if left else "start"
        label = escape(svg._cut(net.short_names.get(key, node.profile.title), 20 if few else 26))
        body.append(
            f'<g><circle cx="{x:.1f}" cy="{y:.1f}" r="5" '
            f'fill="{svg.INK}"><title>{escape(node.profile.title)}</title></circle>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="{font}" fill="{svg.INK}" text-anchor="{anchor}" '
            f'dominant-baseline="middle" transform="rotate({rotate:.1f} {lx:.1f} {ly:.1f})">{label}</text></g>'
        )
    if not nodes:
        empty = escape(_("Keine Initiativen für diese Auswahl."))
        body.append(
            f'<text x="{centre}" y="{centre}" text-anchor="middle" fill="{svg.MUTED}">{empty}</text>'
        )
    return mark_safe(  # noqa: S308 - every text is escaped above
        str(svg._svg(size, size, title, desc, body, "network")).replace(
            'class="chart"', 'class="chart network"', 1
        )
    )
