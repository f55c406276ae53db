"""Learned decisions: the shipped file, the dot product, the selection, and training."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from checks import extract_valid
from pipeline import Extractor
from pipeline.decisions import LinearDecision, best, load_decision, select
from pipeline.features import FEATURES, PARTY_FEATURES
from pipeline.stages.contract import Candidate
from pipeline.stages.dates import DateMention
from pipeline.stages.parties import PartyCandidate
from pipeline.features.confidence import CONFIDENCE_FEATURES
from pipeline.training import DECIDED_FIELDS, AnalysedDocument, LabelledDocument, ValueRow, fit, fit_calibration, labelled_documents, rule_alone


def _decision(accept: float = 0.5, complete: float = 0.2, expected: int = 2) -> LinearDecision:
    return LinearDecision("parties", {"a": 2.0, "b": -1.0}, -0.5, accept, complete, expected, {})


def test_probability_is_the_sigmoid_of_the_weighted_sum() -> None:
    assert _decision().probability({"a": 1.0, "b": 0.0}) == pytest.approx(1 / (1 + math.exp(-1.5)), rel=1e-6)
    assert _decision().probability({}) == pytest.approx(1 / (1 + math.exp(0.5)), rel=1e-6)


def test_a_feature_without_a_weight_is_refused() -> None:
    with pytest.raises(KeyError, match="retrain"):
        _decision().probability({"c": 1.0})


@pytest.mark.parametrize(
    ("probabilities", "kept"),
    [
        ([0.9, 0.8, 0.7], [0, 1, 2]),  # everything above accept
        ([0.9, 0.3, 0.1], [0, 1]),  # the second completes the expected two
        ([0.1, 0.15, 0.05], []),  # nothing reaches complete
        ([0.3, 0.25, 0.21], [0, 1]),  # completion stops at the expected number
    ],
)
def test_select_keeps_the_accepted_then_completes(probabilities: list[float], kept: list[int]) -> None:
    assert select(probabilities, _decision()) == kept


@pytest.mark.parametrize(
    ("probabilities", "chosen"),
    [([0.2, 0.9, 0.7], 1), ([0.2, 0.4], None), ([0.6, 0.6], 0), ([], None)],
)
def test_best_takes_the_most_probable_if_accepted(probabilities: list[float], chosen: int | None) -> None:
    assert best(probabilities, _decision(accept=0.5, expected=1)) == chosen


def test_decision_file_round_trips() -> None:
    decision = _decision()
    assert LinearDecision.from_json(decision.to_json()) == decision


@pytest.mark.parametrize("field", sorted(FEATURES))
def test_the_shipped_decision_weighs_every_feature(field: str) -> None:
    """A feature added without retraining (`extract-agreements train`) fails here, not in a run."""
    assert set(load_decision(field).weights) == set(FEATURES[field])
    assert {f.name for f in DECIDED_FIELDS} == set(FEATURES)


def test_parties_without_a_signing_verb(extractor: Extractor) -> None:
    """No rule names a signatory ("reached an agreement"), yet the candidates' evidence does."""
    record = extract_valid(extractor, "Acme Corp and Beta Group reached an agreement on solar power research.")
    assert [p.name for p in record.parties] == ["Acme Corp", "Beta Group"]


def test_no_agreement_no_parties(extractor: Extractor) -> None:
    record = extract_valid(extractor, "Pennine University today opened its new Centre for Sustainable Materials with Northern Research Council.")
    assert record.parties == [] and record.agreement_type is None


