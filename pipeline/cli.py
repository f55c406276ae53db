"""``extract-agreements`` (also ``python -m pipeline``): the subcommands, on typer (docs/architecture.md, README "Command line").

The conventions: ``--help`` (``-h``) on every command, and no arguments at all, print the help
(exit 0); ``--version``; a mistyped command or option is answered with the nearest names, and
long options are never abbreviated; a usage error is one line on stderr and exit status 2,
never a traceback. Data goes to stdout, progress and diagnostics to stderr; a reader that stops
early (``schema | head``) ends the command quietly with status 141, as SIGPIPE would.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from typer.core import TyperGroup

from models import record_json_schema
from pipeline import __version__
from pipeline.extractor import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, DEFAULT_SCHEDULER_TIMEOUT_S, DEFAULT_TIMEOUT_S, ExtractorConfig, progress_messages
from pipeline.review import DEFAULT_THRESHOLD
from pipeline.rules import available_languages

if TYPE_CHECKING:
    from pipeline.batch import RunSummary

PROG = "extract-agreements"
MAX_COUNT = 2**53
"""The largest ``--jobs``, ``--max-bytes`` or ``--max-chars`` (larger ones overflow the OS's read sizes)."""
MAX_SECONDS = 1e6
"""The longest time limit (about 11 days; the interval timer overflows far beyond it); 0 means none."""
STANDARD_STREAM = Path("-")
"""As an input: read the paths from stdin; as ``extract``'s output: write the records to stdout."""
LISTED = 10
"""Unsupported and failed files named after a run (``--verbose``: all)."""
LANGUAGES = ("auto", *available_languages())
"""``--lang``: detect each document's language, or read every document as one with rules."""
BROKEN_PIPE = 128 + signal.SIGPIPE
"""The exit status when stdout's reader has gone: what a shell shows for a program SIGPIPE ended."""

log = logging.getLogger(__name__)


class _Commands(TyperGroup):
    """The commands, each ended quietly when its stdout's reader goes away (``schema | head``)."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # here, not at exit, so that a closed pipe is seen here
        except BrokenPipeError:
            _silence_stdout()
            return BROKEN_PIPE
        return result


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit meets no closed pipe either."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


app = typer.Typer(
    cls=_Commands,
    name=PROG,
    rich_markup_mode=None,  # plain help: the same in a terminal, a pipe and the README
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit status (2 for a usage error, with one line on stderr)."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        status = typer.main.get_command(app).main(args or ["--help"], prog_name=PROG, standalone_mode=False)
    except typer.TyperException as error:  # typer's usage errors: unknown option, bad value, ...
        print(_one_line(error), file=sys.stderr)
        return error.exit_code
    except OSError as error:  # the environment: an output folder that cannot be written, a full disk
        print(f"{PROG}: error: {_os_error(error)}", file=sys.stderr)
        return 2
    return status if isinstance(status, int) else 0


def _one_line(error: typer.TyperException) -> str:
    """``extract-agreements extract: error: No such option: --forc. Did you mean --force?``"""
    context = getattr(error, "ctx", None)
    message = error.format_message()
    if near := getattr(error, "possibilities", None):  # an unknown option: click found the near ones, nearest first
        message = f"{error.message}. Did you mean {' or '.join(near)}?"
    return f"{context.command_path if context else PROG}: error: {' '.join(message.split())}"


def _os_error(error: OSError) -> str:
    """``out/records.jsonl: No space left on device``: the path and the cause, on one line."""
    where = ": ".join(os.fsdecode(name) for name in (error.filename, error.filename2) if name is not None)
    cause = error.strerror or str(error)
    return f"{where}: {cause}" if where else cause


def _fail(message: str) -> int:
    """A usage or environment error found while running a command: one line, status 2."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


# --------------------------------------------------------------------------- option values


def _positive(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_COUNT:
        raise typer.BadParameter(f"wants a positive integer up to {MAX_COUNT}, not {value!r}")
    return number


def _probability(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not 0 <= number <= 1:  # also refuses nan
        raise typer.BadParameter(f"wants a number from 0 to 1, not {value!r}")
    return number


def _seconds(value: Any) -> float | None:
    """A time limit; 0 means none."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not 0 <= seconds <= MAX_SECONDS:  # also refuses nan
        raise typer.BadParameter(f"wants a number of seconds from 0 (no limit) to {MAX_SECONDS:g}, not {value!r}")
    return seconds or None


def _one_of(*choices: str) -> Callable[[Any], str]:
    def choose(value: Any) -> str:
        if value not in choices:
            raise typer.BadParameter(f"wants one of {', '.join(choices)}, not {value!r}")
        return str(value)

    return choose



def _show_version(shown: bool) -> None:
    if shown:
        print(f"{PROG} {__version__}")
        raise typer.Exit()


@app.callback()
def _program(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Turn announcements of agreements into validated JSON records."""


# --------------------------------------------------------------------------- what a command prints


@dataclass(frozen=True)
class Voice:
    """How much a command says besides its data: errors only (``--quiet``), the usual, or all (``--verbose``)."""

    quiet: bool = False
    verbose: bool = False

    def __post_init__(self) -> None:
        if self.quiet and self.verbose:
            raise typer.BadParameter("not with --quiet", param_hint="'--verbose'")

    def cut(self, items: list[str]) -> tuple[list[str], int]:
        """The items to print, all of them when verbose, else the first ``LISTED``; and how many are left out."""
        shown = items if self.verbose else items[:LISTED]
        return shown, len(items) - len(shown)

    def logging(self) -> AbstractContextManager[None]:
        """The pipeline's log on stderr while a command runs, in its worker processes too: errors
        only when quiet, its progress ("loading the French model…") as usual, notes too when verbose."""
        return progress_messages(logging.ERROR if self.quiet else logging.DEBUG if self.verbose else logging.INFO)


Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only: no progress bar, no summary.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Also print what is usually cut short (every file not read or failed) and the pipeline's notes.")]
OutputsDir = Annotated[Path, typer.Argument(metavar="OUTPUTS_DIR", help="The folder written by `extract`.", show_default=False)]


def _inputs_option(use: str) -> Any:
    return typer.Option(
        "--inputs",
        metavar="DIR",
        show_default=False,
        help=f"The folder `extract` read: records name their source relative to it, and {use} (default: the inputs recorded in OUTPUTS_DIR/run-summary.json).",
    )


# --------------------------------------------------------------------------- extract


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


@app.command(
    short_help="Extract records from files and folders.",
    help="Write one JSON record per document (OUTPUTS/<id>.json, the id being the path relative to the input folder, e.g. news/a.md.json, with the text its spans index beside it as <id>.txt), records.jsonl, agreements.csv "
    "(one row per record), run-summary.json and manifest.json. Unchanged documents are skipped on reruns. "
    "Files of other formats in the input folders are not read; the summary names them. "
    "Exit status: 0 all documents extracted, 1 some gave error records (listed at the end), 2 usage or "
    "environment error (the output folder busy or not writable, ...), 130 interrupted, 143 terminated (SIGTERM).",
)
def extract(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="INPUT", show_default=False, help="Files, or folders searched recursively; - reads a list of paths from stdin, one per line."),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="DIR", help="The output folder; - writes the records to stdout as JSON Lines instead.")] = Path("outputs"),
    jobs: Annotated[
        int | None,
        typer.Option(parser=_positive, metavar="N", show_default=False, help=f"Worker processes (default: the CPU count, {os.cpu_count() or 1})."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Run on the Dask cluster of this scheduler (tcp://host:8786) instead of local processes; "
            "this machine reads the files and writes the outputs (needs the dask extra). Not with --jobs.",
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            parser=_one_of(*LANGUAGES),
            metavar="|".join(LANGUAGES),
            help="The language of the documents: auto detects each document's language; a code reads every document as that language.",
        ),
    ] = "auto",
    model: Annotated[str | None, typer.Option(metavar="NAME_OR_PATH", help="The spaCy pipeline to use instead of the language's default.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo every document, even unchanged ones.")] = False,
    embed_text: Annotated[
        bool,
        typer.Option("--embed-text", help="Put the text the spans index in each record (its text key) instead of writing it beside the record as <id>.txt."),
    ] = False,
    max_bytes: Annotated[int, typer.Option(parser=_positive, metavar="N", help="Larger files get an error record.")] = DEFAULT_MAX_BYTES,
    max_chars: Annotated[int, typer.Option(parser=_positive, metavar="N", help="Documents with a longer text get an error record instead of being parsed.")] = DEFAULT_MAX_CHARS,
    timeout: Annotated[
        float | None, typer.Option(parser=_seconds, metavar="SECONDS", help="A document taking longer gets an error record; 0: no limit.")
    ] = DEFAULT_TIMEOUT_S,
    retry_timeouts: Annotated[
        bool,
        typer.Option(
            "--retry-timeouts",
            help="Redo the documents that timed out or lost their worker process in an earlier run (otherwise "
            "their error records are kept, and a timed-out one is redone only under a longer --timeout).",
        ),
    ] = False,
    scheduler_timeout: Annotated[
        float | None,
        typer.Option(
            parser=_seconds,
            metavar="SECONDS",
            help="With --scheduler: end the run when the cluster has had no workers for this long or the scheduler "
            "is lost; the records received are kept and a rerun resumes; 0: wait for ever.",
        ),
    ] = DEFAULT_SCHEDULER_TIMEOUT_S,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> int:
    voice = Voice(quiet, verbose)
    if jobs is not None and scheduler is not None:
        raise typer.BadParameter("not with --scheduler (the cluster's workers do the work)", param_hint="'--jobs'")
    config = ExtractorConfig(language=lang, spacy_model=model, max_bytes=max_bytes, max_chars=max_chars, timeout_s=timeout, embed_text=embed_text)
    with voice.logging():
        paths = _read_inputs(inputs)

        def run(output_dir: Path) -> RunSummary:
            if scheduler is not None:
                return _run_on_dask(paths, output_dir, config, scheduler, force, retry_timeouts, scheduler_timeout, voice)
            from pipeline.batch import run_batch

            progress = False if quiet else None
            return run_batch(paths, output_dir, config, jobs or os.cpu_count() or 1, force, progress, retry_failures=retry_timeouts)

        if output != STANDARD_STREAM:
            return _extract_into(run, output, voice, sys.stdout)
        with tempfile.TemporaryDirectory(prefix=f"{PROG}-") as folder:
            status = _extract_into(run, Path(folder), voice, sys.stderr, where="stdout")
            _copy_records(Path(folder), sys.stdout)
            return status


def _read_inputs(inputs: list[Path]) -> list[Path]:
    """``inputs`` with ``-`` replaced by the paths listed on stdin, one per line (blank lines skipped)."""
    if STANDARD_STREAM not in inputs:
        return inputs
    if inputs.count(STANDARD_STREAM) > 1:
        raise typer.BadParameter("- (the paths on stdin) given twice", param_hint="'INPUT'")
    lines = sys.stdin.buffer.read().splitlines()
    listed = [Path(os.fsdecode(line)) for line in lines if line.strip()]
    if not listed:
        raise typer.BadParameter("- but stdin lists no paths", param_hint="'INPUT'")
    log.debug("%d paths read from stdin", len(listed))
    at = inputs.index(STANDARD_STREAM)
    return [*inputs[:at], *listed, *inputs[at + 1 :]]


def _extract_into(run: Callable[[Path], RunSummary], output_dir: Path, voice: Voice, report: TextIO, where: str | None = None) -> int:
    """Run the batch into ``output_dir``, print what it did (``report``: where the summary goes, ``where``:
    where it says the records went, if not the folder); the exit status."""
    from pipeline.batch import BatchError

    try:
        with _sigterm_unwinds():
            summary = run(output_dir)
    except BatchError as error:
        return _fail(str(error))
    except (KeyboardInterrupt, Terminated) as stop:
        how, status = ("interrupted", 130) if isinstance(stop, KeyboardInterrupt) else ("terminated", 143)
        print(f"{PROG}: {how}; the records written are kept, rerun to resume", file=sys.stderr)
        return status
    _print_run(summary, voice, report, where)
    return 1 if summary.errors else 0


def _print_run(summary: RunSummary, voice: Voice, report: TextIO, where: str | None) -> None:
    """The summary line and the files not read on ``report``; the time, then the failed files last, on stderr."""
    from pipeline.report import load_records

    if not voice.quiet:
        print(summary.line(where), file=report)
        if summary.unsupported:
            shown, left = voice.cut(summary.unsupported)
            more = f", and {left} more (--verbose names them all)" if left else ""
            print(f"not read (no supported format): {', '.join(shown)}{more}", file=report)
        print(f"done in {summary.seconds:.1f} s", file=sys.stderr)
    if not summary.errors:
        return
    failed = [record for record in load_records(summary.output_dir) if "error" in record]
    print(f"failed ({len(failed)}):", file=sys.stderr)
    shown, left = voice.cut([f"{r['source']['path']}: {r['error']['type']}: {' '.join(r['error']['message'].split())}" for r in failed])
    for line in shown:
        print(f"  {line}", file=sys.stderr)
    if left:
        print(f"  and {left} more (--verbose lists them all)", file=sys.stderr)


def _copy_records(output_dir: Path, stream: TextIO) -> None:
    """``records.jsonl`` of a finished run onto ``stream`` (nothing when the run did not finish)."""
    from pipeline.batch import RECORDS

    try:
        source = (output_dir / RECORDS).open(encoding="utf-8")
    except FileNotFoundError:
        return
    with source:
        shutil.copyfileobj(source, stream)


def _run_on_dask(
    inputs: list[Path],
    output_dir: Path,
    config: ExtractorConfig,
    scheduler: str,
    force: bool,
    retry_failures: bool,
    scheduler_timeout: float | None,
    voice: Voice,
) -> RunSummary:
    from pipeline.batch import BatchError

    try:
        from pipeline.distributed import run_on_dask
    except ImportError as error:
        raise BatchError(f"--scheduler needs Dask: pip install 'agreement-extractor[dask]' ({error})") from error
    return run_on_dask(
        inputs,
        output_dir,
        config,
        scheduler,
        force=force,
        progress=False if voice.quiet else None,
        retry_failures=retry_failures,
        scheduler_timeout=scheduler_timeout,
    )


# --------------------------------------------------------------------------- the other commands


@app.command(short_help="Score records against hand-written gold files.")
def evaluate(
    pred: Annotated[Path, typer.Option(metavar="DIR", help="The folder of predicted records (written by `extract`).", show_default=False)],
    gold: Annotated[Path, typer.Option(metavar="DIR", help="The folder of gold files (*.json, *.expected.json).", show_default=False)],
    json_: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="List every differing field per document.")] = False,
    lang: Annotated[list[str] | None, typer.Option(metavar="CODE", help="Only gold documents in this language (repeatable).", show_default=False)] = None,
    diagram: Annotated[Path | None, typer.Option(metavar="PNG", help="Write the confidences' reliability diagram to this PNG file.")] = None,
) -> int:
    from pipeline.evaluate import main_evaluate

    return main_evaluate(pred, gold, as_json=json_, show_errors=errors, languages=set(lang) if lang else None, diagram=diagram)


