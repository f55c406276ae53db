"""Dask: a LocalCluster of two worker processes writes what a local run with one process writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import ExtractorConfig
from pipeline.batch import MANIFEST, BatchError
from pipeline.cli import main
from test_batch import CONFIG, announcement, snapshot, write_tree

distributed = pytest.importorskip("distributed")
from pipeline.distributed import run_on_dask  # noqa: E402  (needs dask)


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=50
    ) as local:
        yield local


@pytest.fixture(scope="module")
def hostile40(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 announcements, and files that give error records on the client (too large) and on the workers."""
    files: dict[str, str | bytes] = {f"group{i % 3}/doc-{i:02d}.txt": announcement(i) for i in range(40)}
    files |= {"bad/binary.txt": bytes(range(256)) * 8, "bad/empty.md": b"", "bad/big.txt": b"a" * 6_000_000}
    return write_tree(tmp_path_factory.mktemp("hostile40"), files)


def test_dask_writes_what_a_local_run_writes(cluster: distributed.LocalCluster, hostile40: Path, tmp_path: Path) -> None:
    from pipeline.batch import run_batch

    run_batch([hostile40], tmp_path / "local", CONFIG, jobs=1)
    with distributed.Client(cluster) as client:
        summary = run_on_dask([hostile40], tmp_path / "dask", CONFIG, client)
        assert client.status == "running"  # a client passed in is left open

    assert summary.documents == 43 and summary.errors_by_type == {"binary": 1, "empty": 1, "too_large": 1}
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "local")


def test_cli_scheduler_option_resumes_a_run(cluster: distributed.LocalCluster, hostile40: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    argv = ["extract", str(hostile40), "-o", str(out), "--scheduler", cluster.scheduler_address]
    assert main(argv) == 1  # the error records
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    del manifest["group0/doc-00.txt"]
    (out / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    assert main(argv) == 1
    assert json.loads((out / "run-summary.json").read_text("utf-8"))["skipped_unchanged"] == 41  # not doc-00, nor big.txt


def test_unreachable_scheduler(tmp_path: Path, hostile40: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.distributed.CONNECT_TIMEOUT", "1s")
    with pytest.raises(BatchError, match="cannot reach the Dask scheduler"):
        run_on_dask([hostile40], tmp_path / "out", ExtractorConfig(), "tcp://127.0.0.1:1")
    assert not (tmp_path / "out").exists()
