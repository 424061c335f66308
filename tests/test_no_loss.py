"""No command loses a file: output folders that are inputs are refused, an empty data folder is an
error unless asked for, a hostile manifest deletes nothing, a failure in the MkDocs stage leaves
docs/ as it was, and two runs at once take turns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, edit, run_cli, tree_snapshot

from factsite.journal import JOURNAL
from factsite.lock import FolderLock
from factsite.manifest import MANIFEST

USAGE = "Try 'factsite {command} --help' for help.\n\n"
REPAIR = ("nothing was written or deleted (run `factsite generate --repair-manifest`: it keeps the valid entries, "
          "claims the pages this run generates, and deletes nothing else)")
NO_ENTITIES = ("no entity files found (no YAML file in a kind's folder such as groups/ or states/); nothing was written "
               "(is --data the right folder? To make a site with no entities, pass --allow-empty)")


@pytest.fixture()
def project(mini_site, tmp_path) -> Path:
    """A copy of the built mini project, with the offline edition's configuration beside it."""
    copy = tmp_path / "project"
    shutil.copytree(mini_site, copy, symlinks=True)
    shutil.copy(ROOT / "mkdocs.offline.yml", copy / "mkdocs.offline.yml")
    return copy


def everything(project: Path) -> dict[str, bytes]:
    return tree_snapshot(project)


def usage_error(command: str, option: str, message: str) -> str:
    return f"Usage: factsite {command} [OPTIONS]\n" + USAGE.format(command=command) + \
        f"Error: Invalid value for '{option}': {message}\n"


SITE_DIRS = {
    "data": "is the data folder ({project}/data)",
    "data/groups": "lies inside the data folder ({project}/data)",
    "docs": "is the docs folder ({project}/docs)",
    "docs/site": "lies inside the docs folder ({project}/docs)",
    "templates": "is the templates folder ({project}/templates)",
    ".": "is the repository root, the folder of the MkDocs configuration ({project})",
    "..": "contains the repository root, the folder of the MkDocs configuration ({project})",
}


@pytest.mark.parametrize("site_dir", sorted(SITE_DIRS))
def test_a_site_dir_that_holds_the_inputs_is_a_usage_error(project, site_dir):
    before = everything(project)
    result = run_cli("build", "--site-dir", site_dir, cwd=project)
    problem = SITE_DIRS[site_dir].format(project=project)
    assert (result.returncode, result.stderr) == (2, usage_error("build", "--site-dir", (
        f"{site_dir}: {problem}; the site folder is replaced by each build, so give it a folder of its own, "
        "such as site")))
    assert everything(project) == before


def test_the_root_of_the_file_system_is_no_site_dir(project):
    result = run_cli("build", "--site-dir", "/", cwd=project)
    assert (result.returncode, result.stderr) == (2, usage_error("build", "--site-dir",
                                                                 "/: is the root of the file system"))


def test_a_site_dir_holding_other_files_is_a_usage_error(project):
    (project / "notes").mkdir()
    (project / "notes" / "todo.txt").write_text("mine\n")
    before = everything(project)
    result = run_cli("build", "--site-dir", "notes", cwd=project)
    assert (result.returncode, result.stderr) == (2, usage_error("build", "--site-dir", (
        "notes: holds files but no built site (no index.html, 404.html or sitemap.xml); the site folder is replaced "
        "by each build, so give a new or empty folder, or the previous site's")))
    assert everything(project) == before


@pytest.mark.parametrize("docs_dir, problem", [
    ("data", "is the data folder ({project}/data)"),
    ("data/groups", "lies inside the data folder ({project}/data)"),
    (".", "is the repository root ({project})"),
    ("..", "contains the repository root ({project})"),
])
def test_a_docs_dir_that_holds_the_inputs_is_a_usage_error(project, docs_dir, problem):
    before = everything(project)
    result = run_cli("generate", "--docs-dir", docs_dir, cwd=project)
    assert (result.returncode, result.stderr) == (2, usage_error("generate", "--docs-dir", (
        f"{docs_dir}: {problem.format(project=project)}; the pages go into a docs folder of their own, such as docs")))
    assert everything(project) == before


