"""One run per output folder: ``with hold(folder):`` or ``BatchError`` naming the run that holds it.

The lock is ``fcntl.flock`` on ``.extract-agreements.lock`` in the folder, a file holding the
holder's pid for the message. The kernel releases a lock when its process dies, however it died,
so a lock left by a killed run is simply taken over; the file is removed when the run ends.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".extract-agreements.lock"


class FolderInUse(Exception):
    """Another live run holds the output folder."""


@contextmanager
def hold(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock for the block; raise ``FolderInUse`` at once if another process holds it."""
    path = folder / LOCK_NAME
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(handle, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(handle)
            raise FolderInUse(f"{folder} is in use by another extract run (pid {holder}; lock file {path})") from None
        if _same_file(handle, path):  # not a file its last holder unlinked while we opened it
            break
        os.close(handle)
    try:
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        yield
    finally:
        path.unlink(missing_ok=True)  # before unlocking: whoever opens the path next gets a new file
        os.close(handle)


def _same_file(handle: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle), path.stat())
    except FileNotFoundError:
        return False
