"""Lossless output: hand-written files in docs/ survive every command, and a generation that fails
midway through its write stage leaves the previous output exactly as it was."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from conftest import MINI, ROOT, edit_mini_data, make_project, run_cli, tree_snapshot

from factsite import transaction
from factsite.journal import JOURNAL
from factsite.pipeline import generate
from factsite.write import MANIFEST, read_manifest

HAND_WRITTEN = {
    "notes/field-notes.md": "# Field notes\n\nWritten by hand; factsite must never touch this.\n",
    "groups/about-groups.md": "# About the groups\n\nA hand-written page inside a folder factsite writes into.\n",
    "assets/extra/notes.txt": "a hand-written asset\n",
}


def hand_written(docs: Path) -> dict[str, bytes]:
    owned = read_manifest(docs) | {MANIFEST}
    return {name: data for name, data in tree_snapshot(docs).items() if name not in owned}


@pytest.fixture()
def project(tmp_path) -> Path:
    project = make_project(tmp_path / "project", MINI / "data")
    shutil.copy(ROOT / "mkdocs.offline.yml", project / "mkdocs.offline.yml")
    for name, text in HAND_WRITTEN.items():
        path = project / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project


def test_hand_written_files_survive_every_command(project, tmp_path):
    before = hand_written(project / "docs")
    assert set(HAND_WRITTEN) <= set(before) and "about.md" in before
    commands = [
        ["check"],
        ["check", "--texts", str(MINI / "texts")],
        ["generate"],
        ["generate"],  # a second run, over its own output
        ["build"],
        ["build", "--texts", str(MINI / "texts")],
        ["bundle", "--output", str(tmp_path / "offline.zip")],
    ]
    for command in commands:
        result = run_cli(*command, cwd=project)
        assert result.returncode == 0, (command, result.stderr[-2000:])
        assert hand_written(project / "docs") == before, command
    # the data changes: an entity goes, its page is removed, and nothing hand-written goes with it
    (project / "data" / "organizations" / "test-corps.yaml").unlink()
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not (project / "docs" / "organizations" / "test-corps.md").exists()
    assert hand_written(project / "docs") == before
    # a bad data file: every command fails, and still nothing hand-written changes
    (project / "data" / "states" / "testland.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    for command in (["check"], ["generate"], ["build"]):
        assert run_cli(*command, cwd=project).returncode == 1, command
        assert hand_written(project / "docs") == before, command


def _count_replaces(monkeypatch, project: Path) -> int:
    calls = []
    real = os.replace
    monkeypatch.setattr(transaction.os, "replace", lambda *a, **k: (calls.append(a), real(*a, **k))[1])
    scratch = project.parent / "scratch"
    shutil.copytree(project, scratch)
    generate(scratch / "data", scratch / "docs")
    monkeypatch.setattr(transaction.os, "replace", real)
    shutil.rmtree(scratch)
    return len(calls)


def test_a_generation_interrupted_in_the_write_stage_leaves_the_previous_output(project, monkeypatch):
    docs = project / "docs"
    generate(project / "data", docs)
    edit_mini_data(project / "data")
    before = tree_snapshot(docs)
    kept = hand_written(docs)
    total = _count_replaces(monkeypatch, project)
    assert total >= 10  # pages replaced, created and set aside, then the manifest

    real = os.replace
    for failing in range(1, total + 1):
        calls = 0

        def replace(src, dst, *args, **kwargs):
            nonlocal calls
            calls += 1
            if calls == failing:
                raise OSError(28, f"No space left on device (injected at call {failing})")
            return real(src, dst, *args, **kwargs)

        monkeypatch.setattr(transaction.os, "replace", replace)
        with pytest.raises(OSError, match="injected"):
            generate(project / "data", docs)
        monkeypatch.setattr(transaction.os, "replace", real)
        assert tree_snapshot(docs) == before, f"interrupted at os.replace call {failing} of {total}"
        assert not (docs / JOURNAL).exists(), failing

    report = generate(project / "data", docs).report  # and then it goes through
    assert "places/far-valley.md" in report.written and "organizations/test-corps.md" in report.removed
    assert hand_written(docs) == {k: v for k, v in before.items() if k in hand_written(docs)}
    assert hand_written(docs) == kept  # none changed, and none deleted either



def test_a_generation_that_fails_writing_any_file_leaves_the_previous_output(project, monkeypatch):
    """New pages are written in place and changed ones staged in the journal: a failure at
    any write, a new page's or a staged one's, removes what was written and restores the rest."""
    docs = project / "docs"
    generate(project / "data", docs)
    edit_mini_data(project / "data")
    before = tree_snapshot(docs)
    written: list[Path] = []
    real = transaction.write_file
    monkeypatch.setattr(transaction, "write_file", lambda path, data: (written.append(path), real(path, data))[1])
    scratch = project.parent / "scratch"
    shutil.copytree(project, scratch)
    generate(scratch / "data", scratch / "docs")
    shutil.rmtree(scratch)
    names = [path.name for path in written]
    assert "far-valley.md" in names and any(JOURNAL in path.parts for path in written)

    for failing in range(1, len(written) + 1):
        calls = itertools.count(1)  # next() is atomic: the writes come from two threads

        def write_file(path, data):
            if next(calls) == failing:
                path.write_bytes(data[: len(data) // 2])  # a partial file, as a full disk leaves it
                raise OSError(28, f"No space left on device (injected at write {failing})")
            return real(path, data)

        monkeypatch.setattr(transaction, "write_file", write_file)
        with pytest.raises(OSError, match="injected"):
            generate(project / "data", docs)
        assert tree_snapshot(docs) == before, f"interrupted at write {failing} of {len(written)}"
        assert not (docs / JOURNAL).exists(), failing

