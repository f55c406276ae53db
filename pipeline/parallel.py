"""Several cores, and limits that C code cannot escape: pools of worker processes with one
Extractor each, fed chunks of files, one language's documents after another.

A run's documents are grouped by language (``language_groups``: a read and a language
detection each, no model; the primary language's group streams while the others are put
aside), and each group gets its own pool, stopped when the group is done,
whose workers load only that language's pipeline: no process holds two (the French pipeline
alone is about 200 MB). Whenever a time limit is set, even one process is a one-worker pool.

Everything a worker runs is a module-level function, so the pool works with the "spawn"
start method (used on every platform: forking a process that already runs threads, such
as tqdm's monitor, is unsafe). Each chunk is ``config.batch_size`` files, so a worker
streams it through one ``nlp.pipe`` call; only a few chunks are in flight at a time, so
memory does not grow with the number of files.

The pool is pebble's ``ProcessPool``, because a worker can be lost without losing the run:

- inside a worker, ``pipeline.deadline`` gives each document its ``timeout_s``, as in one
  process, so the records are the same as with ``--jobs 1``;
- a chunk still running well past what those limits allow (``hard_limit``: stuck in C code,
  which the alarm cannot interrupt) has its worker killed and replaced, and a worker that dies
  (out of memory, a crash in native code) is replaced too; the chunk's documents are then
  tried one per task, and the one that fails again gets a ``timeout`` or ``worker_died``
  error record while the run goes on;
- workers die with the main process, whatever killed it (``PR_SET_PDEATHSIG`` on Linux), so
  no orphan keeps its models in memory.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import math
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache, partial
from pathlib import Path
from typing import Protocol, TypeVar

from pebble import ProcessExpired, ProcessFuture, ProcessPool

from models import ErrorRecord, Record
from pipeline.document import Document
from pipeline.extractor import (
    AUTO,
    AUTO_PRIMARY,
    Extractor,
    ExtractorConfig,
    error_record,
    pipeline_language,
    read_in_language,
    show_progress_messages,
    timeout_message,
)

Item = tuple[Path, str | None]
"""A file to extract and its source name (``None``: the path itself)."""
Task = Item | Document | ErrorRecord
"""What a worker is handed: a file to read, or one its parent read already (``read_in_language``)."""

CHUNKS_IN_FLIGHT_PER_WORKER = 2
"""One chunk being parsed and one queued per worker keeps every worker busy without buffering more."""
HARD_LIMIT_GRACE_S = 30.0
"""Added to a chunk's hard limit: loading a language's model on its first document, reading the files."""
WORKER_DIED = "worker_died"
"""The error type of a document whose worker process died while extracting it, twice."""
_PR_SET_PDEATHSIG = 1

T = TypeVar("T")


class ChunkFuture(Protocol):
    """What ``in_chunks`` needs of a future: a pool's or a Dask one."""

    def result(self) -> list[Record]: ...

    def cancel(self) -> bool: ...


@lru_cache(maxsize=1)
def extractor_for(config: ExtractorConfig, lazy: bool = False) -> Extractor:
    """The process's Extractor for ``config``: loading spaCy takes a second, so it is built once per process
    (``lazy``: its pipelines load on their first document, as in a worker of one language's group)."""
    return Extractor.from_config(config, lazy=lazy)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies; exit at once if it already has."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _start_worker(config: ExtractorConfig, parent: int, message_level: int, language: str | None) -> None:
    """Pool initializer: tie the worker's life to the main process, show the messages the main
    process shows (for the worker's whole life), then load and warm up the pipeline of the
    documents' ``language`` (None: any, each on its first document) before the first chunk arrives."""
    _die_with_parent(parent)
    if message_level:
        show_progress_messages(message_level)
    extractor = extractor_for(config, lazy=True)
    if language is not None:
        extractor.warm_up(language)


