"""One run at a time in a docs folder: an exclusive flock on the folder itself.

Locking the folder, not a lock file beside it, leaves no file behind and has no race between a
lock file's removal and another run opening it. The lock goes with the process, however it ends.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path


class FolderLock:
    def __init__(self, folder: Path):
        self.folder = folder
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(f"factsite: waiting for another factsite run in {self.folder}/ to finish...",
                      file=sys.stderr, flush=True)
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the last descriptor releases the lock
