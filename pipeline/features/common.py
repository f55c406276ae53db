"""Measures every field's features share: where a candidate's mentions sit in the layout, and
how often it is named."""

from __future__ import annotations

import math
from collections.abc import Iterable

from spacy.tokens import Span

from pipeline.layout import in_layout

_MENTIONS_SATURATE = 3.0  # log(1 + mentions) / 3: about 20 mentions give 1


def any_in(spans: Iterable[Span], group: str) -> float:
    """1 when a mention starts inside a span of the layout group ``group``."""
    return float(any(in_layout(s, group) for s in spans))


def all_in(spans: Iterable[Span], group: str) -> float:
    """1 when every mention starts inside a span of the layout group ``group``."""
    return float(all(in_layout(s, group) for s in spans))


def saturating(count: int) -> float:
    """A number of mentions on a log scale that reaches 1 at about 20."""
    return min(1.0, math.log1p(count) / _MENTIONS_SATURATE)
