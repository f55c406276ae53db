"""The write side of the pipeline: folders in, one JSON record per document out.

``run_batch`` walks the inputs, skips documents whose record is already up to date
(``manifest.json``), extracts the others in this process or a pool, and writes each record
(``<id>.json``) as it comes (one language's documents after another: ``pipeline.parallel``)
with the text its spans index beside it (``<id>.txt``, unless the records embed it), then
``records.jsonl`` in input order from the record files, and ``run-summary.json``, which names the inputs
(``recorded_inputs``). Every file is written atomically (temporary file,
fsync, rename), and the manifest only ever lists records already on disk, so a run killed
at any moment leaves no partial file and the next run resumes where it stopped. Outputs
depend only on the inputs and the configuration, never on ``jobs`` or on timing.

An output folder belongs to one run at a time (``pipeline.outlock``), and never holds an input.
The manifest is only trusted as far as it validates: a damaged entry means that document is
redone, and a run deletes no file but a record it wrote for a source that is gone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import IO, Annotated, Any, Literal

import spacy.util
from pydantic import AfterValidator, BaseModel, ConfigDict, TypeAdapter, ValidationError
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from models import AgreementRecord, Correction, Record
from pipeline import __version__
from pipeline import corrections
from pipeline.extractor import AUTO, AUTO_PRIMARY, ExtractorConfig
from pipeline.outlock import LOCK_NAME, FolderInUse, hold
from pipeline.parallel import WORKER_DIED, Item, extract_items
from pipeline.readers import SUPPORTED_SUFFIXES
from pipeline.rules import available_languages, load_rules
from pipeline.sources import SourceFile, SourceNameError, distinct, given_file, part

MANIFEST = "manifest.json"
RECORDS = "records.jsonl"
SUMMARY = "run-summary.json"
TABLE = "agreements.csv"
"""One row per record (``pipeline.export``), for spreadsheets and data frames."""
ORGANIZATIONS = "organizations.jsonl"
AGREEMENTS = "agreements.jsonl"
"""The organisations and the agreements resolved across the run's records (``pipeline.grouping``)."""
RESERVED_NAMES = frozenset({MANIFEST, SUMMARY, RECORDS})
"""Never a record's file name, at any depth: ``evaluate`` skips these names wherever they are."""
RUN_FILES = RESERVED_NAMES | {LOCK_NAME, TABLE, ORGANIZATIONS, AGREEMENTS, "report.html", corrections.CORRECTIONS}
"""The files of the run itself (the review page's default, the analysts' corrections) at the top of the output folder:
never the name of a record's top folder either."""
FOLDER_SUFFIX = ".d"
"""Appended to an input folder named like one of ``RUN_FILES``: ``records.jsonl/a.txt`` → ``records.jsonl.d/a.txt.json``."""
RECORD_SUFFIX = ".json"
TEXT_SUFFIX = ".txt"
"""A record's file is its id with ``RECORD_SUFFIX`` added, the text its spans index the same with ``TEXT_SUFFIX``."""
TEMP_SUFFIX = ".extract-tmp"
"""Marks this module's temporary files, so a later run can remove those a killed run left behind."""
NAME_MAX = 255
"""Bytes in one file name on common file systems."""
RUN_TIME_FAILURES = ("timeout", WORKER_DIED)
"""Error records that depend on the machine (its load, its memory) as much as on the input. The
manifest remembers them, so a rerun does not pay a document's full timeout again; they are redone
with ``retry_failures`` (``--retry-timeouts``), and a timeout also when the time limit was raised."""
MANIFEST_SAVE_FRACTION = 10
"""The manifest is rewritten after every ``max(batch_size, entries / 10)`` new records: often
enough that a killed run loses little, rarely enough that rewriting it stays linear overall."""

log = logging.getLogger(__name__)


class BatchError(Exception):
    """The run cannot start (a missing input, nothing to read, no such model, a busy output folder):
    a usage error, not a document error."""


Extract = Callable[[ExtractorConfig, Sequence[Item]], Iterator[Record]]
"""Records of ``(path, source name)`` items, in their order: in this process, a pool, or a cluster."""


