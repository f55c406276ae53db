"""Date-normalisation benchmark on the TempEval-3 platinum test set (TimeML).

Why: the extractor's signing and publication dates are only as good as its date finding
(``pipeline.stages.dates.date_spans``) and normalisation (``normalise``). This script runs
both, exactly as the extractor does, over public news texts whose TIMEX3 annotations give
the right answer, anchored on each file's creation time (DCT), and scores the result
against gold TIMEX3 of type DATE. It is a benchmark, not a test: it prints figures and
never fails on them.

Scoring, as in the official TempEval-3 scorer: spans are compared strictly (same offsets)
and relaxed (any overlap); a predicted mention is value-correct when it overlaps a gold
DATE and its value equals the gold value (relaxed match + value attribute). The project
emits calendar dates only (YYYY, YYYY-MM, YYYY-MM-DD), so gold values such as
``PRESENT_REF``, ``2013-W12`` or ``2013-SU`` can never be matched; they stay in the
recall denominator of the all-DATE figures, and the calendar-only figures leave them out.

Usage: python benchmarks/tempeval3.py [--data DIR] [--order auto|DMY|MDY] [--json] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from spacy.tokens import Doc

from pipeline.extractor import Extractor
from pipeline.markup import mask_markup
from pipeline.readers import document_from_text
from pipeline.rules import LanguageRules
from pipeline.stages import dates

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "benchmarks" / "tempeval3"
CALENDAR_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Timex:
    """A gold TIMEX3 inside ``<TEXT>``, with offsets into the plain text."""

    tid: str
    type: str
    value: str
    start: int
    end: int
    text: str

    @property
    def calendar(self) -> bool:
        """Whether the project could ever produce this value (a YYYY[-MM[-DD]] date)."""
        return bool(CALENDAR_VALUE.match(self.value))


@dataclass(frozen=True)
class Mention:
    """A date span the project found; ``value`` is None when ``normalise`` dropped it."""

    start: int
    end: int
    text: str
    value: str | None


@dataclass(frozen=True)
class TimeMLFile:
    """One .tml file: the plain text of ``<TEXT>``, its creation date and its gold TIMEX3."""

    name: str
    text: str
    dct: date
    gold: list[Timex]


@dataclass
class FileResult:
    """What the project found in one file, and the date order it used."""

    name: str
    order: str
    gold: list[Timex]
    spans: list[Mention]  # every date_spans() span, normalised or not
    predicted: list[Mention] = field(init=False)  # those normalise() kept: the project's dates

    def __post_init__(self) -> None:
        self.predicted = [m for m in self.spans if m.value is not None]


def read_tml(path: Path) -> TimeMLFile:
    """Flatten ``<TEXT>`` to plain text, recording where each TIMEX3 starts and ends."""
    root = ET.parse(path).getroot()
    creation = root.find(".//TIMEX3[@functionInDocument='CREATION_TIME']")
    body = root.find("TEXT")
    if creation is None or body is None:
        raise ValueError(f"{path.name}: no creation-time TIMEX3 or no <TEXT>")
    parts: list[str] = []
    gold: list[Timex] = []
    length = 0

    def walk(element: ET.Element) -> None:
        nonlocal length
        start = length
        if element.text:
            parts.append(element.text)
            length += len(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)
        if element.tag == "TIMEX3":
            gold.append(Timex(element.get("tid", ""), element.get("type", ""), element.get("value", ""), start, length, "".join(element.itertext())))

    walk(body)
    return TimeMLFile(path.stem, "".join(parts), date.fromisoformat(creation.get("value", "")[:10]), gold)


def find_dates(doc: Doc, tml: TimeMLFile, rules: LanguageRules, order: str) -> FileResult:
    """The project's date spans and their values, the way the extractor computes them.

    ``order`` "auto" is the extractor's own choice (``dates.date_order``: DMY unless the text
    has a month-first cue). The signing-specific filters (prepositions such as "since",
    dates of other agreements) are not applied: they pick one date, they do not find dates.
    A date in a future context ("will be held in June") resolves forward, as a future signing's does.
    """
    if order == "auto":
        order = dates.date_order(doc, document_from_text(tml.text, tml.name), rules)
    spans = []
    for span in dates.date_spans(doc):
        found = dates.normalise(doc.text, span.start_char, span.end_char, rules, tml.dct, order, dates.future_context(span, rules))
        if found is None:
            spans.append(Mention(span.start_char, span.end_char, span.text, None))
        else:
            spans.append(Mention(found.start, found.end, found.text, found.value))
    return FileResult(tml.name, order, tml.gold, spans)


def _overlaps(a: Timex | Mention, b: Timex | Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _prf(hits_p: int, n_pred: int, hits_r: int, n_gold: int) -> dict[str, float | int]:
    precision = hits_p / n_pred if n_pred else 0.0
    recall = hits_r / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "tp_pred": hits_p, "predicted": n_pred, "tp_gold": hits_r, "gold": n_gold}


def score(results: list[FileResult], calendar_only: bool) -> dict[str, dict[str, float | int]]:
    """Span (strict, relaxed) and value P/R/F1 over gold DATEs.

    Calendar-only: gold DATEs with a non-calendar value are left out, and so are predictions
    that overlap only such a gold DATE (they are neither right nor wrong there). Predictions
    overlapping a gold TIME/DURATION/SET and no DATE count as false positives.
    """
    strict_p = strict_r = relaxed_p = relaxed_r = value_p = value_r = n_pred = n_gold = 0
    for result in results:
        all_dates = [g for g in result.gold if g.type == "DATE"]
        gold = [g for g in all_dates if g.calendar] if calendar_only else all_dates
        left_out = [g for g in all_dates if g not in gold]
        predicted = [p for p in result.predicted if not (any(_overlaps(p, g) for g in left_out) and not any(_overlaps(p, g) for g in gold))]
        n_gold += len(gold)
        n_pred += len(predicted)
        strict_p += sum(any((p.start, p.end) == (g.start, g.end) for g in gold) for p in predicted)
        strict_r += sum(any((p.start, p.end) == (g.start, g.end) for p in predicted) for g in gold)
        relaxed_p += sum(any(_overlaps(p, g) for g in gold) for p in predicted)
        relaxed_r += sum(any(_overlaps(p, g) for p in predicted) for g in gold)
        value_p += sum(any(_overlaps(p, g) and p.value == g.value for g in gold) for p in predicted)
        value_r += sum(any(_overlaps(p, g) and p.value == g.value for p in predicted) for g in gold)
    return {
        "span_strict": _prf(strict_p, n_pred, strict_r, n_gold),
        "span_relaxed": _prf(relaxed_p, n_pred, relaxed_r, n_gold),
        "value": {**_prf(value_p, n_pred, value_r, n_gold), "accuracy_on_relaxed_matches": round(value_r / relaxed_r, 4) if relaxed_r else 0.0},
    }


def misses(result: FileResult) -> list[dict[str, object]]:
    """Each gold DATE without a value-correct prediction, with the reason it was missed."""
    found = []
    for gold in (g for g in result.gold if g.type == "DATE"):
        near = [m for m in result.spans if _overlaps(m, gold)]
        if any(m.value == gold.value for m in near):
            continue
        if not gold.calendar:
            reason = "gold value not a calendar date"
        elif not near:
            reason = "no date span (NER/ruler miss)"
        elif all(m.value is None for m in near):
            reason = "span found, normalise() dropped it"
        else:
            reason = "wrong value"
        found.append({"file": result.name, "tid": gold.tid, "text": gold.text, "gold": gold.value, "reason": reason, "found": [(m.text, m.value) for m in near]})
    return found


def false_positives(result: FileResult) -> list[dict[str, object]]:
    """Predictions overlapping no gold DATE, with the gold TIMEX3 type they overlap, if any."""
    found = []
    for mention in result.predicted:
        if any(_overlaps(mention, g) for g in result.gold if g.type == "DATE"):
            continue
        other = [g.type for g in result.gold if _overlaps(mention, g)]
        found.append({"file": result.name, "text": mention.text, "value": mention.value, "overlaps_gold_type": other[0] if other else None})
    return found


def _print_report(report: dict, results: list[FileResult], verbose: bool) -> None:
    print(f"TempEval-3 platinum, gold TIMEX3 type DATE: {report['files']} files, date order {report['order']}")
    print(f"{'':34}{'P':>7}{'R':>7}{'F1':>7}   tp_pred/pred  tp_gold/gold")
    for subset, label in (("all_date", "all DATE"), ("calendar_only", "calendar-valued DATE only")):
        for metric, name in (("span_strict", "span strict"), ("span_relaxed", "span relaxed"), ("value", "value (relaxed span + value)")):
            row = report[subset][metric]
            counts = f"{row['tp_pred']:>5}/{row['predicted']:<5}   {row['tp_gold']:>5}/{row['gold']:<5}"
            print(f"{name:<34}{row['precision']:>7.3f}{row['recall']:>7.3f}{row['f1']:>7.3f}   {counts}  [{label}]")
        print(f"{'value accuracy on relaxed matches':<34}{report[subset]['value']['accuracy_on_relaxed_matches']:>7.3f}   [{label}]")
    print("missed gold DATEs by reason: " + ", ".join(f"{k} {v}" for k, v in report["miss_reasons"].items()))
    print(f"false positives: {len(report['false_positives'])} ({sum(1 for f in report['false_positives'] if f['overlaps_gold_type'])} on a gold TIME/DURATION/SET)")
    if verbose:
        print("\nper file: gold DATE / predicted / value-correct gold")
        for result in results:
            row = score([result], calendar_only=False)["value"]
            print(f"  {result.name:<40} {row['gold']:>3} {row['predicted']:>4} {row['tp_gold']:>4}   order {result.order}")
        print("\nmissed gold DATEs:")
        for miss in report["misses"]:
            print(f"  {miss['file']:<36} {miss['text']!r:<24} gold {miss['gold']:<12} {miss['reason']}; found {miss['found']}")
        print("\nfalse positives:")
        for fp in report["false_positives"]:
            print(f"  {fp['file']:<36} {fp['text']!r:<24} → {fp['value']:<12} gold type {fp['overlaps_gold_type']}")
    print(f"\nelapsed {report['elapsed_seconds']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of TempEval-3 .tml files")
    parser.add_argument("--order", choices=("auto", "DMY", "MDY"), default="auto", help="day/month order for numeric dates; auto = the extractor's date_order()")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--verbose", action="store_true", help="per-file counts, every miss and false positive")
    args = parser.parse_args(argv)
    paths = sorted(args.data.glob("*.tml")) if args.data.is_dir() else []
    if not paths:
        print(f"error: no TempEval-3 .tml files in {args.data} (expected the TE3-platinum folder; see --data)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    extractor = Extractor()
    files = [read_tml(path) for path in paths]
    docs = extractor.nlp.pipe(mask_markup(f.text) for f in files)
    results = [find_dates(doc, tml, extractor.rules, args.order) for doc, tml in zip(docs, files)]
    all_misses = [m for r in results for m in misses(r)]
    reasons: dict[str, int] = {}
    for miss in all_misses:
        reasons[str(miss["reason"])] = reasons.get(str(miss["reason"]), 0) + 1
    orders = sorted({r.order for r in results})
    report = {
        "files": len(results),
        "order": args.order if args.order != "auto" else f"auto ({'/'.join(f'{o} {sum(r.order == o for r in results)}' for o in orders)} files)",
        "all_date": score(results, calendar_only=False),
        "calendar_only": score(results, calendar_only=True),
        "miss_reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
        "misses": all_misses,
        "false_positives": [fp for r in results for fp in false_positives(r)],
        "elapsed_seconds": round(time.perf_counter() - started, 2),
    }
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print_report(report, results, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
