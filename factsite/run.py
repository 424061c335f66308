"""A run: one generation's hold on a docs folder, from its lock to its commit or undo.

`begin()` takes the folder's lock (saying so when it has to wait), recovers whatever a killed run
left in the journal, and registers the run, so that the write stage, called from deep inside a
MkDocs build, writes into it instead of committing on its own. Whoever began the run ends it:
`factsite build` once MkDocs has built the new site, `generate` right after the write stage,
and the MkDocs plugin (factsite/plugin.py) after a plain `mkdocs build` or each `mkdocs serve` rebuild.
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from factsite import signals
from factsite.journal import Journal, recover
from factsite.lock import FolderLock

# The runs under way in this process, by docs folder: each holds a flock on its folder, and a second
# lock of the same folder from this process would wait for itself, so whoever writes (the write stage,
# deep inside a MkDocs build) joins the run already under way. A run leaves it when it ends.
_active: dict[Path, "Run"] = {}
_registry_lock = threading.Lock()


class Run:
    def __init__(self, docs: Path, owner: str):
        self.docs = docs
        self.owner = owner
        self.journal = Journal(docs)
        self.stop_writing: Callable[[], None] = lambda: None  # the write stage's threads, stopped before an undo
        self.touched: set[str] = set()  # the names the write stage creates, replaces or removes
        self._lock = FolderLock(docs)
        self._key = docs.resolve()

    def commit(self) -> None:
        """The commit point, then the rest of the work; a failure here is finished by the next run."""
        try:
            with signals.deferred():
                self.journal.commit()
        finally:
            self._end()

    def roll_back(self) -> None:
        try:
            self.stop_writing()
            with signals.deferred():
                self.journal.roll_back()
        finally:
            self._end()

    def _end(self) -> None:
        with _registry_lock:
            if _active.get(self._key) is self:
                del _active[self._key]
        self._lock.release()


def begin(docs: Path, owner: str) -> Run:
    docs.mkdir(parents=True, exist_ok=True)
    run = Run(docs, owner)
    run._lock.acquire()
    try:
        with signals.deferred():
            done = recover(docs)
        if done:
            print(f"factsite: {docs}/: {done}.", file=sys.stderr, flush=True)
    except BaseException:
        run._lock.release()
        raise
    with _registry_lock:
        _active[run._key] = run
    return run


def active(docs: Path) -> Run | None:
    with _registry_lock:
        return _active.get(docs.resolve())


def owned_by(owner: str) -> list[Run]:
    """The runs under way in this process that `owner` began."""
    with _registry_lock:
        return [run for run in _active.values() if run.owner == owner]


@contextmanager
def joined(docs: Path) -> Iterator[Run]:
    """The run already under way for `docs` (its owner ends it), or one of our own, committed if the
    block succeeds and undone if it fails."""
    outer = active(docs)
    if outer is not None:
        yield outer
        return
    run = begin(docs, owner="write")
    try:
        yield run
    except BaseException:
        run.roll_back()
        raise
    run.commit()
