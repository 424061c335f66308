"""The write stage: owned files only, unchanged files untouched, deletions, whole or nothing."""

from __future__ import annotations

import itertools
import json
import os
import threading

import pytest
from conftest import tree_snapshot

from factsite import transaction
from factsite.journal import JOURNAL
from factsite.write import MANIFEST, WriteError, write_pages


def test_first_write_creates_pages_and_manifest(tmp_path):
    report = write_pages({"index.md": "home\n", "groups/a.md": "a\n"}, tmp_path)
    assert report.written == ["groups/a.md", "index.md"]
    assert (tmp_path / "groups" / "a.md").read_text() == "a\n"
    assert json.loads((tmp_path / MANIFEST).read_text())["files"] == ["groups/a.md", "index.md"]


def test_unchanged_files_are_not_rewritten(tmp_path):
    write_pages({"index.md": "home\n", "groups/a.md": "a\n"}, tmp_path)
    before = (tmp_path / "groups" / "a.md").stat()
    report = write_pages({"index.md": "home, changed\n", "groups/a.md": "a\n"}, tmp_path)
    after = (tmp_path / "groups" / "a.md").stat()
    assert report.written == ["index.md"]
    assert report.unchanged == 1
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_a_no_op_write_touches_nothing(tmp_path):
    pages = {"index.md": "home\n"}
    write_pages(pages, tmp_path)
    manifest = (tmp_path / MANIFEST).stat().st_mtime_ns
    report = write_pages(pages, tmp_path)
    assert report.written == [] and report.removed == []
    assert (tmp_path / MANIFEST).stat().st_mtime_ns == manifest


def test_pages_of_deleted_entities_disappear_with_their_empty_folder(tmp_path):
    write_pages({"index.md": "home\n", "events/e.md": "e\n"}, tmp_path)
    report = write_pages({"index.md": "home\n"}, tmp_path)
    assert report.removed == ["events/e.md"]
    assert not (tmp_path / "events").exists()


def test_hand_written_files_are_never_touched(tmp_path):
    (tmp_path / "about.md").write_text("mine\n")
    (tmp_path / "groups").mkdir()
    (tmp_path / "groups" / "notes.md").write_text("also mine\n")
    write_pages({"groups/a.md": "a\n"}, tmp_path)
    write_pages({}, tmp_path)
    assert (tmp_path / "about.md").read_text() == "mine\n"
    assert (tmp_path / "groups" / "notes.md").read_text() == "also mine\n"


def test_a_page_that_would_overwrite_a_hand_written_file_is_refused(tmp_path):
    (tmp_path / "timeline.md").write_text("mine\n")
    with pytest.raises(WriteError, match="a hand-written file stands where factsite would write a page"):
        write_pages({"timeline.md": "generated\n", "index.md": "home\n"}, tmp_path)
    assert (tmp_path / "timeline.md").read_text() == "mine\n"
    assert not (tmp_path / "index.md").exists()


@pytest.mark.parametrize("dangling", [False, True], ids=["link", "dangling-link"])
def test_a_link_where_a_page_goes_is_refused_and_not_written_through(tmp_path, dangling):
    docs, outside = tmp_path / "docs", tmp_path / "outside.txt"
    if not dangling:
        outside.write_text("not the site's\n")
    (docs / "groups").mkdir(parents=True)
    (docs / "groups" / "a.md").symlink_to(outside)
    with pytest.raises(WriteError, match="a hand-written file stands where factsite would write a page"):
        write_pages({"groups/a.md": "generated\n", "index.md": "home\n"}, docs)
    if dangling:
        assert not outside.exists()
    else:
        assert outside.read_text() == "not the site's\n"
    assert sorted(p.name for p in docs.rglob("*")) == ["a.md", "groups"]


def test_a_failure_midway_puts_every_file_back(tmp_path, monkeypatch):
    write_pages({"groups/a.md": "old a\n", "groups/b.md": "old b\n", "groups/c.md": "old c\n"}, tmp_path)
    before = tree_snapshot(tmp_path)
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 4:  # the journal's plan saved, the first page swapped in, the second set aside
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_pages({"groups/a.md": "new a\n", "groups/b.md": "new b\n", "groups/c.md": "new c\n",
                     "groups/d.md": "new d\n"}, tmp_path)
    monkeypatch.setattr(os, "replace", real_replace)
    assert calls[1:3] == [tmp_path / JOURNAL / "old" / "0" / "0", tmp_path / "groups" / "a.md"]
    assert tree_snapshot(tmp_path) == before


def _many_pages(text: str) -> dict[str, str]:
    return {f"{folder}/{n}.md": f"{text} {folder} {n}\n" for folder in ("groups", "places", "events") for n in range(150)}


def test_many_files_are_written_in_two_lanes_of_whole_folders(tmp_path, monkeypatch):
    lanes: dict[int, set[str]] = {}
    real = transaction.write_file

    def watched(path, data):
        lanes.setdefault(threading.get_ident(), set()).add(path.parent.name)
        real(path, data)

    monkeypatch.setattr(transaction, "write_file", watched)
    pages = {**_many_pages("new"), "index.md": "home\n"}
    report = write_pages(pages, tmp_path)
    assert len(report.written) == len(pages)
    assert tree_snapshot(tmp_path) == {**{k: v.encode() for k, v in pages.items()}, MANIFEST: (tmp_path / MANIFEST).read_bytes()}
    assert json.loads((tmp_path / MANIFEST).read_text())["files"] == sorted(pages)
    assert len(lanes) == 2 and set.intersection(*lanes.values()) == set()  # no folder in both lanes