def _analysed(source: str, parties: list[tuple[dict[str, float], bool]], dates: list[tuple[dict[str, float], bool]]) -> AnalysedDocument:
    """A document whose party and date candidates have the given features and labels."""
    party_candidates = [PartyCandidate(f"k{i}", f"Org {i}", None, [(0, 1)], {n: f.get(n, 0.0) for n in PARTY_FEATURES}, 0.0) for i, (f, _) in enumerate(parties)]
    date_candidates = [
        Candidate(DateMention(f"{i + 1} May 2024", 0, 1, f"2024-05-0{i + 1}", "day", date(2024, 5, i + 1), False), {n: f.get(n, 0.0) for n in FEATURES["signing_date"]})
        for i, (f, _) in enumerate(dates)
    ]
    gold = {
        "parties": [{"name": c.name, "acronym": None} for c, (_, label) in zip(party_candidates, parties) if label],
        "signing_date": next((c.value.value for c, (_, label) in zip(date_candidates, dates) if label), None),
    }
    labelled = LabelledDocument(f"{source}/d", Path("d.txt"), gold, source)
    candidates = {"parties": party_candidates, "signing_date": date_candidates, "signing_place": []}
    labels = {"parties": [label for _, label in parties], "signing_date": [label for _, label in dates], "signing_place": []}
    return AnalysedDocument(labelled, {"agreement_type": "other", "parties": [], "signing_date": None, "signing_place": None}, candidates, labels, {})


def test_training_learns_which_feature_marks_a_value() -> None:
    pytest.importorskip("sklearn")
    documents = [
        _analysed(
            f"s{n}",
            [({"slot_first_clause": 1.0}, True), ({"slot_first_clause": 1.0, "early": 0.5}, True), ({"ner_place": 1.0}, False), ({}, False)],
            [({"year_precision": 1.0}, False), ({"attached_to_signing": 1.0}, True), ({}, False)],
        )
        for n in range(4)
    ]
    fields = {field.name: field for field in DECIDED_FIELDS}
    parties, signing_date = (fit(fields[name], documents) for name in ("parties", "signing_date"))
    assert parties.weights["slot_first_clause"] > 0 > parties.weights["ner_place"]
    assert parties.trained_on["sources"] == ["s0", "s1", "s2", "s3"]
    assert all(select([parties.probability(c.features) for c in d.candidates["parties"]], parties) == [0, 1] for d in documents)
    assert signing_date.weights["attached_to_signing"] > 0 > signing_date.weights["year_precision"]
    assert all(best([signing_date.probability(c.features) for c in d.candidates["signing_date"]], signing_date) == 1 for d in documents)


def test_labelled_documents_without_a_corpus(tmp_path: Path) -> None:
    """A clone without ../shared trains on the samples and the written sets alone."""
    documents = labelled_documents(corpus=tmp_path / "absent")
    sources = {d.source for d in documents}
    assert "samples" in sources and any(s.startswith("written/") for s in sources)
    assert all(d.path.is_file() and d.gold for d in documents)
    assert len({d.key for d in documents}) == len(documents)


def test_a_decision_of_the_rule_alone_keeps_what_the_rule_answers() -> None:
    """What training ships when trained weights do no better leave-one-source-out than the rule."""
    field = next(f for f in DECIDED_FIELDS if f.name == "parties")
    decision = rule_alone(field, "why")
    probabilities = [decision.probability({**dict.fromkeys(PARTY_FEATURES, 0.0), "rule_party": r}) for r in (1.0, 0.0, 1.0)]
    assert select(probabilities, decision) == [0, 2] and decision.trained_on == {"bootstrap": "why"}


def test_a_calibration_learns_how_often_values_are_right() -> None:
    """Values with a feature are right four times in five, without it one in five: the
    calibration's probabilities say so."""
    pytest.importorskip("sklearn")
    base = dict.fromkeys(CONFIDENCE_FEATURES, 0.0)
    rows = [
        ValueRow("parties", {**base, "in_headline": float(h)}, right, f"s{i % 5}", f"d{i}")
        for i, (h, right) in enumerate([(1, True)] * 40 + [(1, False)] * 10 + [(0, True)] * 10 + [(0, False)] * 40)
    ]
    calibration = fit_calibration("parties", rows)
    assert calibration.probability({**base, "in_headline": 1.0}) == pytest.approx(0.8, abs=0.05)
    assert calibration.probability(base) == pytest.approx(0.2, abs=0.05)
