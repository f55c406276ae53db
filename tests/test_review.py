"""``extract-agreements review``: which cells are queued, in what order, with what evidence and
runner-ups, the counts per field, and the command's output and usage errors (hand-built records)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.batch import RECORDS
from pipeline.cli import main
from pipeline.report import SourceTexts
from pipeline.review import evidence, record_cells, review_queue

TEXT = "Acme Corp and Beta Labs signed a memorandum of understanding in Oslo on 3 May 2024. Gamma AG watched."


def span(words: str) -> list[int]:
    start = TEXT.index(words)
    return [start, start + len(words)]


def record(record_id: str = "a", **fields: Any) -> dict[str, Any]:
    """An agreement record of ``TEXT`` with confident values, ``fields`` replacing them."""
    base: dict[str, Any] = {
        "schema_version": "2",
        "id": record_id,
        "source": {"path": f"{record_id}.txt", "sha256": hashlib.sha256(TEXT.encode()).hexdigest(), "format": "txt", "language": "en"},
        "agreement_type": {"value": "memorandum_of_understanding", "text": "memorandum of understanding", "span": span("memorandum of understanding"), "confidence": 0.95},
        "signing_date": {"value": "2024-05-03", "precision": "day", "text": "3 May 2024", "span": span("3 May 2024"), "confidence": 0.9, "alternatives": []},
        "publication_date": None,
        "signing_place": {"value": "Oslo", "text": "Oslo", "span": span("Oslo"), "confidence": 0.85, "alternatives": []},
        "parties": [
            {"name": "Acme Corp", "acronym": None, "spans": [span("Acme Corp")], "confidence": 0.97},
            {"name": "Beta Labs", "acronym": None, "spans": [span("Beta Labs")], "confidence": 0.93},
        ],
        "organizations": [{"name": "Gamma AG", "acronym": None, "spans": [span("Gamma AG")], "confidence": None}],
        "people": [],
        "themes": [],
        "warnings": [],
        "extractor": {"version": "0.1.0", "spacy_model": "test"},
    }
    return {**base, **fields}


def write_run(folder: Path, records: list[dict[str, Any]]) -> tuple[Path, Path]:
    """An outputs folder holding ``records`` and an inputs folder holding each one's text."""
    outputs, inputs = folder / "outputs", folder / "inputs"
    outputs.mkdir(parents=True)
    inputs.mkdir()
    (outputs / RECORDS).write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    for r in records:
        (inputs / r["source"]["path"]).write_text(TEXT, "utf-8")
    return outputs, inputs


def test_cells_cover_every_value_and_people_roles() -> None:
    person = {"name": "Ann Lee", "title": None, "affiliation": None, "role": "signatory", "spans": [span("Acme")], "confidence": 0.6, "role_confidence": None}
    cells = list(record_cells(record(people=[person], themes=[{"value": "x", "spans": [span("Oslo")], "confidence": 0.2}])))
    assert [c.label for c in cells] == [
        "agreement_type", "signing_date", "signing_place", "parties[0]", "parties[1]", "organizations[0]", "people[0]", "people.role[0]", "themes[0]"
    ]
    assert list(record_cells({"source": {"path": "x.txt"}, "error": {"type": "empty", "message": "empty"}})) == []


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (0.8, ["b parties[1]", "a signing_place", "b signing_place"]),
        (0.5, ["b parties[1]"]),
        (0.0, []),
        (1.0, ["b parties[1]", "a signing_place", "b signing_place", "a signing_date", "b signing_date", "a parties[1]", "a agreement_type", "a parties[0]", "b parties[0]"]),
    ],
)
def test_queue_lists_cells_under_the_threshold_lowest_first(threshold: float, expected: list[str]) -> None:
    low_place = {"value": "Oslo", "text": "Oslo", "span": span("Oslo"), "confidence": 0.7, "alternatives": []}
    b = record("b", agreement_type=None, signing_place=low_place, parties=[record()["parties"][0] | {"confidence": 0.99}, record()["parties"][1] | {"confidence": 0.3}])
    queue = review_queue([record("a", signing_place=low_place), b], threshold)
    assert [f"{c.record_id} {c.label}" for c in queue.cells] == expected


