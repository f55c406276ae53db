"""Several machines: the extraction of ``run_batch`` on a Dask cluster, written by the same writer.

This machine (the client) walks the inputs, reads each file's bytes (``read_source``: the
size limit, unreadable files and FIFOs are handled here) and ships them to the workers with
their source names; the workers decode, parse and build the records, and send them back.
So the inputs need not be on a file system the workers share, and ``run_batch`` writes the
outputs here, with its manifest, atomic writes, ``records.jsonl`` and summary.

Each worker process loads one Extractor, when it joins (``ExtractorPlugin``), and keeps it for
every chunk. A worker whose code, rules or model differ from the client's would write records
the manifest credits to the client's version: every chunk comes back with the worker's
configuration fingerprint, and a different one stops the run.

Requires the ``dask`` extra. Workers need the same installation (package and spaCy models).
spaCy holds the GIL, so run one thread per worker process (``dask worker ADDRESS --nthreads 1
--nworkers N``); with more threads, the threads of a process take turns on its Extractor.
Tasks run outside the main thread, where the time limit is weaker (``pipeline.deadline``).

A cluster can vanish under a run: when it has had no workers for ``scheduler_timeout`` seconds,
or the scheduler is lost, the run stops with a ``BatchError``; the records received until then
are written and in the manifest, so a rerun resumes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import suppress
from functools import lru_cache, partial
from pathlib import Path

from distributed import Client, Future, Worker, WorkerPlugin
from distributed.client import ClosedClientError

from models import ErrorRecord, Record
from pipeline.batch import BatchError, RunSummary, config_fingerprint, model_description, run_batch
from pipeline.document import SourceFormat
from pipeline.extractor import DEFAULT_SCHEDULER_TIMEOUT_S, ExtractorConfig, or_error
from pipeline.parallel import Item, extractor_for, in_chunks
from pipeline.readers import document_from_bytes, read_source

Payload = tuple[bytes, SourceFormat, str] | ErrorRecord
"""A file as shipped to a worker: its bytes, format and source name, or the error record of reading it."""

CONNECT_TIMEOUT = "30s"
"""How long to wait for the scheduler to answer."""
POLL_S = 1.0
"""How often a run waiting for a chunk checks that the cluster still has workers and a scheduler."""
_EXTRACTOR_LOCK = threading.Lock()
"""One chunk at a time per worker process: an Extractor is not meant for concurrent use."""


class ExtractorPlugin(WorkerPlugin):
    """Loads the worker's Extractor when the worker starts or joins, rather than on its first chunk."""

    name = "agreement-extractor"  # registering again (another run, another config) replaces it

    def __init__(self, config: ExtractorConfig) -> None:
        self.config = config

    def setup(self, worker: Worker) -> None:
        with _EXTRACTOR_LOCK:
            extractor_for(self.config)


def run_on_dask(
    inputs: list[Path],
    output_dir: Path,
    config: ExtractorConfig,
    scheduler: str | Client,
    force: bool = False,
    progress: bool | None = None,
    retry_failures: bool = False,
    scheduler_timeout: float | None = DEFAULT_SCHEDULER_TIMEOUT_S,
) -> RunSummary:
    """``run_batch`` with the extraction done by the workers of ``scheduler``: an address
    (``tcp://host:8786``; the client is closed afterwards) or a connected ``Client``.

    The outputs are byte for byte those of a local run. Raises ``BatchError`` when the cluster
    cannot be reached or has no workers, when it loses them all for ``scheduler_timeout``
    seconds (``None``: waits for ever) or its scheduler, and when a worker's fingerprint
    differs from this one's.
    """
    client = _connect(scheduler) if isinstance(scheduler, str) else scheduler
    try:
        if not client.nthreads():
            raise BatchError(f"the Dask cluster at {client.scheduler.address} has no workers")
        client.register_plugin(ExtractorPlugin(config))
        expected = config_fingerprint(config, model_description(config))
        extract = partial(extract_on_dask, client, expected, scheduler_timeout=scheduler_timeout)
        return run_batch(
            inputs, output_dir, config, force=force, progress=progress, extract=extract, retry_failures=retry_failures
        )
    finally:
        if client is not scheduler:
            client.close()


