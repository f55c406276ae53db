"""Faults of the run rather than of the files: workers that die or hang in C code where a pool
worker runs its chunk. Module-level, so the spawned workers import them by name (the tests
folder is on their ``sys.path``)."""

from __future__ import annotations

import hashlib
import os
import signal

from models import Record
from pipeline.extractor import ExtractorConfig
from pipeline.parallel import Task, _extract_chunk, task_name

CRASH = "crash"
"""A source name containing this kills its worker, as the OOM killer or a segfault would."""
STUCK = "stuck"
"""A source name containing this keeps its worker in one long C call that no alarm interrupts."""


def faulty_chunk(config: ExtractorConfig, items: list[Task]) -> list[Record]:
    """``parallel._extract_chunk``, except for the documents named ``CRASH`` or ``STUCK``."""
    for name in map(task_name, items):
        if CRASH in name:
            os.kill(os.getpid(), signal.SIGKILL)
        if STUCK in name:
            hashlib.pbkdf2_hmac("sha512", b"stuck", b"salt", 2**31 - 1)  # half an hour of C, no signal handled
    return _extract_chunk(config, items)
