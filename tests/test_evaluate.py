"""Scoring rules of corpus/ANNOTATION.md on small hand-made predictions and gold files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.evaluate import (
    CONFIDENCE,
    EvaluationReport,
    ExactScore,
    SetScore,
    evaluate,
    flatten,
    load_gold,
    load_predictions,
    main_evaluate,
    normalise,
)

SPAN = [0, 1]


def gold_doc(doc_id: str = "doc", **overrides: Any) -> dict[str, Any]:
    doc = {
        "id": doc_id,
        "language": "en",
        "publication_date": "2020-01-29",
        "agreement_type": "memorandum_of_understanding",
        "signing_date": "2018-04-05",
        "signing_place": "Paris",
        "parties": [
            {"name": "Inria", "acronym": None},
            {"name": "Chinese Academy of Sciences", "acronym": "CAS"},
        ],
        "people": [{"name": "Christine Morin", "title": "Director", "affiliation": "Inria"}],
        "themes": ["artificial intelligence", "research collaborations", "logistics"],
        "notes": "not scored",
    }
    return doc | overrides


def quoted(value: str | None, **extra: Any) -> dict[str, Any] | None:
    return None if value is None else {"value": value, "text": "x", "span": SPAN, **extra}


def date(value: str | None) -> dict[str, Any] | None:
    precision = {10: "day", 7: "month", 4: "year"}
    return None if value is None else quoted(value, precision=precision[len(value)])


def record_from(gold: dict[str, Any], path: str | None = None) -> dict[str, Any]:
    """The contract-shaped record an extractor would write for this gold document."""
    return {
        "schema_version": "1",
        "id": gold["id"],
        "source": {"path": path or f"{gold['id']}.txt", "format": "txt", "language": gold["language"]},
        "agreement_type": quoted(gold["agreement_type"]),
        "signing_date": date(gold["signing_date"]),
        "publication_date": date(gold["publication_date"]),
        "signing_place": quoted(gold["signing_place"]),
        "parties": [{**p, "spans": [SPAN]} for p in gold["parties"]],
        "organizations": [],
        "people": [{**p, "role": "signatory", "spans": [SPAN]} for p in gold["people"]],
        "themes": [{"value": t, "spans": [SPAN]} for t in gold["themes"]],
        "warnings": [],
        "extractor": {"version": "test", "spacy_model": None},
    }


def write(folder: Path, name: str, data: Any) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def run(tmp_path: Path, pred: dict[str, Any], gold: dict[str, Any], **kwargs: Any) -> EvaluationReport:
    """Write {relative name: data} predictions and gold files, then evaluate them."""
    for name, data in pred.items():
        write(tmp_path / "pred", name, data)
    for name, data in gold.items():
        write(tmp_path / "gold", name, data)
    (tmp_path / "pred").mkdir(exist_ok=True)
    (tmp_path / "gold").mkdir(exist_ok=True)
    return evaluate(tmp_path / "pred", tmp_path / "gold", **kwargs)


def set_score(report: EvaluationReport, name: str) -> SetScore:
    score = report.fields[name]
    assert isinstance(score, SetScore)
    return score


def exact_score(report: EvaluationReport, name: str) -> ExactScore:
    score = report.fields[name]
    assert isinstance(score, ExactScore)
    return score


def test_perfect_match_scores_one_everywhere(tmp_path: Path) -> None:
    gold = gold_doc()
    report = run(tmp_path, {"doc.json": record_from(gold)}, {"doc.json": gold})

    for name in ("parties", "people", "themes"):
        score = set_score(report, name)
        assert (score.precision, score.recall, score.f1, score.macro_f1) == (1.0, 1.0, 1.0, 1.0)
    for name in ("agreement_type", "signing_date", "signing_place", "publication_date"):
        assert exact_score(report, name).accuracy == 1.0
    assert report.missing == []
    assert report.format_errors() == "no differences"


def test_flatten_gives_the_gold_shape() -> None:
    gold = gold_doc()
    flat = flatten(record_from(gold))
    assert {k: v for k, v in flat.items() if k != CONFIDENCE} == {k: v for k, v in gold.items() if k != "notes"}


def test_error_record_flattens_to_nothing_found() -> None:
    error = {"source": {"path": "news/broken.html"}, "error": {"type": "EmptyText", "message": "empty"}}
    assert flatten(error) == {
        "id": "news/broken.html",
        "language": None,
        "publication_date": None,
        "agreement_type": None,
        "signing_date": None,
        "signing_place": None,
        "parties": [],
        "people": [],
        "themes": [],
        CONFIDENCE: dict.fromkeys(("agreement_type", "signing_date", "signing_place", "publication_date", "parties", "people", "themes"), []),
    }


def test_error_record_is_scored_as_empty_not_missing(tmp_path: Path) -> None:
    error = {"source": {"path": "doc.txt"}, "error": {"type": "EmptyText", "message": "empty"}}
    report = run(tmp_path, {"doc.json": error}, {"doc.json": gold_doc()})
    assert report.missing == []
    assert set_score(report, "parties").fn == 2
    assert exact_score(report, "signing_date").accuracy == 0.0


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        ({"name": "Academy of Sciences of China", "acronym": "CAS"}, {"name": "Chinese Academy of Sciences", "acronym": "CAS"}),
        ({"name": "CAS", "acronym": None}, {"name": "Chinese Academy of Sciences", "acronym": "CAS"}),
        ({"name": "Chinese Academy of Sciences", "acronym": "CAS"}, {"name": "CAS", "acronym": None}),
        ({"name": "The University of Lincoln", "acronym": None}, {"name": "University of Lincoln", "acronym": None}),
        ({"name": "UNIVERSITÉ DE MONTRÉAL", "acronym": None}, {"name": "Université de Montréal", "acronym": None}),
        ({"name": "Universite de Montreal", "acronym": None}, {"name": "Université de Montréal", "acronym": None}),
        ({"name": "Inria, ", "acronym": "C.A.S."}, {"name": "Chinese Academy of Sciences", "acronym": "CAS"}),
    ],
)
def test_party_matches(tmp_path: Path, predicted: dict[str, Any], expected: dict[str, Any]) -> None:
    gold = gold_doc(parties=[expected])
    pred = record_from(gold_doc(parties=[predicted]))
    score = set_score(run(tmp_path, {"doc.json": pred}, {"doc.json": gold}), "parties")
    assert (score.tp, score.fp, score.fn) == (1, 0, 0)


def test_normalise() -> None:
    assert normalise("  The  Université   d’Évry-Val-d’Essonne. ") == "universite devryvaldessonne"
    assert normalise("theatre of the world") == "theatre of the world"
    assert normalise(None) == normalise("") == normalise("...") == ""


def test_each_gold_party_is_matched_at_most_once(tmp_path: Path) -> None:
    gold = gold_doc(parties=[{"name": "Chinese Academy of Sciences", "acronym": "CAS"}])
    pred = record_from(
        gold_doc(
            parties=[
                {"name": "CAS", "acronym": None},
                {"name": "Chinese Academy of Sciences", "acronym": None},
            ]
        )
    )
    report = run(tmp_path, {"doc.json": pred}, {"doc.json": gold})
    score = set_score(report, "parties")
    assert (score.tp, score.fp, score.fn) == (1, 1, 0)
    assert score.precision == 0.5 and score.recall == 1.0
    assert "predicted, not in gold" in report.format_errors()


def test_people_match_on_normalised_names_only(tmp_path: Path) -> None:
    gold = gold_doc(
        people=[
            {"name": "Hélène Côté", "title": "President", "affiliation": "X"},
            {"name": "Ann Lee", "title": None, "affiliation": None},
        ]
    )
    pred = record_from(gold_doc(people=[{"name": "helene cote", "title": "CEO", "affiliation": None}]))
    score = set_score(run(tmp_path, {"doc.json": pred}, {"doc.json": gold}), "people")
    assert (score.tp, score.fp, score.fn) == (1, 0, 1)
    assert score.precision == 1.0 and score.recall == 0.5


def test_null_predicted_as_null_is_correct(tmp_path: Path) -> None:
    gold = gold_doc(signing_date=None, signing_place=None)
    pred = record_from(gold_doc(signing_date=None, signing_place=None, publication_date=None))
    report = run(tmp_path, {"doc.json": pred}, {"doc.json": gold})
    assert exact_score(report, "signing_date").accuracy == 1.0
    assert exact_score(report, "signing_place").accuracy == 1.0
    assert exact_score(report, "publication_date").accuracy == 0.0


def test_date_precision_must_match_exactly(tmp_path: Path) -> None:
    report = run(tmp_path, {"doc.json": record_from(gold_doc(signing_date="2018-04"))}, {"doc.json": gold_doc()})
    assert exact_score(report, "signing_date").correct == 0
    assert 'signing_date: predicted "2018-04", expected "2018-04-05"' in report.format_errors()


def test_missing_prediction_counts_as_all_null(tmp_path: Path) -> None:
    gold_a, gold_b = gold_doc("a"), gold_doc("b", signing_date=None, signing_place=None)
    report = run(tmp_path, {"a.json": record_from(gold_a)}, {"a.json": gold_a, "b.json": gold_b})
    assert report.missing == ["b"]
    assert [d.id for d in report.documents if d.missing] == ["b"]
    assert exact_score(report, "signing_date").correct == 2  # b: null predicted as null
    assert exact_score(report, "agreement_type").correct == 1
    assert exact_score(report, "agreement_type").n == 2
    parties = set_score(report, "parties")
    assert (parties.tp, parties.fp, parties.fn) == (2, 0, 2)
    assert parties.recall == 0.5 and parties.precision == 1.0
    assert parties.macro_recall == 0.5
    assert "b (no prediction)" in report.format_errors()
    assert "missing predictions: b" in report.format_table()


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        ("research collaboration", "research collaborations"),
        ("research collaborations", "collaboration"),
        ("Neural Networks", "neural network"),
        ("artificial intelligence", "artificial intelligence research"),
    ],
)
def test_theme_containment_after_lemmatisation(tmp_path: Path, predicted: str, expected: str) -> None:
    pred = record_from(gold_doc(themes=[predicted]))
    score = set_score(run(tmp_path, {"doc.json": pred}, {"doc.json": gold_doc(themes=[expected])}), "themes")
    assert (score.tp, score.fp, score.fn) == (1, 0, 0)


def test_theme_containment_is_on_whole_tokens(tmp_path: Path) -> None:
    pred = record_from(gold_doc(themes=["art", "ai"]))
    gold = gold_doc(themes=["artificial intelligence", "training"])
    score = set_score(run(tmp_path, {"doc.json": pred}, {"doc.json": gold}), "themes")
    assert (score.tp, score.fp, score.fn) == (0, 2, 2)
    assert score.f1 == 0.0


def test_one_predicted_theme_matches_one_gold_theme(tmp_path: Path) -> None:
    pred = record_from(gold_doc(themes=["research"]))
    gold = gold_doc(themes=["research collaborations", "research infrastructure"])
    score = set_score(run(tmp_path, {"doc.json": pred}, {"doc.json": gold}), "themes")
    assert (score.tp, score.fp, score.fn) == (1, 0, 1)


def test_french_themes_use_the_gold_language(tmp_path: Path) -> None:
    gold = gold_doc(language="fr", themes=["énergies renouvelables"])
    pred = record_from(gold_doc(language="fr", themes=["énergie renouvelable"]))
    score = set_score(run(tmp_path, {"doc.json": pred}, {"doc.json": gold}), "themes")
    assert score.tp == 1


def test_micro_sums_counts_and_macro_averages_documents(tmp_path: Path) -> None:
    gold_a = gold_doc("a", people=[{"name": f"P{i}", "title": None, "affiliation": None} for i in range(3)])
    gold_b = gold_doc("b", people=[{"name": "Q", "title": None, "affiliation": None}])
    pred_a = record_from(gold_a)
    pred_b = record_from(gold_doc("b", people=[]))
    report = run(tmp_path, {"a.json": pred_a, "b.json": pred_b}, {"a.json": gold_a, "b.json": gold_b})
    people = set_score(report, "people")
    assert people.recall == 0.75
    assert people.macro_recall == 0.5


def test_nested_folders_and_gold_suffixes(tmp_path: Path) -> None:
    gold_a, gold_b = gold_doc("a"), gold_doc("sub/b")
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a.md").write_text("the announcement itself is ignored")
    report = run(
        tmp_path,
        {
            "a.json": record_from(gold_a),
            "sub/b.json": record_from(gold_b, path="sub/b.md"),
            "run-summary.json": {"documents": 2},
            "sub/manifest.json": {"entries": {}},
            "schema.json": {"title": "not a record"},
        },
        {"a.expected.json": gold_a, "sub/b.json": gold_b},
    )
    assert [d.id for d in report.documents] == ["a", "sub/b"]
    assert report.missing == []
    assert report.extra == []
    assert set_score(report, "parties").f1 == 1.0
    assert set(load_predictions(tmp_path / "pred")) == {"a", "sub/b"}
    assert set(load_gold(tmp_path / "gold")) == {"a", "sub/b"}


def test_ids_and_language_filters(tmp_path: Path) -> None:
    golds = {"en-1": gold_doc("en-1"), "en-2": gold_doc("en-2"), "fr-1": gold_doc("fr-1", language="fr")}
    pred = {"en-1.json": record_from(golds["en-1"])}
    report = run(tmp_path, pred, {f"{k}.json": v for k, v in golds.items()}, ids=["en-1", "fr-1"])
    assert [d.id for d in report.documents] == ["en-1", "fr-1"]
    assert report.missing == ["fr-1"]

    report = evaluate(tmp_path / "pred", tmp_path / "gold", languages={"en"})
    assert [d.id for d in report.documents] == ["en-1", "en-2"]
    assert exact_score(report, "signing_date").n == 2

    report = evaluate(tmp_path / "pred", tmp_path / "gold", ids=["en-1", "en-2"], languages={"en"})
    assert report.missing == ["en-2"]

    with pytest.raises(ValueError, match="no gold file for: nope"):
        evaluate(tmp_path / "pred", tmp_path / "gold", ids=["nope"])


def test_report_serialises_and_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = gold_doc()
    report = run(tmp_path, {"doc.json": record_from(gold_doc(signing_place="Beijing"))}, {"doc.json": gold})
    data = json.loads(json.dumps(report.to_json()))
    assert data["fields"]["signing_place"] == {"correct": 0, "n": 1, "accuracy": 0.0}
    assert data["documents"][0]["fields"]["signing_place"]["predicted"] == "Beijing"
    table = report.format_table()
    assert "parties" in table and "signing_place" in table

    assert main_evaluate(tmp_path / "pred", tmp_path / "gold", as_json=False, show_errors=True) == 0
    out = capsys.readouterr().out
    assert 'signing_place: predicted "Beijing", expected "Paris"' in out
    assert main_evaluate(tmp_path / "pred", tmp_path / "gold", as_json=True, show_errors=False) == 0
    assert json.loads(capsys.readouterr().out)["documents_evaluated"] == 1
    assert main_evaluate(tmp_path / "nowhere", tmp_path / "gold", as_json=False, show_errors=False) == 2


def test_parties_without_a_shared_name_or_acronym_do_not_match(tmp_path: Path) -> None:
    gold = gold_doc(parties=[{"name": "CNRS", "acronym": None}, {"name": "...", "acronym": None}])
    pred = record_from(gold_doc(parties=[{"name": "Inria", "acronym": None}]))
    score = set_score(run(tmp_path, {"doc.json": pred}, {"doc.json": gold}), "parties")
    assert (score.tp, score.fp, score.fn) == (0, 1, 1)
