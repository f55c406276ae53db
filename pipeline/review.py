"""``extract-agreements review``: the cells an analyst should check, lowest confidence first.

A cell is one value of a record: its agreement type, a date, its place, one party, one
organisation, one person (and that person's role), one theme. Calibrated confidences are
probabilities of being right, so the cells under a threshold are where the errors are: the
queue lists them with the words they were read from and the values a reviewer would pick
instead, and ends with the share of cells under the threshold — the part of the table an
analyst reads. Cells without a calibrated confidence (organisations, people's roles) are
counted apart, and a field an analyst has corrected (``pipeline/corrections.py``) is done.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.corrections import corrected_records
from pipeline.evaluate import CONFIDENT

if TYPE_CHECKING:  # the page imports this module to mark the records to review
    from pipeline.report import SourceTexts

DEFAULT_THRESHOLD = CONFIDENT
"""The line ``evaluate`` measures precision above: cells under it are where the errors are."""
CONTEXT_CHARS = 60
"""Characters of text shown on each side of a cell's evidence."""
SINGLE_FIELDS = ("agreement_type", "signing_date", "publication_date", "signing_place")
LIST_FIELDS = ("parties", "organizations", "people", "themes")
FIELDS = (*SINGLE_FIELDS, "parties", "organizations", "people", "people.role", "themes")
"""The queue's fields, in record order; ``people.role`` is each person's role, a cell of its own."""

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Cell:
    """One value of one record, with what a reviewer needs to judge it."""

    record_id: str
    source: dict[str, Any]
    field: str
    index: int | None
    """The item's position in a list field; None for a single-valued field."""
    value: str
    confidence: float | None
    span: tuple[int, int] | None
    """Its first mention in the text."""
    alternatives: list[dict[str, Any]]
    """Runner-up candidates: ``{"value", "text"?, "span"?}``."""
    corrected: bool

    @property
    def label(self) -> str:
        """``parties[1]``, ``signing_date``."""
        return self.field if self.index is None else f"{self.field}[{self.index}]"


def record_cells(record: dict[str, Any]) -> Iterator[Cell]:
    """The cells of an agreement record (none for an error record), in record order."""
    if "error" in record:
        return
    corrected = {c["field"] for c in record.get("corrections", [])}

    def cell(field: str, index: int | None, value: str, confidence: Any, span: Any, alternatives: list[dict[str, Any]]) -> Cell:
        return Cell(
            record_id=record["id"],
            source=record["source"],
            field=field,
            index=index,
            value=value,
            confidence=confidence,
            span=tuple(span) if span else None,
            alternatives=alternatives,
            corrected=field.partition(".")[0] in corrected,
        )

    for name in SINGLE_FIELDS:
        if item := record.get(name):
            yield cell(name, None, item["value"], item.get("confidence"), item["span"], item.get("alternatives", []))
    others = [{"value": _organization(o), "span": o["spans"][0]} for o in record.get("organizations", [])]
    for index, party in enumerate(record.get("parties", [])):
        yield cell("parties", index, _organization(party), party.get("confidence"), party["spans"][0], others)
    for index, organization in enumerate(record.get("organizations", [])):
        yield cell("organizations", index, _organization(organization), organization.get("confidence"), organization["spans"][0], [])
    for index, person in enumerate(record.get("people", [])):
        yield cell("people", index, person["name"], person.get("confidence"), person["spans"][0], [])
        yield cell("people.role", index, f"{person['name']}: {person['role']}", person.get("role_confidence"), person["spans"][0], [])
    for index, theme in enumerate(record.get("themes", [])):
        yield cell("themes", index, theme["value"], theme.get("confidence"), theme["spans"][0], [])


def _organization(item: dict[str, Any]) -> str:
    return f"{item['name']} ({item['acronym']})" if item.get("acronym") else item["name"]


@dataclass
class FieldCount:
    """One field's cells: all of them, those under the threshold, uncalibrated and corrected ones."""

    cells: int = 0
    below: int = 0
    not_calibrated: int = 0
    corrected: int = 0

    @property
    def calibrated(self) -> int:
        return self.cells - self.not_calibrated - self.corrected

    @property
    def share(self) -> float | None:
        """The share of the calibrated cells an analyst checks."""
        return self.below / self.calibrated if self.calibrated else None

    def add(self, cell: Cell, threshold: float) -> None:
        self.cells += 1
        if cell.corrected:
            self.corrected += 1
        elif cell.confidence is None:
            self.not_calibrated += 1
        elif cell.confidence < threshold:
            self.below += 1

    def to_json(self) -> dict[str, Any]:
        share = None if self.share is None else round(self.share, 4)
        return {"cells": self.cells, "below": self.below, "share": share, "not_calibrated": self.not_calibrated, "corrected": self.corrected}


@dataclass
class Queue:
    """The cells under ``threshold``, lowest first, and the counts per field over every cell."""

    threshold: float
    cells: list[Cell]
    fields: dict[str, FieldCount]
    total: FieldCount = field(default_factory=FieldCount)


