"""Issue 13, the runner's side: nothing stalls, leaks or is lost whatever happens to a run —
killed workers and main processes, runs sharing an output folder, damaged manifests and
records, unwritable outputs, names that collide with the run's own files."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from models import ErrorRecord
from pipeline import ExtractorConfig
from pipeline.extractor import read_item
from pipeline.batch import MANIFEST, RECORDS, SUMMARY, TEMP_SUFFIX, BatchError, output_names, run_batch
from pipeline.cli import main
from pipeline.outlock import LOCK_NAME, hold
from hostile_runs import faulty_chunk
from test_batch import announcement, jsonl, snapshot, write_tree
from test_limits import SLOW_TEXT, spin

IN_PROCESS = ExtractorConfig(timeout_s=None)
"""For runs whose test is not about time limits: no worker is started for them."""


def outcome(out: Path) -> dict[str, str | None]:
    """Each source's error type, None for a record."""
    return {r["source"]["path"]: r.get("error", {}).get("type") for r in jsonl(out)}


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    """The error's line: one, and no traceback."""
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if "error:" in line]
    assert "Traceback" not in err and len(errors) == 1 and err.endswith(errors[0] + "\n"), err
    return errors[0]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("corpus"), {f"doc-{i:02d}.txt": announcement(i) for i in range(24)})


# --------------------------------------------------------------------------- workers and signals


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_run_leaves_no_worker_behind(corpus: Path, tmp_path: Path, sig: signal.Signals) -> None:
    """``kill``, ``docker stop`` or the OOM killer on the main process: no worker (~550 MB each)
    nor resource tracker survives it; SIGTERM unwinds like Ctrl-C (message, 143, no temporary file)."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "extract", str(corpus), "-o", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path, text=True)
    limit = time.monotonic() + 120
    while len(kids := children(process.pid)) < 3:  # two workers and the resource tracker
        assert process.poll() is None and time.monotonic() < limit
        time.sleep(0.05)
    time.sleep(1)  # the workers are loading their models
    kids = children(process.pid)
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    limit = time.monotonic() + 15
    while alive(kids) and time.monotonic() < limit:
        time.sleep(0.1)
    assert not alive(kids)
    if sig == signal.SIGTERM:
        assert process.returncode == 143
        *loading, last = err.strip().splitlines()  # the workers may have said they load their models
        assert last == "extract-agreements: terminated; the records written are kept, rerun to resume"
        assert all(line.startswith("loading the ") for line in loading)
        assert not [name for name in snapshot(out) if name.endswith(TEMP_SUFFIX)]
        assert not (out / LOCK_NAME).exists()


@pytest.mark.slow
def test_lost_workers_cost_only_their_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies (twice) or hangs in C code is killed and replaced: its document gets an
    error record, the others of its chunk are redone alone, and the run goes on. The manifest
    remembers both failures, so a rerun does not pay for them again."""
    monkeypatch.setattr("pipeline.parallel._extract_chunk", faulty_chunk)
    monkeypatch.setattr("pipeline.parallel.hard_limit", lambda config, documents: 3.0)
    files = {f"doc-{i:02d}.txt": announcement(i) for i in range(6)} | {"doc-02-crash.txt": "x", "doc-04-stuck.txt": "y"}
    source = write_tree(tmp_path / "in", files)
    config = ExtractorConfig(timeout_s=30)

    summary = run_batch([source], tmp_path / "out", config, jobs=2)

    assert summary.errors_by_type == {"worker_died": 1, "timeout": 1}
    errors = {name: kind for name, kind in outcome(tmp_path / "out").items() if kind}
    assert errors == {"doc-02-crash.txt": "worker_died", "doc-04-stuck.txt": "timeout"}
    monkeypatch.undo()
    local = run_batch([source], tmp_path / "local", config, jobs=1, force=True)  # what one process writes without the faults
    assert local.errors == 0
    for name in files.keys() - errors.keys():
        record = name + ".json"
        assert (tmp_path / "out" / record).read_bytes() == (tmp_path / "local" / record).read_bytes()
    monkeypatch.setattr("pipeline.parallel._extract_chunk", faulty_chunk)
    again = run_batch([source], tmp_path / "out", config, jobs=2)
    assert (again.skipped_unchanged, again.errors_by_type) == (8, {"worker_died": 1, "timeout": 1})


