"""The bad-input corpus (tests/bad_input/): every defect gets its exact error, and nothing is written.

Every case runs in process through the command line's own `check` (click's test runner): the case's
defective file(s) laid over a copy of the good mini fixture's data must make it exit 1 with exactly
the case's expected line(s) and the error count. A handful of cases then run end to end, as
subprocesses in a copy of a project built from the mini fixture: `factsite check`, `generate` and
`build` must each refuse with the same lines and leave every file of the project (the earlier
site/, the generated and hand-written docs/) byte for byte as it was. `generate` and `build` print
what `check` prints because they call the same `pipeline.check`, so the other cases add nothing
there but minutes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MINI, run_factsite, tree_snapshot

from factsite.cli import cli

BAD_INPUT = Path(__file__).resolve().parent / "bad_input"
CASES = sorted(p.name for p in BAD_INPUT.iterdir() if p.is_dir())
# End to end: a YAML syntax error, a file that is not UTF-8, a value error, a dangling reference,
# two errors in one file, and a quote checked against an archived text (--texts).
END_TO_END = ["malformed-yaml", "non-utf8", "date-month-13", "reference-to-missing-entity",
              "link-in-folded-prose", "archived-text-drift"]


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


def count_line_start(expected: list[str]) -> str:
    return f"{len(expected)} error{'s' if len(expected) > 1 else ''} found"


def test_the_corpus_is_well_formed():
    assert len(CASES) >= 30
    for name in CASES:
        case = BAD_INPUT / name
        assert (case / "data").is_dir(), name
        lines = expected_lines(case)
        assert lines and all(line.startswith("data/") for line in lines), name
    assert set(END_TO_END) <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_each_defect_gets_exactly_its_message(name, tmp_path, monkeypatch):
    case = BAD_INPUT / name
    shutil.copytree(MINI / "data", tmp_path / "data", symlinks=True)
    overlay(case, tmp_path)
    monkeypatch.chdir(tmp_path)  # the command names files as data/..., relative to where it runs

    checked = CliRunner().invoke(cli, ["check", *case_args(case)])
    expected = expected_lines(case)
    assert checked.exit_code == 1, (checked.output, checked.exception)
    assert checked.stdout.splitlines() == expected  # exactly these errors, nothing else
    assert checked.stderr.startswith(count_line_start(expected))


@pytest.fixture()
def bad_project(request, mini_site, tmp_path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(mini_site, project, symlinks=True)
    overlay(BAD_INPUT / request.param, project)
    return project


@pytest.mark.parametrize("bad_project", END_TO_END, indirect=True)
def test_every_command_refuses_bad_data_and_writes_nothing(bad_project, request):
    case = BAD_INPUT / request.node.callspec.params["bad_project"]
    expected, args = expected_lines(case), case_args(case)
    before = tree_snapshot(bad_project)
    assert (bad_project / "site" / "index.html").is_file() and (bad_project / "docs" / "index.md").is_file()

    checked = run_factsite("check", *args, cwd=bad_project)
    assert checked.returncode == 1, checked.stderr
    assert checked.stdout.splitlines() == expected
    assert checked.stderr.startswith(count_line_start(expected))

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
