"""Learned decisions: a logistic regression per field, shipped as data (docs/architecture.md).

Training (``extract-agreements train``, scikit-learn) writes ``pipeline/patterns/decisions/
<field>.json``: the feature names, their weights, the bias and the thresholds the resolve
step uses. Extraction only reads that file: a probability is a dot product, deterministic and
without scikit-learn."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DECISIONS = "decisions"
CALIBRATIONS = "confidence"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class LinearDecision:
    """``P(candidate is right) = sigmoid(bias + Σ weight × feature)``.

    ``accept`` is the probability from which a candidate is kept; ``complete`` the lower one
    from which the best remaining candidates complete a field that expects ``expected``
    values (an agreement has two parties: a second one at 0.3 beats none)."""

    field: str
    weights: Mapping[str, float]
    bias: float
    accept: float
    complete: float
    expected: int
    trained_on: Mapping[str, Any]

    def probability(self, features: Mapping[str, float]) -> float:
        return logistic(self.field, self.weights, self.bias, features)

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "field": self.field,
            "bias": self.bias,
            "weights": dict(sorted(self.weights.items())),
            "accept": self.accept,
            "complete": self.complete,
            "expected": self.expected,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinearDecision:
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"decision file format {data.get('format_version')!r}, expected {FORMAT_VERSION}")
        return cls(data["field"], dict(data["weights"]), float(data["bias"]), float(data["accept"]), float(data["complete"]), int(data["expected"]), data.get("trained_on", {}))


def logistic(field: str, weights: Mapping[str, float], bias: float, features: Mapping[str, float]) -> float:
    """``sigmoid(bias + Σ weight × feature)``; a feature without a weight means stale data."""
    unknown = features.keys() - weights.keys()
    if unknown:
        raise KeyError(f"{field}: features without a weight: {sorted(unknown)} (retrain: extract-agreements train)")
    score = bias + sum(weights[name] * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, score))))


@dataclass(frozen=True)
class Calibration:
    """``P(value is right) = sigmoid(bias + Σ weight × feature)`` over a value's confidence
    features: a logistic regression fitted on values chosen for sources the decisions had not
    seen (leave-one-source-out), so its probabilities are calibrated for an unseen publisher."""

    field: str
    weights: Mapping[str, float]
    bias: float
    trained_on: Mapping[str, Any]

    def probability(self, features: Mapping[str, float]) -> float:
        return logistic(self.field, self.weights, self.bias, features)

    def to_json(self) -> dict[str, Any]:
        return {"format_version": FORMAT_VERSION, "field": self.field, "bias": self.bias, "weights": dict(sorted(self.weights.items())), "trained_on": self.trained_on}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Calibration:
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"calibration file format {data.get('format_version')!r}, expected {FORMAT_VERSION}")
        return cls(data["field"], dict(data["weights"]), float(data["bias"]), data.get("trained_on", {}))


@cache
def load_calibration(field: str) -> Calibration | None:
    """The shipped calibration of ``field`` (read once per process); ``None`` before training made one."""
    path = resources.files("pipeline.patterns").joinpath(CALIBRATIONS, f"{field}.json")
    return Calibration.from_json(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else None


@cache
def load_decision(field: str) -> LinearDecision:
    """The shipped decision of ``field`` (read once per process)."""
    path = resources.files("pipeline.patterns").joinpath(DECISIONS, f"{field}.json")
    return LinearDecision.from_json(json.loads(path.read_text(encoding="utf-8")))


def best(probabilities: list[float], decision: LinearDecision) -> int | None:
    """For a field of one value: the index of the most probable candidate (the first of equals)
    if it reaches ``accept``."""
    if not probabilities:
        return None
    top = max(range(len(probabilities)), key=lambda i: (probabilities[i], -i))
    return top if probabilities[top] >= decision.accept else None


def select(probabilities: list[float], decision: LinearDecision) -> list[int]:
    """Indexes of the kept candidates: every one at ``accept`` or above, then the best of the
    rest at ``complete`` or above until ``expected`` are kept."""
    order = sorted(range(len(probabilities)), key=lambda i: -probabilities[i])
    kept = [i for i in order if probabilities[i] >= decision.accept]
    for i in order:
        if len(kept) >= decision.expected:
            break
        if i not in kept and probabilities[i] >= decision.complete:
            kept.append(i)
    return sorted(kept)
