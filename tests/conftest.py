"""Shared fixtures: a throw-away copy of the project with a chosen data folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
SEEDS = ROOT.parent / "shared" / "seeds"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def hand_written_docs() -> list[Path]:
    """docs/ files that are not the generator's (its manifest lists what it owns)."""
    from factsite.write import MANIFEST, read_manifest

    owned = read_manifest(ROOT / "docs") | {MANIFEST}
    files = []
    for path in sorted((ROOT / "docs").rglob("*")):
        relative = path.relative_to(ROOT / "docs").as_posix()
        if path.is_file() and relative not in owned and ".factsite-" not in path.name:
            files.append(path)
    return files


def make_project(target: Path, data: Path) -> Path:
    """A project folder with the real mkdocs.yml, hand-written docs and templates, and `data` as its data."""
    target.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - factsite/hook.py", f"  - {ROOT / 'factsite' / 'hook.py'}")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    for path in hand_written_docs():
        destination = target / "docs" / path.relative_to(ROOT / "docs")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    shutil.copytree(data, target / "data", symlinks=True)
    return target


def run_factsite(*args: str, cwd: Path, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("FACTSITE_DATA", None)
    env.pop("FACTSITE_TEXTS", None)
    return subprocess.run([sys.executable, "-m", "factsite", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=check)


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """The mini fixture built once with `factsite build` (mkdocs build --strict); returns the project folder."""
    project = make_project(tmp_path_factory.mktemp("mini") / "project", MINI / "data")
    result = run_factsite("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove later that nothing changed."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
