"""Stage 5, write: put the generated pages into the docs folder, whole or not at all.

The generator owns exactly the files listed in its manifest (docs/.factsite-manifest.json);
every other file in docs/ is hand-written and never touched. A file whose content did not
change is not rewritten (so `mkdocs serve` settles and mtimes mean something); pages of
deleted entities disappear. The pages are written as one transaction (factsite/transaction.py):
if anything fails before it completes, every file is put back as it was and every new file removed.
"""

from __future__ import annotations

import json
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from factsite.transaction import Transaction

MANIFEST = ".factsite-manifest.json"


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
    writer = PageWriter(docs)
    try:
        writer.add(pages)
    except BaseException:
        writer.abort()
        raise
    return writer.commit()


class PageWriter:
    """`add()` hands the new and changed pages to the transaction's writing threads; `commit()`
    then swaps the changed ones in, removes those of deleted entities and writes the manifest,
    and `abort()` undoes it all. Nothing it wrote survives a failure, its own or the caller's."""

    def __init__(self, docs: Path):
        docs.mkdir(parents=True, exist_ok=True)
        self.docs = docs
        self.owned = read_manifest(docs)
        self.names: set[str] = set()
        self.report = WriteReport()
        self._transaction = Transaction(docs)
        self._checked_folders: set[str] = set()

    def add(self, pages: dict[str, str]) -> None:
        """Queue pages for writing: the new ones and the changed ones; an unchanged file is left alone."""
        _refuse_foreign(pages, self.owned, self.docs, self._checked_folders)
        for name, text in pages.items():
            data = text.encode("utf-8")
            replaces = False
            if name in self.owned:  # else _refuse_foreign made sure nothing stands there
                same = _same(self.docs / name, data)
                if same:
                    self.report.unchanged += 1
                    continue
                replaces = same is not None
            self.report.written.append(name)
            self._transaction.write(self.docs / name, data, replaces)
        self.names.update(pages)

    def commit(self) -> WriteReport:
        transaction, report = self._transaction, self.report
        try:
            obsolete = sorted(name for name in self.owned - self.names if (self.docs / name).exists())
            if report.written or obsolete or self.owned != self.names:
                # The manifest swaps in with the pages: a failure at any step, the manifest's
                # included, leaves the pages and the manifest as they were.
                manifest = self.docs / MANIFEST
                transaction.write(manifest, _manifest_bytes(self.names), replaces=manifest.exists())
            transaction.commit([self.docs / name for name in obsolete])
        except BaseException:
            transaction.undo()
            raise
        report.written.sort()
        report.removed = obsolete
        return report

    def abort(self) -> None:
        self._transaction.undo()


def _refuse_foreign(pages: dict[str, str], owned: set[str], docs: Path, checked_folders: set[str]) -> None:
    docs_root = docs.resolve()
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


def _manifest_bytes(names: set[str]) -> bytes:
    return (json.dumps({"generator": "factsite", "files": sorted(names)}, indent=1) + "\n").encode("utf-8")
