"""The table of generated pages (factsite/pages.py) agrees with the built site and the navigation."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import MINI

from factsite.enrich import enrich
from factsite.pages import ABBREVIATIONS_INCLUDE, table
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
        assert (mini_site / "site" / page.address).is_file(), name
        assert (mini_site / page.edit_source).is_file() or (ROOT / page.edit_source).is_file(), (name, page.edit_source)


def test_the_navigation_names_only_pages_the_table_has_or_hand_written_ones(mini_site):
    pages = _table(mini_site)
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    named = [path for entry in nav for path in entry.values()]
    unknown = [path for path in named if path not in pages and not (mini_site / "docs" / path).is_file()]
    assert unknown == []
    hand_written = [path for path in named if path not in pages]
    assert hand_written == ["about.md"]  # every other entry is generated: a moved page must move in the table too


def test_the_manifest_takes_every_name_the_generator_writes_and_only_those():
    from factsite.manifest import problem_with
    from factsite.pipeline import pages_and_downloads
    from factsite.render import TEMPLATES

    checked = check(MINI / "data")
    assert not checked.problems
    made = pages_and_downloads(enrich(checked.validated.model), TEMPLATES, "2017-12-15T00:00:00Z")
    assert [name for name in made if problem_with(name)] == []
    assert {"data/factsite.json", "data/csv/facts.csv", "data/entities/alpha-front.json", "groups/index.md"} <= made.keys()
    for hand_written in ["about.md", "groups/alpha-front.txt", "data/entities/Alpha.json", "data/csv/other.csv",
                         "spies/index.md", "data/entities/groups/alpha-front.json"]:
        assert problem_with(hand_written) == "not a file factsite generates (a hand-written file?)", hand_written
