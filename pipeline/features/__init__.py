"""Features of candidates, named in one place (docs/architecture.md, "Candidates and features"):
one module per decided field, each a table of small functions of that field's evidence giving a
number in [0, 1]; a function's name is the key of its weight in
``pipeline/patterns/decisions/<field>.json``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pipeline.features.parties import PARTY_FEATURES
from pipeline.features.signing_date import DATE_FEATURES
from pipeline.features.signing_place import PLACE_FEATURES

FEATURES: Mapping[str, Mapping[str, Callable[[Any], float]]] = {
    "parties": PARTY_FEATURES,
    "signing_date": DATE_FEATURES,
    "signing_place": PLACE_FEATURES,
}
"""Each decided field's features, by name."""