@app.command(
    short_help="Write a self-contained HTML page to review the records.",
    help="Write one HTML file (scripts, styles and data inline; it works offline) showing a summary, "
    "a filterable table of the agreements with each value coloured by its confidence, each document's text with its evidence highlighted, "
    "a timeline, a partnership network and the error records.",
)
def report(
    outputs: OutputsDir,
    inputs: Annotated[Path | None, _inputs_option("the page shows each document's text from there")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE", help="The HTML file to write (default: OUTPUTS_DIR/report.html).", show_default=False)] = None,
    diagram: Annotated[
        Path | None,
        typer.Option(metavar="PNG", show_default=False, help="A reliability diagram (`evaluate --diagram`) to show in the summary (default: OUTPUTS_DIR/reliability.png if there)."),
    ] = None,
    quiet: Quiet = False,
) -> int:
    from pipeline.corrections import CorrectionsError
    from pipeline.report import ReportError, build_report

    try:
        result = build_report(outputs, inputs, output or outputs / "report.html", diagram)
    except (ReportError, CorrectionsError) as error:
        return _fail(str(error))
    if not quiet:
        print(result.line())
    for warning in result.warnings:
        print(f"extract-agreements: warning: {warning}", file=sys.stderr)
    return 1 if result.warnings else 0


@app.command(
    short_help="List the values to check: those whose confidence is under a threshold, lowest first.",
    help="List every cell (a value of a record: a date, a party, a person, a theme, ...) whose calibrated "
    "confidence is under --below, lowest first, with the words it was read from and the runner-up candidates, "
    "then the share of cells under the threshold per field. Cells without a calibrated confidence "
    "(organisations, people's roles) and corrected fields are counted apart.",
)
def review(
    outputs: OutputsDir,
    inputs: Annotated[Path | None, _inputs_option("the queue quotes each cell's evidence from there")] = None,
    below: Annotated[float, typer.Option(parser=_probability, metavar="P", help="List cells under this confidence.")] = DEFAULT_THRESHOLD,
    json_: Annotated[bool, typer.Option("--json", help="Print the queue as JSON.")] = False,
    limit: Annotated[int | None, typer.Option(parser=_positive, metavar="N", show_default=False, help="List at most N cells (the counts still cover all).")] = None,
) -> int:
    from pipeline.corrections import CorrectionsError
    from pipeline.report import ReportError
    from pipeline.review import main_review

    try:
        return main_review(outputs, inputs, below, as_json=json_, limit=limit, bold=sys.stdout.isatty())
    except (ReportError, CorrectionsError) as error:
        return _fail(str(error))


@app.command(
    short_help="Record an analyst's value for a field of a record (OUTPUTS_DIR/corrections.jsonl).",
    help="Append a correction to OUTPUTS_DIR/corrections.jsonl after checking that the record exists and "
    "the value fits the field. The review page, the queue and `export` show it at once; `extract` puts it on the records "
    "(their `corrections` key) and keeps it on every rerun. The extractor's own value stays in the record.",
)
def correct(
    outputs: OutputsDir,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The record's id.", show_default=False)],
    field: Annotated[
        str,
        typer.Argument(
            metavar="FIELD",
            show_default=False,
            help="agreement_type, signing_date, publication_date, signing_place, parties, organizations, people or themes.",
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE_JSON",
            show_default=False,
            help="The field's value as JSON: '\"2024-11-20\"', 'null', '[\"Acme\", \"Beta Labs\"]' (a list field takes the whole "
            "list; people as objects with name, role, title, affiliation); text that is not JSON is taken as a string.",
        ),
    ],
    note: Annotated[str | None, typer.Option(help="Why, for whoever reads the record next.")] = None,
    quiet: Quiet = False,
) -> int:
    from pipeline.corrections import CORRECTIONS, CorrectionsError, add_correction
    from pipeline.report import ReportError, load_records

    try:
        ids = {record["id"] for record in load_records(outputs) if "id" in record}
        entry = add_correction(outputs, ids, record_id, field, value, note)
    except (ReportError, CorrectionsError) as error:
        return _fail(str(error))
    if not quiet:
        shown = json.dumps(entry.correction.value, ensure_ascii=False)
        print(f"{entry.id} {entry.correction.field} = {shown} → {(outputs / CORRECTIONS).as_posix()}")
    return 0


@app.command(
    short_help="Write the records as a table: CSV, Excel, Parquet or SQLite.",
    help="Write the records of OUTPUTS_DIR (records.jsonl, with the analysts' corrections) to FILE. "
    "csv: agreements.csv's table, one row per record, lists joined with '; '. xlsx: that table, then a sheet "
    "per list (parties, people, themes, organizations) and the errors. parquet: one row per record, lists as lists. "
    "sqlite: the tables agreements, parties, people, themes, organizations and errors, keyed by agreements.id.",
)
def export(
    outputs: OutputsDir,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", show_default=False, help="The file to write.")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            parser=_one_of("csv", "xlsx", "parquet", "sqlite"),
            metavar="csv|xlsx|parquet|sqlite",
            show_default=False,
            help="The table's format (default: FILE's suffix: .csv, .xlsx, .parquet, .sqlite or .db).",
        ),
    ] = None,
    quiet: Quiet = False,
) -> int:
    from pipeline.corrections import CorrectionsError
    from pipeline.export import ExportError, export as write_export
    from pipeline.report import ReportError

    try:
        chosen, count = write_export(outputs, output, format)
    except (ReportError, CorrectionsError, ExportError) as error:
        return _fail(str(error))
    if not quiet:
        print(f"{count} records → {output.as_posix()} ({chosen})")
    return 0


