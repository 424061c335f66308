"""A commit to compare with, and a copy of some of its folders: what `factsite diff` asks of git.

Everything here reads the repository (rev-parse, merge-base, ls-tree, archive); nothing writes
to it, to its work tree or to its index.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

MAIN_BRANCHES = ("main", "origin/main")  # the default base: the merge base of HEAD with the first that exists


class GitError(Exception):
    """git cannot give what the comparison needs; the message says why and what to do."""


@dataclass(frozen=True)
class Base:
    commit: str  # the full commit id
    label: str  # how the report names it: "main (1a2b3c4, the merge base of HEAD and main)"

    @property
    def short(self) -> str:
        return self.commit[:7]


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, timeout=120)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH: factsite diff compares with a git commit") from None


def _out(repo: Path, *args: str) -> str | None:
    """git's output, or None when the command fails."""
    result = _git(repo, *args)
    return result.stdout.decode("utf-8", "replace").strip() if result.returncode == 0 else None


def toplevel(folder: Path) -> Path:
    top = _out(folder, "rev-parse", "--show-toplevel")
    if top is None:
        raise GitError(f"{folder} is not inside a git repository: factsite diff compares the work tree "
                       "with a commit (clone the repository with git)")
    return Path(top).resolve()


def _commit(repo: Path, ref: str) -> str | None:
    return _out(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")


def resolve(repo: Path, ref: str | None) -> Base:
    """REF as a commit; without REF, the merge base of HEAD and main (else origin/main, else HEAD)."""
    if ref is not None:
        commit = _commit(repo, ref)
        if commit is None:
            raise GitError(f"no commit '{ref}' in {repo} (give a branch, tag or commit, like main or HEAD~1)")
        return Base(commit, f"{ref} ({commit[:7]})")
    head = _commit(repo, "HEAD")
    if head is None:
        raise GitError(f"{repo} has no commit yet: commit the data once, then compare with it")
    for branch in MAIN_BRANCHES:
        if _commit(repo, branch) is None:
            continue
        merge_base = _out(repo, "merge-base", "HEAD", branch)
        if merge_base:
            return Base(merge_base, f"{merge_base[:7]} (the merge base of HEAD and {branch})")
    return Base(head, f"HEAD ({head[:7]}; there is no branch main or origin/main to compare with)")


def has_folder(repo: Path, commit: str, path: str) -> bool:
    return bool(_out(repo, "ls-tree", "-d", "--name-only", commit, "--", path))


def export(repo: Path, commit: str, path: str, into: Path) -> Path:
    """The folder `path` (relative to the repository's top) as it is at `commit`, copied under `into`."""
    result = _git(repo, "archive", "--format=tar", commit, "--", path)
    if result.returncode != 0:
        raise GitError(f"git archive {commit[:7]} -- {path} failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    try:
        with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
            archive.extractall(into, filter="data")  # refuses members that would land outside `into`
    except tarfile.TarError as error:
        raise GitError(f"cannot copy {path}/ at {commit[:7]}: {error}") from None
    return into / path