def task_name(task: Task) -> str:
    """The source name of what a worker is handed."""
    if isinstance(task, Document):
        return task.path
    return task.source.path if isinstance(task, ErrorRecord) else task[1] or task[0].as_posix()


def _extract_chunk(config: ExtractorConfig, items: list[Task]) -> list[Record]:
    return list(extractor_for(config, lazy=True).extract_named(items))


def hard_limit(config: ExtractorConfig, documents: int) -> float | None:
    """Seconds after which a chunk of ``documents`` has escaped its soft limits: one ``nlp.pipe``
    attempt per language (two), then each document alone, each within ``timeout_s``."""
    if config.timeout_s is None:
        return None
    return (documents + 2) * config.timeout_s + HARD_LIMIT_GRACE_S


def language_groups(config: ExtractorConfig, items: Sequence[Item]) -> Iterator[tuple[str | None, Iterable[Task]]]:
    """``items`` grouped by the language whose pipeline they need (``pipeline_language``), each group
    in input order: the primary language's first, with the files that need no pipeline, then the
    others by code. One group, and no reading, when the language is not detected.

    The first group streams: its files are handed on as they are read (a read and a language
    detection each), while the other languages' are put aside, so that its extraction starts at
    once instead of after every file of the run is read; it hands on the documents read, so its
    workers neither read nor detect again (the others' files are read again: holding every
    document of a run would take memory). Read each group to its end before the next."""
    if config.language != AUTO:
        yield config.language, list(items)
        return
    others: dict[str, list[Item]] = {}

    def primary() -> Iterator[Task]:
        for path, name in items:
            read = read_in_language(config, path, name or path.as_posix())
            language = pipeline_language(read)
            if language is None or language == AUTO_PRIMARY:
                yield read
            else:
                others.setdefault(language, []).append((path, name))

    first = primary()
    yield AUTO_PRIMARY, first
    if next(first, None) is not None:
        raise RuntimeError("language_groups: a group was left before its end")
    yield from sorted(others.items())


def extract_items(config: ExtractorConfig, items: Sequence[Item], n_process: int = 1) -> Iterator[Record]:
    """Records of ``items``, one language's documents after another (``language_groups``), so that
    no process holds two languages' pipelines at once: each group in a pool of at most
    ``n_process`` workers (no more than there are chunks of work), stopped when the group is
    done. With one process and no time limit, in this process, which releases a language's
    pipeline when a later group needs another; with a time limit, even one process is a worker,
    which is killed and replaced when a document escapes the limit in C code. Nothing is loaded
    before the first record is asked for, and nothing at all when ``items`` is empty.

    The first group's pool starts before its files are read, its workers without a model: their
    start (spawn, imports) overlaps the reading, and each loads the pipeline of its first
    document, the first group's language; a first group that turns out empty hands its pool on."""
    if not items:
        return
    pooled = n_process > 1 or config.timeout_s is not None
    first = _pool(config, _workers(config, len(items), n_process), None, start=True) if pooled and config.language == AUTO else None
    previous: str | None = None  # in this process: the language of the group before
    try:
        for language, group in language_groups(config, items):
            remaining = iter(group)
            head = list(itertools.islice(remaining, 1))
            if not head:
                continue
            documents = itertools.chain(head, remaining)
            if pooled:
                pool, first = first, None
                workers = _workers(config, len(group) if isinstance(group, list) else len(items), n_process)
                yield from extract_in_pool(config, documents, workers, language, pool)
                continue
            extractor = extractor_for(config, lazy=True)
            if previous is not None:
                extractor.release(previous)
            yield from extractor.extract_named(documents)
            previous = language
    finally:
        if first is not None:  # the caller stopped before the first record
            _stop(first)


def _workers(config: ExtractorConfig, documents: int, n_process: int) -> int:
    """No more workers than there are chunks of work."""
    return min(n_process, math.ceil(documents / config.batch_size))


