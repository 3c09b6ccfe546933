"""Regions with the most similar portfolio: cosine similarity of location-quotient vectors.

Each region is the vector of its location quotients over all clusters of one year (a cluster
without employment counts 0). The similarity of regions a and b is

    cos(a, b) = sum_c LQ_a,c * LQ_b,c / (|LQ_a| * |LQ_b|)

1 for the same specialisation profile whatever the region's size, 0 for no cluster in common.
LQs rather than employment shares, so that large divisions (retail, construction) do not
dominate; the cosine rather than a distance, so that the level of all LQs does not matter.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def most_similar(
    vectors: Mapping[int, Mapping[int, float]], region: int, top: int = 10
) -> list[tuple[int, float]]:
    """The `top` regions most similar to `region`, best first (ties by region key).

    `vectors` maps a region key to {cluster key: LQ}. Regions whose vector is all zero have
    no profile and are left out, as is `region` itself.
    """
    if region not in vectors:
        return []
    clusters = sorted({c for vector in vectors.values() for c in vector})
    index = {c: i for i, c in enumerate(clusters)}
    keys = sorted(vectors)
    matrix = np.zeros((len(keys), len(clusters)))
    for row, key in enumerate(keys):
        for cluster, lq in vectors[key].items():
            matrix[row, index[cluster]] = lq
    norms = np.linalg.norm(matrix, axis=1)
    own = keys.index(region)
    if norms[own] == 0:
        return []
    scores = matrix @ matrix[own] / np.where(norms == 0, 1, norms) / norms[own]
    ranked = sorted(
        (i for i in range(len(keys)) if i != own and norms[i] > 0),
        key=lambda i: (-scores[i], keys[i]),
    )
    return [(keys[i], float(scores[i])) for i in ranked[:top]]
