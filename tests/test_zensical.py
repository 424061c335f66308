"""A second engine: the generated docs tree builds with Zensical, which reads mkdocs.yml but ignores its hooks and the factsite plugin."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINI, make_project, run_factsite

ENTITIES = {"groups/alpha-front", "groups/beta-network", "states/testland", "organizations/test-corps",
            "places/border-region", "events/test-meeting", "sources/article", "sources/report"}


def zensical() -> list[str]:
    found = shutil.which("zensical", path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail("zensical is not installed (it is in the test extra; make test installs it)")
    return [found]


@pytest.mark.slow
def test_the_generated_docs_build_with_zensical(tmp_path):
    project = make_project(tmp_path / "project", MINI / "data")
    generated = run_factsite("generate", cwd=project)
    assert generated.returncode == 0, generated.stderr
    result = subprocess.run([*zensical(), "build", "--config-file", "mkdocs.yml", "--clean", "--strict"], cwd=project,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    for entity in ENTITIES:
        page = (site / f"{entity}.html").read_text(encoding="utf-8")
        assert '<script type="application/ld+json">' in page, entity
    alpha = (site / "groups" / "alpha-front.html").read_text(encoding="utf-8")
    assert "Alpha Front" in alpha and "Alfa Front" in alpha
    assert (site / "groups" / "index.html").is_file() and (site / "data" / "index.html").is_file()
    everything = json.loads((site / "data" / "factsite.json").read_text(encoding="utf-8"))
    assert {f"{e['kind']}/{e['id']}" for e in everything["entities"]} == ENTITIES
