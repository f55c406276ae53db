"""Confidence on every value: the calibration measures on hand-made pairs, which values are
right by the scoring rules, the evidence a value's confidence reads, and records that carry it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import Extractor
from pipeline.evaluate import CONFIDENCE, calibration, compare_document, main_evaluate
from pipeline.features.confidence import ValueEvidence, confidence_features
from test_evaluate import gold_doc, record_from

EVIDENCE = ValueEvidence(
    french=False, in_headline=True, in_lead=False, in_quote=False, in_boilerplate=False, from_metadata=False, mentions=3, words=2, flags=frozenset({"has_acronym"})
)


@pytest.mark.parametrize(
    ("pairs", "ece", "share", "precision"),
    [
        ([(0.9, True)] * 9 + [(0.9, False)], 0.0, 1.0, 0.9),
        ([(0.95, True), (0.95, False)], 0.45, 1.0, 0.5),
        ([(0.25, False)] * 3 + [(0.25, True), (0.85, True)], 0.03, 0.2, 1.0),
        ([(0.1, False), (0.3, True)], 0.4, 0.0, None),
    ],
    ids=["calibrated", "overconfident", "two bins", "nothing confident"],
)
def test_calibration(pairs: list[tuple[float, bool]], ece: float, share: float, precision: float | None) -> None:
    """Expected calibration error over ten equal bins, and the share and precision at 0.8 or above."""
    score = calibration(pairs)
    assert score.n == len(pairs) and score.ece == pytest.approx(ece) and score.confident_share == pytest.approx(share)
    assert score.confident_precision == (None if precision is None else pytest.approx(precision))


def test_which_values_are_right_follows_the_scoring_rules() -> None:
    """A party is right when it matches a gold party by name or acronym, a single field when equal."""
    gold = gold_doc()
    prediction = {
        **gold,
        "parties": [{"name": "CAS", "acronym": None}, {"name": "Photo Agency", "acronym": None}, {"name": "Inria", "acronym": None}],
        "signing_place": "Beijing",
        "publication_date": None,
    }
    results = compare_document(prediction, gold)
    assert results["parties"].right == [True, False, True]
    assert results["signing_place"].right == [False] and results["signing_date"].right == [True]
    assert results["publication_date"].right == []


@pytest.mark.parametrize(
    ("change", "feature", "value"),
    [
        ({}, "in_headline", 1.0),
        ({}, "has_acronym", 1.0),
        ({}, "decision_logit", 0.0),
        ({"probability": 0.5}, "decision_logit", 0.0),
        ({"probability": 0.999999}, "decision_logit", 1.0),
        ({"probability": 0.9, "runner_up": 0.6}, "decision_margin", pytest.approx(0.3)),
        ({"rank": 1}, "first_of_field", 0.0),
        ({"words": 1}, "one_word", 1.0),
        ({"french": True}, "french", 1.0),
        ({}, "sole_value", 1.0),
        ({"count": 2}, "sole_value", 0.0),
        ({}, "decided_ner_place", 0.0),
        ({"decided": {"ner_place": 1.0, "ner_other": 0.0}}, "decided_ner_place", 1.0),
        ({"flags": frozenset({"name_continues"})}, "name_continues", 1.0),
    ],
)
def test_confidence_feature(change: dict, feature: str, value: float) -> None:
    from dataclasses import replace

    assert confidence_features(replace(EVIDENCE, **change))[feature] == value


def test_every_value_of_a_record_carries_a_confidence(extractor: Extractor) -> None:
    """Every value of a calibrated field has a probability; organisations and roles have no gold to calibrate on."""
    record = extractor.extract_text(
        "Acme University and Bolt Institute sign research pact\n\n"
        "OSLO, 2 May 2024 — Acme University and Bolt Institute signed a memorandum of understanding in Oslo on 30 April 2024 "
        "on marine robotics. \"We are delighted,\" said Jane Smith, rector of Acme University. The Oslo Museum hosted the event."
    )
    values = [record.agreement_type, record.signing_date, record.publication_date, record.signing_place, *record.parties, *record.people]
    assert all(v is not None and v.confidence is not None and 0 <= v.confidence <= 1 for v in values)
    assert all(t.confidence is not None for t in record.themes)
    assert all(o.confidence is None for o in record.organizations) and all(p.role_confidence is None for p in record.people)


def test_evaluate_prints_the_calibration_and_draws_the_reliability_diagram(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir(), pred_dir.mkdir()
    for n, place in enumerate(["Paris", "Beijing", "Paris", "Paris"]):
        gold = gold_doc(f"d{n}")
        (gold_dir / f"d{n}.json").write_text(json.dumps(gold), encoding="utf-8")
        record = record_from({**gold, "signing_place": place})
        record["schema_version"] = "2"
        record["signing_place"]["confidence"] = 0.9
        (pred_dir / f"d{n}.json").write_text(json.dumps(record), encoding="utf-8")
    diagram = tmp_path / "reliability.png"
    assert main_evaluate(pred_dir, gold_dir, diagram=diagram) == 0
    printed = capsys.readouterr().out
    assert "signing_place" in printed.split("confidence", 1)[1] and "0.150" in printed  # 3 of 4 right at 0.9
    assert diagram.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_refuses_a_diagram_without_confidences(tmp_path: Path) -> None:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir(), pred_dir.mkdir()
    (gold_dir / "d.json").write_text(json.dumps(gold_doc("d")), encoding="utf-8")
    (pred_dir / "d.json").write_text(json.dumps(record_from(gold_doc("d"))), encoding="utf-8")
    assert main_evaluate(pred_dir, gold_dir, diagram=tmp_path / "r.png") == 2
    assert not (tmp_path / "r.png").exists()


def test_a_flat_prediction_keeps_its_confidences_aligned() -> None:
    from pipeline.evaluate import flatten

    record = record_from(gold_doc())
    record["parties"][1]["confidence"] = 0.7
    flat = flatten(record)
    assert flat[CONFIDENCE]["parties"] == [None, 0.7] and flat[CONFIDENCE]["signing_place"] == [None]


@pytest.mark.parametrize(
    ("text", "mention", "continues"),
    [
        ("The Aga Khan University Hospital, Nairobi and Moi Hospital signed an agreement.", "Aga Khan University Hospital", True),
        ("The National Institute of Metrology (Thailand) signed an agreement.", "National Institute of Metrology", True),
        ("The Association Oncologica for Cancer Care signed an agreement.", "Association Oncologica", True),
        ("The Helmholtz-Zentrum Berlin für Materialien signed an agreement.", "Helmholtz-Zentrum Berlin", True),
        ("The Department of Agriculture and Farmers' Empowerment signed an agreement.", "Department of Agriculture and Farmers", True),
        ("Makerere University School of Public Health signed an agreement.", "School of Public Health", True),
        ("The Rural Health Alliance signed an agreement.", "Health", True),
        ("The National Institute of Metrology (NIMT) signed an agreement.", "National Institute of Metrology", False),
        ("The Acme University signed an agreement with Bolt Institute.", "Acme University", False),
        ("Acme University and Bolt Institute signed an agreement.", "Acme University", False),
        ("The agreement was signed by Bolt Institute Director Jane Smith.", "Bolt Institute", False),
        ("Bolt Institute\nOslo signed an agreement.", "Bolt Institute", False),
    ],
    ids=["comma and place", "bracketed word", "preposition", "foreign preposition", "apostrophe", "capitalised word before", "inside a name", "bracketed acronym", "verb", "coordination", "title", "next line"],
)
def test_a_name_the_text_goes_on_naming(extractor: Extractor, text: str, mention: str, continues: bool) -> None:
    """A mention followed (or preceded) by more of a name on its line may be a name cut short."""
    from pipeline.confidence import name_continues
    from pipeline.rules import load_rules

    doc = extractor.pipeline("en")(text)
    start = text.index(mention)
    assert name_continues(load_rules("en"), doc.char_span(start, start + len(mention))) is continues


@pytest.mark.parametrize(
    ("name", "flags"),
    [("Acme University", set()), ("government", {"lowercase_start"}), ("University of Otago and", {"function_word_end"})],
)
def test_what_a_name_says_of_where_it_starts_and_ends(extractor: Extractor, name: str, flags: set[str]) -> None:
    """A name that starts in lower case or ends with a function word is no name, or one cut in the wrong place."""
    from pipeline.confidence import name_flags

    assert name_flags(extractor.pipeline("en")(f"{name} signed."), extractor.rules, [], name) == flags
