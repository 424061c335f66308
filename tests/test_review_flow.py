"""The contributor's and the reviewer's tools work as the documents say: one preview address,
`make serve ADDR=…`, `make hooks`, and a pull-request workflow that summarises the change and
holds no more rights than it needs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import MINI, ROOT, edit

from factsite.cli import serve

WORKFLOW = ROOT / ".github" / "workflows" / "pull-request.yml"
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


# ---------------------------------------------------------------- the preview address


def preview_address() -> str:
    """Where `factsite serve` shows the site: its default address, under the path of mkdocs.yml's site_url
    (MkDocs mounts the preview there)."""
    site_url = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    dev_addr = next(param.default for param in serve.params if param.name == "dev_addr")
    return f"http://{dev_addr}{urlsplit(site_url.group(1)).path}"


def test_every_document_gives_the_preview_address_that_serve_serves():
    address = preview_address()
    assert address == "http://127.0.0.1:8000/factsite/"
    for name in ["README.md", "CONTRIBUTING.md", "Makefile"]:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert address in text, name
        others = set(re.findall(r"http://(?:127\.0\.0\.1|localhost)[^\s`)<>,]*[^\s`)<>,.]", text)) - {address}
        assert others == set(), f"{name} gives another preview address"


def test_make_serve_takes_an_address():
    # --no-print-directory: under `make test`, a nested make would add "Entering directory" lines
    result = subprocess.run(["make", "--dry-run", "--no-print-directory", "--always-make", "-o", ".venv/.installed",
                             "serve", "ADDR=0.0.0.0:8001"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == ".venv/bin/factsite serve --dev-addr 0.0.0.0:8001"


# ---------------------------------------------------------------- pre-commit


@pytest.fixture()
def hooked_repo(tmp_path, monkeypatch) -> Path:
    """A repository of the mini data with this project's hook configuration, after `make hooks`."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-cache"))
    project = tmp_path / "repo"
    shutil.copytree(MINI / "data", project / "data")
    for name in ["Makefile", ".pre-commit-config.yaml", "requirements.lock", "pyproject.toml"]:
        shutil.copy2(ROOT / name, project / name)
    (project / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    # -o: the virtual environment is this project's own, set up already; never rebuild it from here.
    subprocess.run(["make", "-o", ".venv/.installed", "hooks"], cwd=project, check=True, capture_output=True)
    return project


def commit(project: Path) -> subprocess.CompletedProcess:
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    return subprocess.run(["git", "commit", "-q", "-m", "A change"], cwd=project, capture_output=True, text=True)


def test_pre_commit_comes_from_the_lock_file():
    pins = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    assert any(re.fullmatch(r"pre[_-]commit==[0-9.]+", line) for line in pins)
    assert (ROOT / ".venv" / "bin" / "pre-commit").exists()


def test_make_hooks_makes_git_refuse_a_commit_whose_data_has_errors(hooked_repo):
    assert (hooked_repo / ".git" / "hooks" / "pre-commit").exists()
    edit(hooked_repo / "data/groups/alpha-front.yaml", "to: beta-network", "to: beta-netwrk")
    refused = commit(hooked_repo)
    assert refused.returncode != 0
    assert ("data/groups/alpha-front.yaml:13:9: relations[0].to: no entity 'beta-netwrk' (did you mean 'beta-network'?)"
            in refused.stdout + refused.stderr)
    edit(hooked_repo / "data/groups/alpha-front.yaml", "to: beta-netwrk", "to: beta-network")
    clean = subprocess.run([".venv/bin/pre-commit", "run", "factsite-check", "--all-files"], cwd=hooked_repo,
                           capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout


# ---------------------------------------------------------------- the pull-request workflow


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_every_action_is_pinned_to_a_commit_with_its_version_named():
    lines = [line.strip() for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        assert re.fullmatch(r"(- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_no_job_holds_more_than_read_access_to_the_repository():
    flow = workflow()
    assert flow["permissions"] == {}
    assert {name: job["permissions"] for name, job in flow["jobs"].items()} == {
        "changes": {"contents": "read"}, "check-test-build": {"contents": "read"}}
    for job in flow["jobs"].values():
        checkout = job["steps"][0]
        assert checkout["uses"].startswith("actions/checkout@")
        assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}  # full history, no token kept


def test_the_job_summary_gets_the_diff_and_a_link_to_the_preview():
    jobs = workflow()["jobs"]
    runs = [step.get("run", "") for step in jobs["changes"]["steps"]]
    assert '.venv/bin/factsite diff --format github HEAD^1 >> "$GITHUB_STEP_SUMMARY"' in runs
    steps = jobs["check-test-build"]["steps"]
    upload = next(step for step in steps if step.get("id") == "preview")
    assert upload["with"] == {"name": "site-preview", "path": "site/", "retention-days": 14}
    link = steps[steps.index(upload) + 1]
    assert link["env"] == {"PREVIEW_URL": "${{ steps.preview.outputs.artifact-url }}"}
    assert '"$PREVIEW_URL" >> "$GITHUB_STEP_SUMMARY"' in link["run"]