def test_a_failure_in_either_lane_undoes_both(tmp_path, monkeypatch):
    write_pages({**_many_pages("old"), "index.md": "home\n"}, tmp_path)
    before = tree_snapshot(tmp_path)
    real = transaction.write_file
    for failing_folder in ("groups", "places", "events"):
        def failing(path, data, failing_folder=failing_folder):
            if data == f"new {failing_folder} 120\n".encode():  # staged in the journal under a number
                raise OSError(28, "No space left on device (injected)")
            real(path, data)

        monkeypatch.setattr(transaction, "write_file", failing)
        with pytest.raises(OSError, match="injected"):
            write_pages({**_many_pages("new"), "index.md": "home\n", "timeline.md": "new\n"}, tmp_path)
        assert tree_snapshot(tmp_path) == before, failing_folder


def test_a_long_page_name_can_be_replaced_and_removed(tmp_path):
    """Changed pages are staged under short numbered names, so a 245-character id's page
    (250 bytes with its folder's longest suffix) can be rewritten again and again."""
    long_id = "a" * 245
    pages = {f"groups/{long_id}.md": "one\n", f"data/entities/{long_id}.json": "{}\n", f"groups/{long_id}.html": "r\n"}
    write_pages(pages, tmp_path)
    report = write_pages({name: text.replace("one", "two") + "\n" for name, text in pages.items()}, tmp_path)
    assert len(report.written) == 3
    assert write_pages({"index.md": "home\n"}, tmp_path).removed == sorted(pages)
    assert sorted(tree_snapshot(tmp_path)) == [MANIFEST, "index.md"]


def test_every_name_the_manifest_may_hold():
    from factsite.manifest import problem_with

    for name in ["index.md", "groups/index.md", "groups/haqqani-network.md", "events/x-1.html", "data/csv/groups.csv",
                 "data/entities/ttp.json", "includes/abbreviations.md", "data/factsite.json"]:
        assert problem_with(name) is None, name
    for name, reason in [("about.md", "not a file factsite generates (a hand-written file?)"),
                         ("groups/notes.txt", "not a file factsite generates (a hand-written file?)"),
                         ("schema/groups.schema.json", "not a file factsite generates (a hand-written file?)"),
                         ("groups/Bad.md", "not a file factsite generates (a hand-written file?)"),
                         ("../x/groups/a.md", "a path that leaves or wanders the docs folder"),
                         ("groups//a.md", "a path that leaves or wanders the docs folder"),
                         ("./index.md", "a path that leaves or wanders the docs folder"),
                         ("/groups/a.md", "an absolute path"), ("", "not a file name"), (None, "not a file name")]:
        assert problem_with(name) == reason, name


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no undo included."""


OLD = {"index.md": "home\n", **{f"groups/g{n}.md": f"old {n}\n" for n in range(4)}, "events/e.md": "e\n"}
NEW = {"index.md": "home, new\n", "groups/g0.md": "old 0\n", "groups/g1.md": "new 1\n", "places/p.md": "p\n",
       "data/entities/x-1.json": "{}\n"}  # creates nested folders, replaces, keeps, removes a page and a folder

STEPS = ("replace", "rename", "unlink", "mkdir", "rmdir")


def _kill_at(monkeypatch, step: int) -> list[str]:
    """Make the step-th file-system call raise Killed (0: never); returns the list of calls made."""
    from factsite import run

    calls: list[str] = []
    counter = itertools.count(1)

    def counted(name, real):
        def call(path, *args, **kwargs):
            calls.append(f"{name} {path}")
            if next(counter) == step:
                raise Killed(f"at step {step}")
            return real(path, *args, **kwargs)
        return call

    for name in STEPS:
        monkeypatch.setattr(os, name, counted(name, getattr(os, name)))
    monkeypatch.setattr(transaction, "write_file", counted("write_file", transaction.write_file))
    monkeypatch.setattr(run.Run, "roll_back", lambda self: self._end())  # the process is gone: no undo
    return calls


def test_a_write_killed_at_any_step_is_recovered_by_the_next_run(tmp_path, monkeypatch):
    expected = tmp_path / "expected"
    write_pages(OLD, expected)
    write_pages(NEW, expected)
    with monkeypatch.context() as patch:
        scratch = tmp_path / "count"
        write_pages(OLD, scratch)
        calls = _kill_at(patch, 0)
        write_pages(NEW, scratch)
    assert len(calls) >= 20
    for step in range(1, len(calls) + 1):
        docs = tmp_path / f"docs-{step}"
        write_pages(OLD, docs)
        with monkeypatch.context() as patch:
            _kill_at(patch, step)
            with pytest.raises(Killed):
                write_pages(NEW, docs)
        write_pages(NEW, docs)  # the next run: recovers, then writes
        assert tree_snapshot(docs) == tree_snapshot(expected), (step, calls[step - 1])
        assert sorted(path.name for path in docs.iterdir()) == sorted(path.name for path in expected.iterdir())
