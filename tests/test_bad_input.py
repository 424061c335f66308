"""The bad-input corpus (tests/bad_input/): every defect gets its exact error, and nothing is written.

Each case lays its defective file(s) over a copy of a project already built from the good mini
fixture, then runs `factsite check`, `factsite generate` and `factsite build`. Each must exit 1,
print the case's expected error line(s), and leave every file of the project (the earlier site/,
the generated and hand-written docs/) byte for byte as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import MINI, run_factsite, tree_snapshot

BAD_INPUT = Path(__file__).resolve().parent / "bad_input"
CASES = sorted(p.name for p in BAD_INPUT.iterdir() if p.is_dir())


def overlay(case: Path, project: Path) -> None:
    """Copy the case's data/ files over the project's, keeping symbolic links as links."""
    for path in sorted((case / "data").rglob("*")):
        target = project / path.relative_to(case)
        if path.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(path), target)
        elif path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())


def case_args(case: Path) -> list[str]:
    args = case / "args.txt"
    if not args.exists():
        return []
    return args.read_text(encoding="utf-8").format(mini_texts=MINI / "texts").split()


def expected_lines(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture()
def bad_project(request, mini_site, tmp_path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(mini_site, project, symlinks=True)
    overlay(BAD_INPUT / request.param, project)
    return project


def test_the_corpus_is_well_formed():
    assert len(CASES) >= 30
    for name in CASES:
        case = BAD_INPUT / name
        assert (case / "data").is_dir(), name
        lines = expected_lines(case)
        assert lines and all(line.startswith("data/") for line in lines), name


@pytest.mark.parametrize("bad_project", CASES, indirect=True)
def test_each_defect_fails_every_command_with_its_message_and_writes_nothing(bad_project, request):
    case = BAD_INPUT / request.node.callspec.params["bad_project"]
    expected, args = expected_lines(case), case_args(case)
    before = tree_snapshot(bad_project)
    assert (bad_project / "site" / "index.html").is_file() and (bad_project / "docs" / "index.md").is_file()

    checked = run_factsite("check", *args, cwd=bad_project)
    assert checked.returncode == 1, checked.stderr
    assert checked.stdout.splitlines() == expected  # exactly these errors, nothing else
    count = len(expected)
    assert checked.stderr.startswith(f"{count} error{'s' if count > 1 else ''} found")

    generated = run_factsite("generate", *args, cwd=bad_project)
    assert generated.returncode == 1, generated.stderr
    assert generated.stdout.splitlines() == expected

    built = run_factsite("build", *args, cwd=bad_project)
    assert built.returncode == 1, built.stderr
    for line in expected:
        assert f"ERROR   -  {line}" in built.stderr.splitlines(), built.stderr
    assert "the site was not built" in built.stderr

    assert tree_snapshot(bad_project) == before  # site/, docs/ and data/ exactly as they were
    assert sorted(p.name for p in bad_project.iterdir()) == sorted(before_top(before))


def before_top(snapshot: dict[str, bytes]) -> set[str]:
    return {name.split("/")[0] for name in snapshot}
