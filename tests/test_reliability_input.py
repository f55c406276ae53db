"""Reliability, input side (issue 13): the hostile files of ``tests/hostile.py`` are read in linear
time, in their language, whole, in the right encoding, and never raise from the library.

The time bounds are generous on purpose: they tell a linear reader (well under a second)
from a quadratic one (minutes), not a fast machine from a slow one.
"""

from __future__ import annotations

import cProfile
import multiprocessing
import pstats
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import hostile
import pipeline.stages
from models import AgreementRecord, RecordWarning
from pipeline import Extractor, ExtractorConfig
from pipeline.batch import run_batch
from pipeline.nlp import line_sentences
from pipeline.readers import read_document
from pipeline.report import build_report


ANNOUNCEMENT_TITLE = hostile.ANNOUNCEMENT.splitlines()[0]


def _seconds(work: Callable[[], object]) -> float:
    started = time.monotonic()
    work()
    return time.monotonic() - started


@pytest.mark.parametrize(
    "generate",
    [hostile.heading_with_space_run, hostile.field_line_with_space_run, hostile.front_matter_with_space_run, hostile.key_with_space_run],
)
def test_space_runs_read_in_linear_time(generate: Callable[[Path], Path], tmp_path: Path) -> None:
    """A 250 KB run of spaces in a heading or a ``key: value`` line took minutes (quadratic regexes)."""
    path = generate(tmp_path)
    assert _seconds(lambda: read_document(path)) < 5


@pytest.mark.parametrize(
    ("generate", "title", "warning"),
    [
        (hostile.front_matter_bomb, "Alpine water storage", ()),
        (hostile.front_matter_nested_deeply, ANNOUNCEMENT_TITLE, ("front matter nested too deeply: not read",)),
        (hostile.front_matter_with_space_run, ANNOUNCEMENT_TITLE, ("front matter of 250,010 characters, over the limit of 32,000: not read",)),
    ],
)
def test_hostile_front_matter_is_read_in_bounded_time(generate: Callable[[Path], Path], title: str, warning: tuple[str, ...], tmp_path: Path) -> None:
    """YAML that expands exponentially, nests past the stack or is huge: read quickly, never expanded, warned when skipped."""
    path = generate(tmp_path)
    started = time.monotonic()
    document = read_document(path)
    assert time.monotonic() - started < 5
    assert tuple(w.message for w in document.warnings) == warning
    assert {w.code for w in document.warnings} <= {"front_matter_not_read"}
    assert document.title is not None and document.title.text == title
    assert document.text[document.body_start :].strip() == hostile.ANNOUNCEMENT.strip()


@pytest.mark.parametrize("generate", [hostile.front_matter_bomb, hostile.front_matter_nested_deeply, hostile.front_matter_with_space_run])
def test_hostile_front_matter_is_extracted_in_bounded_time(extractor: Extractor, generate: Callable[[Path], Path], tmp_path: Path) -> None:
    """Read quickly is not enough: 30,000 brackets left in the text took spaCy's tokenizer over a minute."""
    path = generate(tmp_path)
    started = time.monotonic()
    record = extractor.extract_file(path)
    assert time.monotonic() - started < 10
    assert isinstance(record, AgreementRecord) and record.parties


def test_report_reads_a_space_run_in_linear_time(extractor: Extractor, tmp_path: Path) -> None:
    """``report`` reads the inputs again to show them: the same file must not stall it."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    hostile.heading_with_space_run(inputs)
    run_batch([inputs], out, ExtractorConfig(), progress=False)
    assert _seconds(lambda: build_report(out, inputs, out / "report.html")) < 10


@pytest.mark.parametrize("generate", [hostile.data_uri_before_text, hostile.blank_lines_before_text])
def test_language_is_detected_on_prose(extractor: Extractor, generate: Callable[[Path], Path], tmp_path: Path) -> None:
    """A 4 KB inline image or 10,000 blank lines opening an English file made it Serbian, with an empty record."""
    record = extractor.extract_file(generate(tmp_path))
    assert isinstance(record, AgreementRecord)
    assert record.source.language == "en"
    assert record.parties


def test_deep_html_is_read_whole_with_a_warning(extractor: Extractor, tmp_path: Path) -> None:
    """A page nested 10,000 levels deep read as "no text": libxml2 stopped at its depth limit."""
    record = extractor.extract_file(hostile.deep_html(tmp_path))
    assert isinstance(record, AgreementRecord)
    assert any(w.code == "html_too_deep" and "nested deeper than" in w.message for w in record.warnings)
    assert "Halvorsen Polytechnic University" in [p.name for p in record.parties]


def test_html_deeper_than_256_levels_is_parsed_as_a_tree(tmp_path: Path) -> None:
    """Pages of unclosed tags nest past libxml2's default 256 levels: huge-tree mode reads them as usual."""
    document = read_document(hostile.deep_html(tmp_path, depth=1_000))
    assert "Vellmar Energie AG" in document.text
    assert document.warnings == ()


