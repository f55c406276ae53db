"""Per-document time limits: ``with deadline(seconds):`` raises ``DocumentTimeout`` inside the block.

In the main thread of a POSIX process (the CLI, each pool worker) the limit is a real-time
interval timer (``setitimer``) whose SIGALRM handler raises: Python delivers it between
bytecodes and also inside long regular-expression matches, which check for signals.
Elsewhere (a Dask worker's task thread, Windows) a watchdog thread raises the exception
asynchronously in the guarded thread; that reaches Python code only, so one long call into
C (a single regex match, a tokenizer run) overruns the limit until it returns.

The timer is process-wide: while a block runs, the process's SIGALRM handler and
``ITIMER_REAL`` belong to it (both are restored or cleared afterwards), so the guarded code
must not use them itself. Blocks do not nest.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class DocumentTimeout(BaseException):
    """The block ran out of time. A ``BaseException``, like ``KeyboardInterrupt``, so that the
    ``except Exception`` of the guarded code (the stages, libraries) cannot swallow it."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise ``DocumentTimeout`` in the block once ``seconds`` have passed; ``None``: no limit.

    A limit already spent (``seconds <= 0``) raises at once. The exception can surface up to
    the end of the ``with`` statement but never after it, so callers catch it around the block.
    """
    if seconds is None:
        yield
        return
    if seconds <= 0:
        raise DocumentTimeout
    guard = _alarm if _alarm_usable() else _watchdog
    with guard(seconds):
        yield


def _alarm_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    armed = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed:  # a signal already queued when the block ended must not escape it
            raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    """A timer thread that raises in this thread; the lock and the final clearing of a pending
    exception make sure it is raised inside the block or not at all."""
    target, lock = threading.get_ident(), threading.Lock()
    state = {"armed": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["armed"]:
                state["fired"] = True
                _set_async_exc(target, DocumentTimeout)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["armed"] = False
            if state["fired"]:  # raised already, or still pending: drop it if pending
                _set_async_exc(target, ctypes.py_object())
        timer.cancel()
