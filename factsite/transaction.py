"""Files written as one change: all of them, or, if any step fails, none.

A new file replaces nothing, so it is written in place and deleted on undo; a changed file's new
content is staged beside it and swapped in at the end, the old content kept until then. Files
are written by two threads, each taking whole folders: creating a file locks its folder, and on
a shared disk each creation can wait, so two threads writing different folders overlap those
waits (8,000 files: 0.43 s -> 0.26 s when the disk was quiet, 2.1-2.8 s -> 0.6-1.1 s when it was
busy; two threads sharing folders gained nothing).
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path

STAGED = ".factsite-new"
KEPT = ".factsite-old"
LANES = 2


def write_file(path: Path, data: bytes) -> None:
    """A new file: exclusive creation fails on anything standing there, a link included, rather
    than write through it."""
    with open(path, "xb") as file:
        file.write(data)


class Transaction:
    def __init__(self, root: Path):
        self.root = root
        self.staged: dict[Path, Path] = {}  # target -> its new content, beside it
        self.kept: list[tuple[Path, Path]] = []  # (target, its previous content)
        self.created: list[Path] = []
        self.made_dirs: list[Path] = []
        self.known_dirs: set[Path] = set()
        self._lanes: list[_Lane] = []
        self._lane_of: dict[Path, _Lane] = {}
        self._failed = threading.Event()
        self._errors: list[BaseException] = []

    # -- writing, in the background

    def write(self, target: Path, data: bytes, replaces: bool) -> None:
        """Queue a file; `replaces` when a file of ours stands there now. Raises a lane's error, if any."""
        self.raise_if_failed()
        self._make_folder(target.parent)
        self._lane_for(target.parent).put((target, data, replaces))

    def wait(self) -> None:
        """Until every queued file is written; then raises the first error a lane met."""
        for lane in self._lanes:
            lane.put(None)
        for lane in self._lanes:
            lane.thread.join()
        self._lanes, self._lane_of = [], {}
        self.raise_if_failed()

    def raise_if_failed(self) -> None:
        if self._errors:
            raise self._errors[0]

    def _lane_for(self, folder: Path) -> _Lane:
        lane = self._lane_of.get(folder)
        if lane is None:  # a new folder goes to the lane with the fewest files so far
            if len(self._lanes) < LANES:
                self._lanes.append(_Lane(self))
            lane = self._lane_of[folder] = min(self._lanes, key=lambda each: each.files)
        lane.files += 1
        return lane

    def _make_folder(self, folder: Path) -> None:
        if folder in self.known_dirs:
            return
        for parent in [*reversed(folder.parents), folder]:
            if parent not in self.known_dirs and not parent.exists():
                parent.mkdir()
                self.made_dirs.append(parent)
            self.known_dirs.add(parent)

    def _write_one(self, target: Path, data: bytes, replaces: bool) -> None:
        if not replaces:
            self.created.append(target)  # before writing: a partial file is deleted on undo too
            write_file(target, data)
            return
        staged = self.staged[target] = target.with_name(target.name + STAGED)
        staged.unlink(missing_ok=True)  # left by a run that was killed
        write_file(staged, data)

    def _fail(self, error: BaseException) -> None:
        self._errors.append(error)
        self._failed.set()

    # -- the end: all or nothing

    def commit(self, obsolete: list[Path]) -> None:
        """Swap the staged files in and set the obsolete ones aside; any failure undoes everything."""
        try:
            self.wait()
            for target, staged in self.staged.items():
                self._set_aside(target)
                os.replace(staged, target)
            for target in obsolete:
                self._set_aside(target)
        except BaseException:
            self.undo()
            raise
        for _, kept in self.kept:
            kept.unlink()
        for target in obsolete:
            self._remove_empty_parents(target)

    def undo(self) -> None:
        self._failed.set()  # lanes skip what is left in their queues
        try:
            self.wait()
        except BaseException:  # noqa: BLE001 - undoing anyway; the caller raises its own error
            pass
        for path in [*self.created, *self.staged.values()]:
            path.unlink(missing_ok=True)
        for target, kept in reversed(self.kept):
            os.replace(kept, target)
        for folder in reversed(self.made_dirs):
            try:
                folder.rmdir()
            except OSError:
                pass
        self.created, self.staged, self.kept, self.made_dirs = [], {}, [], []  # undone: twice is once
        self.known_dirs = set()

    def _set_aside(self, target: Path) -> None:
        kept = target.with_name(target.name + KEPT)
        os.replace(target, kept)
        self.kept.append((target, kept))

    def _remove_empty_parents(self, path: Path) -> None:
        for parent in path.parents:
            if parent == self.root or not parent.is_relative_to(self.root):
                return
            try:
                parent.rmdir()
            except OSError:
                return


class _Lane:
    """A thread that writes the files queued for its folders."""

    def __init__(self, transaction: Transaction):
        self.files = 0
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._transaction = transaction
        self.thread = threading.Thread(target=self._run, name="factsite-write", daemon=True)
        self.thread.start()

    def put(self, item) -> None:
        self._queue.put(item)

    def _run(self) -> None:
        transaction = self._transaction
        while (item := self._queue.get()) is not None:
            if transaction._failed.is_set():
                continue  # drain the queue without writing
            try:
                transaction._write_one(*item)
            except BaseException as error:  # noqa: BLE001 - raised in the caller's thread
                transaction._fail(error)
