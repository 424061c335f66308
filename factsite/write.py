"""Stage 5, write: put the generated pages into the docs folder, whole or not at all.

The generator owns exactly the files listed in its manifest (docs/.factsite-manifest.json);
every other file in docs/ is hand-written and never touched. A file whose content did not
change is not rewritten (so `mkdocs serve` settles and mtimes mean something); pages of
deleted entities disappear. A changed file's new content is staged next to it first, a new file
is written in place; if anything fails before the switch-over completes, every target is put
back as it was and every new file removed.
"""

from __future__ import annotations

import json
import os
import posixpath
import threading
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".factsite-manifest.json"
STAGED = ".factsite-new"
KEPT = ".factsite-old"


class WriteError(Exception):
    pass


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def read_manifest(docs: Path) -> set[str]:
    try:
        return set(json.loads((docs / MANIFEST).read_text(encoding="utf-8"))["files"])
    except FileNotFoundError:
        return set()


def write_pages(pages: dict[str, str], docs: Path) -> WriteReport:
    docs.mkdir(parents=True, exist_ok=True)
    owned = read_manifest(docs)
    _refuse_foreign(pages, owned, docs)
    report = WriteReport()
    changed, existing = {}, set()  # existing: the changed files that are there now, to be replaced
    for name, text in sorted(pages.items()):
        data = text.encode("utf-8")
        if name not in owned:  # _refuse_foreign made sure nothing stands there
            changed[name] = data
            continue
        same = _same(docs / name, data)
        if same:
            report.unchanged += 1
        else:
            changed[name] = data
            if same is not None:
                existing.add(name)
    obsolete = sorted(name for name in owned - pages.keys() if (docs / name).exists())
    if not changed and not obsolete and owned == set(pages):
        return report
    # The manifest swaps in with the pages, in the same transaction: a failure at any step,
    # the manifest's included, leaves the pages and the manifest as they were.
    if (docs / MANIFEST).exists():
        existing.add(MANIFEST)
    _Transaction(docs).commit({**changed, MANIFEST: _manifest_bytes(pages)}, existing, obsolete)
    report.written, report.removed = sorted(changed), obsolete
    return report


def _refuse_foreign(pages: dict[str, str], owned: set[str], docs: Path) -> None:
    docs_root = docs.resolve()
    checked_folders: set[str] = set()
    for name in pages:
        folder = posixpath.dirname(name)
        if posixpath.normpath(name) != name or name.startswith(("/", "../")) or name == "..":
            raise WriteError(f"{name}: refusing to write outside {docs}")
        if folder not in checked_folders:  # a folder that is a link could lead out: resolve each once
            checked_folders.add(folder)
            resolved = (docs / folder).resolve()
            if resolved != docs_root and docs_root not in resolved.parents:
                raise WriteError(f"{name}: refusing to write outside {docs}")
        if name not in owned and os.path.lexists(docs / name):
            raise WriteError(f"{docs / name}: a hand-written file stands where factsite would write a page; "
                             "nothing was written (rename the hand-written file, or remove it if it is stale)")


def _same(target: Path, data: bytes) -> bool | None:
    """Whether the file holds exactly `data`; None when there is no such file."""
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except FileNotFoundError:
        return None


def _manifest_bytes(pages: dict[str, str]) -> bytes:
    return (json.dumps({"generator": "factsite", "files": sorted(pages)}, indent=1) + "\n").encode("utf-8")


def write_file(path: Path, data: bytes) -> None:
    """A new file: exclusive creation fails on anything standing there, a link included, rather
    than write through it."""
    with open(path, "xb") as file:
        file.write(data)


PARALLEL_WRITES_FROM = 200  # files; fewer are written by one thread


def _lanes(targets: list) -> list[list]:
    """The targets in two lanes of whole folders, as even in number of files as the folders allow."""
    by_folder: dict[Path, list] = {}
    for target in targets:
        by_folder.setdefault(target[0].parent, []).append(target)
    lanes: list[list] = [[], []]
    for files in sorted(by_folder.values(), key=len, reverse=True):
        min(lanes, key=len).extend(files)
    return [lane for lane in lanes if lane]