@pytest.mark.parametrize("output, problem", [
    ("data/offline.zip", "lies inside the data folder ({project}/data); write the archive elsewhere, such as dist/"),
    ("docs/offline.zip", "lies inside the docs folder ({project}/docs); write the archive elsewhere, such as dist/"),
    ("build/offline/x.zip", "lies inside the built site ({project}/build/offline); write the archive elsewhere, "
                            "such as dist/"),
    ("mkdocs.yml", "must end in .zip"),
    ("notes.zip", "exists and is not a zip archive; it would be replaced, so give a new file name"),
])
def test_a_bundle_output_that_would_replace_an_input_is_a_usage_error(project, output, problem):
    (project / "notes.zip").write_text("not an archive\n")
    before = everything(project)
    result = run_cli("bundle", "--output", output, cwd=project)
    assert (result.returncode, result.stderr) == (2, usage_error("bundle", "--output", (
        f"{output}: {problem.format(project=project)}")))
    assert everything(project) == before


@pytest.mark.parametrize("command", ["build", "generate"])
def test_an_empty_data_folder_is_an_error_and_removes_nothing(project, command):
    (project / "empty").mkdir()
    before = everything(project)
    result = run_cli(command, "--data", "empty", cwd=project)
    message = f"{project}/empty/" if command == "build" else "empty/"
    expected = (f"Error: factsite: {message}: {NO_ENTITIES}; site/ and {project}/docs/ were left as they were.\n"
                if command == "build" else f"Error: {message}: {NO_ENTITIES}\n")
    assert (result.returncode, result.stderr) == (1, expected)
    assert everything(project) == before


