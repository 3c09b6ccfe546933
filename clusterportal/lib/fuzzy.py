"""Edit-distance helpers for typo-tolerant search (no database, no Django)."""

from __future__ import annotations


def deletions(word: str) -> set[str]:
    """Every string made by deleting one letter of `word`."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def insertions(word: str, alphabet: str = "abcdefghijklmnopqrstuvwxyz0123456789") -> set[str]:
    """Every string made by inserting one letter of `alphabet` into `word` (folded words
    hold only these letters)."""
    return {word[:i] + letter + word[i:] for i in range(len(word) + 1) for letter in alphabet}


def within_one_edit(a: str, b: str) -> bool:
    """True if a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        # Two neighbouring letters swapped ("tecnhik" for "technik").
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1 :]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions), for spelling
    suggestions over a handful of candidates."""
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other))
            )
        previous = current
    return previous[-1]
