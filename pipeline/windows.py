"""Token windows around anchors, where a rule component runs its matcher (docs/architecture.md, parse).

spaCy's Matcher tests a pattern's first token at every token of the Doc, and a predicate that is
not a plain attribute value (``IN``, ``REGEX``, a custom attribute) is a Python call each time:
over a whole announcement that costs as much as a model component. When every match must
contain an anchor token that a cheap test finds (an agreement head, a number or a month name),
the matcher runs only in the windows around the anchors, as wide as the patterns reach, and
finds the same matches.
"""

from __future__ import annotations


def pattern_reach(patterns: list[tuple[int, list[dict]]]) -> tuple[int, int]:
    """How many tokens a match can span before and after its anchor, for patterns given with
    their anchor's index (patterns repeat no token: "?" at most)."""
    if any(token.get("OP", "?") != "?" for _, pattern in patterns for token in pattern):
        raise ValueError("a windowed pattern repeats a token: its reach around the anchor has no bound")
    return max(anchor for anchor, _ in patterns), max(len(pattern) - anchor - 1 for anchor, pattern in patterns)


def any_anchor_reach(patterns: list[list[dict]]) -> tuple[int, int]:
    """The reach of patterns whose anchor may be any of a match's tokens: the longest match less one, on either side."""
    _, after = pattern_reach([(0, pattern) for pattern in patterns])
    return after, after


def head_windows(heads: list[int], reach: tuple[int, int], length: int) -> list[tuple[int, int]]:
    """The token ranges a match around one of ``heads`` (anchors, in order) can cover,
    overlapping ones merged (so no match is found twice)."""
    windows: list[tuple[int, int]] = []
    for head in heads:
        start, end = max(0, head - reach[0]), min(length, head + reach[1] + 1)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows
