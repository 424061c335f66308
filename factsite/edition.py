"""Which edition a build is: the data's date and the commit it was built from.

The same commit and data give the same edition, so it may go into the offline bundle without
breaking its byte-for-byte reproducibility: nothing here reads the clock or a machine's paths.
A work tree with uncommitted changes is said to be one, since its commit alone does not say
what was built.
"""

from __future__ import annotations

import datetime
import hashlib
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from factsite.load import data_epoch

ARCHIVE = Path("dist") / "factsite-offline.zip"  # relative to the project folder
DOWNLOADS = "downloads"  # the folder of the hosted site that publishes the archive
COMMENT_PREFIX = "factsite offline edition: "
SHORT_HASH = 12  # a fixed length, so that every clone prints the same (git's default grows with the repository)


@dataclass(frozen=True)
class Edition:
    epoch: int  # the data's time: SOURCE_DATE_EPOCH, else its last commit, else its newest file
    commit: str | None  # the full hash of HEAD, None outside a git work tree
    dirty: bool  # the work tree differs from HEAD

    @property
    def date(self) -> str:
        day = datetime.datetime.fromtimestamp(self.epoch, datetime.timezone.utc)
        return f"{day.day} {day:%B %Y}"

    @property
    def source(self) -> str:
        if self.commit is None:
            return "not built from a git commit"
        commit = f"commit {self.commit[:SHORT_HASH]}"
        return f"{commit} with uncommitted changes" if self.dirty else commit

    @property
    def line(self) -> str:
        """One line that tells editions apart: 'data of 30 November 2026, commit 0123456789ab'."""
        return f"data of {self.date}, {self.source}"


def current_edition(project: Path, data_dir: Path) -> Edition:
    commit = _git(project, "rev-parse", "--verify", "HEAD")
    changes = _git(project, "status", "--porcelain", "--untracked-files=normal") if commit else ""
    dirty = changes != ""  # a status git could not give (None) is not a clean one
    return Edition(epoch=data_epoch(data_dir), commit=commit, dirty=dirty)


def _git(folder: Path, *args: str) -> str | None:
    """git's output, stripped; None when git is missing, fails, or `folder` is in no work tree."""
    try:
        result = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


# ---------------------------------------------------------------- the archive and its checksum


def archive_comment(edition: Edition) -> bytes:
    """The zip's own comment (`unzip -z`), which says which edition the archive holds."""
    return (COMMENT_PREFIX + edition.line).encode("ascii")


def checksum_line(content: bytes, file_name: str) -> str:
    """One line in the format of `sha256sum`, so that `sha256sum -c` checks the file beside it."""
    return f"{hashlib.sha256(content).hexdigest()}  {file_name}\n"


def archive_edition_line(archive: Path) -> str | None:
    """The edition line a built archive says it holds; None if there is no readable archive."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            comment = bundle.comment.decode("ascii", errors="replace")
    except (OSError, zipfile.BadZipFile):
        return None
    return comment.removeprefix(COMMENT_PREFIX) if comment.startswith(COMMENT_PREFIX) else None
