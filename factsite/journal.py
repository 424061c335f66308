"""The journal that lets any run, however it ends, leave the previous output or the new one.

Before a run touches the docs folder or the site folder it writes down what it is about to do
in docs/.factsite-journal/plan.json: the pages it will create in place, those it will replace
or remove (their new content staged, their old content kept, under short fixed names inside
the journal: new/0, old/0, gone/0), the folders it will make, and the site folder it will swap.
Once everything is in place (for `factsite build`: once MkDocs has built the new site), an
empty file `committed` is the commit point. Any run that finds a journal (left by a run that
was killed) finishes the work if it was committed and undoes it otherwise, then deletes the
journal. Every step of both is safe to repeat, so a run killed while recovering is recovered
by the next. MkDocs never copies the journal into the site: it skips dot-folders.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
from pathlib import Path

from factsite.manifest import MANIFEST, problem_with

JOURNAL = ".factsite-journal"
SITE_STAGING, SITE_OLD = ".factsite-new", ".factsite-old"


class JournalError(Exception):
    pass


class Journal:
    def __init__(self, docs: Path):
        self.docs = docs
        self.folder = docs / JOURNAL
        self.plan: dict = {"site": None, "docs": None}
        self._shard_of: dict[int, str] | None = None

    # -- recording, before acting

    def record_site(self, target: Path) -> tuple[Path, Path]:
        """Note that the site folder `target` will be swapped for a new build; returns where to build it."""
        target = target.resolve()
        staging, old = _site_names(target)
        if not os.path.lexists(self.folder / "plan.json"):  # a staging folder no journal names: an older version's
            shutil.rmtree(staging, ignore_errors=True)
        self.plan["site"] = {"target": str(target), "staging": str(staging), "old": str(old)}
        self._save()
        return staging, old

    def record_docs(self, created: list[str], replaced: list[str], removed: list[str], folders: list[str]) -> None:
        self.plan["docs"] = {"created": created, "replaced": replaced, "removed": removed, "folders": folders}
        self._save()
        (self.folder / "gone").mkdir(exist_ok=True)
        for shard in sorted(set(self._shards().values())):
            (self.folder / "new" / shard).mkdir(parents=True, exist_ok=True)
            (self.folder / "old" / shard).mkdir(parents=True, exist_ok=True)

    def _shards(self) -> dict[int, str]:
        """Staged files go into one journal folder per page folder, so that the write stage's two
        threads, each taking whole page folders, never create files in the same folder."""
        if self._shard_of is None:
            folders: dict[str, str] = {}
            self._shard_of = {number: folders.setdefault(posixpath.dirname(name), str(len(folders)))
                              for number, name in enumerate(self.plan["docs"]["replaced"])}
        return self._shard_of

    def staged(self, number: int) -> Path:
        return self.folder / "new" / self._shards()[number] / str(number)

    def kept(self, number: int) -> Path:
        return self.folder / "old" / self._shards()[number] / str(number)

    def gone(self, number: int) -> Path:
        return self.folder / "gone" / str(number)

    def _save(self) -> None:
        self.folder.mkdir(exist_ok=True)
        draft = self.folder / "plan.json.draft"
        draft.write_text(json.dumps(self.plan, indent=1), encoding="utf-8")
        os.replace(draft, self.folder / "plan.json")

    @property
    def recorded(self) -> bool:
        return self.plan["site"] is not None or self.plan["docs"] is not None

    # -- the end: forward past the commit point, back before it

    def commit(self) -> None:
        if not self.recorded:
            return
        (self.folder / "committed").touch()
        self.roll_forward()

    def roll_forward(self) -> None:
        docs = self.plan["docs"]
        if docs:
            for number, name in enumerate(docs["replaced"]):
                if self.staged(number).exists():
                    os.replace(self.staged(number), self.docs / name)
            for number, name in enumerate(docs["removed"]):
                if os.path.lexists(self.docs / name) and not os.path.lexists(self.gone(number)):
                    os.replace(self.docs / name, self.gone(number))
            for name in docs["removed"]:
                self._remove_empty_parents(name)
        if self.plan["site"]:
            _swap_site(**{key: Path(value) for key, value in self.plan["site"].items()})
        self._delete()

    def roll_back(self) -> None:
        docs = self.plan["docs"]
        if docs:
            for number, name in enumerate(docs["replaced"]):
                if os.path.lexists(self.kept(number)):
                    os.replace(self.kept(number), self.docs / name)
            for number, name in enumerate(docs["removed"]):
                if os.path.lexists(self.gone(number)):
                    (self.docs / name).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(self.gone(number), self.docs / name)
            for name in docs["created"]:
                _unlink(self.docs / name)
            for folder in reversed(docs["folders"]):
                try:
                    (self.docs / folder).rmdir()
                except OSError:
                    pass
        if self.plan["site"]:
            target, staging, old = (Path(self.plan["site"][key]) for key in ("target", "staging", "old"))
            shutil.rmtree(staging, ignore_errors=True)
            if not os.path.lexists(target) and old.is_dir():
                os.replace(old, target)
        self._delete()

    def _delete(self) -> None:
        """The journal goes last of all, its plan last within it: until then, a repeat can finish the job."""
        for part in ("new", "old", "gone"):
            shutil.rmtree(self.folder / part, ignore_errors=True)
        _unlink(self.folder / "committed")
        _unlink(self.folder / "plan.json")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.plan, self._shard_of = {"site": None, "docs": None}, None

    def _remove_empty_parents(self, name: str) -> None:
        folder = posixpath.dirname(name)
        while folder:
            try:
                (self.docs / folder).rmdir()
            except OSError:
                return
            folder = posixpath.dirname(folder)


def recover(docs: Path) -> str | None:
    """Finish or undo what a killed run left; returns what was done, or None when there was nothing."""
    journal = Journal(docs)
    if not os.path.lexists(journal.folder):
        return None
    plan_file = journal.folder / "plan.json"
    if not plan_file.exists():  # killed before its plan was saved, so before it touched anything
        shutil.rmtree(journal.folder)
        return "removed an empty journal"
    journal.plan = _read_plan(plan_file)
    if (journal.folder / "committed").exists():
        journal.roll_forward()
        return "finished the run that was interrupted after its commit point"
    journal.roll_back()
    return "undid the run that was interrupted before its commit point"


def _read_plan(path: Path) -> dict:
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
        docs, site = plan["docs"], plan["site"]
        if docs is not None:
            for key in ("created", "replaced", "removed"):
                for name in docs[key]:
                    if name != MANIFEST and problem_with(name):
                        raise ValueError(f"{key}: {name!r}: {problem_with(name)}")
            for folder in docs["folders"]:
                if not isinstance(folder, str) or folder.startswith("/") or ".." in folder.split("/"):
                    raise ValueError(f"folders: {folder!r}")
        if site is not None:
            target = Path(site["target"])
            if (Path(site["staging"]), Path(site["old"])) != _site_names(target):
                raise ValueError("site: not the names factsite uses")
        return {"docs": docs, "site": site}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise JournalError(f"{path}: not a journal factsite wrote ({error}); nothing was changed. If no other "
                           f"factsite run is under way, delete {path.parent} and run again") from None


def site_staging(target: Path) -> Path:
    return _site_names(target)[0]


def _site_names(target: Path) -> tuple[Path, Path]:
    return target.with_name(target.name + SITE_STAGING), target.with_name(target.name + SITE_OLD)


def _swap_site(target: Path, staging: Path, old: Path) -> None:
    if staging.is_dir():
        if os.path.lexists(old):
            shutil.rmtree(old)
        if os.path.lexists(target):
            os.replace(target, old)
        os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except (FileNotFoundError, IsADirectoryError):
        pass
