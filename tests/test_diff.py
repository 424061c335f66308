"""`factsite diff`: what a change does to the site, compared with a commit, in memory.

Each test makes a git repository in a temporary folder from the mini fixture's data, changes it,
and runs the command in this process. The golden reports are tests/golden/diff/; after a
deliberate change, `FACTSITE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_diff.py`
rewrites them for review.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINI, ROOT, edit, tree_snapshot

from factsite import diff_report
from factsite.cli import cli
from factsite.diff import Change, Changes, Comparison, compare_with_commit
from factsite.gitref import Base

GOLDEN = Path(__file__).parent / "golden" / "diff"
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_AUTHOR_DATE": "2017-12-17T12:00:00Z",
           "GIT_COMMITTER_DATE": "2017-12-17T12:00:00Z", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

NEW_GROUP = """\
name: Gamma Cell
summary: A group that, the [[report]] says, is an affiliate of the [[beta-network]].
facts:
  - says: The report names the Gamma Cell as an affiliate of the [[beta-network]].
    source: article
    at: 1
    quote: "a regional affiliate of the Beta Network"
    claimed_by: report
relations:
  - type: affiliate-of
    to: beta-network
    source: article
    at: 1
    quote: "a regional affiliate of the Beta Network"
    claimed_by: report
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture()
def repo(tmp_path, monkeypatch) -> Path:
    """A repository whose main holds the mini data and a hand-written page, checked out in the work tree;
    every temporary folder goes under tmp/ so that a test can see none is left behind."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    project = tmp_path / "repo"
    shutil.copytree(MINI / "data", project / "data")
    (project / "docs").mkdir()
    (project / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "The mini data")
    monkeypatch.chdir(project)
    return project


def change_everything(project: Path) -> None:
    """On a branch: a renamed and a removed entity, committed; an edited fact and an added entity, not committed.
    Meanwhile main moves on with a change of its own, which the default comparison must not show."""
    git(project, "checkout", "-q", "-b", "change")
    git(project, "mv", "data/places/border-region.yaml", "data/places/frontier-region.yaml")
    edit(project / "data/places/frontier-region.yaml", "name: Border region\n",
         "name: Frontier region\nformer_ids: [border-region]\n")
    edit(project / "data/groups/alpha-front.yaml", "to: border-region", "to: frontier-region")
    edit(project / "data/events/test-meeting.yaml", "to: border-region", "to: frontier-region")
    git(project, "rm", "-q", "data/organizations/test-corps.yaml")
    git(project, "commit", "-q", "-am", "Rename the border region, remove the Test Corps")
    edit(project / "data/states/testland.yaml", "says: The article says Testland's forces act against",
         "says: The article reports that Testland's forces act against")
    (project / "data/groups/gamma-cell.yaml").write_text(NEW_GROUP, encoding="utf-8")
    git(project, "checkout", "-q", "main")
    edit(project / "data/glossary.yaml", "A bomb made outside a factory.", "A bomb not made in a factory.")
    git(project, "commit", "-q", "-am", "A change on main after the branch")
    git(project, "checkout", "-q", "change")  # carries the uncommitted edits along


def run(*args: str):
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=False)


def work_tree(project: Path) -> dict[str, bytes]:
    return {path: data for path, data in tree_snapshot(project).items() if not path.startswith(".git/")}


def matches_golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("FACTSITE_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("output_format, golden", [("text", "report.txt"), ("github", "report.md")])
def test_a_rename_a_removal_an_edit_and_an_addition_against_the_merge_base(repo, output_format, golden):
    change_everything(repo)
    merge_base = git(repo, "merge-base", "HEAD", "main")
    before = work_tree(repo)
    result = run("--format", output_format)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    matches_golden(golden, result.stdout.replace(merge_base[:7], "BASE"))
    assert work_tree(repo) == before  # docs/ and the data as they were, and nothing added
    assert list((repo.parent / "tmp").iterdir()) == []  # the copy of the base commit is gone


def test_the_changes_are_sorted_into_entity_pages_other_pages_downloads_and_search_entries(repo):
    change_everything(repo)
    changes = compare_with_commit(Path("data"), None).changes
    assert [(c.status, c.path) for c in changes.entity_pages] == [
        ("changed", "events/test-meeting.md"), ("changed", "groups/alpha-front.md"), ("changed", "groups/beta-network.md"),
        ("added", "groups/gamma-cell.md"), ("removed", "organizations/test-corps.md"),
        ("renamed", "places/frontier-region.md"), ("changed", "sources/article.md"),
        ("changed", "states/testland.md")]
    assert ("added", "places/border-region.html") in [(c.status, c.path) for c in changes.other_pages]  # the redirect
    assert "glossary.md" not in [c.path for c in changes.other_pages]  # main's own later change is not the branch's
    assert [(c.status, c.path) for c in changes.search] == [
        ("added", "groups/gamma-cell.html"), ("removed", "organizations/test-corps.html"),
        ("renamed", "places/frontier-region.html")]
    renamed = changes.entity_pages[5]
    assert renamed.former_path == "places/border-region.md"
    assert renamed.unified()[:2] == ["--- a/places/border-region.md", "+++ b/places/frontier-region.md"]
    assert ("added", "data/entities/gamma-cell.json") in [(c.status, c.path) for c in changes.downloads]


def test_an_explicit_ref_is_compared_as_it_is(repo):
    change_everything(repo)
    result = run("main")
    assert result.exit_code == 0, result.stderr
    main = git(repo, "rev-parse", "--short=7", "main")
    assert result.stdout.startswith(f"Comparing the site at main ({main}) with the work tree.\n")
    assert "  changed  glossary.md\n" in result.stdout  # main's glossary edit, seen from the branch, undone


def test_nothing_changed(repo):
    result = run()
    assert result.exit_code == 0
    head = git(repo, "rev-parse", "--short=7", "HEAD")
    assert result.stdout == (f"Comparing the site at {head} (the merge base of HEAD and main) with the work tree.\n"
                             "The templates folder is outside the repository: both sides use it as it is.\n"
                             "No page, download or search entry changes.\n")


def test_a_template_change_at_the_base_shows_on_every_page_it_makes(repo):
    shutil.copytree(ROOT / "templates", repo / "templates", ignore=shutil.ignore_patterns("theme"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Templates")
    edit(repo / "templates" / "timeline.md.j2", "# Timeline", "# The timeline")
    comparison = compare_with_commit(Path("data"), None, templates=repo / "templates")
    assert comparison.notes == []
    assert [c.path for c in comparison.changes.other_pages] == ["timeline.md"]
    assert "-# Timeline\n+# The timeline\n" in "\n".join(comparison.changes.other_pages[0].unified()) + "\n"


def test_errors_in_the_data_at_the_base_are_named_at_that_commit(repo):
    edit(repo / "data/groups/alpha-front.yaml", "to: beta-network", "to: beta-netwrk")
    git(repo, "commit", "-q", "-am", "A typo")
    broken = git(repo, "rev-parse", "--short=7", "HEAD")
    edit(repo / "data/groups/alpha-front.yaml", "to: beta-netwrk", "to: beta-network")
    result = run("HEAD", "--format", "github")
    assert result.exit_code == 1
    problem = f"{broken}:data/groups/alpha-front.yaml:13:9: relations[0].to: no entity 'beta-netwrk' (did you mean 'beta-network'?)"
    headline = f"The data at HEAD ({broken}) has errors, so there is no site to compare with: 1 error found; nothing was compared."
    assert result.stderr == f"{problem}\n{headline}\n"
    assert problem in result.stdout and "has errors, so there is no site to compare with" in result.stdout


def test_a_template_that_does_not_render_is_an_error_that_names_it(repo, monkeypatch):
    templates = repo.parent / "templates"
    shutil.copytree(ROOT / "templates", templates, ignore=shutil.ignore_patterns("theme"))
    edit(templates / "timeline.md.j2", "# Timeline", "# {{ title }")
    monkeypatch.setattr("factsite.diff.TEMPLATES", templates)
    result = run()
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {templates / 'timeline.md.j2'}:9: the templates do not render: "
                             "unexpected '}'\n")


def test_errors_in_the_work_tree_are_named_where_they_are(repo):
    edit(repo / "data/groups/alpha-front.yaml", "to: beta-network", "to: beta-netwrk")
    result = run()
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("data/groups/alpha-front.yaml:13:9: relations[0].to: no entity "
                                             "'beta-netwrk' (did you mean 'beta-network'?)")


def test_without_a_main_branch_the_work_tree_is_compared_with_head(repo):
    git(repo, "branch", "-q", "-m", "main", "trunk")
    result = run()
    head = git(repo, "rev-parse", "--short=7", "HEAD")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Comparing the site at HEAD ({head}; there is no branch main or origin/main "
                                    "to compare with) with the work tree.\n")


def test_an_unknown_ref_is_a_usage_error(repo):
    result = run("mian")
    assert result.exit_code == 2
    assert result.stderr == f"Error: no commit 'mian' in {repo.resolve()} (give a branch, tag or commit, like main or HEAD~1)\n"


def test_outside_a_git_repository_it_says_what_it_needs(tmp_path, monkeypatch):
    shutil.copytree(MINI / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = run()
    assert result.exit_code == 2
    assert result.stderr == ("Error: data is not inside a git repository: factsite diff compares the work tree "
                             "with a commit (clone the repository with git)\n")


def test_a_link_out_of_the_data_at_the_base_is_refused_not_followed(repo):
    (repo / "data/groups/elsewhere.yaml").symlink_to("/etc/hostname")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "A link out of the repository")
    result = run("HEAD")
    head = git(repo, "rev-parse", "--short=7", "HEAD")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot copy data/ at {head}: ")
    assert "elsewhere.yaml" in result.stderr


def test_without_git_it_says_what_it_needs(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo / "no-programs-here"))
    result = run()
    assert result.exit_code == 2
    assert result.stderr == "Error: git is not installed or not on PATH: factsite diff compares with a git commit\n"


# ---------------------------------------------------------------- the job summary's limits


def comparison_of(*changes: Change) -> Comparison:
    return Comparison(Base("0" * 40, "main (0000000)"), Changes(entity_pages=list(changes)))


def test_a_diff_holding_backticks_cannot_close_its_fence():
    report = diff_report.github(comparison_of(Change("groups/a.md", "x\n", "```\n````\n")))
    assert "\n`````diff\n" in report and report.count("`````") == 2


def test_past_the_summary_budget_diffs_are_left_out_and_the_pages_still_named():
    small = Change("groups/a.md", "a\n", "b\n")
    large = Change("groups/b.md", "a\n", "b\n" * 5000)
    report = diff_report.github(comparison_of(small, large), budget=2000)
    assert "changed: <code>groups/b.md</code>" in report
    assert "The diff is left out: a job summary holds at most 1 MiB." in report
    assert "+b\n+b\n+b\n" not in report and "-a\n+b\n" in report


def test_past_the_budget_for_even_a_line_each_the_rest_is_counted():
    many = [Change(f"groups/g{n}.md", "a\n", "b\n") for n in range(1000)]
    report = diff_report.github(comparison_of(*many), budget=5000)
    assert len(report.encode("utf-8")) < 5000
    assert report.count("<details>") == report.count("</details>") > 0
    shown = report.count("<details>")
    assert report.rstrip().endswith(f"… and {1000 - shown} more, left out: a job summary holds at most 1 MiB. "
                                    "Run `factsite diff` in a clone to see them all.")
