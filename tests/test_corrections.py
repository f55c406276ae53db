"""Corrections that stick: the line format and its validation, applying them (pure), the
``correct`` command, and runs that put them on the records, keep them on reruns and report the
ones whose record is gone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from models import AgreementRecord, Correction, Record
from pipeline.batch import SUMMARY, BatchError, run_batch
from pipeline.cli import main
from pipeline.corrections import CORRECTIONS, CorrectionsError, Entry, apply_corrections, by_record, load_corrections, parse_entry, unmatched
from test_batch import CONFIG, announcement, comparable, jsonl, snapshot, write_tree
from test_review import record

RECORD = TypeAdapter(Record)


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("agreement_type", "contract", "contract"),
        ("agreement_type", None, None),
        ("signing_date", "2024-11", "2024-11"),
        ("publication_date", "2024", "2024"),
        ("signing_place", "Tartu", "Tartu"),
        ("parties", ["Acme", "Beta Labs"], ["Acme", "Beta Labs"]),
        ("themes", [], []),
        ("people", [{"name": "Ann Lee", "role": "signatory"}], [{"name": "Ann Lee", "title": None, "affiliation": None, "role": "signatory"}]),
    ],
)
def test_a_correction_takes_each_fields_own_shape(field: str, value: Any, stored: Any) -> None:
    entry = parse_entry({"id": "a", "field": field, "value": value, "note": "checked"})
    dumped = entry.correction.model_dump(mode="json")
    assert (entry.id, dumped["field"], dumped["value"], dumped["note"]) == ("a", field, stored, "checked")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "a", "field": "signing_date", "value": "2024-13-01"}, "month must be in 1..12"),
        ({"id": "a", "field": "signing_date", "value": "3 May 2024"}, "is not YYYY-MM-DD"),
        ({"id": "a", "field": "agreement_type", "value": "deal"}, "memorandum_of_understanding"),
        ({"id": "a", "field": "parties", "value": "Acme"}, "valid list"),
        ({"id": "a", "field": "parties", "value": [""]}, "at least 1 character"),
        ({"id": "a", "field": "people", "value": [{"name": "X"}]}, "value[0].role: Field required"),
        ({"id": "a", "field": "colour", "value": "red"}, "field: Input should be"),
        ({"id": "a", "field": "themes", "value": [], "by": "me"}, "by: Extra inputs"),
        ({"field": "themes", "value": []}, "no record id"),
        (["a", "themes"], "not a JSON object"),
    ],
)
def test_a_value_the_schema_refuses_is_one_line(data: Any, message: str) -> None:
    with pytest.raises(CorrectionsError, match=None) as error:
        parse_entry(data)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_the_last_correction_of_a_field_wins_and_the_record_keeps_the_extractors_value() -> None:
    entries = [
        parse_entry({"id": "a", "field": "signing_place", "value": "Bergen"}),
        parse_entry({"id": "a", "field": "parties", "value": ["Acme Corp"]}),
        parse_entry({"id": "a", "field": "signing_place", "value": "Tartu", "note": "the dateline"}),
        parse_entry({"id": "gone", "field": "themes", "value": []}),
    ]
    original = record("a")
    corrected = apply_corrections(original, by_record(entries))
    assert [(c["field"], c["value"]) for c in corrected["corrections"]] == [("signing_place", "Tartu"), ("parties", ["Acme Corp"])]
    assert {k: v for k, v in corrected.items() if k != "corrections"} == original  # the extractor's values and confidences stay
    AgreementRecord.model_validate(corrected)
    assert apply_corrections(record("b"), by_record(entries)) is not None and "corrections" not in record("b")
    assert apply_corrections(corrected, {})["corrections"] == []  # a correction removed from the file leaves the record
    error = {"source": {"path": "x.txt"}, "error": {"type": "empty", "message": "empty"}}
    assert apply_corrections(error, by_record(entries)) is error
    assert unmatched(entries, {"a"}) == [{"id": "gone", "field": "themes"}]


def test_a_damaged_corrections_file_names_its_line(tmp_path: Path) -> None:
    (tmp_path / CORRECTIONS).write_text('{"id": "a", "field": "themes", "value": []}\n\n{"id": "a", "field"\n', "utf-8")
    with pytest.raises(CorrectionsError, match=r"corrections\.jsonl:3: "):
        load_corrections(tmp_path)
    assert load_corrections(tmp_path / "elsewhere") == []


def _run(folder: Path) -> tuple[Path, Path]:
    source = write_tree(folder / "in", {"a.txt": announcement(0), "b.txt": announcement(1)})
    out = folder / "out"
    run_batch([source], out, CONFIG, progress=False)
    return source, out


def test_corrections_stick_across_reruns_and_the_gone_ones_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, out = _run(tmp_path)
    assert main(["correct", str(out), "a.txt", "signing_place", "Lyon", "--note", "the dateline says Paris, the signing was in Lyon"]) == 0
    assert main(["correct", str(out), "b.txt", "parties", '["CNRS", "Inria"]']) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f'b.txt parties = ["CNRS", "Inria"] → {(out / CORRECTIONS).as_posix()}'
    before = jsonl(out)

    summary = run_batch([source], out, CONFIG, progress=False)  # nothing to extract: the corrections alone change the records
    assert summary.skipped_unchanged == 2
    after = {r["id"]: r for r in jsonl(out)}
    assert [(c["field"], c["value"]) for c in after["a.txt"]["corrections"]] == [("signing_place", "Lyon")]
    assert after["a.txt"]["signing_place"] == before[0]["signing_place"]  # the extractor's value, with its confidence
    assert json.loads((out / "a.txt.json").read_text("utf-8")) == after["a.txt"]
    RECORD.validate_python(after["b.txt"])
    assert json.loads((out / SUMMARY).read_text("utf-8"))["corrections"] == {"applied": 2, "unmatched": []}

    files = snapshot(out)
    run_batch([source], out, CONFIG, progress=False)
    assert snapshot(out) == files  # a rerun writes the same bytes
    run_batch([source], out, CONFIG, force=True, progress=False)
    assert comparable(snapshot(out)) == comparable(files)  # and so does extracting again

    (source / "b.txt").unlink()
    summary = run_batch([source], out, CONFIG, progress=False)
    assert summary.corrections == {"applied": 1, "unmatched": [{"id": "b.txt", "field": "parties"}]}
    assert "1 correction for records not in this run" in summary.line()
    assert [e.id for e in load_corrections(out)] == ["a.txt", "b.txt"]  # kept in the file, never lost


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope", "themes", "[]"], "no record with id 'nope'"),
        (["a.txt", "colour", "[]"], "'colour' cannot be corrected"),
        (["a.txt", "signing_date", '"2024-02-30"'], "day is out of range"),
        (["a.txt", "parties", "CNRS"], "value: Input should be a valid list"),
    ],
)
def test_correct_refuses_with_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    _, out = _run(tmp_path)
    assert main(["correct", str(out), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.splitlines()) == 1
    assert not (out / CORRECTIONS).exists()


def test_a_damaged_corrections_file_stops_a_run_before_it_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, out = _run(tmp_path)
    (out / CORRECTIONS).write_text("not json\n", "utf-8")
    files = snapshot(out)
    with pytest.raises(BatchError, match=r"corrections\.jsonl:1: "):
        run_batch([source], out, CONFIG, progress=False)
    assert snapshot(out) == files
    for command in (["review", str(out)], ["report", str(out), "-o", str(tmp_path / "r.html")]):
        assert main(command) == 2
        assert "corrections.jsonl:1:" in capsys.readouterr().err


def test_a_hand_edited_file_without_a_final_newline_keeps_its_last_line(tmp_path: Path) -> None:
    _, out = _run(tmp_path)
    (out / CORRECTIONS).write_text('{"id": "a.txt", "field": "themes", "value": ["AI"]}', "utf-8")
    assert main(["correct", str(out), "b.txt", "themes", '["robotics"]']) == 0
    assert [(e.id, e.correction.value) for e in load_corrections(out)] == [("a.txt", ["AI"]), ("b.txt", ["robotics"])]


def test_the_entry_line_omits_what_was_not_given() -> None:
    entry = Entry("a", Correction(field="signing_place", value=None))
    assert entry.to_json() == {"id": "a", "field": "signing_place", "value": None}