def test_unknown_charset_is_read_as_windows_1252_with_a_warning(tmp_path: Path) -> None:
    """A Latin-1 page declaring an unknown charset was decoded with an Icelandic/Baltic code page ("Peþa")."""
    document = read_document(hostile.latin1_unknown_charset(tmp_path))
    assert "Fundación Peña sign an agreement in León, España" in document.text
    assert document.warnings == (RecordWarning(code="encoding_guessed", message="declared charset 'x-western-latin' is unknown: decoded as cp1252, a guess"),)


def test_declared_charset_that_does_not_fit_is_warned(tmp_path: Path) -> None:
    """A page whose bytes contradict its declared charset is decoded by a guess, and the record says so."""
    path = tmp_path / "a.html"
    path.write_bytes('<meta charset="ascii"><p>Acme and the Fundación Peña sign an agreement.</p>'.encode("latin-1"))
    document = read_document(path)
    assert "Fundación Peña" in document.text
    assert document.warnings == (RecordWarning(code="encoding_guessed", message="declared charset 'ascii' does not fit the bytes: decoded as cp1252, a guess"),)


def test_lone_surrogate_is_replaced_keeping_offsets(extractor: Extractor) -> None:
    """``extract_text`` raised UnicodeEncodeError on a lone surrogate; now it is one U+FFFD, and spans still point right."""
    text = hostile.text_with_lone_surrogate()
    record = extractor.extract_text(text)
    assert isinstance(record, AgreementRecord)
    assert record.warnings[0] == RecordWarning(code="surrogates_replaced", message="1 lone surrogate code point(s) replaced by U+FFFD")
    place, surrogate = record.signing_place, text.index("\ud800")
    assert place is not None and place.span[0] > surrogate and text[place.span[0] : place.span[1]] == "Innsbruck"


def test_lone_surrogate_does_not_abort_a_batch(extractor: Extractor) -> None:
    """Documents after the broken one still get their records."""
    records = [extractor.extract_text(t) for t in (hostile.text_with_lone_surrogate(), hostile.ANNOUNCEMENT)]
    assert all(isinstance(r, AgreementRecord) for r in records)


@pytest.fixture(scope="module")
def english() -> Extractor:
    """English rules on every document and no time limit: the slow paths run to their end."""
    return Extractor(language="en", timeout_s=None)


STAGES = str(Path(pipeline.stages.__file__).parent)


def _stage_calls(counts: tuple[int, ...], folder: Path) -> list[int]:
    """For lists of ``counts`` organisation names, how many Python function calls the code of
    ``pipeline/stages`` makes analysing each (counted by cProfile): a count of operations, the
    same on a fast machine and a slow one, and blind to parsing, which is linear. Run in a fresh
    process (``spawn``): profiled in the test session's own process, after the Dask tests, it stalled."""
    english = Extractor(language="en", timeout_s=None)
    calls = []
    for count in counts:
        (folder / str(count)).mkdir()
        path = hostile.organisation_list(folder / str(count), count)
        profile = cProfile.Profile()
        profile.runcall(english.analyse_file, path)
        stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
        calls.append(sum(primitive for (file, _, _), (primitive, *_) in stats.items() if file.startswith(STAGES)))
    return calls


def test_long_list_of_organisations_is_analysed_in_near_linear_work(tmp_path: Path) -> None:
    """A list of organisations (38 KB took 121 s in the probe): every name was compared with every
    other, so twice the names cost 3.7 times the calls; near-linear work costs about twice."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as fresh:
        shorter, longer = fresh.submit(_stage_calls, (200, 400), tmp_path).result()
    assert longer / shorter < 2.5, f"{shorter} calls for 200 names, {longer} for 400"


def test_sentence_starts_of_a_long_list_are_set_in_linear_time(english: Extractor, tmp_path: Path) -> None:
    """A 127 KB list of dates: setting each line's sentence start made spaCy rescan the Doc (23 s)."""
    doc = english.nlp.make_doc(hostile.date_list(tmp_path).read_text(encoding="utf-8"))
    assert _seconds(lambda: line_sentences(doc)) < 5
    assert sum(1 for t in doc if t.is_sent_start) >= 8_000  # a sentence per line