class _Transaction:
    """Write new files, stage changed ones, then swap those in; undo everything if any step fails."""

    def __init__(self, docs: Path):
        self.docs = docs
        self.staged: dict[Path, Path] = {}  # target -> its new content, beside it
        self.kept: list[tuple[Path, Path]] = []  # (target, its previous content)
        self.created: list[Path] = []
        self.made_dirs: list[Path] = []
        self.known_dirs: set[Path] = set()

    def commit(self, changed: dict[str, bytes], existing: set[str], obsolete: list[str]) -> None:
        try:
            self._write_all(changed, existing)
            for target, staged in self.staged.items():
                self._swap_in(target, staged)
            for name in obsolete:
                self._set_aside(self.docs / name)
        except BaseException:
            self._undo()
            raise
        for _, kept in self.kept:
            kept.unlink()
        for name in obsolete:
            self._remove_empty_parents(self.docs / name)

    def _write_all(self, changed: dict[str, bytes], existing: set[str]) -> None:
        """Write every file, in two lanes of whole folders when there are many.

        Creating a file locks its folder, and on a shared disk each creation can wait: two threads
        writing different folders overlap those waits (8,000 files: 0.43 s -> 0.26 s when the disk
        was quiet, 2.1-2.8 s -> 0.6-1.1 s when it was busy; threads in the same folders gained nothing)."""
        targets = [(self.docs / name, data, name in existing) for name, data in changed.items()]
        for target, _, _ in targets:
            self._make_folder(target.parent)
        lanes = _lanes(targets) if len(targets) >= PARALLEL_WRITES_FROM else [targets]
        stop = threading.Event()
        errors: list[BaseException] = []

        def write_lane(lane) -> None:
            try:
                for target, data, replaces in lane:
                    if stop.is_set():
                        return
                    self._stage(target, data, replaces)
            except BaseException as error:  # noqa: BLE001 - raised again below, after both lanes end
                errors.append(error)
                stop.set()

        helpers = [threading.Thread(target=write_lane, args=(lane,), daemon=True) for lane in lanes[1:]]
        for helper in helpers:
            helper.start()
        write_lane(lanes[0])
        for helper in helpers:
            helper.join()
        if errors:
            raise errors[0]

    def _make_folder(self, folder: Path) -> None:
        if folder in self.known_dirs:
            return
        for parent in [*reversed(folder.parents), folder]:
            if parent not in self.known_dirs and not parent.exists():
                parent.mkdir()
                self.made_dirs.append(parent)
            self.known_dirs.add(parent)

    def _stage(self, target: Path, data: bytes, replaces: bool) -> None:
        if not replaces:
            # A new file replaces nothing, so it needs no staging: written in place, it is simply
            # deleted on undo (on a first build that saves a rename for each of thousands of pages).
            self.created.append(target)
            write_file(target, data)
            return
        staged = self.staged[target] = target.with_name(target.name + STAGED)
        staged.unlink(missing_ok=True)  # left by a run that was killed
        write_file(staged, data)

    def _swap_in(self, target: Path, staged: Path) -> None:
        self._set_aside(target)
        os.replace(staged, target)

    def _set_aside(self, target: Path) -> None:
        kept = target.with_name(target.name + KEPT)
        os.replace(target, kept)
        self.kept.append((target, kept))

    def _undo(self) -> None:
        for path in [*self.created, *self.staged.values()]:
            path.unlink(missing_ok=True)
        for target, kept in reversed(self.kept):
            os.replace(kept, target)
        for folder in reversed(self.made_dirs):
            try:
                folder.rmdir()
            except OSError:
                pass

    def _remove_empty_parents(self, path: Path) -> None:
        for parent in path.parents:
            if parent == self.docs or not parent.is_relative_to(self.docs):
                return
            try:
                parent.rmdir()
            except OSError:
                return
