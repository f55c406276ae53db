"""Per-document limits: a text over ``max_chars`` or a document over ``timeout_s`` gets an error
record of its own type, and the documents around it are extracted as usual."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from models import AgreementRecord, ErrorRecord, Record
from pipeline import Extractor, ExtractorConfig
from pipeline.batch import MANIFEST, BatchError, run_batch
from pipeline.cli import main
from pipeline.deadline import DocumentTimeout, deadline
from pipeline.extractor import DEFAULT_TIMEOUT_S
from test_batch import announcement, jsonl, write_tree

SLOW_TEXT = announcement(0) * 2000
"""About 300,000 characters: parsing takes seconds, far over the limits set below."""


def spin() -> None:
    while True:
        pass


@pytest.fixture
def limited(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> Extractor:
    """The session extractor with a 0.3 s time limit (its config is only read, so no reload)."""
    monkeypatch.setattr(extractor, "config", replace(extractor.config, timeout_s=0.3))
    return extractor


def error_type(record: Record) -> str | None:
    return record.error.type if isinstance(record, ErrorRecord) else None


@pytest.mark.parametrize("work", [spin, lambda: re.match(r"(a+)+$", "a" * 40 + "b")], ids=["python loop", "regex match"])
def test_deadline_stops_the_block(work: object) -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTimeout):
        with deadline(0.1):
            work()  # type: ignore[operator]
    assert time.monotonic() - started < 2


def test_deadline_off_the_main_thread() -> None:
    caught: list[BaseException] = []

    def run() -> None:
        try:
            with deadline(0.1):
                spin()
        except DocumentTimeout as error:
            caught.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(5)
    assert caught and not thread.is_alive()


def test_deadline_never_fires_after_its_block() -> None:
    for _ in range(200):  # timers expiring around the end of the block
        try:
            with deadline(0.0005):
                sum(range(2000))
        except DocumentTimeout:
            pass
    time.sleep(0.01)  # a stray alarm would raise here
    with deadline(None):
        pass
    with pytest.raises(DocumentTimeout):
        with deadline(0):
            pass


def test_text_over_max_chars(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extractor, "config", replace(extractor.config, max_chars=1000))
    record = extractor.extract_text("x" * 1001, source_name="long.txt")
    assert error_type(record) == "too_large" and "1001 characters, over the limit of 1000" in record.error.message  # type: ignore[union-attr]
    assert isinstance(extractor.extract_text(announcement(0)), AgreementRecord)


def test_slow_parse_times_out_alone(limited: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch's ``nlp.pipe`` runs out of time: each document is parsed again on its own."""
    paths = [tmp_path / "a.txt", tmp_path / "slow.txt", tmp_path / "b.txt"]
    write_tree(tmp_path, {"a.txt": announcement(1), "slow.txt": SLOW_TEXT, "b.txt": announcement(2)})
    started = time.monotonic()
    records = list(limited.extract_files(paths))
    assert time.monotonic() - started < 10
    assert [error_type(r) for r in records] == [None, "timeout", None]
    assert records[1].error.message.endswith("not processed within 0.3 s")  # type: ignore[union-attr]
    assert records[1].source.sha256 is not None
    monkeypatch.setattr(limited, "config", replace(limited.config, timeout_s=None))
    assert records[0] == limited.extract_file(paths[0])


def test_slow_stages_time_out(limited: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.stages.themes.find_themes", lambda *args: spin())
    record = limited.extract_text(announcement(0), source_name="stuck.txt")
    assert error_type(record) == "timeout"


def test_timeout_in_a_worker_thread(limited: Extractor) -> None:
    """Off the main thread (a Dask task) the limit still holds for Python code."""
    records: list[Record] = []
    thread = threading.Thread(target=lambda: records.append(limited.extract_text(SLOW_TEXT)))
    thread.start()
    thread.join(20)
    assert [error_type(r) for r in records] == ["timeout"]


def test_timeouts_are_remembered_and_retried_when_asked(tmp_path: Path) -> None:
    """A timed-out document does not cost its full timeout again on every rerun: it is redone
    with ``retry_failures`` (``--retry-timeouts``) or a longer limit."""
    source = write_tree(tmp_path / "in", {"a.txt": announcement(1), "slow.txt": SLOW_TEXT})
    out = tmp_path / "out"
    config = ExtractorConfig(timeout_s=0.3)

    summary = run_batch([source], out, config)

    assert summary.errors_by_type == {"timeout": 1}
    assert json.loads((out / MANIFEST).read_text("utf-8"))["slow.txt"]["failed"] == "timeout"
    assert [r.get("error", {}).get("type") for r in jsonl(out)] == [None, "timeout"]
    again = run_batch([source], out, config)
    assert (again.skipped_unchanged, again.errors_by_type) == (2, {"timeout": 1})
    retried = run_batch([source], out, config, retry_failures=True)
    assert (retried.skipped_unchanged, retried.errors_by_type) == (1, {"timeout": 1})
    longer = run_batch([source], out, replace(config, timeout_s=0.4))
    assert (longer.skipped_unchanged, longer.errors_by_type) == (1, {"timeout": 1})


@pytest.mark.parametrize(
    ("argv", "timeout"), [([], DEFAULT_TIMEOUT_S), (["--timeout", "2.5"], 2.5), (["--timeout", "0"], None)]
)
def test_timeout_option(argv: list[str], timeout: float | None, monkeypatch: pytest.MonkeyPatch) -> None:
    limits: list[float | None] = []

    def stop(inputs: list[Path], output_dir: Path, config: ExtractorConfig, *args: object, **options: object) -> None:
        limits.append(config.timeout_s)
        raise BatchError("stopped here")

    monkeypatch.setattr("pipeline.batch.run_batch", stop)
    assert main(["extract", "in", *argv]) == 2
    assert limits == [timeout]


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon"])
def test_timeout_option_refuses(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "in", "--timeout", value]) == 2
    assert "Invalid value for '--timeout'" in capsys.readouterr().err