def _pool(config: ExtractorConfig, n_process: int, language: str | None, start: bool = False) -> ProcessPool:
    """A pool of ``n_process`` workers that load ``language``'s pipeline when they start (None:
    each on its first document); with ``start``, its workers start now rather than on the first chunk."""
    initargs = (config, os.getpid(), logging.getLogger("pipeline").level, language)
    pool = ProcessPool(n_process, initializer=_start_worker, initargs=initargs, context=multiprocessing.get_context("spawn"))
    if start:
        pool.schedule(_ready)
    return pool


def _ready() -> None:
    """A task that only makes a pool start its workers."""


def _stop(pool: ProcessPool) -> None:
    pool.stop()
    pool.join()


def extract_in_pool(
    config: ExtractorConfig, items: Iterable[Task], n_process: int, language: str | None = None, pool: ProcessPool | None = None
) -> Iterator[Record]:
    """Records of ``items`` in input order, extracted by ``n_process`` worker processes (module
    docstring) that load ``language``'s pipeline when they start (None: each on its first
    document); ``pool``: such a pool already started, which this stops when done."""
    pool = _pool(config, n_process, language) if pool is None else pool
    try:
        yield from in_chunks(partial(_PoolChunk, pool, config), items, config.batch_size, n_process)
    finally:  # also on Ctrl-C, SIGTERM or when the caller stops early: no worker outlives the run
        _stop(pool)


class _PoolChunk:
    """A chunk scheduled on the pool; a lost worker costs only the documents that lose it again."""

    def __init__(self, pool: ProcessPool, config: ExtractorConfig, items: list[Task]) -> None:
        self.pool, self.config, self.items = pool, config, items
        self.future = self._schedule(items)

    def _schedule(self, items: list[Task]) -> ProcessFuture:
        return self.pool.schedule(_extract_chunk, (self.config, items), timeout=hard_limit(self.config, len(items)))

    def result(self) -> list[Record]:
        try:
            return self.future.result()
        except (FutureTimeout, ProcessExpired) as lost:
            if len(self.items) == 1:
                return [self._lost(self.items[0], lost)]
        alone = [self._schedule([item]) for item in self.items]
        return [_first_or(future, partial(self._lost, item)) for future, item in zip(alone, self.items)]

    def _lost(self, item: Task, lost: Exception) -> Record:
        """The error record of a document whose worker was killed (out of time) or died (an error
        record read by the parent is its own)."""
        if isinstance(item, ErrorRecord):
            return item
        name = task_name(item)
        if isinstance(lost, ProcessExpired):
            message = f"{name}: the worker process died while extracting it (exit code {lost.exitcode})"
            return error_record(name, WORKER_DIED, message)
        return error_record(name, "timeout", timeout_message(name, self.config.timeout_s))

    def cancel(self) -> bool:
        return self.future.cancel()


def _first_or(future: ProcessFuture, lost: Callable[[Exception], Record]) -> Record:
    try:
        return future.result()[0]
    except (FutureTimeout, ProcessExpired) as error:
        return lost(error)


def in_chunks(
    submit: Callable[[list[T]], ChunkFuture], items: Iterable[T], chunk_size: int, workers: int
) -> Iterator[Record]:
    """Records of ``items`` in input order, from chunks of ``chunk_size`` handed to ``submit``
    (``items`` is read a chunk at a time).

    At most ``CHUNKS_IN_FLIGHT_PER_WORKER`` chunks per worker are submitted ahead of the one
    being read, so memory stays bounded; those still pending when the caller stops are cancelled.
    """
    in_flight: deque[ChunkFuture] = deque()
    remaining = iter(items)
    try:
        for chunk in iter(lambda: list(itertools.islice(remaining, chunk_size)), []):
            in_flight.append(submit(chunk))
            if len(in_flight) >= workers * CHUNKS_IN_FLIGHT_PER_WORKER:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()
    finally:
        for future in in_flight:
            future.cancel()