def test_counts_per_field_keep_uncalibrated_and_corrected_cells_apart() -> None:
    low = {"value": "Oslo", "text": "Oslo", "span": span("Oslo"), "confidence": 0.4, "alternatives": []}
    corrected = record("b", signing_place=low, corrections=[{"field": "signing_place", "value": "Bergen", "note": None, "at": None}])
    queue = review_queue([record("a", signing_place=low), corrected])
    assert [f"{c.record_id} {c.label}" for c in queue.cells] == ["a signing_place"]
    place, organizations = queue.fields["signing_place"], queue.fields["organizations"]
    assert (place.cells, place.below, place.corrected, place.share) == (2, 1, 1, 1.0)
    assert (organizations.cells, organizations.not_calibrated, organizations.share) == (2, 2, None)
    assert queue.total.calibrated == queue.total.cells - 2 - 1
    assert queue.total.share == pytest.approx(1 / queue.total.calibrated)


def test_runner_ups_are_the_alternatives_or_the_other_organisations() -> None:
    place = {"value": "Oslo", "text": "Oslo", "span": span("Oslo"), "confidence": 0.5, "alternatives": [{"value": "May", "text": "May", "span": span("May")}]}
    cells = {c.label: c for c in record_cells(record(signing_place=place))}
    assert [a["value"] for a in cells["signing_place"].alternatives] == ["May"]
    assert [a["value"] for a in cells["parties[0]"].alternatives] == ["Gamma AG"]
    assert cells["agreement_type"].alternatives == []


@pytest.mark.parametrize(
    ("words", "context", "marked"),
    [
        ("Oslo", 10, "…anding in »Oslo« on 3 May…"),
        ("Acme Corp", 10, "»Acme Corp« and Beta…"),
        ("watched.", 6, "…ma AG »watched.«"),
    ],
)
def test_evidence_marks_the_span_in_its_context(words: str, context: int, marked: str) -> None:
    start, end = span(words)
    assert evidence(TEXT, (start, end), context).marked(bold=False) == marked
    assert evidence(TEXT, (start, end), context).marked(bold=True).count("\033[1m") == 1


def test_review_command_prints_the_queue_and_the_share(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    low = {"value": "Oslo", "text": "Oslo", "span": span("Oslo"), "confidence": 0.42, "alternatives": [{"value": "May", "text": "May", "span": span("May")}]}
    outputs, inputs = write_run(tmp_path, [record("a", signing_place=low), record("b")])
    assert main(["review", str(outputs), "--inputs", str(inputs)]) == 0
    out = capsys.readouterr().out
    assert "0.420  a  signing_place  Oslo\n" in out
    assert "understanding in »Oslo« on 3 May 2024" in out
    assert "instead: May" in out
    assert out.rstrip().endswith("An analyst checks 10% of cells (1 of 10 calibrated cells under 0.8); 2 not calibrated, 0 corrected.")


def test_review_json_limits_the_list_not_the_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs, _ = write_run(tmp_path, [record("a"), record("b")])
    assert main(["review", str(outputs), "--inputs", str(tmp_path / "elsewhere"), "--json", "--below", "0.95", "--limit", "1"]) == 1
    printed = capsys.readouterr()
    assert printed.err == f"extract-agreements: warning: input {tmp_path.as_posix()}/elsewhere (given) does not exist: its texts are not shown\n"
    data = json.loads(printed.out)
    assert data["below"] == 6 and len(data["cells"]) == 1
    assert data["cells"][0]["evidence"] is None and "not found" in data["cells"][0]["no_text"]
    assert data["all"]["below"] == 6 and data["fields"]["signing_place"]["share"] == 1.0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["review", "{tmp}/missing"], "no such file"),
        (["review", "{tmp}/outputs", "--below", "1.5"], "Invalid value for '--below': wants a number from 0 to 1"),
        (["review", "{tmp}/outputs", "--below", "nan"], "Invalid value for '--below': wants a number from 0 to 1"),
        (["review", "{tmp}/outputs", "--limit", "0"], "Invalid value for '--limit': wants a positive integer"),
    ],
)
def test_review_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    write_run(tmp_path, [record()])
    assert main([a.format(tmp=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_source_texts_give_the_text_or_why_not(tmp_path: Path) -> None:
    outputs, inputs = write_run(tmp_path, [record()])
    texts = SourceTexts([inputs], 10_000, outputs)
    assert texts.text(record()["source"]) == (TEXT, None)
    assert texts.text(record()["source"] | {"sha256": "0" * 64}) == (None, "source changed since extraction")
