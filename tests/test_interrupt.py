"""Any interruption recovers: `factsite build` stopped at a file-system step by SIGINT or SIGTERM
leaves the previous docs/ and site/ or the new ones, never a mix and never a stray file; stopped
by SIGKILL, it leaves a journal that the next run recovers by itself, ending equal to a clean build.

A handful of steps run by default (four of ours, spread from first to last, and one of MkDocs');
FACTSITE_CRASH_POINTS=N tries N of ours, and
FACTSITE_CRASH_POINTS=all every step of the generator's and the journal's and a sample of MkDocs' own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINI, edit_mini_data, make_project, tree_snapshot

from factsite.journal import JOURNAL

CRASH_AT = Path(__file__).resolve().parent / "crash_at.py"
ENV = {"SOURCE_DATE_EPOCH": "1513296000"}  # the same data date in every copy, so the builds compare


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **ENV}


def build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factsite", "build"], cwd=project, env=_env(),
                          capture_output=True, text=True)


def crash(project: Path, step: int, signal_name: str, steps_file: Path | None = None) -> subprocess.CompletedProcess:
    env = {**_env(), "CRASH_STEPS": str(steps_file or "")}
    return subprocess.run([sys.executable, str(CRASH_AT), str(step), signal_name, "build"], cwd=project, env=env,
                          capture_output=True, text=True)


def state(project: Path) -> dict[str, bytes]:
    """docs/ and site/, byte for byte."""
    docs = {f"docs/{name}": data for name, data in tree_snapshot(project / "docs").items()}
    return {**docs, **{f"site/{name}": data for name, data in tree_snapshot(project / "site").items()}}


def strays(project: Path) -> list[str]:
    """Anything a run leaves behind: the journal, a staging or set-aside site, an old-style staged file."""
    return sorted(str(path.relative_to(project)) for path in project.rglob("*")
                  if path.name == JOURNAL or ".factsite-new" in path.name or ".factsite-old" in path.name)


@pytest.fixture(scope="module")
def before_and_after(tmp_path_factory):
    """A built project (the state before), the state a clean build of the edited data gives (after),
    and the numbered steps of the interrupted build."""
    root = tmp_path_factory.mktemp("interrupt")
    project = make_project(root / "before", MINI / "data")
    assert build(project).returncode == 0
    before = state(project)
    clean = root / "clean"
    shutil.copytree(project, clean, symlinks=True)
    edit_mini_data(clean / "data")
    assert build(clean).returncode == 0
    after = state(clean)
    assert after != before
    counted = root / "counted"
    shutil.copytree(project, counted, symlinks=True)
    edit_mini_data(counted / "data")
    steps_file = root / "steps.txt"
    result = crash(counted, 0, "SIGKILL", steps_file)
    assert result.returncode == 0, result.stderr
    assert state(counted) == after
    steps = steps_file.read_text(encoding="utf-8").splitlines()
    return project, before, after, steps


def points(steps: list[str], handful: int) -> list[int]:
    """Step numbers to stop at: those of the generator and the journal (in the docs folder, and the
    site folder's swap and removal), spread evenly, and one in the middle of MkDocs' own steps (its
    writes into the staging site folder)."""
    ours = [number for number, step in enumerate(steps, 1)
            if "/docs/" in step or "site.factsite-new/" not in step and ("/site" in step or "site.factsite-" in step)]
    theirs = [number for number, step in enumerate(steps, 1) if number not in ours]
    wanted = os.environ.get("FACTSITE_CRASH_POINTS", "")
    if wanted == "all":
        return sorted(ours + theirs[::max(1, len(theirs) // 10)])
    handful = int(wanted) if wanted.isdigit() and int(wanted) > 1 else handful
    spread = [ours[round(i * (len(ours) - 1) / (handful - 1))] for i in range(handful)]
    return sorted(set(spread + ([theirs[len(theirs) // 2]] if theirs else [])))


def fresh_copy(project: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(project, target, symlinks=True)
    edit_mini_data(target / "data")
    return target


def test_a_build_killed_at_any_step_is_recovered_by_the_next_run(before_and_after, tmp_path):
    project, before, after, steps = before_and_after
    chosen = points(steps, handful=4)
    assert len(chosen) >= min(4, len(steps))
    for number in chosen:
        copy = fresh_copy(project, tmp_path / "copy")
        killed = crash(copy, number, "SIGKILL")
        assert killed.returncode == -9, (number, steps[number - 1], killed.stderr[-1500:])
        recovered = build(copy)
        assert recovered.returncode == 0, (number, steps[number - 1], recovered.stderr[-1500:])
        assert state(copy) == after, (number, steps[number - 1])
        assert strays(copy) == [], (number, steps[number - 1])


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_build_stopped_by_a_signal_leaves_the_previous_state_or_the_new_one(before_and_after, tmp_path,
                                                                           signal_name):
    project, before, after, steps = before_and_after
    outcomes = set()
    for number in points(steps, handful=4):
        copy = fresh_copy(project, tmp_path / "copy")
        stopped = crash(copy, number, signal_name)
        assert stopped.returncode == 1 and "Aborted!" in stopped.stderr, (number, steps[number - 1], stopped.stderr)
        assert strays(copy) == [], (number, steps[number - 1])
        now = state(copy)
        assert now in (before, after), (number, steps[number - 1])
        outcomes.add("after" if now == after else "before")
    assert outcomes == {"before", "after"}  # some stopped before the commit point, some after
