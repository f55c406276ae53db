"""Several cores: a process pool with one Extractor per worker, fed chunks of files.

Everything a worker runs is a module-level function, so the pool works with the "spawn"
start method (used on every platform: forking a process that already runs threads, such
as tqdm's monitor, is unsafe). Each chunk is ``config.batch_size`` files, so a worker
streams it through one ``nlp.pipe`` call; only a few chunks are in flight at a time, so
memory does not grow with the number of files.
"""

from __future__ import annotations

import math
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache, partial
from pathlib import Path
from typing import Protocol, TypeVar

from models import Record
from pipeline.extractor import Extractor, ExtractorConfig

Item = tuple[Path, str | None]
"""A file to extract and its source name (``None``: the path itself)."""

CHUNKS_IN_FLIGHT_PER_WORKER = 2
"""One chunk being parsed and one queued per worker keeps every worker busy without buffering more."""

T = TypeVar("T")


class ChunkFuture(Protocol):
    """What ``in_chunks`` needs of a future: a ``concurrent.futures`` one or a Dask one."""

    def result(self) -> list[Record]: ...

    def cancel(self) -> bool: ...


@lru_cache(maxsize=1)
def extractor_for(config: ExtractorConfig) -> Extractor:
    """The process's Extractor for ``config``: loading spaCy takes a second, so it is built once per process."""
    return Extractor.from_config(config)


def _start_worker(config: ExtractorConfig) -> None:
    """Pool initializer: load the models before the first chunk arrives."""
    extractor_for(config)


def _extract_chunk(config: ExtractorConfig, items: list[Item]) -> list[Record]:
    return list(extractor_for(config).extract_named(items))


def extract_items(config: ExtractorConfig, items: Sequence[Item], n_process: int = 1) -> Iterator[Record]:
    """Records of ``items`` in input order, in this process or in a pool.

    A pool is started only when there is more than one chunk of work for it: a pool of one
    worker would only add the cost of starting it. Nothing is loaded before the first record
    is asked for, and nothing at all when ``items`` is empty.
    """
    if not items:
        return
    workers = min(n_process, math.ceil(len(items) / config.batch_size))
    if workers > 1:
        yield from extract_in_pool(config, items, workers)
    else:
        yield from extractor_for(config).extract_named(items)


def extract_in_pool(config: ExtractorConfig, items: Sequence[Item], n_process: int) -> Iterator[Record]:
    """Records of ``items`` in input order, extracted by ``n_process`` worker processes."""
    pool = ProcessPoolExecutor(
        n_process, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=(config,)
    )
    try:
        yield from in_chunks(partial(pool.submit, _extract_chunk, config), items, config.batch_size, n_process)
    finally:  # also on Ctrl-C or when the caller stops early: drop the queued chunks
        pool.shutdown(wait=True, cancel_futures=True)


def in_chunks(
    submit: Callable[[list[T]], ChunkFuture], items: Sequence[T], chunk_size: int, workers: int
) -> Iterator[Record]:
    """Records of ``items`` in input order, from chunks of ``chunk_size`` handed to ``submit``.

    At most ``CHUNKS_IN_FLIGHT_PER_WORKER`` chunks per worker are submitted ahead of the one
    being read, so memory stays bounded; those still pending when the caller stops are cancelled.
    """
    in_flight: deque[ChunkFuture] = deque()
    try:
        for start in range(0, len(items), chunk_size):
            in_flight.append(submit(list(items[start : start + chunk_size])))
            if len(in_flight) >= workers * CHUNKS_IN_FLIGHT_PER_WORKER:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()
    finally:
        for future in in_flight:
            future.cancel()
