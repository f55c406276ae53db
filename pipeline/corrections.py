"""Corrections that stick: an analyst's values for fields of records, kept beside the outputs.

``corrections.jsonl`` in the output folder holds one correction per line, appended by
``extract-agreements correct`` (or written by hand)::

    {"id": "mou-acronyms.md", "field": "signing_place", "value": "Tartu", "note": "the dateline", "at": "2026-12-05T22:50:00Z"}

``value`` is what the field should hold, shaped per field (``models.record.Correction``): a kind,
an ISO date or a place (``null``: there is none), or for a list field the whole corrected list.
The file is a log: a later line for the same record and field wins, earlier ones stay for audit.
Applying puts the winning corrections on the record as its ``corrections`` key and changes
nothing else, so the extractor's value and confidence stay beside the analyst's. The batch
applies them whenever it writes records (a rerun keeps them, with the same bytes), and the
review page and queue apply the file as they read the outputs, so a correction shows at once.
A correction whose record is gone stays in the file and is listed in ``run-summary.json``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from models.record import CorrectableField, Correction

CORRECTIONS = "corrections.jsonl"
FIELDS: tuple[str, ...] = get_args(CorrectableField)


class CorrectionsError(Exception):
    """A correction that cannot be taken (a line that is not one, an unknown record or field): one line for the user."""


@dataclass(frozen=True)
class Entry:
    """One line of ``corrections.jsonl``: the record it is for and its correction."""

    id: str
    correction: Correction

    def to_json(self) -> dict[str, Any]:
        optional = {name for name in ("note", "at") if getattr(self.correction, name) is None}
        return {"id": self.id, **self.correction.model_dump(mode="json", exclude=optional)}


def parse_entry(data: Any) -> Entry:
    """A line's JSON as an ``Entry``; ``CorrectionsError`` saying what is wrong."""
    if not isinstance(data, dict):
        raise CorrectionsError("not a JSON object")
    fields = dict(data)
    record_id = fields.pop("id", None)
    if not isinstance(record_id, str) or not record_id:
        raise CorrectionsError("no record id")
    try:
        return Entry(record_id, Correction.model_validate(fields))
    except ValidationError as error:
        raise CorrectionsError(one_line(error)) from None


def one_line(error: ValidationError) -> str:
    """``value[0].role: Field required`` — pydantic's first messages, without its URLs and line breaks."""
    def where(loc: tuple[int | str, ...]) -> str:
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
        return path[1:] if path.startswith(".") else f"value{path}"

    return "; ".join(f"{where(e['loc'])}: {e['msg'].removeprefix('Value error, ')}" for e in error.errors(include_url=False)[:3])


def load_corrections(output_dir: Path) -> list[Entry]:
    """The folder's corrections in file order (none without a file); ``CorrectionsError`` naming the line at fault."""
    path = output_dir / CORRECTIONS
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        return []
    except UnicodeDecodeError as error:
        raise CorrectionsError(f"{path}: not UTF-8 ({error.reason})") from None
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entries.append(parse_entry(json.loads(line)))
        except (ValueError, CorrectionsError) as error:  # json's errors are ValueErrors
            raise CorrectionsError(f"{path}:{number}: {error}") from None
    return entries


def by_record(entries: Iterable[Entry]) -> dict[str, list[Correction]]:
    """Each record's corrections, the last one per field, in the record's field order."""
    latest: dict[str, dict[str, Correction]] = {}
    for entry in entries:
        latest.setdefault(entry.id, {})[entry.correction.field] = entry.correction
    return {record_id: [fields[name] for name in FIELDS if name in fields] for record_id, fields in latest.items()}


def apply_corrections(record: dict[str, Any], corrections: dict[str, list[Correction]]) -> dict[str, Any]:
    """``record`` (a JSON record) with its ``corrections`` key set from ``corrections`` (emptied when it has none);
    an error record as it is. Nothing else changes: the extractor's values stay, for audit."""
    if "error" in record:
        return record
    mine = [c.model_dump(mode="json") for c in corrections.get(record["id"], [])]
    return record if record.get("corrections", []) == mine else {**record, "corrections": mine}


def unmatched(entries: Iterable[Entry], ids: set[str]) -> list[dict[str, str]]:
    """The corrections for records that are not in ``ids``: kept in the file, reported, never dropped."""
    return [{"id": e.id, "field": e.correction.field} for e in entries if e.id not in ids]


def corrected_records(records: Iterable[dict[str, Any]], output_dir: Path) -> Iterator[dict[str, Any]]:
    """``records`` with the folder's current corrections: the page and the queue show a correction before any rerun."""
    corrections = by_record(load_corrections(output_dir))
    return (apply_corrections(record, corrections) for record in records)


def add_correction(output_dir: Path, ids: set[str], record_id: str, field: str, value: str, note: str | None) -> Entry:
    """Validate a correction against the run's record ids and the schema, then append it to ``corrections.jsonl``.

    ``value`` is JSON (``"Tartu"``, ``null``, ``["A", "B"]``); anything that is not JSON is taken as a string."""
    if record_id not in ids:
        raise CorrectionsError(f"no record with id {record_id!r} in {output_dir.as_posix()}/")
    if field not in FIELDS:
        raise CorrectionsError(f"{field!r} cannot be corrected; fields: {', '.join(FIELDS)}")
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value
    at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    entry = parse_entry({"id": record_id, "field": field, "value": parsed, "note": note, "at": at})
    _append_line(output_dir / CORRECTIONS, json.dumps(entry.to_json(), ensure_ascii=False))
    return entry


def _append_line(path: Path, line: str) -> None:
    """One line added whole (``O_APPEND``, one write, fsync); a hand-edited file without a final newline keeps its last line."""
    with path.open("ab") as handle:
        missing_newline = handle.tell() > 0 and path.read_bytes()[-1:] != b"\n"
        handle.write((("\n" if missing_newline else "") + line + "\n").encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
