"""Golden tests: every announcement in samples/ against its hand-written expected record.

Fields are compared by the evaluation's own rules (ANNOTATION.md "Scoring"): exact fields
exactly, parties and people as sets of names, themes softly. Each (sample, field) is its own
test, so a failure names the sample and the field and shows what differs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import Extractor
from pipeline.batch import recorded_inputs
from pipeline.evaluate import EXACT_FIELDS, compare_document, flatten

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXPECTED = sorted(SAMPLES.glob("*.expected.json"))
FIELDS = (*EXACT_FIELDS, "parties", "people", "themes")
# Soft-matched themes: at least this share of the expected themes must be found.
THEME_RECALL = 0.5
# Known gaps, each a strict xfail: the day the extractor gets one right, the test says so.
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def _announcement(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    return next(p for p in SAMPLES.iterdir() if p.stem == stem and not p.name.endswith(".json"))


@pytest.fixture(scope="module")
def predictions(extractor: Extractor) -> dict[str, dict]:
    return {
        e.name.removesuffix(".expected.json"): flatten(extractor.extract_file(_announcement(e), _announcement(e).name).model_dump(mode="json"))
        for e in EXPECTED
    }


def _cases() -> list:
    cases = []
    for expected in EXPECTED:
        name = expected.name.removesuffix(".expected.json")
        for field in FIELDS:
            reason = KNOWN_GAPS.get((name, field))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            cases.append(pytest.param(name, field, id=f"{name}-{field}", marks=marks))
    return cases


def test_there_are_enough_samples() -> None:
    assert len(EXPECTED) >= 8
    assert {p.suffix for p in SAMPLES.iterdir()} >= {".txt", ".md", ".html", ".json"}


@pytest.mark.parametrize(("name", "field"), _cases())
def test_sample_field(predictions: dict[str, dict], name: str, field: str) -> None:
    expected = json.loads((SAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))
    result = compare_document(predictions[name], expected)[field]
    if field == "themes":
        assert result.counts is not None
        assert result.counts.recall >= THEME_RECALL, (
            f"{name}: {result.counts.recall:.2f} of expected themes found\n"
            f"  missed:   {result.missed}\n  spurious: {result.spurious}"
        )
        return
    if field in ("parties", "people"):
        assert not result.missed and not result.spurious, (
            f"{name} {field}:\n  missed:   {result.missed}\n  spurious: {result.spurious}"
        )
        return
    assert result.predicted == result.expected, f"{name} {field}: predicted {result.predicted!r}, expected {result.expected!r}"


def test_not_an_agreement_says_so(predictions: dict[str, dict], extractor: Extractor) -> None:
    path = _announcement(SAMPLES / "not-an-agreement.expected.json")
    record = extractor.extract_file(path, path.name)
    assert record.agreement_type is None and record.signing_date is None and record.parties == []
    assert any(w.code == "no_agreement_found" and "not be about an agreement" in w.message for w in record.warnings)


@pytest.fixture(scope="module")
def fresh_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `make run` writes for samples/, written once for this module's tests."""
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("samples-out")
    assert main(["extract", str(SAMPLES), "-o", str(out), "--jobs", "1"]) in (0, 1)
    return out


def test_committed_outputs_match_a_fresh_run(fresh_run: Path) -> None:
    """outputs/ shows readers the real output format: it must be what `make run` writes."""
    outputs = SAMPLES.parent / "outputs"
    if not (outputs / "records.jsonl").exists():
        pytest.skip("outputs/ not generated yet")
    written = sorted(p.relative_to(fresh_run) for p in fresh_run.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(outputs) for p in outputs.rglob("*") if p.is_file() and p.suffix in (".json", ".jsonl", ".txt", ".csv"))
    assert committed == written, "outputs/ holds other files than a run writes: run `make run`"
    for relative in committed:
        fresh = fresh_run / relative
        if relative.name == "run-summary.json":  # it names the inputs as seen from the output folder
            assert recorded_inputs(fresh_run) == recorded_inputs(outputs) == [SAMPLES]
            assert json.loads((outputs / relative).read_text("utf-8"))["inputs"] == ["../samples"]  # no absolute path committed
            continue
        assert fresh.read_bytes() == (outputs / relative).read_bytes(), f"outputs/{relative} is stale: run `make run`"


def test_every_span_of_every_sample_indexes_the_text_written_beside_it(fresh_run: Path) -> None:
    """The provenance promise, checkable by a reader without the extractor: for every record,
    ``<id>.txt`` holds the text its spans index, HTML and Markdown included."""
    records = [json.loads(line) for line in (fresh_run / "records.jsonl").read_text("utf-8").splitlines()]
    assert {r["source"]["format"] for r in records} == {"txt", "md", "html"} and len(records) == len(EXPECTED)
    checked = 0
    for record in records:
        text = (fresh_run / f"{record['id']}.txt").read_text("utf-8")
        for name in ("agreement_type", "signing_date", "publication_date", "signing_place"):
            for value in [record[name], *(record[name] or {}).get("alternatives", [])] if record[name] else []:
                start, end = value["span"]
                assert text[start:end] == value["text"], f"{record['id']} {name}"
                checked += 1
        for name in ("parties", "organizations", "people", "themes"):
            for item in record[name]:
                for start, end in item["spans"]:
                    assert 0 <= start < end <= len(text) and text[start:end].strip(), f"{record['id']} {name}"
                    checked += 1
    assert checked > 100
