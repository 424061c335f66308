"""Stage 5, write: put the generated pages into the docs folder, whole or not at all.

The generator owns exactly the files listed in its manifest (docs/.factsite-manifest.json, read
with suspicion by factsite/manifest.py); every other file in docs/ is hand-written and never
touched. A file whose content did not change is not rewritten (so `mkdocs serve` settles and
mtimes mean something); pages of deleted entities disappear. The pages are written as one
transaction (factsite/transaction.py) inside the run that holds the docs folder (factsite/run.py):
the write stage's own, committed at once, or that of a `factsite build`, committed only once
MkDocs has built the site. If anything fails first, every file is put back as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from factsite import run
from factsite.manifest import MANIFEST, ManifestError, manifest_bytes, problem_with, read_manifest, salvage
from factsite.transaction import Transaction

__all__ = ["MANIFEST", "ManifestError", "WriteError", "WriteReport", "read_manifest", "write_pages"]


class WriteError(Exception):
    pass


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    dropped: list[str] = field(default_factory=list)  # manifest entries a repair dropped


def write_pages(pages: dict[str, str], docs: Path, *, repair_manifest: bool = False,
                known_unchanged: set[str] | frozenset[str] = frozenset()) -> WriteReport:
    """Write `pages` (name -> text) into `docs` within the run that holds it. `repair_manifest` rebuilds
    an invalid manifest: its valid entries, plus the pages of this run that stand on disk, are owned.
    `known_unchanged` names owned pages the caller wrote with this very text (the preview): they are
    not read back to compare."""
    docs.mkdir(parents=True, exist_ok=True)
    with run.joined(docs) as current:
        report = WriteReport()
        if repair_manifest:
            owned, report.dropped = salvage(docs)
            owned |= {name for name in pages if (docs / name).is_file() and not (docs / name).is_symlink()}
        else:
            owned = _owned(docs)
        to_write = {name: text for name, text in pages.items() if name not in known_unchanged or name not in owned}
        _refuse_foreign(to_write, owned, docs)  # the others stand as this caller wrote them, and are not written
        created, replaced = _sort(to_write, owned, docs, report)
        report.unchanged += len(known_unchanged & owned & pages.keys())
        removed = sorted(name for name in owned - pages.keys() if os.path.lexists(docs / name))
        if created or replaced or removed or owned != pages.keys() or repair_manifest:
            manifest = manifest_bytes(set(pages))
            if (docs / MANIFEST).exists():
                replaced[MANIFEST] = manifest
            else:
                created.append(MANIFEST)
        if created or replaced or removed:
            current.touched.update(created, replaced, removed)
            transaction = Transaction(docs, current.journal)
            current.stop_writing = transaction.stop
            transaction.begin(created, list(replaced), removed)
            for name in created:
                transaction.write(name, manifest if name == MANIFEST else pages[name].encode("utf-8"))
            for name, data in replaced.items():
                transaction.write(name, data)
            transaction.apply()
    report.written = sorted(name for name in [*created, *replaced] if name != MANIFEST)
    report.removed = removed
    return report


def _owned(docs: Path) -> set[str]:
    try:
        return read_manifest(docs)
    except ManifestError as error:
        raise WriteError(str(error)) from None


def _sort(pages: dict[str, str], owned: set[str], docs: Path, report: WriteReport) -> tuple[list[str], dict]:
    """The pages to create and those to replace (with their bytes); an unchanged file is left alone."""
    created, replaced = [], {}
    for name, text in pages.items():
        if name not in owned:  # _refuse_foreign made sure nothing stands there
            created.append(name)
            continue
        data = text.encode("utf-8")
        same = _same(docs / name, data)
        if same:
            report.unchanged += 1
        elif same is None:
            created.append(name)
        else:
            replaced[name] = data
    return created, replaced


def _refuse_foreign(pages: dict[str, str], owned: set[str], docs: Path) -> None:
    docs_root = docs.resolve()
    checked_folders: set[str] = set()
    for name in pages:
        reason = problem_with(name)
        if reason:
            raise WriteError(f"{name}: refusing to write it into {docs}: {reason}")
        folder = os.path.dirname(name)
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
        if target.is_symlink():
            return False
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except FileNotFoundError:
        return None
