"""Which edition a build is (factsite/edition.py), and which archive the hosted build publishes."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

from conftest import MINI
from test_bundle import git

from factsite.edition import Edition, archive_comment, current_edition
from factsite.edition_hook import published_archive


def committed(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(MINI / "data", project / "data")
    (project / ".gitignore").write_text("/site/\n", encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "data")
    return project


def test_a_clean_work_tree_is_its_commit_and_the_data_is_of_its_last_commit(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = committed(tmp_path)
    edition = current_edition(project, project / "data")
    head = git(project, "rev-parse", "HEAD")
    assert edition == Edition(epoch=1513512000, commit=head, dirty=False)  # 2017-12-17T12:00:00Z
    assert edition.line == f"data of 17 December 2017, commit {head[:12]}"


def test_ignored_files_leave_the_edition_clean_and_any_other_change_does_not(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = committed(tmp_path)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("built", encoding="utf-8")
    assert not current_edition(project, project / "data").dirty
    (project / "notes.txt").write_text("untracked", encoding="utf-8")
    assert current_edition(project, project / "data").line.endswith(" with uncommitted changes")
    os.remove(project / "notes.txt")
    with open(project / "data" / "glossary.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert current_edition(project, project / "data").dirty


def test_outside_git_the_edition_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1513296000")
    shutil.copytree(MINI / "data", tmp_path / "data")
    edition = current_edition(tmp_path, tmp_path / "data")
    assert edition.line == "data of 15 December 2017, not built from a git commit"


def test_only_an_archive_of_this_very_edition_is_published(tmp_path):
    edition = Edition(epoch=1513296000, commit="0123456789abcdef0123456789abcdef01234567", dirty=False)
    archive = tmp_path / "factsite-offline.zip"
    assert published_archive(archive, edition) is None  # none built
    for held, expected in [(Edition(1513296000, "f" * 40, False), None), (edition, "published")]:
        with zipfile.ZipFile(archive, "w") as bundle:
            bundle.comment = archive_comment(held)
            bundle.writestr("index.html", "<p>x</p>")
        published = published_archive(archive, edition)
        assert (published and "published") == expected
    assert published.content == archive.read_bytes()
    assert published.checksum.endswith("  factsite-offline.zip\n") and published.uri == "downloads/factsite-offline.zip"