@pytest.mark.slow
def test_one_process_has_a_limit_c_code_cannot_escape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a time limit, ``--jobs 1`` extracts in one worker that is killed and replaced like
    any other (it ran in the main process, where a C call outlasts every alarm)."""
    monkeypatch.setattr("pipeline.parallel._extract_chunk", faulty_chunk)
    monkeypatch.setattr("pipeline.parallel.hard_limit", lambda config, documents: 3.0)
    files = {f"doc-{i:02d}.txt": announcement(i) for i in range(3)} | {"doc-01-stuck.txt": "y", "doc-02-crash.txt": "x"}
    summary = run_batch([write_tree(tmp_path / "in", files)], tmp_path / "out", ExtractorConfig(timeout_s=30), jobs=1)
    assert summary.errors_by_type == {"worker_died": 1, "timeout": 1}
    assert {name: kind for name, kind in outcome(tmp_path / "out").items() if kind} == {"doc-01-stuck.txt": "timeout", "doc-02-crash.txt": "worker_died"}


@pytest.mark.slow
def test_timeouts_are_the_same_with_one_or_two_processes(tmp_path: Path) -> None:
    """The alarm inside each worker gives the same ``timeout`` records as in one process."""
    files = {f"doc-{i:02d}.txt": announcement(i) for i in range(5)} | {"doc-02-slow.txt": SLOW_TEXT * 2}
    source = write_tree(tmp_path / "in", files)
    config = ExtractorConfig(timeout_s=2)
    run_batch([source], tmp_path / "one", config, jobs=1)
    run_batch([source], tmp_path / "two", config, jobs=2)
    assert outcome(tmp_path / "one")["doc-02-slow.txt"] == "timeout"
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")


def test_reading_counts_against_the_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose reading never ends is a ``timeout`` record, not a stalled run."""
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    monkeypatch.setattr("pipeline.extractor.read_document", lambda *args: spin())
    record = read_item(ExtractorConfig(timeout_s=0.3), source / "a.txt", "a.txt")  # how every worker and the language pre-pass read
    assert isinstance(record, ErrorRecord) and record.error.type == "timeout"


# --------------------------------------------------------------------------- one run per output folder