def test_an_empty_data_folder_builds_when_asked_for(project):
    (project / "empty").mkdir()
    result = run_cli("generate", "--data", "empty", "--allow-empty", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (project / "docs" / "groups" / "alpha-front.md").exists()
    assert (project / "docs" / "index.md").exists()


HOSTILE = [("about.md", "not a file factsite generates (a hand-written file?)"),
           ("../../outside/victim.md", "a path that leaves or wanders the docs folder"),
           ("/etc/hostname", "an absolute path"),
           ("groups/../about.md", "a path that leaves or wanders the docs folder"),
           (7, "not a file name")]


@pytest.mark.parametrize("entry, reason", HOSTILE, ids=[str(entry) for entry, _ in HOSTILE])
def test_a_hostile_manifest_deletes_nothing_and_names_the_repair(project, entry, reason):
    victim = project.parent / "outside" / "victim.md"
    victim.parent.mkdir()
    victim.write_text("not the generator's\n")
    manifest = project / "docs" / MANIFEST
    files = json.loads(manifest.read_text())["files"]
    manifest.write_text(json.dumps({"generator": "factsite", "files": [*files, entry]}))
    (project / "data" / "organizations" / "test-corps.yaml").unlink()  # a run would remove its page
    before = everything(project)
    generated = run_cli("generate", cwd=project)
    assert (generated.returncode, generated.stderr) == (1, (
        f"Error: docs/{MANIFEST}: files[{len(files)}] {json.dumps(entry)}: {reason}; {REPAIR}\n"))
    built = run_cli("build", cwd=project)
    assert built.returncode == 1 and f"{REPAIR}; site/ and {project}/docs/ were left as they were." in built.stderr
    assert everything(project) == before and victim.read_text() == "not the generator's\n"

    repaired = run_cli("generate", "--repair-manifest", cwd=project)
    assert repaired.returncode == 0, repaired.stderr
    assert repaired.stderr.splitlines()[0] == f"docs/{MANIFEST}: dropped {json.dumps(entry)}: {reason}"
    assert victim.exists() and (project / "docs" / "about.md").exists()
    assert not (project / "docs" / "organizations" / "test-corps.md").exists()
    assert entry not in json.loads(manifest.read_text())["files"]
    assert run_cli("build", cwd=project).returncode == 0


def test_a_manifest_that_is_not_json_is_repaired(project):
    manifest = project / "docs" / MANIFEST
    expected = manifest.read_bytes()
    manifest.write_text("{")
    generated = run_cli("generate", cwd=project)
    assert (generated.returncode, generated.stderr) == (1, (
        f"Error: docs/{MANIFEST}: cannot be read (not JSON: Expecting property name enclosed in double quotes: "
        f"line 1 column 2 (char 1)); {REPAIR}\n"))
    repaired = run_cli("generate", "--repair-manifest", cwd=project)
    assert repaired.returncode == 0, repaired.stderr
    assert manifest.read_bytes() == expected  # every page this run generates stood there: all claimed again


def test_a_failure_in_the_mkdocs_stage_leaves_docs_and_site_as_they_were(project):
    (project / "docs" / "broken.md").write_text("# Broken\n\n[a missing page](no-such-page.md)\n")
    edit(project / "data" / "groups" / "alpha-front.yaml", "is an affiliate of the", "is, it says, an affiliate of the")
    (project / "data" / "organizations" / "test-corps.yaml").unlink()
    before = everything(project)
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "Aborted with 1 warnings in strict mode" in result.stderr
    assert result.stderr.rstrip().endswith(f"site/ and {project}/docs/ were left as they were.")
    assert everything(project) == before


def test_old_staging_files_are_never_published(project):
    """Left in docs/ by an earlier factsite that was killed: MkDocs skips them."""
    stale = project / "docs" / "groups" / "alpha-front.md.factsite-new"
    stale.write_text("# stale\n")
    assert run_cli("build", cwd=project).returncode == 0
    assert not [path for path in (project / "site").rglob("*") if ".factsite-" in path.name]
    assert not (project / "site" / "groups" / "alpha-front.md.factsite-new").exists()


def test_a_second_run_waits_for_the_first_and_says_so(project):
    lock = FolderLock(project / "docs")
    lock.acquire()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    edit(project / "data" / "groups" / "alpha-front.yaml", "is an affiliate of the", "is, it says, an affiliate of the")
    second = subprocess.Popen([sys.executable, "-m", "factsite", "generate"], cwd=project, env=env,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert second.stderr.readline() == "factsite: waiting for another factsite run in docs/ to finish...\n"
        assert second.poll() is None
    finally:
        lock.release()
    assert second.wait(timeout=120) == 0
    assert second.stderr.read() == "docs/: 40 files, 5 written, 0 removed.\n"


def test_two_builds_at_once_take_turns_and_both_succeed(project):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    builds = [subprocess.Popen([sys.executable, "-m", "factsite", "build"], cwd=project, env=env,
                               stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [build.communicate(timeout=300)[1] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], outputs
    assert all(output.endswith("Built the site into site/\n") for output in outputs)
    assert not (project / "docs" / JOURNAL).exists()


def test_a_configuration_without_the_plugin_is_refused_before_anything_is_built(tmp_path):
    from factsite.site import SiteError, build_site

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nplugins:\n  - search\n")
    (tmp_path / "docs").mkdir()
    with pytest.raises(SiteError) as raised:
        build_site(config, tmp_path / "site")
    assert str(raised.value) == (f"{config}: the factsite plugin is missing from plugins:, so no page would be "
                                 "generated; add `- factsite` to its list; nothing was built.")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["docs", "mkdocs.yml"]
    assert list((tmp_path / "docs").iterdir()) == []


def test_build_site_raises_its_own_error_not_the_command_lines(tmp_path):
    from factsite.site import SiteError, build_site

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nnav: [\n")
    with pytest.raises(SiteError, match=r"(?s)mkdocs.yml: MkDocs encountered an error parsing the configuration file: .*; nothing was built\.$"):
        build_site(config, tmp_path / "site")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mkdocs.yml"]