@app.command(
    short_help="Learn the decisions from the labelled documents and print leave-one-source-out figures.",
    help="Extract every labelled document (samples/, benchmarks/announcements/set-*, and the corpus "
    "beside the repository when present), fit each learned decision (parties, signing date and place; logistic "
    "regression, scikit-learn: the train extra) and each field's confidence calibration, print per language the "
    "rules-only, in-sample and leave-one-source-out figures and the calibration, and write "
    "pipeline/patterns/decisions/<field>.json and pipeline/patterns/confidence/<field>.json.",
)
def train(
    corpus: Annotated[
        Path | None,
        typer.Option(metavar="DIR", show_default=False, help="A corpus folder with sources.jsonl, docs/ and gold/ (default: ../shared/corpus beside the repository, if there)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the figures, write nothing.")] = False,
    diagram: Annotated[Path | None, typer.Option(metavar="PNG", help="Draw the leave-one-source-out reliability diagram of the confidences to this PNG.")] = None,
) -> int:
    from pipeline import training
    from pipeline.extractor import Extractor

    folder = corpus or (training.DEFAULT_CORPUS if training.DEFAULT_CORPUS.is_dir() else None)
    documents = training.labelled_documents(corpus=folder)
    print(f"{len(documents)} labelled documents from {len({d.source for d in documents})} sources", file=sys.stderr)
    result = training.train(training.analyse(Extractor(), documents))
    print(result.format())
    for decision in [*result.decisions.values(), *result.calibrations.values()] if not dry_run else ():
        print(f"wrote {training.write_decision(decision)}", file=sys.stderr)
    if diagram is not None:
        from pipeline.evaluate import write_reliability_diagram

        print(f"wrote {write_reliability_diagram(result.pooled.calibration, diagram)}", file=sys.stderr)
    return 0


@app.command(short_help="Print the JSON Schema of a record.")
def schema() -> int:
    print(json.dumps(record_json_schema(), indent=2))
    return 0