def _connect(address: str) -> Client:
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError) as error:  # unreachable (OSError, TimeoutError) or not an address
        raise BatchError(f"cannot reach the Dask scheduler at {address}: {error}") from error


def extract_on_dask(
    client: Client,
    fingerprint: str,
    config: ExtractorConfig,
    items: Sequence[Item],
    scheduler_timeout: float | None = DEFAULT_SCHEDULER_TIMEOUT_S,
) -> Iterator[Record]:
    """Records of ``items`` in input order; each chunk of ``batch_size`` files is read here when
    it is submitted, and only a few chunks per worker are in flight."""

    def submit(chunk: list[Item]) -> _CheckedFuture:
        payloads = [_payload(path, name or path.as_posix(), config.max_bytes) for path, name in chunk]
        future = client.submit(_extract_chunk, config, payloads, pure=False)
        return _CheckedFuture(client, future, fingerprint, scheduler_timeout)

    yield from in_chunks(submit, items, config.batch_size, len(client.nthreads()))


def _payload(path: Path, name: str, max_bytes: int) -> Payload:
    read = or_error(name, lambda: read_source(path, name, max_bytes))
    return read if isinstance(read, ErrorRecord) else (*read, name)


class _CheckedFuture:
    """A chunk's future whose result is its records, once the worker's fingerprint is checked;
    waiting for it ends with a ``BatchError`` when the cluster is gone (module docstring)."""

    def __init__(self, client: Client, future: Future, fingerprint: str, patience: float | None) -> None:
        self.client, self.future, self.fingerprint, self.patience = client, future, fingerprint, patience

    def result(self) -> list[Record]:
        fingerprint, records = self._wait()
        if fingerprint != self.fingerprint:
            raise BatchError(
                "a Dask worker runs other extraction code, rules or models than this machine "
                "(its configuration fingerprint differs): install the same version everywhere"
            )
        return records

    def _wait(self) -> tuple[str, list[Record]]:
        address = self.client.scheduler.address
        served = time.monotonic()  # when the cluster last had a scheduler and a worker
        while True:
            try:
                return self.future.result(timeout=POLL_S)
            except TimeoutError:
                pass
            except CancelledError:  # the client lost its scheduler and gave up on its tasks
                raise BatchError(f"lost the Dask scheduler at {address}; {_KEPT}") from None
            if self._has_workers():
                served = time.monotonic()
            elif self.patience is not None and time.monotonic() - served > self.patience:
                cause = "no workers" if self.client.status == "running" else "no scheduler"
                raise BatchError(f"the Dask cluster at {address} has had {cause} for {self.patience:g} s; {_KEPT}")

    def _has_workers(self) -> bool:
        if self.client.status != "running":
            return False
        try:
            return bool(self.client.nthreads())
        except (OSError, CancelledError):  # the scheduler went away while asked
            return False

    def cancel(self) -> bool:
        with suppress(ClosedClientError):  # the scheduler is gone, and the task with it
            self.future.cancel()
        return True


_KEPT = "the records received are kept, rerun to resume"


def _extract_chunk(config: ExtractorConfig, payloads: list[Payload]) -> tuple[str, list[Record]]:
    """On a worker: the chunk's records, and the worker's fingerprint for the client to check."""
    documents = (p if isinstance(p, ErrorRecord) else or_error(p[2], partial(document_from_bytes, *p)) for p in payloads)
    with _EXTRACTOR_LOCK:
        return _fingerprint(config), list(extractor_for(config).extract_documents(documents))


@lru_cache(maxsize=1)
def _fingerprint(config: ExtractorConfig) -> str:
    return config_fingerprint(config, model_description(config))
