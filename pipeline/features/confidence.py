"""Features of an emitted value for its confidence (docs/architecture.md, "Confidence").

One table for every field: what the learned decision thought of the value (decided fields),
where its mentions sit, how often it is named, what the value says of itself. Each field's
calibrated model (``pipeline/patterns/confidence/<field>.json``) weighs them; a feature that
means nothing for a field is constant there and learns no weight."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pipeline.features.common import saturating

_LOGIT_SCALE = 10.0  # a decision's log-odds of ±10 (p ≈ 0.99995) give ±1
_MANY_VALUES = 10.0
_LONG_VALUE_WORDS = 8.0


@dataclass(frozen=True)
class ValueEvidence:
    """What the confidence features of one value read. ``probability`` is its learned
    decision's (``None``: a field decided by rules), ``runner_up`` the best probability the
    decision did not keep; ``rank`` and ``count`` its place among its field's values;
    ``decided`` the features the decision weighed for it (empty for a value no decision kept)."""

    french: bool
    in_headline: bool
    in_lead: bool
    in_quote: bool
    in_boilerplate: bool
    from_metadata: bool
    mentions: int
    words: int
    flags: frozenset[str]
    probability: float | None = None
    runner_up: float = 0.0
    rank: int = 0
    count: int = 1
    decided: Mapping[str, float] = field(default_factory=dict)


def decision_logit(e: ValueEvidence) -> float:
    """The learned decision's log-odds for the value, scaled to [-1, 1] (0 for a rule field)."""
    if e.probability is None:
        return 0.0
    p = min(1 - 1e-9, max(1e-9, e.probability))
    return max(-1.0, min(1.0, math.log(p / (1 - p)) / _LOGIT_SCALE))


def decision_margin(e: ValueEvidence) -> float:
    """How far the value's probability is above the best one not kept: a close call is less sure."""
    return 0.0 if e.probability is None else max(-1.0, min(1.0, e.probability - e.runner_up))


def first_of_field(e: ValueEvidence) -> float:
    """The first value of its field (the first party, the first person named)."""
    return float(e.rank == 0)


def many_values(e: ValueEvidence) -> float:
    """How many values its field has: a long list is where the extra ones are wrong."""
    return min(1.0, e.count / _MANY_VALUES)


def sole_value(e: ValueEvidence) -> float:
    """The only value of a field that expects several (one party: the other one was missed, or this one is not one)."""
    return float(e.count == 1)


def french(e: ValueEvidence) -> float:
    """A French document (the French pipeline and rules are weaker)."""
    return float(e.french)


def in_headline(e: ValueEvidence) -> float:
    """Named in the headline."""
    return float(e.in_headline)


def in_lead(e: ValueEvidence) -> float:
    """Named in the lead."""
    return float(e.in_lead)


def in_quote(e: ValueEvidence) -> float:
    """Named inside a quotation."""
    return float(e.in_quote)


def in_boilerplate(e: ValueEvidence) -> float:
    """Named in the closing boilerplate ("About X")."""
    return float(e.in_boilerplate)


def from_metadata(e: ValueEvidence) -> float:
    """Read from the front matter or metadata, not the prose."""
    return float(e.from_metadata)


def mentions(e: ValueEvidence) -> float:
    """How often the value is named, on a log scale."""
    return saturating(e.mentions)


def long_value(e: ValueEvidence) -> float:
    """Its words, up to eight: long names and phrases are cut or glued more often."""
    return min(1.0, e.words / _LONG_VALUE_WORDS)


def one_word(e: ValueEvidence) -> float:
    """A single word."""
    return float(e.words == 1)


def _flag(name: str, docstring: str) -> Callable[[ValueEvidence], float]:
    def feature(e: ValueEvidence) -> float:
        return float(name in e.flags)

    feature.__name__, feature.__doc__ = name, docstring
    return feature


def _decided(name: str, docstring: str) -> Callable[[ValueEvidence], float]:
    def feature(e: ValueEvidence) -> float:
        return e.decided.get(name, 0.0)

    feature.__name__, feature.__doc__ = f"decided_{name}", docstring
    return feature


DECIDED = {
    "ner_place": "The decision's candidate is a country, city or region to the NER model: a party only when a government signs.",
    "ner_other": "The decision's candidate is neither an organisation nor a place to the NER model (a nationality, a product, nothing).",
}
"""The features of a kept candidate its calibration reads again, by the decision's feature name:
what the decision outweighed may still say how often such values are wrong (``decided_<name>``)."""

FLAGS = {
    "other_kind": "An agreement of kind 'other': no named kind matched.",
    "relative_date": "A date said relative to the news ('yesterday').",
    "day_precision": "A date that names a day.",
    "year_precision": "A date that names a year only.",
    "has_acronym": "An organisation with an acronym the text defines.",
    "has_title": "A person with a title.",
    "has_affiliation": "A person with an affiliation.",
    "role_signatory": "A person who signed.",
    "role_quoted": "A person quoted.",
    "role_contact": "A contact person.",
    "rule_agrees": "A value the learned decision kept that the hand-written rule named too.",
    "lowercase_start": "A name that starts in lower case ('government'): a common noun, not a name.",
    "function_word_end": "A name that ends with a function word ('University of Otago and'): cut in the wrong place.",
    "name_continues": "A mention the text goes on naming: a capitalised word, or a preposition, comma or bracket and one, right after it, or a capitalised word right before it ('[Aga Khan University Hospital], Nairobi'): the name may be cut short.",
}
"""What a value says of itself, by flag name (``pipeline.confidence`` sets them)."""

CONFIDENCE_FEATURES: dict[str, Callable[[ValueEvidence], float]] = {
    f.__name__: f
    for f in (
        decision_logit, decision_margin, first_of_field, many_values, sole_value, french, in_headline, in_lead, in_quote, in_boilerplate,
        from_metadata, mentions, long_value, one_word, *(_decided(name, doc) for name, doc in DECIDED.items()),
        *(_flag(name, doc) for name, doc in FLAGS.items()),
    )
}


def confidence_features(evidence: ValueEvidence) -> dict[str, float]:
    """Every confidence feature of one value, by name."""
    return {name: feature(evidence) for name, feature in CONFIDENCE_FEATURES.items()}
