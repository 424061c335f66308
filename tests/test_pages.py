"""The table of generated pages (factsite/pages.py) agrees with the built site and the navigation."""

from __future__ import annotations

from pathlib import Path

import yaml

from factsite.enrich import enrich
from factsite.pages import ABBREVIATIONS_INCLUDE, html_path, table
from factsite.pipeline import check
from factsite.write import read_manifest

ROOT = Path(__file__).resolve().parent.parent


def _table(project: Path):
    checked = check(project / "data")
    assert not checked.problems
    return table(enrich(checked.validated.model))


def test_every_built_page_has_an_edit_source_that_exists(mini_site):
    pages = _table(mini_site)
    generated = {name for name in read_manifest(mini_site / "docs") if name.endswith((".md", ".html"))}
    assert generated - {ABBREVIATIONS_INCLUDE} == pages.keys()
    for name, page in pages.items():
        assert (mini_site / "site" / html_path(name) if name.endswith(".md") else mini_site / "site" / name).is_file()
        assert (mini_site / page.edit_source).is_file() or (ROOT / page.edit_source).is_file(), (name, page.edit_source)


def test_the_navigation_names_only_pages_the_table_has_or_hand_written_ones(mini_site):
    pages = _table(mini_site)
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    named = [path for entry in nav for path in entry.values()]
    unknown = [path for path in named if path not in pages and not (mini_site / "docs" / path).is_file()]
    assert unknown == []
    hand_written = [path for path in named if path not in pages]
    assert hand_written == ["about.md"]  # every other entry is generated: a moved page must move in the table too