def review_queue(records: Iterable[dict[str, Any]], threshold: float = DEFAULT_THRESHOLD) -> Queue:
    """Every calibrated, uncorrected cell under ``threshold``, lowest confidence first (then record, field order)."""
    fields = {name: FieldCount() for name in FIELDS}
    total = FieldCount()
    queued: list[Cell] = []
    for record in records:
        for cell in record_cells(record):
            fields[cell.field].add(cell, threshold)
            total.add(cell, threshold)
            if not cell.corrected and cell.confidence is not None and cell.confidence < threshold:
                queued.append(cell)
    queued.sort(key=lambda c: (c.confidence, c.record_id, FIELDS.index(c.field), c.index or 0))
    return Queue(threshold, queued, fields, total)


@dataclass(frozen=True)
class Evidence:
    """The text around a span, whitespace folded so it fits a line: ``before``, the span's ``words``, ``after``."""

    before: str
    words: str
    after: str

    def marked(self, bold: bool) -> str:
        """The span in ANSI bold on a terminal, else between ``»`` and ``«``."""
        start, end = ("\033[1m", "\033[0m") if bold else ("»", "«")
        return f"{self.before}{start}{self.words}{end}{self.after}"


def evidence(text: str, span: tuple[int, int], context: int = CONTEXT_CHARS) -> Evidence:
    """The words at ``span`` with ``context`` characters each side (``…`` where the text goes on)."""
    start, end = span
    before, words, after = (_SPACE.sub(" ", part) for part in (text[max(0, start - context) : start], text[start:end], text[end : end + context]))
    return Evidence(
        before=("…" if start > context else "") + before.lstrip(),
        words=words,
        after=after.rstrip() + ("…" if end + context < len(text) else ""),
    )


def cell_evidence(cells: Iterable[Cell], texts: SourceTexts) -> Iterator[tuple[Cell, Evidence | None, str | None]]:
    """Each cell with its evidence, or None and why there is no text (read as ``report`` reads it)."""
    for cell in cells:
        text, note = texts.text(cell.source)
        if text is None or cell.span is None:
            yield cell, None, note or "no span"
        else:
            yield cell, evidence(text, cell.span), None


def format_queue(queue: Queue, texts: SourceTexts, limit: int | None = None, bold: bool = False) -> str:
    """The queue as a terminal reads it: one block per cell, then the counts per field."""
    lines: list[str] = []
    shown = queue.cells[:limit]
    for cell, found, note in cell_evidence(shown, texts):
        lines.append(f"{cell.confidence:.3f}  {cell.record_id}  {cell.label}  {cell.value}")
        lines.append(f"       {found.marked(bold) if found else f'(no text: {note})'}")
        if cell.alternatives:
            lines.append(f"       instead: {'; '.join(a['value'] for a in cell.alternatives)}")
    if len(shown) < len(queue.cells):
        lines.append(f"… {len(queue.cells) - len(shown)} more cells under {queue.threshold:g} (--limit {limit})")
    if lines:
        lines.append("")
    lines.append(f"{'field':<16}{'cells':>7}{f'< {queue.threshold:g}':>9}{'share':>8}{'not calibrated':>16}{'corrected':>11}")
    for name, count in [*queue.fields.items(), ("all", queue.total)]:
        if count.cells or name == "all":
            share = "–" if count.share is None else f"{count.share:.0%}"
            lines.append(f"{name:<16}{count.cells:>7}{count.below:>9}{share:>8}{count.not_calibrated:>16}{count.corrected:>11}")
    lines.append(summary_line(queue))
    return "\n".join(lines)


def summary_line(queue: Queue) -> str:
    """``An analyst checks 12% of cells (45 of 380 calibrated cells under 0.8); 60 not calibrated, 1 corrected.``"""
    total = queue.total
    share = "no" if total.share is None else f"{total.share:.0%} of"
    return (
        f"An analyst checks {share} cells ({total.below} of {total.calibrated} calibrated cells under {queue.threshold:g}); "
        f"{total.not_calibrated} not calibrated, {total.corrected} corrected."
    )


def queue_json(queue: Queue, texts: SourceTexts, limit: int | None = None) -> dict[str, Any]:
    """The queue as ``--json`` prints it."""
    cells = []
    for cell, found, note in cell_evidence(queue.cells[:limit], texts):
        cells.append(
            {
                "id": cell.record_id,
                "source": cell.source.get("path"),
                "field": cell.field,
                "index": cell.index,
                "value": cell.value,
                "confidence": cell.confidence,
                "span": list(cell.span) if cell.span else None,
                "evidence": None if found is None else {"before": found.before, "text": found.words, "after": found.after},
                "no_text": note,
                "alternatives": cell.alternatives,
            }
        )
    return {
        "threshold": queue.threshold,
        "below": len(queue.cells),
        "cells": cells,
        "fields": {name: count.to_json() for name, count in queue.fields.items()},
        "all": queue.total.to_json(),
    }


def main_review(outputs_dir: Path, inputs: Path | None, threshold: float, as_json: bool, limit: int | None, bold: bool) -> int:
    """Print the queue of ``outputs_dir``, its texts read from ``inputs`` or else the inputs the run
    recorded; ``ReportError`` (a usage error) when it holds no records."""
    from pipeline.report import load_records, run_texts

    queue = review_queue(corrected_records(load_records(outputs_dir), outputs_dir), threshold)
    texts, warnings = run_texts(outputs_dir, inputs)
    for warning in warnings:
        print(f"extract-agreements: warning: {warning}", file=sys.stderr)
    if as_json:
        print(json.dumps(queue_json(queue, texts, limit), ensure_ascii=False, indent=2))
    else:
        print(format_queue(queue, texts, limit, bold))
    return 1 if warnings else 0