def test_busy_output_folder_is_refused(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second run would delete the first one's temporary files and records: it says so and stops."""
    out = tmp_path / "out"
    out.mkdir()
    with hold(out):
        assert main(["extract", str(corpus), "-o", str(out), "--jobs", "1"]) == 2
        assert f"in use by another extract run (pid {os.getpid()}" in one_line_error(capsys)
        assert os.listdir(out) == [LOCK_NAME]
    assert not (out / LOCK_NAME).exists()


def test_lock_of_a_dead_run_is_taken_over(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / LOCK_NAME).write_text(dead.stdout)
    assert run_batch([source], tmp_path / "out", IN_PROCESS, jobs=1).records == 1
    assert not (tmp_path / "out" / LOCK_NAME).exists()


@pytest.mark.parametrize(
    ("source", "output"), [("in", "in"), ("in", "."), ("in/a.txt", "in")], ids=["the input", "above it", "its folder"]
)
def test_output_folder_holding_an_input_is_refused(
    tmp_path: Path, source: str, output: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-o`` equal to the input folder overwrote ``a.json`` beside ``a.txt`` and read ``report.html`` next time."""
    write_tree(tmp_path / "in", {"a.txt": announcement(0), "a.json": "{\"mine\": true}\n"})
    before = snapshot(tmp_path)
    assert main(["extract", str(tmp_path / source), "-o", str(tmp_path / output), "--jobs", "1"]) == 2
    assert "must not be, or contain, the input" in one_line_error(capsys)
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- damaged manifests and records


@pytest.mark.parametrize(
    "manifest",
    [
        "[1, 2]",
        '{"a.txt": 5}',
        '{"a.txt": {"sha256": 1, "output": ["a.json"]}}',
        '{"a.txt": {"sha256": null, "output": "a.json", "extractor_version": "x", "config": "y", "new": 1}}',
        "\x00\xff",
    ],
    ids=["list", "number entry", "wrong types", "unknown key", "binary"],
)
def test_damaged_manifest_means_redo(tmp_path: Path, manifest: str) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "b.txt": announcement(1)})
    out = tmp_path / "out"
    run_batch([source], out, IN_PROCESS, jobs=1)
    reference = snapshot(out)
    (out / MANIFEST).write_text(manifest, "utf-8", errors="surrogateescape")
    summary = run_batch([source], out, IN_PROCESS, jobs=1)
    assert (summary.records, summary.skipped_unchanged) == (2, 0)
    assert {k: v for k, v in snapshot(out).items() if k != SUMMARY} == {k: v for k, v in reference.items() if k != SUMMARY}


def test_crafted_manifest_deletes_nothing_the_run_did_not_write(tmp_path: Path) -> None:
    """The manifest names what a run may delete: only the record files of sources that are gone."""
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "b.txt": announcement(1)})
    out = tmp_path / "out"
    run_batch([source], out, IN_PROCESS, jobs=1)
    write_tree(out, {"notes.json": '{"mine": true}', "keep/me.json": '{"source": {"path": "gone.txt"}}'})
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    entry = manifest["a.txt"]
    manifest |= {
        "gone.txt": entry | {"output": "notes.json"},
        "gone2.txt": entry | {"output": "b.txt.json"},  # another source's record
        "gone3.txt": entry | {"output": "keep/me.json"},  # not a valid record
        "gone4.txt": entry | {"output": "../in/a.txt"},
        "gone5.txt": entry | {"output": RECORDS},
    }
    (out / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    before = snapshot(tmp_path)
    summary = run_batch([source], out, IN_PROCESS, jobs=1)
    assert summary.skipped_unchanged == 2 and summary.deleted == ["gone.txt", "gone2.txt", "gone3.txt"]
    after = snapshot(tmp_path)
    assert after.keys() == before.keys()
    assert after["out/notes.json"] == before["out/notes.json"] and after["in/a.txt"] == before["in/a.txt"]


def test_gone_source_record_is_still_deleted(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "b.txt": announcement(1)})
    run_batch([source], tmp_path / "out", IN_PROCESS, jobs=1)
    (source / "b.txt").unlink()
    assert run_batch([source], tmp_path / "out", IN_PROCESS, jobs=1).deleted == ["b.txt"]
    assert not (tmp_path / "out" / "b.txt.json").exists() and not (tmp_path / "out" / "b.txt.txt").exists()


@pytest.mark.parametrize("content", ["{}", "[]", '{"source": {"path": "other.txt"}, "warnings": []}', "nul"])
def test_damaged_record_file_is_redone(tmp_path: Path, content: str) -> None:
    """A record file replaced by ``{}`` raised ``KeyError`` on every rerun until ``--force``."""
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    out = tmp_path / "out"
    run_batch([source], out, IN_PROCESS, jobs=1)
    reference = (out / "a.txt.json").read_bytes()
    (out / "a.txt.json").write_text(content, "utf-8")
    summary = run_batch([source], out, IN_PROCESS, jobs=1)
    assert (summary.records, summary.skipped_unchanged) == (1, 0)
    assert (out / "a.txt.json").read_bytes() == reference


# --------------------------------------------------------------------------- usage and environment errors


def fail_writes(code: int) -> object:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), "out/.records.jsonl.extract-tmp")

    return fail


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "{tmp}/afile/sub"], "afile/sub: Not a directory"),
        (["-o", "{tmp}/" + "x" * 300], "File name too long"),
        (["-o", "{tmp}/out", "--timeout", "1e10"], "Invalid value for '--timeout': wants a number of seconds from 0 (no limit) to 1e+06"),
        (["-o", "{tmp}/out", "--max-bytes", "1e23"], "Invalid value for '--max-bytes': wants a positive integer up to"),
        (["-o", "{tmp}/out", "--max-bytes", "1" + "0" * 23], "Invalid value for '--max-bytes': wants a positive integer up to"),
        (["-o", "{tmp}/out", "--max-chars", "1" + "0" * 23], "Invalid value for '--max-chars': wants a positive integer up to"),
    ],
    ids=["output under a file", "output name too long", "huge timeout", "float bytes", "huge bytes", "huge chars"],
)
def test_usage_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    (tmp_path / "afile").write_text("")
    assert main(["extract", str(source), "--jobs", "1", *(a.format(tmp=tmp_path) for a in argv)]) == 2
    assert message in one_line_error(capsys)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS], ids=["full disk", "read-only disk"])
def test_unwritable_output_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    monkeypatch.setattr("pipeline.batch.tempfile.NamedTemporaryFile", fail_writes(code))
    assert main(["extract", str(source), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 2
    assert one_line_error(capsys).endswith(f"out/.records.jsonl.extract-tmp: {os.strerror(code)}")
    assert not (tmp_path / "out" / LOCK_NAME).exists()


def test_report_to_a_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    assert main(["extract", str(source), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 0
    (tmp_path / "page").mkdir()
    capsys.readouterr()
    assert main(["report", str(tmp_path / "out"), "-o", str(tmp_path / "page"), "--inputs", str(source)]) == 2
    assert "page: Is a directory" in one_line_error(capsys)


# --------------------------------------------------------------------------- names of the run's own files


@pytest.mark.parametrize("folder", [RECORDS, MANIFEST, SUMMARY, LOCK_NAME, "report.html"])
def test_input_folder_named_like_a_run_file(tmp_path: Path, folder: str) -> None:
    """An input folder ``records.jsonl/`` made every run crash with ``IsADirectoryError``."""
    source = write_tree(tmp_path / "in", {f"{folder}/a.txt": announcement(0), "b.txt": announcement(1)})
    summary = run_batch([source], tmp_path / "out", IN_PROCESS, jobs=1)
    assert (summary.records, summary.errors) == (2, 0)
    assert (tmp_path / "out" / f"{folder}.d" / "a.txt.json").is_file()
    assert run_batch([source], tmp_path / "out", IN_PROCESS, jobs=1).skipped_unchanged == 2


def test_renamed_run_file_folder_keeps_names_distinct() -> None:
    assert output_names(["records.jsonl/a.txt", "records.jsonl.d/b.txt"]) == {
        "records.jsonl/a.txt": "records.jsonl.d/a.txt.json",
        "records.jsonl.d/b.txt": "records.jsonl.d/b.txt.json",
    }
    with pytest.raises(BatchError, match="cannot give distinct output files"):
        output_names(["records.jsonl/a.txt", "records.jsonl.d/a.txt"])


# --------------------------------------------------------------------------- Dask clusters that vanish


def when_first_record(out: Path, then: Callable[[], object]) -> threading.Thread:
    """Run ``then`` in a thread once the run has written its first record."""

    def wait() -> None:
        while not any(p.name.startswith("doc-") for p in out.glob("*.json")):
            time.sleep(0.05)
        then()

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread


@pytest.mark.slow
@pytest.mark.parametrize("loss", ["workers", "scheduler"])
def test_dask_run_ends_when_its_cluster_is_gone(corpus: Path, tmp_path: Path, loss: str) -> None:
    """All workers gone: the client waited for ever; scheduler killed: a ``FutureCancelledError``
    traceback. Now a ``BatchError`` after ``scheduler_timeout``, and a rerun resumes."""
    distributed = pytest.importorskip("distributed")
    from pipeline.distributed import run_on_dask

    out = tmp_path / "out"
    cluster = distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=50)
    client = distributed.Client(cluster)
    try:
        lose = (lambda: cluster.scale(0)) if loss == "workers" else cluster.close
        when_first_record(out, lose)
        with pytest.raises(BatchError, match="no workers for 2 s|lost the Dask scheduler|no scheduler for 2 s"):
            run_on_dask([corpus], out, ExtractorConfig(), client, scheduler_timeout=2)
        written = set(json.loads((out / MANIFEST).read_text("utf-8")))
        assert written and len(written) < 24 and not (out / LOCK_NAME).exists()
    finally:
        client.close()
        cluster.close()
    resumed = run_batch([corpus], out, ExtractorConfig(), jobs=1)
    assert resumed.skipped_unchanged == len(written) and resumed.records == 24
