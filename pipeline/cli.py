"""``extract-agreements`` (also ``python -m pipeline``): the subcommands (docs/architecture.md, README "Command line")."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from models import record_json_schema
from pipeline.review import DEFAULT_THRESHOLD
from pipeline.extractor import DEFAULT_MAX_BYTES, DEFAULT_SCHEDULER_TIMEOUT_S, DEFAULT_MAX_CHARS, DEFAULT_TIMEOUT_S, ExtractorConfig, progress_messages
from pipeline.rules import available_languages

if TYPE_CHECKING:
    from pipeline.batch import RunSummary



MAX_COUNT = 2**53
"""The largest ``--jobs``, ``--max-bytes`` or ``--max-chars`` (larger ones overflow the OS's read sizes)."""
MAX_SECONDS = 1e6
"""The longest time limit (about 11 days; the interval timer overflows far beyond it); 0 means none."""


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if not 1 <= number <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"must be at least 1 and at most {MAX_COUNT}, not {number}")
    return number


def _probability(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0 <= number <= 1:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 1, not {value}")
    return number


def _seconds(value: str) -> float | None:
    """A time limit; 0 means none."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 <= seconds <= MAX_SECONDS:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a number of seconds up to {MAX_SECONDS:g}, 0 for no limit, not {value}")
    return seconds or None


def _os_error(error: OSError) -> str:
    """``out/records.jsonl: No space left on device``: the path and the cause, on one line."""
    where = ": ".join(os.fsdecode(name) for name in (error.filename, error.filename2) if name is not None)
    cause = error.strerror or str(error)
    return f"{where}: {cause}" if where else cause


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="extract-agreements", description="Turn announcements of agreements into validated JSON records."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser(
        "extract",
        help="extract records from files and folders",
        description="Write one JSON record per document (outputs/<id>.json, the id being the path relative to the input "
        "folder, e.g. news/a.md.json) with the text its spans index beside it (<id>.txt), records.jsonl, "
        "run-summary.json and manifest.json. Unchanged documents are skipped on reruns. "
        "Exit status: 0 all documents extracted, 1 some gave error records, 2 usage or environment error "
        "(the output folder busy or not writable, ...), 130 interrupted, 143 terminated (SIGTERM).",
    )
    extract.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="files, or folders searched recursively")
    extract.add_argument("-o", "--output", type=Path, default=Path("outputs"), help="output folder (default: outputs)")
    where = extract.add_mutually_exclusive_group()
    where.add_argument(
        "--jobs", type=_positive, default=os.cpu_count() or 1, help="worker processes (default: CPU count, %(default)s)"
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster of this scheduler (tcp://host:8786) instead of local processes; "
        "this machine reads the files and writes the outputs (needs the dask extra)",
    )
    extract.add_argument(
        "--lang",
        choices=["auto", *available_languages()],
        default="auto",
        help="language of the documents: auto (default) detects each document's language; a code reads every document as that language",
    )
    extract.add_argument("--model", metavar="NAME_OR_PATH", help="spaCy pipeline to use instead of the language's default")
    extract.add_argument("--force", action="store_true", help="redo every document, even unchanged ones")
    extract.add_argument(
        "--embed-text",
        action="store_true",
        help="put the text the spans index in each record (its text key) instead of writing it beside the record as <id>.txt",
    )
    extract.add_argument(
        "--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, help="larger files get an error record (default: %(default)s)"
    )
    extract.add_argument(
        "--max-chars",
        type=_positive,
        default=DEFAULT_MAX_CHARS,
        help="documents with a longer text get an error record instead of being parsed (default: %(default)s)",
    )
    extract.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help="a document taking longer gets an error record; 0: no limit (default: %(default)g)",
    )
    extract.add_argument(
        "--retry-timeouts",
        action="store_true",
        help="redo the documents that timed out or lost their worker process in an earlier run (otherwise "
        "their error records are kept, and a timed-out one is redone only under a longer --timeout)",
    )
    extract.add_argument(
        "--scheduler-timeout",
        type=_seconds,
        default=DEFAULT_SCHEDULER_TIMEOUT_S,
        metavar="SECONDS",
        help="with --scheduler: end the run when the cluster has had no workers for this long or the scheduler "
        "is lost; the records received are kept and a rerun resumes; 0: wait for ever (default: %(default)g)",
    )

    evaluate = commands.add_parser("evaluate", help="score records against hand-written gold files")
    evaluate.add_argument("--pred", type=Path, required=True, metavar="DIR", help="folder of predicted records")
    evaluate.add_argument("--gold", type=Path, required=True, metavar="DIR", help="folder of gold files")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.add_argument("--errors", action="store_true", help="list every differing field per document")
    evaluate.add_argument("--lang", action="append", metavar="CODE", help="only gold documents in this language (repeatable)")
    evaluate.add_argument("--diagram", type=Path, metavar="PNG", help="write the confidences' reliability diagram to this PNG file")

    report = commands.add_parser(
        "report",
        help="write a self-contained HTML page to review the records",
        description="Write one HTML file (scripts, styles and data inline; it works offline) showing a summary, "
        "a filterable table of the agreements with each value coloured by its confidence, each document's text with its evidence highlighted, a timeline, "
        "a partnership network and the error records.",
    )
    _add_run_folders(report, "the page shows each document's text from there")
    report.add_argument("-o", "--output", type=Path, help="HTML file to write (default: OUTPUTS_DIR/report.html)")
    report.add_argument(
        "--diagram",
        type=Path,
        metavar="PNG",
        help="a reliability diagram (`evaluate --diagram`) to show in the summary (default: OUTPUTS_DIR/reliability.png if there)",
    )

    review = commands.add_parser(
        "review",
        help="list the values to check: those whose confidence is under a threshold, lowest first",
        description="List every cell (a value of a record: a date, a party, a person, a theme, ...) whose calibrated "
        "confidence is under --below, lowest first, with the words it was read from and the runner-up candidates, "
        "then the share of cells under the threshold per field. Cells without a calibrated confidence "
        "(organisations, people's roles) and corrected fields are counted apart.",
    )
    _add_run_folders(review, "the queue quotes each cell's evidence from there")
    review.add_argument(
        "--below", type=_probability, default=DEFAULT_THRESHOLD, metavar="P", help="list cells under this confidence (default: %(default)g)"
    )
    review.add_argument("--json", action="store_true", help="print the queue as JSON")
    review.add_argument("--limit", type=_positive, metavar="N", help="list at most N cells (the counts still cover all)")

    correct = commands.add_parser(
        "correct",
        help="record an analyst's value for a field of a record (OUTPUTS_DIR/corrections.jsonl)",
        description="Append a correction to OUTPUTS_DIR/corrections.jsonl after checking that the record exists and "
        "the value fits the field. The review page and queue show it at once; `extract` puts it on the records "
        "(their `corrections` key) and keeps it on every rerun. The extractor's own value stays in the record.",
    )
    correct.add_argument("outputs", type=Path, metavar="OUTPUTS_DIR", help="folder written by `extract`")
    correct.add_argument("id", metavar="ID", help="the record's id")
    correct.add_argument("field", metavar="FIELD", help="agreement_type, signing_date, publication_date, signing_place, parties, organizations, people or themes")
    correct.add_argument(
        "value",
        metavar="VALUE_JSON",
        help="the field's value as JSON: '\"2024-11-20\"', 'null', '[\"Acme\", \"Beta Labs\"]' (a list field takes the whole "
        "list; people as objects with name, role, title, affiliation); text that is not JSON is taken as a string",
    )
    correct.add_argument("--note", help="why, for whoever reads the record next")

    train = commands.add_parser(
        "train",
        help="learn the decisions from the labelled documents and print leave-one-source-out figures",
        description="Extract every labelled document (samples/, benchmarks/announcements/set-*, and the corpus "
        "beside the repository when present), fit each learned decision (parties, signing date and place; logistic "
        "regression, scikit-learn: the train extra) and each field's confidence calibration, print per language the "
        "rules-only, in-sample and leave-one-source-out figures and the calibration, and write "
        "pipeline/patterns/decisions/<field>.json and pipeline/patterns/confidence/<field>.json.",
    )
    train.add_argument("--corpus", type=Path, help="a corpus folder with sources.jsonl, docs/ and gold/ (default: ../shared/corpus beside the repository, if there)")
    train.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    train.add_argument("--diagram", type=Path, metavar="PNG", help="draw the leave-one-source-out reliability diagram of the confidences to this PNG")

    commands.add_parser("schema", help="print the JSON Schema of a record")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; returns the exit status (argparse's own errors included, as 2)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # --help or a usage error: return its status instead of exiting
        return stop.code if isinstance(stop.code, int) else 2
    try:
        return _run(args)
    except OSError as error:  # the environment: an output folder that cannot be written, a full disk
        print(f"extract-agreements: error: {_os_error(error)}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "extract":
        return _extract(args)
    if args.command == "evaluate":
        from pipeline.evaluate import main_evaluate

        languages = set(args.lang) if args.lang else None
        return main_evaluate(args.pred, args.gold, as_json=args.json, show_errors=args.errors, languages=languages, diagram=args.diagram)
    if args.command == "report":
        return _report(args)
    if args.command == "review":
        return _review(args)
    if args.command == "correct":
        return _correct(args)
    if args.command == "train":
        return _train(args)
    print(json.dumps(record_json_schema(), indent=2))
    return 0


def _add_run_folders(parser: argparse.ArgumentParser, use: str) -> None:
    """OUTPUTS_DIR and ``--inputs``: what `report` and `review` read of a run."""
    parser.add_argument("outputs", type=Path, metavar="OUTPUTS_DIR", help="folder written by `extract`")
    parser.add_argument(
        "--inputs",
        type=Path,
        default=Path("samples"),
        metavar="DIR",
        help=f"the folder `extract` read: records name their source relative to it, and {use} (runs do not record it; default: %(default)s)",
    )


def _train(args: argparse.Namespace) -> int:
    from pipeline.extractor import Extractor
    from pipeline import training

    corpus = args.corpus or (training.DEFAULT_CORPUS if training.DEFAULT_CORPUS.is_dir() else None)
    documents = training.labelled_documents(corpus=corpus)
    print(f"{len(documents)} labelled documents from {len({d.source for d in documents})} sources", file=sys.stderr)
    report = training.train(training.analyse(Extractor(), documents))
    print(report.format())
    for decision in [*report.decisions.values(), *report.calibrations.values()] if not args.dry_run else ():
        print(f"wrote {training.write_decision(decision)}", file=sys.stderr)
    if args.diagram is not None:
        from pipeline.evaluate import write_reliability_diagram

        print(f"wrote {write_reliability_diagram(report.pooled.calibration, args.diagram)}", file=sys.stderr)
    return 0


class Terminated(BaseException):
    """SIGTERM (``kill``, ``docker stop``), raised in the main thread so that a run unwinds as on Ctrl-C:
    workers stopped, temporary files removed, the records written kept."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """While the block runs, SIGTERM raises ``Terminated`` (only the main thread can set a handler)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _extract(args: argparse.Namespace) -> int:
    from pipeline.batch import BatchError, run_batch

    limits = dict(max_bytes=args.max_bytes, max_chars=args.max_chars, timeout_s=args.timeout)
    config = ExtractorConfig(language=args.lang, spacy_model=args.model, embed_text=args.embed_text, **limits)
    try:
        with _sigterm_unwinds(), progress_messages():
            if args.scheduler:
                summary = _run_on_dask(args, config)
            else:
                summary = run_batch(
                    args.inputs, args.output, config, jobs=args.jobs, force=args.force, retry_failures=args.retry_timeouts
                )
    except BatchError as error:
        print(f"extract-agreements: error: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Terminated) as stop:
        how, status = ("interrupted", 130) if isinstance(stop, KeyboardInterrupt) else ("terminated", 143)
        print(f"extract-agreements: {how}; the records written are kept, rerun to resume", file=sys.stderr)
        return status
    print(summary.line())
    print(f"done in {summary.seconds:.1f} s", file=sys.stderr)
    return 1 if summary.errors else 0


def _run_on_dask(args: argparse.Namespace, config: ExtractorConfig) -> RunSummary:
    from pipeline.batch import BatchError

    try:
        from pipeline.distributed import run_on_dask
    except ImportError as error:
        raise BatchError(f"--scheduler needs Dask: pip install 'agreement-extractor[dask]' ({error})") from error
    return run_on_dask(
        args.inputs,
        args.output,
        config,
        args.scheduler,
        force=args.force,
        retry_failures=args.retry_timeouts,
        scheduler_timeout=args.scheduler_timeout,
    )


def _report(args: argparse.Namespace) -> int:
    from pipeline.corrections import CorrectionsError
    from pipeline.report import ReportError, build_report

    try:
        result = build_report(args.outputs, args.inputs, args.output or args.outputs / "report.html", args.diagram)
    except (ReportError, CorrectionsError) as error:
        print(f"extract-agreements: error: {error}", file=sys.stderr)
        return 2
    print(result.line())
    return 0


def _review(args: argparse.Namespace) -> int:
    from pipeline.corrections import CorrectionsError
    from pipeline.report import ReportError
    from pipeline.review import main_review

    try:
        return main_review(args.outputs, args.inputs, args.below, as_json=args.json, limit=args.limit, bold=sys.stdout.isatty())
    except (ReportError, CorrectionsError) as error:
        print(f"extract-agreements: error: {error}", file=sys.stderr)
        return 2


def _correct(args: argparse.Namespace) -> int:
    from pipeline.corrections import CORRECTIONS, CorrectionsError, add_correction
    from pipeline.report import ReportError, load_records

    try:
        ids = {record["id"] for record in load_records(args.outputs) if "id" in record}
        entry = add_correction(args.outputs, ids, args.id, args.field, args.value, args.note)
    except (ReportError, CorrectionsError) as error:
        print(f"extract-agreements: error: {error}", file=sys.stderr)
        return 2
    value = json.dumps(entry.correction.value, ensure_ascii=False)
    print(f"{entry.id} {entry.correction.field} = {value} → {(args.outputs / CORRECTIONS).as_posix()}")
    return 0