@dataclass
class RunSummary:
    """What a run produced. ``to_json`` is ``run-summary.json``: no times, so equal runs give equal bytes."""

    inputs: list[str]
    """The inputs as given to the run, relative to the output folder where they can be (``recorded_inputs``)."""
    documents: int
    records: int
    errors_by_type: dict[str, int]
    warnings: int
    skipped_unchanged: int
    deleted: list[str]
    spacy_model: str
    config: ExtractorConfig
    config_fingerprint: str
    output_dir: Path
    corrections: dict[str, Any] | None = None
    """``{"applied": n, "unmatched": [{"id", "field"}]}`` when the folder has ``corrections.jsonl``."""
    unsupported: list[str] = field(default_factory=list)
    """The files of the input folders that were not read, being of no supported format (``collect_sources``)."""
    seconds: float = field(default=0.0, compare=False)

    @property
    def errors(self) -> int:
        return sum(self.errors_by_type.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "documents": self.documents,
            "records": self.records,
            "errors": self.errors,
            "errors_by_type": dict(sorted(self.errors_by_type.items())),
            "warnings": self.warnings,
            "skipped_unchanged": self.skipped_unchanged,
            "unsupported": self.unsupported,
            "deleted": self.deleted,
            "extractor": {"version": __version__, "spacy_model": self.spacy_model},
            "config": asdict(self.config),
            "config_fingerprint": self.config_fingerprint,
            **({"corrections": self.corrections} if self.corrections is not None else {}),
        }

    def line(self, where: str | None = None) -> str:
        """``12 documents: 11 records, 1 error, 0 skipped (unchanged), 2 unsupported files not read → outputs/``
        (``where`` in place of the output folder)."""
        deleted = f", {len(self.deleted)} deleted" if self.deleted else ""
        unread = f", {_count(len(self.unsupported), 'unsupported file')} not read" if self.unsupported else ""
        unmatched = len(self.corrections["unmatched"]) if self.corrections else 0
        waiting = f", {_count(unmatched, 'correction')} for records not in this run" if unmatched else ""
        return (
            f"{_count(self.documents, 'document')}: {_count(self.records, 'record')}, "
            f"{_count(self.errors, 'error')}, {self.skipped_unchanged} skipped (unchanged){deleted}{unread}{waiting}"
            f" → {where or self.output_dir.as_posix().rstrip('/') + '/'}"
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _record_path(relative: str) -> str:
    """A record's place in the output folder, as ``output_names`` makes them: relative, no ``..``, a ``.json`` file."""
    parts = PurePosixPath(relative).parts
    if not relative.endswith(".json") or relative.startswith("/") or {"", ".", ".."} & {*relative.split("/")}:
        raise ValueError(f"not a record's path: {relative!r}")
    if parts[0] in RUN_FILES or parts[-1] in RESERVED_NAMES:
        raise ValueError(f"a file of the run itself: {relative!r}")
    return relative


class ManifestEntry(BaseModel):
    """One source's entry in ``manifest.json``: what its record was made from, and where it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sha256: str | None
    output: Annotated[str, AfterValidator(_record_path)]
    extractor_version: str
    config: str
    failed: Literal["timeout", "worker_died"] | None = None
    """The record is the error record of a run-time failure (``RUN_TIME_FAILURES``)."""
    timeout_s: float | None = None
    """The time limit a ``timeout`` ran out of."""


_ENTRY = TypeAdapter(ManifestEntry)
_RECORD = TypeAdapter(Record)


@dataclass(frozen=True)
class _Task:
    source: SourceFile
    output: str
    sha256: str | None
    skip: bool


def run_batch(
    inputs: list[Path],
    output_dir: Path,
    config: ExtractorConfig,
    jobs: int = 1,
    force: bool = False,
    progress: bool | None = None,
    extract: Extract | None = None,
    retry_failures: bool = False,
) -> RunSummary:
    """Extract every document under ``inputs`` into ``output_dir``; see the module docstring.

    ``progress=None`` shows a progress bar only when stderr is a terminal. ``extract`` replaces
    the local extraction (``jobs`` processes) with another, such as a Dask cluster's.
    ``retry_failures`` redoes the documents that timed out or lost their worker last time.
    Raises ``BatchError`` before writing anything when the run cannot start.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    started = time.monotonic()
    sources, unsupported = collect_sources(inputs, output_dir)
    if not sources:
        named = ", ".join(unsupported[:3]) + (", ..." if len(unsupported) > 3 else "")
        others = f" (only {_count(len(unsupported), 'file')} of other formats: {named})" if unsupported else ""
        raise BatchError(f"no {'/'.join(sorted(set(SUPPORTED_SUFFIXES)))} files in {', '.join(map(str, inputs))}{others}")
    _refuse_inputs_inside(output_dir, inputs)
    outputs = output_names([s.name for s in sources])
    spacy_model = model_description(config)
    fingerprint = config_fingerprint(config, spacy_model)
    if output_dir.exists() and not output_dir.is_dir():
        raise BatchError(f"{output_dir} is not a folder")
    for output in outputs.values():
        _inside(output_dir, output, must=True)
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        with hold(output_dir):
            recorded = [_recorded_input(root, output_dir) for root in inputs]
            summary = _run(sources, unsupported, outputs, output_dir, config, spacy_model, fingerprint, jobs, force, progress, extract, retry_failures, recorded)
    except FolderInUse as busy:
        raise BatchError(str(busy)) from None
    summary.seconds = time.monotonic() - started
    return summary


def _run(
    sources: list[SourceFile],
    unsupported: list[str],
    outputs: dict[str, str],
    output_dir: Path,
    config: ExtractorConfig,
    spacy_model: str,
    fingerprint: str,
    jobs: int,
    force: bool,
    progress: bool | None,
    extract: Extract | None,
    retry_failures: bool,
    inputs: list[str],
) -> RunSummary:
    """``run_batch`` once the output folder is this run's."""
    try:
        entries = corrections.load_corrections(output_dir)
    except corrections.CorrectionsError as error:
        raise BatchError(str(error)) from None
    corrected = corrections.by_record(entries)
    _remove_temp_files(output_dir)
    old = _load_manifest(output_dir / MANIFEST)
    manifest = dict(old)
    plan = partial(_plan, output_dir=output_dir, config=config, fingerprint=fingerprint, force=force, retry_failures=retry_failures)
    tasks = [plan(s, outputs[s.name], old.get(s.name)) for s in sources]
    todo = [(t.source.path, t.source.name) for t in tasks if not t.skip]
    pending = {t.source.name: t for t in tasks if not t.skip}
    unsaved = 0
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with (
            closing((extract or partial(extract_items, n_process=jobs))(config, todo)) as extracted,
            tqdm(total=len(tasks), unit="doc", file=sys.stderr, disable=not show) as bar,
            logging_redirect_tqdm([logging.getLogger("pipeline")]),  # "loading the French model…" above the bar
        ):
            for task in tasks:
                if task.skip:
                    stored = json.loads((output_dir / task.output).read_text("utf-8"))
                    if (data := corrections.apply_corrections(stored, corrected)) is not stored:
                        write_json(output_dir / task.output, data)  # the corrections changed since
                    bar.update()
            for record in extracted:  # in the extraction's order (one language after another), not the inputs'
                task = pending.pop(record.source.path)
                data = corrections.apply_corrections(record.model_dump(mode="json"), corrected)
                _write_text(output_dir / text_path(task.output), None if config.embed_text else _indexed_text(record))
                write_json(output_dir / task.output, data)
                manifest[task.source.name] = _entry(task, fingerprint, data, config.timeout_s)
                unsaved += 1
                if unsaved >= max(config.batch_size, len(manifest) // MANIFEST_SAVE_FRACTION):
                    _save_manifest(output_dir, manifest)
                    unsaved = 0
                bar.update()
    finally:  # also when interrupted: keep the records already written
        if unsaved:
            _save_manifest(output_dir, manifest)
    records, warnings, errors, ids = 0, 0, Counter[str](), set[str]()
    with atomic_file(output_dir / RECORDS) as jsonl:
        for task in tasks:  # in input order, from the record files just written or kept
            data = json.loads((output_dir / task.output).read_text("utf-8"))
            jsonl.write(json.dumps(data, ensure_ascii=False) + "\n")
            if "error" in data:
                errors[data["error"]["type"]] += 1
            else:
                records += 1
                warnings += len(data["warnings"])
                ids.add(data["id"])

    deleted = sorted(old.keys() - outputs.keys())
    _remove_outputs(output_dir, {name: e.output for name, e in old.items() if e.output not in outputs.values()})
    _save_manifest(output_dir, {name: manifest[name] for name in outputs if name in manifest})
    summary = RunSummary(
        inputs=inputs,
        documents=len(tasks),
        records=records,
        errors_by_type=dict(errors),
        warnings=warnings,
        skipped_unchanged=sum(t.skip for t in tasks),
        deleted=deleted,
        spacy_model=spacy_model,
        config=config,
        config_fingerprint=fingerprint,
        output_dir=output_dir,
        corrections=_corrections_summary(entries, corrected, ids) if entries else None,
        unsupported=unsupported,
    )
    write_json(output_dir / SUMMARY, summary.to_json())
    from pipeline.export import write_table  # here: export reads what this module writes, by its names
    from pipeline.grouping import write_groups

    write_table(output_dir)
    write_groups(output_dir)
    return summary


def _corrections_summary(entries: list[corrections.Entry], corrected: dict[str, list[Correction]], ids: set[str]) -> dict[str, Any]:
    """How many corrections the records carry, and which wait for a record that is not in this run."""
    return {
        "applied": sum(len(c) for record_id, c in corrected.items() if record_id in ids),
        "unmatched": corrections.unmatched(entries, ids),
    }


# --------------------------------------------------------------------------- inputs


def _recorded_input(root: Path, output_dir: Path) -> str:
    """An input as ``run-summary.json`` names it: relative to the output folder when the two share a
    folder (``../samples``), so that committed outputs hold no absolute path and a folder moved with
    its inputs still finds them; else absolute (``/data/news``, not ``../../../data/news``)."""
    real_root, real_output = os.path.realpath(root), os.path.realpath(output_dir)
    try:
        common = os.path.commonpath([real_root, real_output])
    except ValueError:  # another drive
        common = None
    if common is None or common == os.path.dirname(common):  # nothing shared but the file system's root
        return Path(real_root).as_posix()
    return Path(os.path.relpath(real_root, real_output)).as_posix()


def recorded_inputs(output_dir: Path) -> list[Path]:
    """The inputs the last run of ``output_dir`` read, as ``run-summary.json`` names them, as absolute
    paths; ``[]`` when the folder has no summary, or one written before runs recorded their inputs."""
    try:
        data = json.loads((output_dir / SUMMARY).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    inputs = data.get("inputs") if isinstance(data, dict) else None
    if not isinstance(inputs, list):
        return []
    base = os.path.realpath(output_dir)
    return [Path(os.path.normpath(os.path.join(base, item))) for item in inputs if isinstance(item, str) and item]


def collect_sources(inputs: Iterable[Path], output_dir: Path) -> tuple[list[SourceFile], list[str]]:
    """The files to extract, sorted by source name, and the files of the input folders left unread.

    A folder gives its supported files, named by their path relative to it; its other files
    (hidden ones aside) are returned as paths, sorted, for the run summary to name them. A file
    named explicitly is taken whatever its suffix (an unsupported one becomes an error record)
    and named by its file name (``pipeline.sources``). A file reached again through a later input is taken once.
    """
    skip = Path(os.path.realpath(output_dir))
    found: list[tuple[int, str, SourceFile]] = []
    unsupported: set[str] = set()
    seen: set[str] = set()
    for index, root in enumerate(inputs):
        if not os.path.lexists(root):
            raise BatchError(f"{root}: no such file or folder")
        if root.is_dir():
            label = part(Path(os.path.abspath(root)).name)
            walked = list(_walk(root, skip))
            unsupported.update(f.path.as_posix() for f in walked if not _supported(f.path) and not f.path.name.startswith("."))
            files = [(index, label, f) for f in walked if _supported(f.path)]
        else:
            files = [given_file(index, root)]
        found += [f for f in files if os.path.realpath(f[2].path) not in seen]
        seen.update(os.path.realpath(f[2].path) for f in files)
    try:
        return sorted(distinct(found), key=lambda s: s.name), sorted(unsupported)
    except SourceNameError as error:
        raise BatchError(str(error)) from None


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _refuse_inputs_inside(output_dir: Path, inputs: Iterable[Path]) -> None:
    """An output folder that is, or holds, an input would overwrite a user's ``a.json`` beside
    ``a.txt`` and read the run's own files (``report.html``) as announcements next time."""
    real_output = os.path.realpath(output_dir)
    for root in inputs:
        real = os.path.realpath(root)
        if os.path.commonpath([real_output, real]) == real_output:
            raise BatchError(f"{output_dir}: the output folder must not be, or contain, the input {root}")


def _walk(root: Path, skip: Path) -> Iterator[SourceFile]:
    """Files under ``root``. Each real folder is entered once, so symlink loops end;
    the output folder is never entered; a folder that cannot be listed is logged and skipped."""
    visited = {os.path.realpath(root)}
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            log.warning("cannot list %s: %s", folder, error.strerror or error)
            continue
        for entry in entries:
            path, name = Path(entry.path), prefix + part(entry.name)
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symlink loop, a vanished entry: not a folder
                is_dir = False
            if is_dir:
                real = os.path.realpath(path)
                if real not in visited and Path(real) != skip:
                    visited.add(real)
                    stack.append((path, name + "/"))
            else:
                yield SourceFile(path, name)


# --------------------------------------------------------------------------- outputs


def output_names(names: list[str]) -> dict[str, str]:
    """Each source name's record file relative to the output folder: the name with ``.json`` added
    (``a/b.md`` → ``a/b.md.json``, its text ``a/b.md.txt``: ``text_path``), so distinct sources get
    distinct files. A top folder named like a run file gets ``FOLDER_SUFFIX``, an over-long file
    name is shortened with a hash; a file that would be a folder of the output tree, or have a
    reserved name (a source called ``manifest``), is a ``BatchError``."""
    chosen = {name: _fit(_clear_of_run_files(name) + RECORD_SUFFIX) for name in names}
    files = [*chosen.values(), *map(text_path, chosen.values())]
    folders = {str(parent) for file in files for parent in PurePosixPath(file).parents}
    clashes = [f for f, n in Counter(files).items() if n > 1 or f in folders or PurePosixPath(f).name in RESERVED_NAMES]
    if clashes:
        raise BatchError(f"cannot give distinct output files to: {', '.join(sorted(clashes))}")
    return chosen


def text_path(record_path: str) -> str:
    """Where the text a record's spans index is written: beside the record, ``a/b.md.json`` → ``a/b.md.txt``."""
    return record_path.removesuffix(RECORD_SUFFIX) + TEXT_SUFFIX


def _clear_of_run_files(name: str) -> str:
    """``name`` with a top folder named like one of the run's files renamed (``FOLDER_SUFFIX``)."""
    top, slash, rest = name.partition("/")
    return f"{top}{FOLDER_SUFFIX}/{rest}" if slash and top in RUN_FILES else name


def _fit(relative: str) -> str:
    """The path with its file name cut to ``NAME_MAX`` bytes, a hash of the whole name keeping it distinct."""
    folder, _, name = relative.rpartition("/")
    encoded = name.encode("utf-8")
    if len(encoded) <= NAME_MAX:
        return relative
    digest = hashlib.sha256(encoded).hexdigest()[:16]
    stem = encoded[: NAME_MAX - len(digest) - len("~" + RECORD_SUFFIX)].decode("utf-8", "ignore")
    return f"{folder}/{stem}~{digest}{RECORD_SUFFIX}" if folder else f"{stem}~{digest}{RECORD_SUFFIX}"


def _inside(root: Path, relative: str, must: bool = False) -> Path | None:
    """``root / relative`` if it resolves inside ``root`` (no ``..``, no symlink out of it), else None
    (or ``BatchError`` with ``must``)."""
    path = root / relative
    real_root, real_path = os.path.realpath(root), os.path.realpath(path)
    if real_path != real_root and os.path.commonpath([real_root, real_path]) == real_root:
        return path
    if must:
        raise BatchError(f"{path} would be written outside {root}")
    return None


def _remove_outputs(output_dir: Path, outputs: dict[str, str]) -> None:
    """Remove the records of sources that are gone (or whose record moved), by source name, and the
    folders this empties. A file is removed only if it is that source's record: a manifest, however
    crafted, cannot make a run delete a file it did not write."""
    for name, relative in sorted(outputs.items(), key=lambda item: item[1]):
        path = _inside(output_dir, relative)
        if path is None or _stored_record(path, name) is None:
            continue
        path.unlink()
        Path(text_path(str(path))).unlink(missing_ok=True)
        for parent in path.parents:
            if parent == output_dir:
                break
            try:
                parent.rmdir()
            except OSError:  # not empty
                break


def _remove_temp_files(output_dir: Path) -> None:
    """Temporary files a killed run left behind (only this module's: named ``.*.extract-tmp``)."""
    for folder, _, files in os.walk(output_dir):
        for name in files:
            if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                Path(folder, name).unlink(missing_ok=True)


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _new_file_mode()
"""What ``open`` would give a new file; temporary files are created 0600."""


@contextmanager
def atomic_file(path: Path, binary: bool = False) -> Iterator[IO[Any]]:
    """A text file (UTF-8; bytes with ``binary``) that appears at ``path`` complete, or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = {} if binary else {"encoding": "utf-8", "newline": "\n"}
    handle = tempfile.NamedTemporaryFile(
        "wb" if binary else "w", **text, dir=path.parent, prefix=".", suffix=TEMP_SUFFIX, delete=False
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), _FILE_MODE)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _indexed_text(record: Record) -> str | None:
    """The text an agreement record's spans index (an error record has none)."""
    return record.indexed_text if isinstance(record, AgreementRecord) else None


def _write_text(path: Path, text: str | None) -> None:
    """A record's text file, written atomically; ``None`` removes a stale one (the record is now an
    error, or embeds its text): the file at this path can only be this source's text."""
    if text is None:
        path.unlink(missing_ok=True)
        return
    with atomic_file(path) as handle:
        handle.write(text)


def write_json(path: Path, data: Any, sort_keys: bool = False) -> None:
    """``data`` as indented UTF-8 JSON, written so that ``path`` holds either its old content or all of the new."""
    with atomic_file(path) as handle:
        handle.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n")


# --------------------------------------------------------------------------- manifest


def model_description(config: ExtractorConfig) -> str:
    """What records' ``extractor.spacy_model`` says, read from the model's meta.json without loading it."""
    name = config.spacy_model or load_rules(AUTO_PRIMARY if config.language == AUTO else config.language).spacy_model
    if spacy.util.is_package(name):
        folder = spacy.util.get_package_path(name)
    elif Path(name).is_dir():
        folder = Path(name)
    else:
        raise BatchError(f"spaCy pipeline {name!r} is not installed or not a pipeline folder")
    try:
        version = spacy.util.load_meta(folder / "meta.json").get("version", "")
    except (OSError, ValueError) as error:
        raise BatchError(f"spaCy pipeline {name!r} has no readable meta.json: {error}") from error
    return f"{name} {version}".strip()


def config_fingerprint(config: ExtractorConfig, spacy_model: str) -> str:
    """Changes whenever the configuration, the language rules, the extraction code or the model
    version change: a rerun after editing a rule must not keep records the old rule made."""
    rules = hashlib.sha256()
    for language in available_languages():
        rules.update(resources.files("pipeline.patterns").joinpath(f"{language}.json").read_bytes())
    payload = {  # not timeout_s: it decides whether a record is made, not what it says (see RUN_TIME_FAILURES); not preload: when models load
        "config": asdict(replace(config, timeout_s=None, preload=())),
        "rules": rules.hexdigest(),
        "code": _code_digest(),
        "spacy_model": spacy_model,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _code_digest() -> str:
    """sha256 over the extraction code (the pipeline and models packages' Python files)."""
    digest = hashlib.sha256()
    for package in ("pipeline", "models"):
        root = resources.files(package)
        for path in sorted(Path(str(root)).rglob("*.py")):
            digest.update(path.relative_to(Path(str(root))).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _plan(
    source: SourceFile,
    output: str,
    entry: ManifestEntry | None,
    output_dir: Path,
    config: ExtractorConfig,
    fingerprint: str,
    force: bool,
    retry_failures: bool,
) -> _Task:
    """Skip a source whose bytes, extractor version, configuration and record are as last time,
    unless its record is a run-time failure worth another try (``RUN_TIME_FAILURES``)."""
    sha256 = _file_sha256(source.path, config.max_bytes)
    made_from = dict(sha256=sha256, output=output, extractor_version=__version__, config=fingerprint)
    skip = (
        not force
        and sha256 is not None
        and entry is not None
        and entry.model_dump(include=set(made_from)) == made_from
        and not (entry.failed and (retry_failures or _limit_raised(entry, config.timeout_s)))
        and _outputs_complete(output_dir, output, source.name, config.embed_text)
    )
    return _Task(source, output, sha256, skip)


def _outputs_complete(output_dir: Path, output: str, name: str, embed_text: bool) -> bool:
    """The source's record is on disk and valid, with its text file beside it unless it embeds
    its text or is an error record."""
    record = _stored_record(output_dir / output, name)
    if record is None:
        return False
    return embed_text or not isinstance(record, AgreementRecord) or (output_dir / text_path(output)).is_file()


def _limit_raised(entry: ManifestEntry, timeout_s: float | None) -> bool:
    """A document that ran out of a shorter time limit than this run's deserves the longer one."""
    if entry.failed != "timeout":
        return False
    return timeout_s is None or entry.timeout_s is None or timeout_s > entry.timeout_s


def _entry(task: _Task, fingerprint: str, record: dict[str, Any], timeout_s: float | None) -> ManifestEntry:
    failed = record.get("error", {}).get("type")
    failed = failed if failed in RUN_TIME_FAILURES else None
    return ManifestEntry(
        sha256=task.sha256,
        output=task.output,
        extractor_version=__version__,
        config=fingerprint,
        failed=failed,
        timeout_s=timeout_s if failed == "timeout" else None,
    )


def _file_sha256(path: Path, max_bytes: int) -> str | None:
    """The bytes' sha256; None (never skipped) for a file that cannot be read, is not a regular file, or is too large."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _stored_record(path: Path, name: str) -> Record | None:
    """The record at ``path`` if it is a valid record of source ``name`` (else None: it is redone,
    never read back or deleted)."""
    try:
        record = _RECORD.validate_json(path.read_bytes())
    except (OSError, ValueError):  # ValidationError is a ValueError
        return None
    return record if record.source.path == name else None


def _load_manifest(path: Path) -> dict[str, ManifestEntry]:
    """The last run's manifest, as far as it validates: a missing or damaged manifest means every
    document is redone, a damaged entry that its document is."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    entries = {}
    for name, value in data.items():
        try:
            entries[name] = _ENTRY.validate_python(value)
        except ValidationError:
            continue
    return entries


def _save_manifest(output_dir: Path, manifest: dict[str, ManifestEntry]) -> None:
    data = {name: entry.model_dump(mode="json", exclude_none=True) for name, entry in manifest.items()}
    write_json(output_dir / MANIFEST, data, sort_keys=True)
